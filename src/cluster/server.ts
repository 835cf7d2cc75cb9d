// The control plane in one process: Store + apiserver (+ controllers and scheduler as
// they arrive). Used by `k8ts server`, `k8ts up` and startCluster().
import { mkdirSync } from 'node:fs';
import { homedir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ApiServer } from '../apiserver/apiserver.js';
import { namespaceLifecycle } from '../apiserver/admission/namespacelifecycle.js';
import { serviceAllocation } from '../apiserver/allocators/service.js';
import { podBinding, createBinding } from '../apiserver/subresources/binding.js';
import { podEviction } from '../apiserver/subresources/eviction.js';
import { namespaceFinalize } from '../apiserver/subresources/namespacefinalize.js';
import { serviceAccountToken } from '../apiserver/subresources/serviceaccounttoken.js';
import { systemPriorityClasses } from '../apiserver/admission/priority.js';
import { apiServerAdmissionDeps, clusterAdmissionPlugins } from '../apiserver/admission/cluster-b.js';
import { localPathStorageClass } from '../controllers/local-path-provisioner.js';
import { builtinResources } from '../api/resources/index.js';
import { openStore, type StoreOptions } from '../storage/index.js';
import { Client } from '../client/client.js';
import { writeKubeconfig } from '../client/kubeconfig.js';
import { apiserverSANs, loadOrCreatePki } from './pki.js';
import { TOKEN_REQUEST } from '../api/auth/tokenrequest.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../apiserver/authz/bootstrap-policy.js';
import { podLogs } from './podlogs.js';
import { ControllerManager } from '../controllers/manager.js';
import { controllerFactories } from '../controllers/index.js';
import type { Clock } from '../controllers/controller.js';
import { Scheduler } from '../scheduler/index.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { Service } from 'kubernetes-types/core/v1.js';
import { resources } from '../client/resource.js';
import { deepCopy } from '../api/patch/json.js';

export type StoreKind = 'sqlite' | 'etcd' | 'memory';

