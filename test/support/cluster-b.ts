// A cluster for the volume, quota, disruption and admission tests: the built-in kinds served
// with this part's admission plugins and the Eviction subresource, this part's controllers
// (plus the workload controllers for drain), the scheduler and simulated nodes. It stands in
// until the lead wires these into startServer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from 'kubernetes-types/core/v1.js';
import { ApiServer } from '../../src/apiserver/apiserver.js';
import { namespaceLifecycle } from '../../src/apiserver/admission/namespacelifecycle.js';
import { apiServerAdmissionDeps, clusterAdmissionPlugins } from '../../src/apiserver/admission/cluster-b.js';
import { systemPriorityClasses } from '../../src/apiserver/admission/priority.js';
import { serviceAllocation } from '../../src/apiserver/allocators/service.js';
import { createBinding, podBinding } from '../../src/apiserver/subresources/binding.js';
import { podEviction } from '../../src/apiserver/subresources/eviction.js';
import { builtinResources } from '../../src/api/resources/index.js';
import { Client } from '../../src/client/client.js';
import { writeKubeconfig } from '../../src/client/kubeconfig.js';
import { resources } from '../../src/client/resource.js';
import type { ControllerFactory } from '../../src/controllers/controller.js';
import { ControllerManager } from '../../src/controllers/manager.js';
import { clusterControllersB } from '../../src/controllers/index-cluster-b.js';
import { localPathStorageClass } from '../../src/controllers/local-path-provisioner.js';
import { Scheduler } from '../../src/scheduler/index.js';
import { SimulatedNodes } from '../../src/sim/index.js';
import { openStore } from '../../src/storage/index.js';

export interface ClusterB {
  kubeconfigPath: string;
  client: Client;
  apiserver: ApiServer;
  storageDir: string;
  nodes?: SimulatedNodes;
  /** A namespace with its `default` ServiceAccount (the serviceaccount controller is not part of this cluster). */
  namespace(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterBOptions {
  nodes?: number;
  /** Extra controllers, by name (the workload controllers for drain). */
  controllers?: Record<string, ControllerFactory>;
  quotaResyncMs?: number;
}

export async function startClusterB(opts: ClusterBOptions = {}): Promise<ClusterB> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-b-'));
  const storageDir = join(dir, 'storage');
  const store = await openStore({ kind: 'memory' });
  let api: ApiServer | undefined;
  const services = function* () {
    const cache = api?.storage('', 'services')?.cache;
    if (cache) for (const o of cache.objects.values()) yield o.object as Service;
  };
  const apiserver = await ApiServer.start({
    store,
    resources: builtinResources,
    admission: [namespaceLifecycle(), serviceAllocation({ services }), ...clusterAdmissionPlugins(apiServerAdmissionDeps(() => api))],
    subresources: [
      { group: '', plural: 'pods', sub: 'binding', handler: podBinding, bodySchema: 'io.k8s.api.core.v1.Binding' },
      { group: '', plural: 'bindings', sub: '', handler: (r) => createBinding({ ...r, storage: api!.storage('', 'pods')! }), bodySchema: 'io.k8s.api.core.v1.Binding' },
      { group: '', plural: 'pods', sub: 'eviction', handler: podEviction({ storage: (g, p) => api!.storage(g, p) }) },
    ],
  });
  api = apiserver;
  const client = Client.local(apiserver);
  const port = await apiserver.listen(0);
  const kubeconfigPath = join(dir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfigPath, { server: `http://127.0.0.1:${port}`, contextName: 'k8ts' });

  const namespace = async (name: string) => {
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await client.resource(resources.serviceAccounts).namespace(name).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
  };
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) await namespace(ns);
  await client.resource(resources.storageClasses).create(structuredClone(localPathStorageClass));
  for (const pc of systemPriorityClasses) await client.resource(resources.priorityClasses).create(structuredClone(pc));

  const controllers = new ControllerManager(
    client,
    { ...clusterControllersB({ storageDir, resyncPeriodMs: opts.quotaResyncMs }), ...opts.controllers },
    { log: () => {} },
  );
  await controllers.start();
  const scheduler = new Scheduler(client);
  await scheduler.start();
  const nodes = opts.nodes ? new SimulatedNodes(client, { count: opts.nodes, controlPlaneFirst: true }) : undefined;
  await nodes?.start();
  return {
    kubeconfigPath,
    client,
    apiserver,
    storageDir,
    nodes,
    namespace,
    async stop() {
      await nodes?.stop();
      await scheduler.stop();
      await controllers.stop();
      client.close();
      await apiserver.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
