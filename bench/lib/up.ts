// `k8ts up` as a user runs it: a child process on a fresh data dir, watched from outside. The
// startup and memory benchmarks time it and read its memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'kubernetes-types/core/v1.js';
import { Client } from '../../src/client/client.js';
import { resources } from '../../src/client/resource.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const READY_LINE = 'k8ts is ready';

export interface UpProcess {
  pid: number;
  dataDir: string;
  kubeconfigPath: string;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  /** Resolves with performance.now() when `k8ts is ready` appears on stdout; rejects if the process exits first. */
  readyLine: Promise<number>;
  /** SIGTERM, wait for the exit (SIGKILL after 15 s), remove the data dir. */
  stop(): Promise<void>;
}

/** Spawns `k8ts up --runtime simulated` on a fresh data dir and a free port; its stderr goes to `log`. */
export async function startUp(opts: { nodes: number; log?: (line: string) => void; args?: string[] }): Promise<UpProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-up-'));
  const spawnedAt = performance.now();
  const args = [MAIN, 'up', '--runtime', 'simulated', '--nodes', String(opts.nodes), '--data-dir', dataDir, '--port', '0', ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    if (opts.log) for (const line of chunk.split('\n')) if (line) opts.log(line);
  });
  let stdout = '';
  const readyLine = new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes(READY_LINE)) resolve(performance.now());
    });
    void exited.then((code) => reject(new Error(`k8ts up exited with code ${code} before "${READY_LINE}": ${stderr.trim().split('\n').slice(-5).join(' | ')}`)));
  });
  readyLine.catch(() => {});
  return {
    pid: child.pid!,
    dataDir,
    kubeconfigPath: join(dataDir, 'kubeconfig.yaml'),
    spawnedAt,
    readyLine,
    stop: () => stopProcess(child, exited).finally(() => rm(dataDir, { recursive: true, force: true })),
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The node's Ready condition is True, as `kubectl get nodes` shows Ready. */
export const isNodeReady = (n: Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * Polls over HTTPS with the kubeconfig k8ts writes (once it exists) until /readyz answers ok and
 * `nodes` Nodes are Ready; resolves with performance.now() then, and a client for the caller.
 */
export async function waitForCluster(up: UpProcess, nodes: number, pollMs = 10, timeoutMs = 120_000): Promise<{ readyAt: number; client: Client }> {
  const deadline = performance.now() + timeoutMs;
  let client: Client | undefined;
  let lastError = '';
  let exitedEarly = false;
  up.readyLine.catch(() => (exitedEarly = true));
  while (performance.now() < deadline && !exitedEarly) {
    try {
      // The kubeconfig appears once the API server listens.
      if (!client && existsSync(up.kubeconfigPath)) client = Client.fromKubeconfig(up.kubeconfigPath, { userAgent: 'k8ts-bench' });
      if (client) {
        const readyz = await client.request<unknown>({ method: 'GET', path: '/readyz' });
        if (String(readyz).trim() === 'ok') {
          const list = await client.resource<Node>(resources.nodes).list();
          if (list.items.filter(isNodeReady).length >= nodes) return { readyAt: performance.now(), client };
        }
      }
    } catch (err) {
      // Not up yet (connection refused, a kubeconfig half written): poll again.
      lastError = (err as Error).message;
      client?.close();
      client = undefined;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  client?.close();
  await up.readyLine;
  throw new Error(`k8ts up: no ready API with ${nodes} Ready node(s) after ${timeoutMs / 1000} s (last error: ${lastError})`);
}
