// The library entry: an in-process cluster for tests and embedding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAllInOne } from './cluster/allinone.js';
import type { Clock } from './controllers/controller.js';
import type { Client } from './client/client.js';
import type { ApiServer } from './apiserver/apiserver.js';
import type { SimulatedNodes } from './sim/index.js';
import type { ControllerManager } from './controllers/manager.js';

export interface ClusterOptions {
  /** Simulated nodes (default 0: the control plane only). */
  nodes?: number;
  /** Controllers to run, as `--controllers` (default all). */
  controllers?: string[];
  /** Run the scheduler (default true). */
  scheduler?: boolean;
  /** How long a node may stay silent before it is NotReady (default 40 s, as upstream). */
  nodeMonitorGracePeriodMs?: number;
  /** The simulated kubelets' lease duration (default 40 s; renewed every quarter of it). */
  nodeLeaseDurationSeconds?: number;
  /** The clock controllers read. */
  clock?: Clock;
  /** Admission plugins to switch off by name (`ServiceAccount` when running without the serviceaccount controller). */
  disableAdmissionPlugins?: string[];
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
  /** The simulated nodes, when asked for (stop one's heartbeats to simulate a failure). */
  nodes?: SimulatedNodes;
  controllers: ControllerManager;
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const tempDir = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'k8ts-'));
  const running = await startAllInOne({
    dataDir: opts.dataDir ?? tempDir,
    store: opts.dataDir ? 'sqlite' : 'memory',
    port: opts.port ?? 0,
    nodes: opts.nodes ?? 0,
    controllers: opts.controllers,
    scheduler: opts.scheduler,
    clock: opts.clock,
    disableAdmissionPlugins: opts.disableAdmissionPlugins,
    nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs,
    nodeLeaseDurationSeconds: opts.nodeLeaseDurationSeconds,
  });
  return {
    kubeconfigPath: running.kubeconfigPath,
    url: running.url,
    client: running.client,
    apiserver: running.apiserver,
    nodes: running.nodes,
    controllers: running.controllers,
    async stop() {
      await running.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

export { Client } from './client/client.js';
export { startServer } from './cluster/server.js';
export { startAllInOne } from './cluster/allinone.js';
