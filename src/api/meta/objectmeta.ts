// Small ObjectMeta accessors shared by every layer: controller references,
// finalizers and `namespace/name` keys (metav1 helpers, client-go's cache keys).
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { goQuote } from './go.js';

export interface MetaObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** metav1.GetControllerOf: the owner reference with controller: true. */
export function getControllerOf(obj: MetaObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.IsControlledBy: compares by UID, so a re-created owner of the same name does not count. */
export function isControlledBy(obj: MetaObject, owner: MetaObject): boolean {
  const uid = owner.metadata?.uid;
  return !!uid && getControllerOf(obj)?.uid === uid;
}

/** metav1.NewControllerRef: the reference a controller puts on what it creates. */
export function newControllerRef(owner: MetaObject, apiVersion = owner.apiVersion ?? '', kind = owner.kind ?? ''): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    blockOwnerDeletion: true,
    controller: true,
  };
}

export function hasFinalizer(obj: MetaObject, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** Adds the finalizer unless present; true when the object changed. */
export function addFinalizer(obj: MetaObject, finalizer: string): boolean {
  if (hasFinalizer(obj, finalizer)) return false;
  const meta = (obj.metadata ??= {});
  meta.finalizers = [...(meta.finalizers ?? []), finalizer];
  return true;
}

/** Removes every occurrence of the finalizer; true when the object changed. */
export function removeFinalizer(obj: MetaObject, finalizer: string): boolean {
  const finalizers = obj.metadata?.finalizers;
  if (!finalizers?.includes(finalizer)) return false;
  obj.metadata!.finalizers = finalizers.filter((f) => f !== finalizer);
  return true;
}

export function isBeingDeleted(obj: MetaObject): boolean {
  return !!obj.metadata?.deletionTimestamp;
}

/** cache.MetaNamespaceKeyFunc: `namespace/name`, or `name` for cluster-scoped objects. */
export function namespacedName(obj: MetaObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** cache.SplitMetaNamespaceKey. */
export function splitNamespacedName(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0] };
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  throw new Error(`unexpected key format: ${goQuote(key)}`);
}
