// Runs the real kubectl against a test cluster: one-shot commands, and long-running ones
// (`get -w`) whose output the test reads as it arrives.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const KUBECTL = process.env.K8TS_KUBECTL_BINARY ?? '/usr/bin/kubectl';

/** `false` when kubectl is installed, else the reason to skip a test (for `test(name, { skip }, …)`). */
export const kubectlSkip: false | string = existsSync(KUBECTL) ? false : `kubectl is not installed at ${KUBECTL}`;

export interface KubectlOptions {
  kubeconfig: string;
  /** Written to kubectl's stdin (for `-f -`). */
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubeconfig and a discovery cache beside it, so runs never touch ~/.kube. */
function globalArgs(kubeconfig: string): string[] {
  return [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dirname(kubeconfig), 'kubectl-cache')}`];
}

export function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      KUBECTL,
      [...globalArgs(opts.kubeconfig), ...args],
      { env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** A kubectl that keeps running (`get -w`): its output so far, and a way to wait for more. */
export class KubectlProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], opts: KubectlOptions) {
    this.child = spawn(KUBECTL, [...globalArgs(opts.kubeconfig), ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin!.end(opts.input ?? '');
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => this.grew(() => (this.stdout += s)));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => this.grew(() => (this.stderr += s)));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  private grew(append: () => void): void {
    append();
    for (const w of this.waiters) w();
  }

  /** Resolves once stdout (or stderr, where `-v` logs go) matches, rejects with the output so far after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs = 10_000, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this[stream].match(pattern);
        if (!m) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`kubectl printed no ${pattern} within ${timeoutMs} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

export function kubectlStart(args: string[], opts: KubectlOptions): KubectlProcess {
  return new KubectlProcess(args, opts);
}
