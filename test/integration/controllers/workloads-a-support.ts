// Shared by the ReplicaSet, ReplicationController, Deployment and DaemonSet tests: a cluster of
// three simulated nodes with the scheduler and these controllers, kubectl against it, and
// readers of what a user would look at.
import { writeFileSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { workloadControllersA } from '../../../src/controllers/index-workloads-a.js';
import { resources } from '../../../src/client/resource.js';
import type { KubeObject } from '../../../src/api/registry.js';
import { kubectl, type KubectlResult } from '../../support/kubectl.js';
import { manifestDir } from '../../support/cluster.js';

export interface WorkloadCluster {
  cluster: Cluster;
  /** The controllers under test; replaced by restartControllers(). */
  manager: ControllerManager;
  kubectl(...args: string[]): Promise<KubectlResult>;
  /** `kubectl apply -f` of a YAML manifest; asserts success. */
  apply(yaml: string): Promise<string>;
  /** Pods in `default` whose labels match `selector`, not being deleted. */
  livePods(selector: string): Promise<Pod[]>;
  /** Reasons and messages of the events about the object named `name`. */
  events(name: string): Promise<string[]>;
  restartControllers(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorkloadCluster(): Promise<WorkloadCluster> {
  const cluster = await startCluster({ nodes: 3, controllers: [] });
  const manifests = manifestDir();
  let manager = new ControllerManager(cluster.client, workloadControllersA, { log: () => {} });
  await manager.start();
  let applied = 0;
  const run = (...args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath });
  const pods = cluster.client.resource<Pod>(resources.pods).namespace('default');
  const events = cluster.client.resource(resources.events).namespace('default');
  return {
    cluster,
    get manager() {
      return manager;
    },
    kubectl: run,
    async apply(yaml) {
      const path = manifests.path(`m${applied++}.yaml`);
      writeFileSync(path, yaml);
      const r = await run('apply', '-f', path);
      if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
      return r.stdout;
    },
    async livePods(selector) {
      const list = await pods.list({ labelSelector: selector });
      return list.items.filter((p) => !p.metadata?.deletionTimestamp);
    },
    async events(name) {
      const list = await events.list({ fieldSelector: `involvedObject.name=${name}` });
      return list.items.map((e: KubeObject) => `${e.reason} ${e.message}`);
    },
    async restartControllers() {
      await manager.stop();
      manager = new ControllerManager(cluster.client, workloadControllersA, { log: () => {} });
      await manager.start();
    },
    async stop() {
      await manager.stop();
      await cluster.stop();
      manifests.remove();
    },
  };
}

/** Whether the pod's Ready condition is True. */
export function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
