// ControllerRefs (metav1.NewControllerRef, GetControllerOf) and the claim step of upstream's
// ControllerRefManager: a controller owns what points at it, adopts orphans its selector
// matches, and releases what it owns that the selector no longer matches.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/registry.js';
import type { Selector } from '../../api/meta/labels.js';
import type { ResourceClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { getControllerOf } from '../../api/meta/objectmeta.js';

/** An index function: objects by the UID of their controller (`''` for orphans). */
export function controllerUIDIndex(obj: KubeObject): string[] {
  return [getControllerOf(obj)?.uid ?? ''];
}

export const CONTROLLER_UID_INDEX = 'controllerUID';

export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  ownerRef: OwnerReference;
  selector: Selector;
  /** Candidates: every object of the kind in the owner's namespace that is owned or orphaned. */
  candidates: readonly T[];
  client: ResourceClient<T>;
  /** Extra changes adoption makes (the Job controller adds its tracking finalizer). */
  adoptFinalizer?: string;
  /** Whether the owner may adopt at all (false while it is being deleted). */
  canAdopt: boolean;
}

/**
 * The objects the owner controls after adopting and releasing. A patch that fails because the
 * object is gone or changed drops it from the result; the next reconcile sees the truth.
 */
export async function claimObjects<T extends KubeObject>(opts: ClaimOptions<T>): Promise<T[]> {
  const { owner, selector, client } = opts;
  const uid = owner.metadata.uid;
  const owned: T[] = [];
  const writes: Promise<void>[] = [];
  for (const obj of opts.candidates) {
    const ref = getControllerOf(obj);
    const matches = selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches || obj.metadata?.deletionTimestamp) {
        owned.push(obj);
        continue;
      }
      const refs = (obj.metadata.ownerReferences as OwnerReference[]).filter((r) => r.uid !== uid);
      writes.push(patchOwnership(client, obj, { ownerReferences: refs }).then(() => undefined));
      continue;
    }
    if (!matches || !opts.canAdopt || obj.metadata?.deletionTimestamp) continue;
    const meta: Record<string, unknown> = { ownerReferences: [...(obj.metadata.ownerReferences ?? []), opts.ownerRef] };
    const finalizers: string[] = obj.metadata.finalizers ?? [];
    if (opts.adoptFinalizer && !finalizers.includes(opts.adoptFinalizer)) meta.finalizers = [...finalizers, opts.adoptFinalizer];
    writes.push(
      patchOwnership(client, obj, meta).then((adopted) => {
        if (adopted) owned.push(adopted);
      }),
    );
  }
  await Promise.all(writes);
  return owned;
}

/** A merge patch guarded by the resourceVersion read, so a concurrent change makes it fail (409). */
async function patchOwnership<T extends KubeObject>(client: ResourceClient<T>, obj: T, meta: Record<string, unknown>): Promise<T | undefined> {
  try {
    return await client.namespace(obj.metadata.namespace).patch(obj.metadata.name, { metadata: { ...meta, resourceVersion: obj.metadata.resourceVersion } }, 'merge');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
