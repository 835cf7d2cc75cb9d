// Volumes, quotas and disruption budgets (issue 6 part 2), by their `--controllers` names.
// The local-path provisioner needs the directory its volumes live in, hence a function.
import type { ControllerFactory } from './controller.js';
import { persistentVolumeBinderController } from './persistentvolume-binder.js';
import { localPathProvisionerController, type LocalPathOptions } from './local-path-provisioner.js';
import { pvcProtectionController } from './pvc-protection.js';
import { pvProtectionController } from './pv-protection.js';
import { resourceQuotaController, type ResourceQuotaControllerOptions } from './resourcequota.js';
import { disruptionController } from './disruption.js';

export interface ClusterControllersBOptions extends LocalPathOptions, ResourceQuotaControllerOptions {}

export function clusterControllersB(opts: ClusterControllersBOptions): Record<string, ControllerFactory> {
  return {
    'persistentvolume-binder': persistentVolumeBinderController,
    'local-path-provisioner': localPathProvisionerController(opts),
    'pvc-protection': pvcProtectionController,
    'pv-protection': pvProtectionController,
    resourcequota: resourceQuotaController(opts),
    disruption: disruptionController,
  };
}
