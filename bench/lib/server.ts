// k8ts for the API benchmarks: the apiserver alone (no controllers, no scheduler writing
// alongside the load, as etcd's own benchmarks measure etcd alone) on a fresh data dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../src/cluster/server.js';

/** Runs `fn` against a k8ts apiserver on a free port, then stops it and removes its data dir. */
export async function withApiServer<R>(opts: ServerOptions, fn: (running: RunningServer) => Promise<R>): Promise<R> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
  try {
    const running = await startServer({ ...opts, dataDir, port: 0, controllers: [], scheduler: false });
    try {
      return await fn(running);
    } finally {
      await running.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
