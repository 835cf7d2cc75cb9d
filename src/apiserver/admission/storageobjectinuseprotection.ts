// StorageObjectInUseProtection: every new PersistentVolume and PersistentVolumeClaim gets its
// protection finalizer, so that it outlives the pods (or the claim) still using it; the
// pv-protection and pvc-protection controllers remove the finalizers once nothing does.
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../../api/helpers/volume-protection.js';
import type { AdmissionPlugin } from './types.js';

export function storageObjectInUseProtection(): AdmissionPlugin {
  return {
    name: 'StorageObjectInUseProtection',
    admit(attrs) {
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.def.group !== '' || !attrs.object) return;
      const finalizer =
        attrs.def.plural === 'persistentvolumeclaims' ? PVC_PROTECTION_FINALIZER : attrs.def.plural === 'persistentvolumes' ? PV_PROTECTION_FINALIZER : undefined;
      if (!finalizer) return;
      const meta = (attrs.object.metadata ??= {});
      const finalizers: string[] = meta.finalizers ?? [];
      if (!finalizers.includes(finalizer)) meta.finalizers = [...finalizers, finalizer];
    },
  };
}
