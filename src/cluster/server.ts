// The control plane in one process: Store + apiserver (+ controllers and scheduler as
// they arrive). Used by `k8ts server`, `k8ts up` and startCluster().
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiServer } from '../apiserver/apiserver.js';
import { namespaceLifecycle } from '../apiserver/admission/namespacelifecycle.js';
import { builtinResources } from '../api/resources/index.js';
import { openStore, type StoreOptions } from '../storage/index.js';
import { Client } from '../client/client.js';
import { writeKubeconfig } from '../client/kubeconfig.js';
import { isAlreadyExists } from '../client/errors.js';
import { resources } from '../client/resource.js';

export type StoreKind = 'sqlite' | 'etcd' | 'memory';

export interface ServerOptions {
  /** Where state.db and kubeconfig.yaml live (default: /var/lib/k8ts for root, ~/.k8ts otherwise). */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  store?: StoreKind;
  etcdEndpoints?: string[];
  /** Admission plugins to switch off by name. */
  disableAdmissionPlugins?: string[];
  /** Progress lines ("opening the store …"). */
  log?: (line: string) => void;
}

export interface RunningServer {
  apiserver: ApiServer;
  port: number;
  url: string;
  kubeconfigPath: string;
  /** An in-process client (no HTTP). */
  client: Client;
  stop(): Promise<void>;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/k8ts' : join(homedir(), '.k8ts');
}

function storeOptions(opts: ServerOptions, dataDir: string): StoreOptions {
  switch (opts.store ?? 'sqlite') {
    case 'memory':
      return { kind: 'memory' };
    case 'etcd':
      if (!opts.etcdEndpoints?.length) throw new Error('--store etcd needs --etcd-endpoints');
      return { kind: 'etcd', endpoints: opts.etcdEndpoints };
    default:
      return { kind: 'sqlite', path: join(dataDir, 'state.db') };
  }
}

/** Objects every cluster has from its first start. */
async function bootstrap(client: Client): Promise<void> {
  const namespaces = client.resource(resources.namespaces);
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? (() => {});
  const dataDir = opts.dataDir ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const storeOpts = storeOptions(opts, dataDir);
  log(`opening the ${storeOpts.kind} store${storeOpts.kind === 'sqlite' ? ` at ${storeOpts.path}` : ''}`);
  const store = await openStore(storeOpts);
  log('loading the watch caches');
  const apiserver = await ApiServer.start({
    store,
    resources: builtinResources,
    admission: [namespaceLifecycle()],
    disabledAdmission: opts.disableAdmissionPlugins,
  });
  const client = Client.local(apiserver);
  await bootstrap(client);
  const host = opts.host ?? '127.0.0.1';
  const port = await apiserver.listen(opts.port ?? 6443, host);
  const url = `http://${host}:${port}`;
  const kubeconfigPath = join(dataDir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfigPath, { server: url, contextName: 'k8ts' });
  log(`serving the API at ${url}`);
  return {
    apiserver,
    port,
    url,
    kubeconfigPath,
    client,
    async stop() {
      client.close();
      await apiserver.stop();
      await store.close();
    },
  };
}
