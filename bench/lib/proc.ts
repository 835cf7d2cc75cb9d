// What a benchmark reads about processes and the host from the outside: a process's resident
// memory from /proc (as `ps` or a cgroup would see it, not as Node reports it about itself) and
// the load average, since the machines are shared and a number means little without it.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The 1, 5 and 15 minute load averages, to two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

/** VmRSS and VmHWM (peak) of process `pid` in MiB, from /proc/<pid>/status. */
export function processMemoryMB(pid: number): { rssMB: number; peakRssMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(m[1]);
  };
  return { rssMB: Math.round(kib('VmRSS') / 1024), peakRssMB: Math.round(kib('VmHWM') / 1024) };
}
