// The StatefulSet controller (pkg/controller/statefulset): pods with stable names
// `<set>-<ordinal>`, stable hostnames under the governing service, and their own claims
// `<template>-<set>-<ordinal>` that outlive them. OrderedReady creates one pod at a time, each
// once the one before is Running and Ready, and removes in reverse; Parallel does all at once.
// Template changes become ControllerRevisions; RollingUpdate replaces pods from the highest
// ordinal down to the partition, OnDelete waits for users to delete them.
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { selectorFromLabelSelector } from '../api/meta/labels.js';
import type { ResourceClient } from '../client/client.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import {
  applyRevision,
  claimsFor,
  identityMatches,
  isCreated,
  isMemberOf,
  isRunningAndReady,
  newStatefulSetPod,
  parseOrdinal,
  podRevision,
  revisionPatch,
  startOrdinal,
} from './statefulset-util.js';
import { claimCandidates, claimObjects, CONTROLLER_UID_INDEX, controllerUIDIndexFunc, recheckOwner } from './util/controller-ref.js';
import { getControllerOf, newControllerRef } from '../api/meta/objectmeta.js';
import { isPodAvailable, isPodTerminal } from '../api/helpers/pod.js';
import { equalRevision, newControllerRevision, nextRevision, sortRevisions } from './util/revision.js';
import { deepCopy } from '../api/patch/json.js';

const COMPONENT = 'statefulset-controller';

function isTerminating(pod: Pod): boolean {
  return !!pod.metadata?.deletionTimestamp;
}

function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** Equal as Go compares them: the server leaves out zero counts and empty revisions (omitempty). */
function statusEqual(a: StatefulSetStatus | undefined, b: StatefulSetStatus): boolean {
  const keys: (keyof StatefulSetStatus)[] = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'currentRevision', 'updateRevision', 'observedGeneration', 'collisionCount'];
  const set = (v: unknown) => (v === 0 || v === '' ? undefined : v);
  return keys.every((k) => set(a?.[k]) === set(b[k]));
}

