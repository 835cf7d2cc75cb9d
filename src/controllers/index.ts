// Every controller kube-controller-manager runs that k8ts has, by its `--controllers` name.
import type { ControllerFactory } from './controller.js';
import { clusterControllersA } from './index-cluster-a.js';
import { clusterControllersB } from './index-cluster-b.js';

export interface ControllerOptions {
  /** Where the local-path provisioner keeps volumes (`<data-dir>/storage`). */
  storageDir: string;
  /** The cluster CA (PEM), published as `kube-root-ca.crt` in every namespace. */
  rootCA: string;
}

export function controllerFactories(opts: ControllerOptions): Record<string, ControllerFactory> {
  return { ...clusterControllersA({ rootCA: opts.rootCA }), ...clusterControllersB({ storageDir: opts.storageDir }) };
}
