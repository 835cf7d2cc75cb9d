// What the PersistentVolume controllers share (upstream's pkg/controller/volume/persistentvolume/util
// and storage helpers): the binding annotations, class names, whether a volume fits a claim,
// volume node affinity, and which pods use a claim.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { parseQuantity } from '../meta/quantity.js';
import { selectorFromLabelSelector } from '../meta/labels.js';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';
export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

export function isDefaultStorageClass(sc: Readonly<StorageClass>): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** The default class: the newest of those marked default (ties by name), or undefined. */
export function defaultStorageClass(classes: Iterable<Readonly<StorageClass>>): Readonly<StorageClass> | undefined {
  let best: Readonly<StorageClass> | undefined;
  for (const sc of classes) {
    if (!isDefaultStorageClass(sc)) continue;
    if (!best) {
      best = sc;
      continue;
    }
    const a = Date.parse(sc.metadata?.creationTimestamp ?? '') || 0;
    const b = Date.parse(best.metadata?.creationTimestamp ?? '') || 0;
    if (a > b || (a === b && (sc.metadata?.name ?? '') < (best.metadata?.name ?? ''))) best = sc;
  }
  return best;
}

export function claimClassName(pvc: Readonly<PersistentVolumeClaim>): string {
  return pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? '';
}

export function volumeClassName(pv: Readonly<PersistentVolume>): string {
  return pv.spec?.storageClassName ?? pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? '';
}

export function storageBytes(q: string | number | undefined | null): number {
  if (q === undefined || q === null) return 0;
  try {
    return parseQuantity(String(q)).value();
  } catch {
    return 0;
  }
}

/** The volume's claimRef names this claim (and its UID, when the ref has one). */
export function isVolumeBoundToClaim(pv: Readonly<PersistentVolume>, pvc: Readonly<PersistentVolumeClaim>): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace) return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}

/**
 * checkVolumeSatisfyClaim: enough capacity, the same class and volume mode, every access mode
 * the claim asks for; undefined when it fits, else why not.
 */
export function volumeMismatch(pv: Readonly<PersistentVolume>, pvc: Readonly<PersistentVolumeClaim>): string | undefined {
  const requested = storageBytes(pvc.spec?.resources?.requests?.storage);
  if (storageBytes(pv.spec?.capacity?.storage) < requested) return 'requested PV is too small';
  if (volumeClassName(pv) !== claimClassName(pvc)) return 'storageClassName does not match';
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  const modes = pv.spec?.accessModes ?? [];
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.includes(m))) return 'incompatible accessMode';
  return undefined;
}

/** The claim's label selector admits the volume (no selector: every volume). */
export function claimSelectorMatches(pvc: Readonly<PersistentVolumeClaim>, pv: Readonly<PersistentVolume>): boolean {
  const sel = pvc.spec?.selector;
  if (!sel) return true;
  try {
    return selectorFromLabelSelector(sel).matches(pv.metadata?.labels ?? {});
  } catch {
    return false;
  }
}

/** The claim names the pod's volumes refer to (generic ephemeral volumes are `<pod>-<volume>`). */
export function podClaimNames(pod: Readonly<Pod>): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name}-${v.name}`);
  }
  return out;
}

/** A scheduled pod that has not finished holds its claims (the kubelet may be using them). */
export function podUsesClaim(pod: Readonly<Pod>, claimName: string): boolean {
  if (!pod.spec?.nodeName) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return podClaimNames(pod).includes(claimName);
}
