// ControllerRefManager: a controller claims the objects its selector matches. It adopts
// orphans (adding its controller reference), releases what it owns but no longer matches
// (removing the reference), and leaves alone what another controller owns. Adoption first
// re-reads the owner from the API, so a deleted-and-recreated owner never adopts by a stale UID.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/registry.js';
import type { Selector } from '../../api/meta/labels.js';
import { getControllerOf } from '../../api/meta/objectmeta.js';
import type { ResourceClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { IndexFunc, InformerStore } from '../../client/informer.js';

/** Index of objects by their controller's UID; orphans by `ORPHAN_PREFIX + namespace`. */
export const CONTROLLER_UID_INDEX = 'controllerOrOrphan';
const ORPHAN_PREFIX = 'orphan:';

export const controllerUIDIndexFunc: IndexFunc<KubeObject> = (obj) => {
  const ref = getControllerOf(obj);
  return [ref ? ref.uid : ORPHAN_PREFIX + (obj.metadata?.namespace ?? '')];
};

/** The objects of `namespace` that no controller owns. */
export function orphansIn<T extends KubeObject>(store: InformerStore<T>, namespace: string | undefined): T[] {
  return store.byIndex(CONTROLLER_UID_INDEX, ORPHAN_PREFIX + (namespace ?? ''));
}

/** What `owner` may claim: the objects it controls plus the orphans of its namespace. */
export function claimCandidates<T extends KubeObject>(store: InformerStore<T>, owner: KubeObject): T[] {
  const owned = store.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid);
  const orphans = orphansIn(store, owner.metadata.namespace);
  return orphans.length === 0 ? owned : owned.concat(orphans);
}

export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  /** The reference written on adopted objects (`metav1.NewControllerRef`). */
  controllerRef: OwnerReference;
  selector: Selector;
  /** Where adoption and release patches go. */
  objects: ResourceClient<T>;
  /** Throws when the owner may not adopt (it is gone, replaced or being deleted). */
  canAdopt(): Promise<void>;
  /** A finalizer adoption adds too (the Job controller's pod tracking finalizer). */
  adoptFinalizer?: string;
}

/**
 * Claims `candidates`: returns those the owner controls afterwards, the ones it already held
 * first, in candidate order. Only adoptions and releases wait on the API, so a sync that
 * changes no ownership costs one pass over the candidates.
 */
export async function claimObjects<T extends KubeObject>(opts: ClaimOptions<T>, candidates: readonly T[]): Promise<T[]> {
  const { owner, selector } = opts;
  const ownerUID = owner.metadata.uid;
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  const claimed: T[] = [];
  const toRelease: T[] = [];
  const toAdopt: T[] = [];
  for (const obj of candidates) {
    const ref = getControllerOf(obj);
    const matches = selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== ownerUID) continue;
      if (matches) claimed.push(obj);
      else if (!ownerDeleting) toRelease.push(obj);
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) continue;
    if (obj.metadata?.namespace === owner.metadata.namespace) toAdopt.push(obj);
  }
  if (toRelease.length === 0 && toAdopt.length === 0) return claimed;

  const errors: unknown[] = [];
  const notFoundIgnored = (err: unknown) => {
    if (!isNotFound(err)) errors.push(err);
  };
  let adoptable: Promise<void> | undefined;
  await Promise.all([
    ...toRelease.map((obj) => release(opts, obj).then(() => undefined, notFoundIgnored)),
    ...toAdopt.map(async (obj) => {
      try {
        adoptable ??= opts.canAdopt();
        await adoptable;
        claimed.push(await adopt(opts, obj));
      } catch (err) {
        notFoundIgnored(err);
      }
    }),
  ]);
  if (errors.length > 0) throw errors[0];
  return claimed;
}

function adopt<T extends KubeObject>(opts: ClaimOptions<T>, obj: T): Promise<T> {
  const patch = {
    metadata: { ownerReferences: [opts.controllerRef], uid: obj.metadata.uid, ...(opts.adoptFinalizer ? { finalizers: [opts.adoptFinalizer] } : {}) },
  };
  return opts.objects.namespace(obj.metadata.namespace).patch(obj.metadata.name, patch, 'strategic');
}

function release<T extends KubeObject>(opts: ClaimOptions<T>, obj: T): Promise<T> {
  const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: opts.owner.metadata.uid }], uid: obj.metadata.uid } };
  return opts.objects.namespace(obj.metadata.namespace).patch(obj.metadata.name, patch, 'strategic');
}

/**
 * RecheckDeletionTimestamp: reads the owner from the API (not a cache) and refuses adoption
 * when it is gone, is another object of the same name, or is being deleted.
 */
export async function recheckOwner(get: () => Promise<KubeObject>, owner: KubeObject): Promise<void> {
  const fresh = await get();
  const { namespace, name, uid } = owner.metadata;
  if (fresh.metadata?.uid !== uid) {
    throw new Error(`original ${owner.kind} ${namespace}/${name} is gone: got uid ${fresh.metadata?.uid}, wanted ${uid}`);
  }
  if (fresh.metadata?.deletionTimestamp) {
    throw new Error(`${namespace}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }
}

/** The owners `obj` may belong to when it is an orphan: those whose selector matches its labels. */
export function ownersSelecting<O extends KubeObject>(owners: readonly O[], obj: KubeObject, selectorOf: (owner: O) => Selector): O[] {
  return owners.filter((o) => {
    const s = selectorOf(o);
    return !s.empty() && s.matches(obj.metadata?.labels);
  });
}
