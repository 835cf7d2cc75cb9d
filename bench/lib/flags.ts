// Command-line flags of the benchmarks. run-all passes the same flags to every script, so each
// script reads the flags it knows and ignores the rest.
import { parseArgs } from 'node:util';

export interface BenchFlags {
  /** A small run: minutes become seconds, sizes shrink. */
  quick: boolean;
  /** Raw values by flag name (`--total 500` → { total: '500' }). */
  values: Record<string, string | boolean | undefined>;
}

/** Parses `--quick` and the string-valued flags named in `names` (declared so that `--total 500` takes its value). */
export function benchFlags(names: readonly string[], args = process.argv.slice(2)): BenchFlags {
  const options: Record<string, { type: 'string' | 'boolean' }> = { quick: { type: 'boolean' } };
  for (const name of names) options[name] = { type: 'string' };
  const { values } = parseArgs({ args, strict: false, allowPositionals: true, options });
  return { quick: values.quick === true, values };
}

/** A positive integer flag: `--name N`, else the quick or full default. */
export function intFlag(flags: BenchFlags, name: string, full: number, quick: number): number {
  const raw = flags.values[name];
  if (raw === undefined) return flags.quick ? quick : full;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** A string flag limited to `allowed`; the first is the default. */
export function choiceFlag<T extends string>(flags: BenchFlags, name: string, allowed: readonly T[]): T {
  const raw = flags.values[name];
  if (raw === undefined) return allowed[0];
  if (!allowed.includes(raw as T)) throw new Error(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}
