// What a tutorial reader has at hand: kubectl against the cluster, manifests piped to
// `kubectl apply -f -`, and their eyes on the tables kubectl prints.
import assert from 'node:assert/strict';
import { kubectl, type KubectlResult } from '../support/kubectl.js';
import { eventually } from '../support/cluster.js';

export { eventually };

export interface Kubectl {
  /** Runs kubectl and returns what it did, whatever its exit code. */
  run(...args: string[]): Promise<KubectlResult>;
  /** Runs kubectl, fails the test on a non-zero exit, and returns stdout. */
  ok(...args: string[]): Promise<string>;
  /** `kubectl apply -f -` with the manifest on stdin; returns stdout. */
  apply(manifest: string, ...args: string[]): Promise<string>;
  /** `kubectl apply -f -` with the manifest on stdin, whatever its exit code (for manifests the server refuses). */
  tryApply(manifest: string, ...args: string[]): Promise<KubectlResult>;
}

export function kubectlFor(kubeconfig: string): Kubectl {
  const run = (...args: string[]) => kubectl(args, { kubeconfig });
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const tryApply = (manifest: string, ...args: string[]) => kubectl(['apply', '-f', '-', ...args], { kubeconfig, input: manifest });
  const apply = async (manifest: string, ...args: string[]) => {
    const r = await tryApply(manifest, ...args);
    assert.equal(r.code, 0, `kubectl apply exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  return { run, ok, apply, tryApply };
}

export type Row = Record<string, string>;

/**
 * The rows of a table kubectl printed, keyed by column header. kubectl pads columns with at
 * least three spaces and headers hold single spaces at most ("NOMINATED NODE"), so a header's
 * columns start where its words do, and every cell starts where its header does.
 */
export function tableRows(stdout: string): Row[] {
  const [header, ...lines] = stdout.split('\n').filter((l) => l.trim() !== '');
  if (!header) return [];
  const columns = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index! }));
  return lines.map((line) => {
    const row: Row = {};
    columns.forEach((c, i) => (row[c.name] = line.slice(c.start, columns[i + 1]?.start ?? line.length).trim()));
    return row;
  });
}

/** The first line of `text` that matches, for messages that must appear as one line. */
export function lineMatching(text: string, pattern: RegExp): string | undefined {
  return text.split('\n').find((l) => pattern.test(l));
}

/** Escapes a literal message for use inside a RegExp. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