export interface ServerOptions {
  /** Where state.db and kubeconfig.yaml live (default: /var/lib/k8ts for root, ~/.k8ts otherwise). */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The address the `kubernetes` Endpoints name (default: the host's first non-loopback IPv4). */
  advertiseAddress?: string;
  store?: StoreKind;
  etcdEndpoints?: string[];
  /** Admission plugins to switch off by name. */
  disableAdmissionPlugins?: string[];
  /** As kube-controller-manager's `--controllers` (default `*`); `[]` runs none. */
  controllers?: string[];
  /** Run the scheduler (default true). */
  scheduler?: boolean;
  /** How long a node may stay silent before it is NotReady (`--node-monitor-grace-period`, default 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** The clock controllers read (tests control CronJob schedules and TTLs with it). */
  clock?: Clock;
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
  controllers: ControllerManager;
  scheduler?: Scheduler;
  stop(): Promise<void>;
}

const BINDING = 'io.k8s.api.core.v1.Binding';
const EVICTION = 'io.k8s.api.policy.v1.Eviction';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** As kube-apiserver's default: the first non-loopback IPv4 address of the host. */
export function defaultAdvertiseAddress(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

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

async function createIfAbsent(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/**
 * Objects every cluster has from its first start: the system namespaces, the default RBAC roles
 * and bindings, and the `kubernetes` Service (its first ClusterIP) with Endpoints pointing at
 * this API server.
 */
async function bootstrap(client: Client, kubernetesIP: string, advertiseAddress: string | undefined, port: number): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await createIfAbsent(() => client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    // The serviceaccount controller makes these too; made here, pods can be created as soon as the API answers.
    await createIfAbsent(() =>
      client.resource(resources.serviceAccounts).namespace(name).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } }),
    );
  }
  for (const pc of systemPriorityClasses) await createIfAbsent(() => client.resource(resources.priorityClasses).create(deepCopy(pc)));
  // The default RBAC policy, written together: the store groups the writes.
  await Promise.all([
    ...bootstrapClusterRoles.map((r) => createIfAbsent(() => client.resource(resources.clusterRoles).create(deepCopy(r)))),
    ...bootstrapClusterRoleBindings.map((b) => createIfAbsent(() => client.resource(resources.clusterRoleBindings).create(deepCopy(b)))),
  ]);
  await createIfAbsent(() => client.resource(resources.storageClasses).create(deepCopy(localPathStorageClass)));
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await createIfAbsent(() =>
    client.resource(resources.services).namespace('default').create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels },
      spec: { type: 'ClusterIP', clusterIP: kubernetesIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }], sessionAffinity: 'None' },
    }),
  );
  // Endpoints may not point at loopback: with no other address the service has none, as upstream.
  if (!advertiseAddress) return;
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: advertiseAddress }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  };
  // The API server's address changes with its port: keep the Endpoints current on every start.
  await client.resource(resources.endpoints).namespace('default').update(endpoints).catch(async (err) => {
    if (!isNotFound(err)) throw err;
    await client.resource(resources.endpoints).namespace('default').create(endpoints);
  });
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? (() => {});
  const dataDir = opts.dataDir ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const storeOpts = storeOptions(opts, dataDir);
  log(`opening the ${storeOpts.kind} store${storeOpts.kind === 'sqlite' ? ` at ${storeOpts.path}` : ''}`);
  // What has started, to stop in reverse order: on stop(), or when start-up fails half-way.
  const stack: (() => unknown)[] = [];
  const stop = async () => {
    for (const undo of stack.reverse().splice(0)) await undo();
  };
  try {
    const store = await openStore(storeOpts);
    stack.push(() => store.close());
    log('loading the watch caches');
    // Allocation reads the services in the watch cache, which exists once the server has started.
    let api: ApiServer | undefined;
    const services = function* () {
      const cache = api?.storage('', 'services')?.cache;
      if (cache) for (const o of cache.objects.values()) yield o.object as Service;
    };
    const allocation = serviceAllocation({ services });
    const apiserver = await ApiServer.start({
      store,
      resources: builtinResources,
      admission: [namespaceLifecycle(), allocation, ...clusterAdmissionPlugins(apiServerAdmissionDeps(() => api))],
      disabledAdmission: opts.disableAdmissionPlugins,
      authorizationMode: 'RBAC',
      serviceAccountKey: () => pki.serviceAccount,
      subresources: [
        { group: '', plural: 'pods', sub: 'binding', handler: podBinding, bodySchema: BINDING },
        { group: '', plural: 'pods', sub: 'log', handler: podLogs },
        { group: '', plural: 'namespaces', sub: 'finalize', handler: namespaceFinalize, bodySchema: 'io.k8s.api.core.v1.Namespace' },
        { group: '', plural: 'pods', sub: 'eviction', handler: podEviction({ storage: (g, p) => api!.storage(g, p) }), bodySchema: EVICTION },
        { group: '', plural: 'serviceaccounts', sub: 'token', handler: serviceAccountToken({ storage: (g, p) => api!.storage(g, p), signingKey: () => pki.serviceAccount }), bodySchema: TOKEN_REQUEST },
        // POST /api/v1/namespaces/{ns}/bindings binds the pod the Binding names, as pods/binding does.
        { group: '', plural: 'bindings', sub: '', handler: (r) => createBinding({ ...r, storage: api!.storage('', 'pods')! }), bodySchema: BINDING },
      ],
    });
    api = apiserver;
    stack.push(() => apiserver.stop());
    const client = Client.local(apiserver);
    stack.push(() => client.close());
    const host = opts.host ?? '127.0.0.1';
    const advertiseAddress = opts.advertiseAddress ?? defaultAdvertiseAddress();
    const serviceIP = allocation.allocator.kubernetesServiceIP;
    const pki = await loadOrCreatePki(join(dataDir, 'pki'), apiserverSANs(advertiseAddress, serviceIP));
    const port = await apiserver.listen(opts.port ?? 6443, host, { cert: pki.apiserver.certPem, key: pki.apiserver.keyPem, ca: pki.ca.certPem });
    await bootstrap(client, serviceIP, advertiseAddress, port);
    const url = `https://${host}:${port}`;
    const kubeconfigPath = join(dataDir, 'kubeconfig.yaml');
    writeKubeconfig(kubeconfigPath, {
      server: url,
      contextName: 'k8ts',
      caData: pki.ca.certPem,
      certData: pki.admin.certPem,
      keyData: pki.admin.keyPem,
      userName: 'kubernetes-admin',
    });
    log(`serving the API at ${url}`);
    // Controllers and the scheduler are clients of the API like any other, in-process.
    const factories = controllerFactories({
      storageDir: join(dataDir, 'storage'),
      rootCA: pki.ca.certPem,
      nodeLifecycle: { nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs },
    });
    const controllers = new ControllerManager(client, factories, { controllers: opts.controllers, clock: opts.clock, log });
    await controllers.start();
    stack.push(() => controllers.stop());
    const scheduler = opts.scheduler === false ? undefined : new Scheduler(client);
    await scheduler?.start();
    if (scheduler) stack.push(() => scheduler.stop());
    return {
      apiserver,
      port,
      url,
      kubeconfigPath,
      client,
      controllers,
      scheduler,
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}
