// The finalizers that keep claims and volumes in use from disappearing: added by the
// StorageObjectInUseProtection admission plugin and the protection controllers, removed by
// the controllers once nothing uses the object.
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
