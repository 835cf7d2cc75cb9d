// PersistentVolumeClaimResize: a claim may grow only once bound, and only when its StorageClass
// says volumes of it can be expanded (allowVolumeExpansion); shrinking is the claim's own
// validation's business, not this plugin's.
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { parseQuantity } from '../../api/meta/quantity.js';
import { claimClassName } from '../../api/helpers/volume-binding.js';
import type { AdmissionPlugin } from './types.js';
import { forbiddenFor } from './forbidden.js';

const requestedStorage = (pvc: Readonly<PersistentVolumeClaim>) => parseQuantity(pvc.spec?.resources?.requests?.storage ?? '0');

export function persistentVolumeClaimResize(): AdmissionPlugin {
  return {
    name: 'PersistentVolumeClaimResize',
    validate(attrs) {
      if (attrs.operation !== 'UPDATE' || attrs.subresource || attrs.def.group !== '' || attrs.def.plural !== 'persistentvolumeclaims') return;
      const pvc = attrs.object as PersistentVolumeClaim;
      const old = attrs.oldObject as PersistentVolumeClaim;
      if (requestedStorage(pvc).cmp(requestedStorage(old)) <= 0) return;
      if (old.status?.phase !== 'Bound') throw forbiddenFor(attrs, 'Only bound persistent volume claims can be expanded');
      const className = claimClassName(old);
      const storageClass = className ? (attrs.lookup('storage.k8s.io', 'storageclasses', '', className) as Readonly<StorageClass> | undefined) : undefined;
      if (storageClass?.allowVolumeExpansion !== true) {
        throw forbiddenFor(attrs, 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
      }
    },
  };
}
