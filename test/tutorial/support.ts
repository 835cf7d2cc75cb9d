// What a tutorial reader has at hand: kubectl against the cluster, manifests piped to
// `kubectl apply -f -`, and their eyes on the tables kubectl prints.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startCluster, type Cluster, type ClusterOptions } from '../../src/index.js';
import { kubectl, type KubectlResult } from '../support/kubectl.js';
import { eventually, manifestDir } from '../support/cluster.js';

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

/** kubectl with this kubeconfig, or with the one `kubeconfig()` names when a command runs. */
export function kubectlFor(kubeconfig: string | (() => string)): Kubectl {
  const path = typeof kubeconfig === 'string' ? () => kubeconfig : kubeconfig;
  const run = (...args: string[]) => kubectl(args, { kubeconfig: path() });
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const tryApply = (manifest: string, ...args: string[]) => kubectl(['apply', '-f', '-', ...args], { kubeconfig: path(), input: manifest });
  const apply = async (manifest: string, ...args: string[]) => {
    const r = await tryApply(manifest, ...args);
    assert.equal(r.code, 0, `kubectl apply exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  return { run, ok, apply, tryApply };
}

/** The cluster of one tutorial file, and the folder where its reader keeps files. */
export interface TutorialCluster {
  /** kubectl against the cluster. */
  k: Kubectl;
  /** The running cluster (from the file's `before` hook on). */
  readonly cluster: Cluster;
  /** Writes a file in the reader's folder and returns its path. */
  file(name: string, text: string): string;
  /** The path of `name` in the reader's folder. */
  path(name: string): string;
}

/** Starts a cluster before the file's tests and stops it after them. */
export function tutorialCluster(opts: ClusterOptions): TutorialCluster {
  let cluster: Cluster | undefined;
  const files = manifestDir();
  before(async () => {
    cluster = await startCluster(opts);
  });
  after(async () => {
    await cluster?.stop();
    files.remove();
  });
  const running = () => cluster ?? assert.fail('the cluster starts in the before hook');
  return {
    k: kubectlFor(() => running().kubeconfigPath),
    get cluster() {
      return running();
    },
    file(name, text) {
      writeFileSync(files.path(name), text);
      return files.path(name);
    },
    path: files.path,
  };
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
