// Starts a throwaway single-member etcd for tests and benchmarks: free loopback ports, a temp
// data dir, killed with the process that started it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ETCD_BINARY = process.env.K8TS_ETCD_BINARY ?? '/usr/bin/etcd';

const HEALTH_TIMEOUT_MS = 20_000;
const START_ATTEMPTS = 3;

export interface RunningEtcd {
  /** The client URL, e.g. http://127.0.0.1:40123 */
  endpoint: string;
  stop(): Promise<void>;
}

// etcd runs under a small shell that kills it as soon as its stdin (a pipe from this process)
// closes: on stop(), and also when this process dies in any way, SIGKILL included.
const GUARD = 'exec 3<&0; "$0" "$@" </dev/null & pid=$!; (read _ <&3; kill -9 $pid 2>/dev/null) & wait $pid';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false;
  }
}

async function startOnce(): Promise<RunningEtcd | undefined> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-etcd-'));
  const clientPort = await freePort();
  let peerPort = await freePort();
  while (peerPort === clientPort) peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    '/bin/sh',
    [
      '-c', GUARD, ETCD_BINARY,
      '--name', 'k8ts-test',
      '--data-dir', dataDir,
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `k8ts-test=${peer}`,
      '--initial-cluster-state', 'new',
      '--log-level', 'error',
      '--logger', 'zap',
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  // Nothing here keeps the process alive: when it exits, the pipe closes and etcd dies.
  child.unref();
  (child.stdin as Socket).unref();
  (child.stderr as Socket).unref();
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let dead = false;
  void exited.then(() => {
    dead = true;
  });

  const stop = async (): Promise<void> => {
    if (!dead) {
      child.ref();
      child.stdin!.end();
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline && !dead) {
    if (await healthy(endpoint)) return { endpoint, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  // A port taken between probing and binding makes etcd exit: the caller retries.
  if (dead) return undefined;
  throw new Error(`etcd did not become healthy within ${HEALTH_TIMEOUT_MS} ms: ${stderr.slice(-2000)}`);
}

/** Starts etcd on free loopback ports; undefined when the etcd binary is not installed. */
export async function startEtcd(): Promise<RunningEtcd | undefined> {
  if (!existsSync(ETCD_BINARY)) return undefined;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const etcd = await startOnce();
    if (etcd) return etcd;
  }
  throw new Error(`etcd exited during start ${START_ATTEMPTS} times`);
}
