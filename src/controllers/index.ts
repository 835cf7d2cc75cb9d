// Every controller kube-controller-manager runs that k8ts has, by its `--controllers` name.
import type { ControllerFactory } from './controller.js';
import type { NodeLifecycleOptions } from './nodelifecycle.js';
import { clusterControllersA } from './index-cluster-a.js';
import { clusterControllersB } from './index-cluster-b.js';
import { workloadControllersA } from './index-workloads-a.js';
import { workloadControllersB } from './index-workloads-b.js';
import { clusterRoleAggregationControllerFactory } from './clusterrole-aggregation.js';

export interface ControllerOptions {
  /** Where the local-path provisioner keeps volumes (`<data-dir>/storage`). */
  storageDir: string;
  /** The cluster CA (PEM), published as `kube-root-ca.crt` in every namespace. */
  rootCA: string;
  /** `--node-monitor-grace-period` and friends. */
  nodeLifecycle?: NodeLifecycleOptions;
}

export function controllerFactories(opts: ControllerOptions): Record<string, ControllerFactory> {
  return {
    ...workloadControllersA,
    ...workloadControllersB,
    ...clusterControllersA(opts),
    ...clusterControllersB(opts),
    'clusterrole-aggregation': clusterRoleAggregationControllerFactory,
  };
}
