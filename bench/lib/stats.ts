// What every benchmark reports the same way: latency percentiles, the machine it ran on, and
// the one JSON result line on stdout (progress goes to stderr, so stdout stays parseable).
import { cpus, freemem, totalmem } from 'node:os';

/** The value at percentile `p` (0–100) of ascending `sorted` samples: the nearest rank at or below. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Milliseconds to two decimals: enough for a JSON line a person reads. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** p50, p99 and max of latency samples in milliseconds (sorts `samples` in place). */
export function summarize(samples: number[] | Float64Array): LatencySummary {
  if (samples instanceof Float64Array) samples.sort();
  else samples.sort((a, b) => a - b);
  return {
    p50Ms: roundMs(percentile(samples, 50)),
    p99Ms: roundMs(percentile(samples, 99)),
    maxMs: roundMs(samples.length ? samples[samples.length - 1] : 0),
  };
}

/** Milliseconds since the epoch with sub-millisecond precision, comparable across worker threads. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resident set size of this process (server and its load workers together), in MiB. */
export function rssMB(): number {
  return Math.round(process.memoryUsage().rss / (1024 * 1024));
}

/** JavaScript heap in use on this thread, in MiB. */
export function heapUsedMB(): number {
  return Math.round(process.memoryUsage().heapUsed / (1024 * 1024));
}

/** The highest resident set size this process has reached, in MiB. */
export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The machine a result was measured on: numbers mean little without it. */
export function machine(): Record<string, unknown> {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryMB: Math.round(totalmem() / (1024 * 1024)),
    freeMemoryMB: Math.round(freemem() / (1024 * 1024)),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** A progress line on stderr, stamped with the seconds since the benchmark started. */
export function progress(line: string): void {
  process.stderr.write(`[${(performance.now() / 1000).toFixed(1)}s] ${line}\n`);
}

/** The benchmark's result: exactly one JSON line on stdout, with the machine appended. */
export function printResult(result: { bench: string } & Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...result, machine: machine() })}\n`);
}
