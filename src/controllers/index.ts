// Every controller kube-controller-manager runs that k8ts has, by its `--controllers` name.
import type { ControllerFactory } from './controller.js';
import { clusterControllersB } from './index-cluster-b.js';

export interface ControllerOptions {
  /** Where the local-path provisioner keeps volumes (`<data-dir>/storage`). */
  storageDir: string;
}

export function controllerFactories(opts: ControllerOptions): Record<string, ControllerFactory> {
  return { ...clusterControllersB({ storageDir: opts.storageDir }) };
}
