// All in one process: the control plane and the nodes (simulated for now). `k8ts up` and
// startCluster({ nodes }) are this.
import { SimulatedNodes } from '../sim/index.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

export interface AllInOneOptions extends ServerOptions {
  /** How pods run: `simulated` (no containers) is the only runtime so far. */
  runtime?: 'simulated';
  /** Nodes to start (default 1). */
  nodes?: number;
  /** The simulated kubelets' nodeLeaseDurationSeconds (default 40; the lease is renewed every quarter of it). */
  nodeLeaseDurationSeconds?: number;
}

export interface RunningCluster extends RunningServer {
  nodes?: SimulatedNodes;
}

export async function startAllInOne(opts: AllInOneOptions = {}): Promise<RunningCluster> {
  const log = opts.log ?? (() => {});
  const server = await startServer(opts);
  const count = opts.nodes ?? 1;
  if (count <= 0) return server;
  log(`starting ${count} simulated node${count === 1 ? '' : 's'}`);
  const nodes = new SimulatedNodes(server.client, { count, controlPlaneFirst: true, nodeLeaseDurationSeconds: opts.nodeLeaseDurationSeconds });
  try {
    await nodes.start();
  } catch (err) {
    await server.stop();
    throw err;
  }
  log(`${count} node${count === 1 ? ' is' : 's are'} Ready`);
  return {
    ...server,
    nodes,
    async stop() {
      await nodes.stop();
      await server.stop();
    },
  };
}
