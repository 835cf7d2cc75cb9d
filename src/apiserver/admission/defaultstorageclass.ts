// DefaultStorageClass: a new PersistentVolumeClaim that names no class (neither
// spec.storageClassName nor the beta annotation) gets the cluster's default StorageClass.
// With several defaults, the newest wins, as upstream chooses.
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ANN_BETA_STORAGE_CLASS, defaultStorageClass } from '../../api/helpers/volume-binding.js';
import type { AdmissionPlugin } from './types.js';

export interface DefaultStorageClassOptions {
  /** Every StorageClass (from the watch cache). */
  storageClasses(): Iterable<Readonly<StorageClass>>;
}

export function defaultStorageClassPlugin(opts: DefaultStorageClassOptions): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    admit(attrs) {
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.def.group !== '' || attrs.def.plural !== 'persistentvolumeclaims' || !attrs.object) return;
      const pvc = attrs.object as PersistentVolumeClaim;
      if (pvc.spec?.storageClassName !== undefined && pvc.spec.storageClassName !== null) return;
      if (pvc.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return;
      const def = defaultStorageClass(opts.storageClasses());
      if (!def) return;
      (pvc as { spec: PersistentVolumeClaim['spec'] }).spec = { ...pvc.spec, storageClassName: def.metadata!.name };
    },
  };
}
