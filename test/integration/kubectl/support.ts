// Shared by the kubectl end-to-end files: a cluster per file, kubectl runners that insist on
// success or failure, and a reader for kubectl's aligned tables.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startCluster, type Cluster, type ClusterOptions } from '../../../src/index.js';
import { kubectl, type KubectlResult } from '../../support/kubectl.js';
import { manifestDir } from '../../support/cluster.js';

export interface KubectlSession {
  cluster: Cluster;
  /** Runs kubectl; never throws on a non-zero exit. */
  k(args: string[], input?: string, env?: Record<string, string>): Promise<KubectlResult>;
  /** Runs kubectl, asserts exit 0 and returns stdout. */
  ok(args: string[], input?: string, env?: Record<string, string>): Promise<string>;
  /** Runs kubectl, asserts a non-zero exit and returns the result. */
  failed(args: string[], input?: string): Promise<KubectlResult>;
  /** Writes a file in the session's temp dir; returns its path. */
  file(name: string, text: string): string;
  dir: string;
  stop(): Promise<void>;
}

export async function startSession(opts: ClusterOptions = {}): Promise<KubectlSession> {
  const cluster = await startCluster(opts);
  const files = manifestDir();
  const k = (args: string[], input?: string, env?: Record<string, string>) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input, env, timeoutMs: 30_000 });
  return {
    cluster,
    k,
    async ok(args, input, env) {
      const r = await k(args, input, env);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async failed(args, input) {
      const r = await k(args, input);
      assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed:\n${r.stdout}`);
      return r;
    },
    file(name, text) {
      const p = files.path(name);
      writeFileSync(p, text);
      return p;
    },
    dir: files.dir,
    async stop() {
      await cluster.stop();
      files.remove();
    },
  };
}

/** A cell's expectation: exact text, or a pattern the whole cell must match. */
export type Cell = string | RegExp;

/** kubectl's AGE column. */
export const AGE = /^\d+(s|m\d*s?|h\d*m?|d\d*h?|y\d*d?)$/;
/** The default table's CREATED AT column. */
export const CREATED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * Splits kubectl's table output into header names and rows of cells, cutting each line at the
 * header's column starts (tabwriter left-aligns every column, so empty cells keep their place).
 */
export function parseTable(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l.length > 0);
  assert.ok(lines.length > 0, 'kubectl printed no table');
  const starts: number[] = [];
  const header: string[] = [];
  for (const m of lines[0].matchAll(/\S+(?: \S+)*/g)) {
    starts.push(m.index!);
    header.push(m[0]);
  }
  const rows = lines.slice(1).map((line) => starts.map((s, i) => line.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trim()));
  return { header, rows };
}

export function assertCells(actual: string[], expected: Cell[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual)} has ${actual.length} cells, expected ${expected.length}`);
  expected.forEach((e, i) => {
    if (typeof e === 'string') assert.equal(actual[i], e, `${what}: cell ${i} of ${JSON.stringify(actual)}`);
    else assert.match(actual[i], e, `${what}: cell ${i} of ${JSON.stringify(actual)}`);
  });
}

/** Runs `fn` over `items` with at most `limit` at a time (kubectl is a process; two cores). */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Polls until `check` is truthy, failing with its last value's description at the deadline. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