export class StatefulSetController extends Controller {
  readonly name = 'statefulset';
  private sets!: Informer<StatefulSet>;
  private pods!: Informer<Pod>;
  private claims!: Informer<PersistentVolumeClaim>;
  private revisions!: Informer<ControllerRevision>;
  private readonly setClient: ResourceClient<StatefulSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly claimClient: ResourceClient<PersistentVolumeClaim>;
  private readonly revisionClient: ResourceClient<ControllerRevision>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.setClient = ctx.client.resource<StatefulSet>(resources.statefulSets);
    this.podClient = ctx.client.resource<Pod>(resources.pods);
    this.claimClient = ctx.client.resource<PersistentVolumeClaim>(resources.persistentVolumeClaims);
    this.revisionClient = ctx.client.resource<ControllerRevision>(resources.controllerRevisions);
    this.recorder = ctx.recorder(COMPONENT);
  }

  setup(): void {
    this.sets = this.ctx.informers.informerFor<StatefulSet>(resources.statefulSets);
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.claims = this.ctx.informers.informerFor<PersistentVolumeClaim>(resources.persistentVolumeClaims);
    this.revisions = this.ctx.informers.informerFor<ControllerRevision>(resources.controllerRevisions);
    this.pods.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.revisions.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.sets.addEventHandler({ onAdd: (s) => this.enqueue(s), onUpdate: (_, s) => this.enqueue(s), onDelete: (s) => this.enqueue(s) });
    const owner = (pod: Pod) => {
      const ref = getControllerOf(pod);
      if (ref?.kind !== 'StatefulSet') return;
      const set = this.sets.store.get(`${pod.metadata!.namespace}/${ref.name}`);
      if (set?.metadata?.uid === ref.uid) this.enqueue(set);
    };
    this.pods.addEventHandler({ onAdd: owner, onUpdate: (old, pod) => (owner(old), owner(pod)), onDelete: owner });
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.sets.store.get(key);
    if (!cached) return;
    const set = deepCopy(cached);
    const ns = set.metadata!.namespace!;
    const uid = set.metadata!.uid!;
    const selector = selectorFromLabelSelector(set.spec?.selector);
    const pods = (
      await claimObjects<Pod>(
        {
          owner: set,
          controllerRef: newControllerRef(set, 'apps/v1', 'StatefulSet'),
          selector,
          objects: this.podClient,
          canAdopt: () => recheckOwner(() => this.setClient.namespace(ns).get(set.metadata!.name!), set),
        },
        claimCandidates(this.pods.store, set),
      )
    ).filter((p) => isMemberOf(set, p));
    const revisions = this.revisions.store.byIndex(CONTROLLER_UID_INDEX, uid);
    const { current, update, collisionCount } = await this.setRevisions(set, revisions);
    const status = await this.updateStatefulSet(set, current, update, collisionCount, pods);
    await this.writeStatus(set, status);
    await this.truncateHistory(set, pods, [...revisions.filter((r) => r.metadata?.name !== update.metadata?.name), update], current, update);
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas !== status.availableReplicas) this.queue.addAfter(key, minReady * 1000);
  }

  /** getStatefulSetRevisions: the current and update revisions, creating or re-numbering the update one. */
  private async setRevisions(set: StatefulSet, existing: ControllerRevision[]): Promise<{ current: ControllerRevision; update: ControllerRevision; collisionCount: number }> {
    const revisions = sortRevisions(existing);
    let collisionCount = set.status?.collisionCount ?? 0;
    const ownerRef = newControllerRef(set, 'apps/v1', 'StatefulSet');
    const build = () => newControllerRevision(set, ownerRef, set.spec?.template?.metadata?.labels, revisionPatch(set), nextRevision(revisions), collisionCount);
    let update = build();
    const equal = revisions.filter((r) => equalRevision(r, update));
    const last = revisions[revisions.length - 1];
    if (equal.length > 0 && last && equalRevision(last, equal[equal.length - 1])) {
      update = last;
    } else if (equal.length > 0) {
      // A rollback: the old revision becomes the newest.
      const old = equal[equal.length - 1];
      update = await this.revisionClient.namespace(set.metadata!.namespace!).update({ ...deepCopy(old), revision: update.revision });
    } else {
      for (;;) {
        try {
          update = await this.revisionClient.namespace(set.metadata!.namespace!).create(update);
          break;
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          const clash = await this.revisionClient.namespace(set.metadata!.namespace!).get(update.metadata!.name!);
          if (equalRevision(clash, update)) {
            update = clash;
            break;
          }
          // A hash collision: salt the hash with the next count (kept in status.collisionCount).
          collisionCount++;
          update = build();
        }
      }
    }
    const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /** The core of updateStatefulSet (the non-MaxUnavailable path of 1.32). */
  private async updateStatefulSet(set: StatefulSet, current: ControllerRevision, update: ControllerRevision, collisionCount: number, pods: Pod[]): Promise<StatefulSetStatus> {
    const currentSet = applyRevision(set, current.data);
    const updateSet = applyRevision(set, update.data);
    const currentName = current.metadata!.name!;
    const updateName = update.metadata!.name!;
    const replicaCount = set.spec?.replicas ?? 1;
    const start = startOrdinal(set);
    const replicas: (Pod | undefined)[] = new Array(replicaCount).fill(undefined);
    const condemned: Pod[] = [];
    for (const pod of pods) {
      const ord = parseOrdinal(pod.metadata!.name!).ordinal;
      if (ord >= start && ord < start + replicaCount) replicas[ord - start] = pod;
      else if (ord >= 0) condemned.push(pod);
    }
    const versioned = (ordinal: number): Pod => {
      const strategy = currentSet.spec?.updateStrategy;
      const rolling = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
      const partition = strategy?.rollingUpdate?.partition;
      const fromCurrent = rolling && (partition === undefined ? ordinal < start + (currentSet.status?.currentReplicas ?? 0) : ordinal < start + partition);
      return fromCurrent ? newStatefulSetPod(currentSet, ordinal, currentName) : newStatefulSetPod(updateSet, ordinal, updateName);
    };
    for (let i = 0; i < replicaCount; i++) if (!replicas[i]) replicas[i] = versioned(i + start);
    condemned.sort((a, b) => parseOrdinal(b.metadata!.name!).ordinal - parseOrdinal(a.metadata!.name!).ordinal);
    const slots = replicas as Pod[];
    const status = (): StatefulSetStatus => this.computeStatus(set, [...slots, ...condemned], currentName, updateName, collisionCount);
    if (set.metadata?.deletionTimestamp) return status();

    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const firstUnhealthy = [...slots, ...condemned].find((p) => !isHealthy(p));
    await this.syncClaimOwnership(set, slots, condemned);

    for (let i = 0; i < slots.length; i++) {
      let pod = slots[i];
      if (isCreated(pod) && isPodTerminal(pod)) {
        // A stateful pod is never left finished: it is deleted and made again under the same name.
        if (pod.status?.phase === 'Failed') {
          this.recorder.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${set.metadata!.namespace}/${set.metadata!.name} is recreating failed Pod ${pod.metadata!.name}`);
        } else {
          this.recorder.event(set, 'Normal', 'RecreatingTerminatedPod', `StatefulSet ${set.metadata!.namespace}/${set.metadata!.name} is recreating terminated Pod ${pod.metadata!.name}`);
        }
        if (!isTerminating(pod)) await this.deletePod(set, pod);
        if (monotonic) return status();
        continue;
      }
      if (!pod.metadata?.uid) {
        if (!(await this.createClaims(set, pod))) {
          if (monotonic) return status();
          continue;
        }
        const created = await this.createPod(set, pod);
        if (created) slots[i] = pod = created;
        if (monotonic) return status();
        continue;
      }
      if (pod.status?.phase === 'Pending') await this.createClaims(set, pod);
      if (isTerminating(pod) && monotonic) return status();
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (monotonic && !(isRunningAndReady(pod) && isPodAvailable(pod, minReady, this.ctx.clock.now()))) return status();
      if (!identityMatches(set, pod)) await this.fixIdentity(set, pod);
    }

    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return status();
        continue;
      }
      if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return status();
      await this.deletePod(set, pod);
      if (monotonic) return status();
    }

    if (set.spec?.updateStrategy?.type === 'OnDelete') return status();
    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const updateMin = Math.max(0, partition - start);
    for (let target = slots.length - 1; target >= updateMin; target--) {
      const pod = slots[target];
      if (!pod.metadata?.uid) return status();
      if (podRevision(pod) !== updateName && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        return status();
      }
      // One at a time: wait for the replaced pod to be healthy before the next.
      if (!isHealthy(pod)) return status();
    }
    return status();
  }

  private computeStatus(set: StatefulSet, pods: Pod[], currentName: string, updateName: string, collisionCount: number): StatefulSetStatus {
    const now = this.ctx.clock.now();
    const minReady = set.spec?.minReadySeconds ?? 0;
    const s: StatefulSetStatus = {
      observedGeneration: set.metadata?.generation,
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      currentRevision: currentName,
      updateRevision: updateName,
      collisionCount,
    };
    for (const pod of pods) {
      if (isCreated(pod)) s.replicas!++;
      if (isRunningAndReady(pod)) {
        s.readyReplicas!++;
        if (isPodAvailable(pod, minReady, now)) s.availableReplicas!++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        if (podRevision(pod) === currentName) s.currentReplicas!++;
        if (podRevision(pod) === updateName) s.updatedReplicas!++;
      }
    }
    // completeRollingUpdate: every pod updated and ready makes the update revision current.
    const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    if (rolling && s.updatedReplicas === s.replicas && s.readyReplicas === s.replicas) {
      s.currentReplicas = s.updatedReplicas;
      s.currentRevision = s.updateRevision;
    }
    return s;
  }

  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    if (statusEqual(set.status, status)) return;
    await this.setClient.namespace(set.metadata!.namespace!).updateStatus({ ...set, status: { ...set.status, ...status } });
  }

  /** Creates the pod's missing claims; false when one is being deleted (the pod must wait). */
  private async createClaims(set: StatefulSet, pod: Pod): Promise<boolean> {
    const { ordinal } = parseOrdinal(pod.metadata!.name!);
    for (const claim of claimsFor(set, ordinal)) {
      const existing = this.claims.store.get(`${claim.metadata!.namespace}/${claim.metadata!.name}`);
      if (existing) {
        if (existing.metadata?.deletionTimestamp) return false;
        continue;
      }
      const refs = this.claimOwnerRefs(set, pod, ordinal, []);
      if (refs.length) claim.metadata!.ownerReferences = refs;
      try {
        await this.claimClient.namespace(claim.metadata!.namespace!).create(claim);
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata!.name} Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} success`);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata!.name} for Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} failed error: ${(err as Error).message}`);
        throw err;
      }
    }
    return true;
  }

  /**
   * The owner references persistentVolumeClaimRetentionPolicy asks for: the set owns claims it
   * deletes with itself (whenDeleted: Delete), a condemned pod owns claims to go with it
   * (whenScaled: Delete). Other references on the claim are kept.
   */
  private claimOwnerRefs(set: StatefulSet, pod: Pod | undefined, ordinal: number, existing: OwnerReference[]): OwnerReference[] {
    const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
    const setUID = set.metadata!.uid;
    const refs = existing.filter((r) => r.uid !== setUID && !(r.kind === 'Pod' && r.apiVersion === 'v1'));
    if (policy?.whenDeleted === 'Delete') refs.push(newControllerRef(set, 'apps/v1', 'StatefulSet'));
    const condemned = ordinal < startOrdinal(set) || ordinal >= startOrdinal(set) + (set.spec?.replicas ?? 1);
    if (policy?.whenScaled === 'Delete' && condemned && pod?.metadata?.uid) {
      refs.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid });
    }
    return refs;
  }

  /** Brings existing claims' owner references in line with the retention policy. */
  private async syncClaimOwnership(set: StatefulSet, slots: Pod[], condemned: Pod[]): Promise<void> {
    if (!set.spec?.volumeClaimTemplates?.length) return;
    for (const pod of [...slots, ...condemned]) {
      if (!pod.metadata?.uid) continue;
      const { ordinal } = parseOrdinal(pod.metadata.name!);
      for (const wanted of claimsFor(set, ordinal)) {
        const claim = this.claims.store.get(`${wanted.metadata!.namespace}/${wanted.metadata!.name}`);
        if (!claim || claim.metadata?.deletionTimestamp) continue;
        const existing = (claim.metadata?.ownerReferences ?? []) as OwnerReference[];
        const refs = this.claimOwnerRefs(set, pod, ordinal, existing);
        const same = refs.length === existing.length && refs.every((r) => existing.some((e) => e.uid === r.uid));
        if (same) continue;
        await this.claimClient
          .namespace(claim.metadata!.namespace!)
          .patch(claim.metadata!.name!, { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: claim.metadata!.resourceVersion } }, 'merge');
      }
    }
  }

  private async createPod(set: StatefulSet, pod: Pod): Promise<Pod | undefined> {
    try {
      const created = await this.podClient.namespace(pod.metadata!.namespace!).create(pod);
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} successful`);
      return created;
    } catch (err) {
      // The cache has not seen it yet: the pod's own event brings the next sync.
      if (isAlreadyExists(err)) return undefined;
      this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} failed error: ${(err as Error).message}`);
      throw err;
    }
  }

  private async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.podClient.namespace(pod.metadata!.namespace!).delete(pod.metadata!.name!, { preconditions: { uid: pod.metadata!.uid } });
      this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} successful`);
    } catch (err) {
      if (isNotFound(err)) return;
      this.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} failed error: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Restores the identity labels a user removed (the pod's name cannot change). */
  private async fixIdentity(set: StatefulSet, pod: Pod): Promise<void> {
    const { ordinal } = parseOrdinal(pod.metadata!.name!);
    const wanted = newStatefulSetPod(set, ordinal, podRevision(pod)).metadata!.labels!;
    await this.podClient.namespace(pod.metadata!.namespace!).patch(pod.metadata!.name!, { metadata: { labels: { 'statefulset.kubernetes.io/pod-name': wanted['statefulset.kubernetes.io/pod-name'], 'apps.kubernetes.io/pod-index': wanted['apps.kubernetes.io/pod-index'] } } }, 'merge');
    this.recorder.event(set, 'Normal', 'SuccessfulUpdate', `update Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} successful`);
  }

  /** Deletes revisions no pod uses, beyond revisionHistoryLimit (oldest first). */
  private async truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current: ControllerRevision, update: ControllerRevision): Promise<void> {
    const live = new Set([current.metadata!.name, update.metadata!.name, ...pods.map(podRevision)]);
    const history = sortRevisions(revisions).filter((r) => !live.has(r.metadata!.name));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    for (const r of history.slice(0, Math.max(0, history.length - limit))) {
      try {
        await this.revisionClient.namespace(r.metadata!.namespace!).delete(r.metadata!.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

export const statefulSetControllerFactory: ControllerFactory = (ctx) => new StatefulSetController(ctx);
