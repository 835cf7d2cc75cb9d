// The library entry: an in-process cluster for tests and embedding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './cluster/server.js';
import type { Client } from './client/client.js';
import type { ApiServer } from './apiserver/apiserver.js';

export interface ClusterOptions {
  /** Simulated nodes (not implemented yet: must be 0 or absent). */
  nodes?: number;
  /** Keep state here instead of an in-memory store that vanishes on stop(). */
  dataDir?: string;
  port?: number;
}

export interface Cluster {
  kubeconfigPath: string;
  url: string;
  /** An in-process client of the cluster's API server. */
  client: Client;
  apiserver: ApiServer;
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  if (opts.nodes) throw new Error('simulated nodes are not implemented yet');
  const tempDir = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'k8ts-'));
  const running = await startServer({
    dataDir: opts.dataDir ?? tempDir,
    store: opts.dataDir ? 'sqlite' : 'memory',
    port: opts.port ?? 0,
  });
  return {
    kubeconfigPath: running.kubeconfigPath,
    url: running.url,
    client: running.client,
    apiserver: running.apiserver,
    async stop() {
      await running.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

export { Client } from './client/client.js';
export { startServer } from './cluster/server.js';
