// The ReplicaSet controller, which also serves ReplicationControllers (upstream runs the same
// code for both): keeps `spec.replicas` active pods matching the selector, adopting orphans and
// releasing pods that stop matching, creating in slow-start batches of at most 500 and deleting
// the cheapest pods first; expectations keep a slow watch from making it act twice.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../api/registry.js';
import { selectorFromLabelSelector, selectorFromSet, type Selector } from '../api/meta/labels.js';
import { getControllerOf, newControllerRef } from '../api/meta/objectmeta.js';
import { formatRFC3339 } from '../api/meta/time.js';
import type { ResourceClient } from '../client/client.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { metaNamespaceKey, type Informer } from '../client/informer.js';
import { resources, type ResourceRef } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { claimCandidates, claimObjects, CONTROLLER_UID_INDEX, controllerUIDIndexFunc, orphansIn, ownersSelecting, recheckOwner } from './util/controller-ref.js';
import { UIDTrackingExpectations } from './util/expectations-uid.js';
import { createPod, deletePod, podFromTemplate } from './util/pod-control.js';
import { podsToDelete } from './util/pod-ranking.js';
import { isPodActive, isPodAvailable, isPodReady } from '../api/helpers/pod.js';
import { ActivePodTally } from './util/pod-tally.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './util/slow-start.js';

/** At most this many creations or deletions per sync (upstream's BurstReplicas). */
export const BURST_REPLICAS = 500;

/** A ReplicaSet or a ReplicationController: the same shape but for the selector. */
type ReplicaOwner = ReplicaSet & KubeObject;

/** The active pods a sync works on, with the counts its status reports. */
interface ClaimedPods {
  count: number;
  fullyLabeled: number;
  ready: number;
  available: number;
  /** The pods themselves: only choosing which to delete needs them. */
  list(): Pod[];
}

interface OwnerKind {
  name: string;
  ref: ResourceRef;
  apiVersion: string;
  component: string;
  selectorOf(owner: ReplicaOwner): Selector;
}

const replicaSetKind: OwnerKind = {
  name: 'replicaset',
  ref: resources.replicaSets,
  apiVersion: 'apps/v1',
  component: 'replicaset-controller',
  selectorOf: (rs) => selectorFromLabelSelector(rs.spec?.selector),
};

const replicationControllerKind: OwnerKind = {
  name: 'replicationcontroller',
  ref: resources.replicationControllers,
  apiVersion: 'v1',
  component: 'replication-controller',
  // An RC's selector is a plain map; an empty one selects nothing here, as upstream's
  // validation never lets it through.
  selectorOf: (rc) => {
    const set = rc.spec?.selector as unknown as Record<string, string> | undefined;
    return set && Object.keys(set).length > 0 ? selectorFromSet(set) : selectorFromLabelSelector(null);
  },
};

export class ReplicaSetController extends Controller {
  readonly name: string;
  private readonly expectations: UIDTrackingExpectations;
  private owners!: Informer<ReplicaOwner>;
  private pods!: Informer<Pod>;
  private readonly ownerClient: ResourceClient<ReplicaOwner>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly tally: ActivePodTally;

  constructor(
    ctx: ControllerContext,
    private readonly kind: OwnerKind,
  ) {
    super(ctx);
    this.name = kind.name;
    this.expectations = new UIDTrackingExpectations(() => ctx.clock.now());
    this.ownerClient = ctx.client.resource<ReplicaOwner>(kind.ref);
    this.podClient = ctx.client.resource<Pod>(resources.pods);
    this.recorder = ctx.recorder(kind.component);
    this.tally = new ActivePodTally(kind.ref.kind);
  }

  setup(): void {
    this.owners = this.ctx.informers.informerFor<ReplicaOwner>(this.kind.ref);
    this.owners.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.pods.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.owners.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (_, rs) => this.enqueue(rs),
      onDelete: (rs) => this.enqueue(rs),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => {
        this.tally.observe(metaNamespaceKey(pod), pod);
        this.podAdded(pod);
      },
      onUpdate: (old, pod) => {
        this.tally.observe(metaNamespaceKey(pod), pod);
        this.podUpdated(old, pod);
      },
      onDelete: (pod) => {
        this.tally.observe(metaNamespaceKey(pod), undefined);
        this.podDeleted(pod);
      },
    });
  }

  // ---------------------------------------------------------------- pod events

  /** The owner of this kind named by the pod's controller reference, if it exists with that UID. */
  private resolveControllerRef(pod: Pod): ReplicaOwner | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== this.kind.ref.kind) return undefined;
    const owner = this.owners.store.get(`${pod.metadata?.namespace}/${ref.name}`);
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  }

  private enqueueSelecting(pod: Pod): void {
    const candidates = this.owners.store.byIndex('namespace', pod.metadata?.namespace ?? '');
    for (const owner of ownersSelecting(candidates, pod, this.kind.selectorOf)) this.enqueue(owner);
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      // A restarted controller sees pods already on their way out: count them as deleted.
      this.podDeleted(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const owner = this.resolveControllerRef(pod);
      if (!owner) return;
      const key = metaNamespaceKey(owner);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    this.enqueueSelecting(pod);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const labelsChanged = !sameLabels(old.metadata?.labels, pod.metadata?.labels);
    if (pod.metadata?.deletionTimestamp) {
      this.podDeleted(pod);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const oldRef = getControllerOf(old);
    const ref = getControllerOf(pod);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const previous = this.resolveControllerRef(old);
      if (previous) this.enqueue(previous);
    }
    if (ref) {
      const owner = this.resolveControllerRef(pod);
      if (!owner) return;
      this.enqueue(owner);
      // Availability comes minReadySeconds after readiness with no event of its own.
      const minReady = owner.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(metaNamespaceKey(owner), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || oldRef) this.enqueueSelecting(pod);
  }

  private podDeleted(pod: Pod): void {
    const owner = this.resolveControllerRef(pod);
    if (!owner) return;
    const key = metaNamespaceKey(owner);
    this.expectations.deletionObservedOf(key, pod.metadata?.uid);
    this.queue.add(key);
  }

  // ---------------------------------------------------------------- reconcile

  async reconcile(key: string): Promise<void> {
    const rs = this.owners.store.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.kind.selectorOf(rs);
    const pods = this.tallied(rs, selector) ?? (await this.claimPods(rs, selector));
    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, pods, rs);
      } catch (err) {
        manageError = err;
      }
    }
    const updated = await this.updateStatus(rs, this.calculateStatus(rs, pods, manageError));
    const replicas = updated.spec?.replicas ?? 1;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    if (manageError === undefined && minReady > 0 && updated.status?.readyReplicas === replicas && updated.status?.availableReplicas !== replicas) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  /**
   * The owner's pods as counted by the tally, when claiming them would change nothing: every
   * active pod it controls still matches its selector and no orphan does. Being deleted, or
   * available only minReadySeconds after ready (which moves with the clock), takes the long way.
   */
  private tallied(rs: ReplicaOwner, selector: Selector): ClaimedPods | undefined {
    if (rs.metadata.deletionTimestamp || (rs.spec?.minReadySeconds ?? 0) > 0) return undefined;
    for (const orphan of orphansIn(this.pods.store, rs.metadata.namespace)) {
      if (isPodActive(orphan) && selector.matches(orphan.metadata?.labels)) return undefined;
    }
    const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
    let count = 0;
    let fullyLabeled = 0;
    let ready = 0;
    for (const group of this.tally.groupsOf(rs.metadata.uid)) {
      if (!selector.matches(group.labels)) return undefined;
      count += group.active;
      ready += group.ready;
      if (templateLabels.matches(group.labels)) fullyLabeled += group.active;
    }
    const uid = rs.metadata.uid;
    return { count, fullyLabeled, ready, available: ready, list: () => this.pods.store.byIndex(CONTROLLER_UID_INDEX, uid).filter(isPodActive) };
  }

  /** Adopts matching orphans, releases owned pods that stopped matching, and counts the result pod by pod. */
  private async claimPods(rs: ReplicaOwner, selector: Selector): Promise<ClaimedPods> {
    const pods = await claimObjects(
      {
        owner: rs,
        controllerRef: newControllerRef(rs, this.kind.apiVersion, this.kind.ref.kind),
        selector,
        objects: this.podClient,
        canAdopt: () => recheckOwner(() => this.ownerClient.namespace(rs.metadata.namespace).get(rs.metadata.name), rs),
      },
      claimCandidates(this.pods.store, rs).filter(isPodActive),
    );
    const now = this.ctx.clock.now();
    const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    for (const pod of pods) {
      if (templateLabels.matches(pod.metadata?.labels)) fullyLabeled++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
    }
    return { count: pods.length, fullyLabeled, ready, available, list: () => pods };
  }

  private async manageReplicas(key: string, pods: ClaimedPods, rs: ReplicaOwner): Promise<void> {
    const diff = pods.count - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const want = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, want);
      const controllerRef = newControllerRef(rs, this.kind.apiVersion, this.kind.ref.kind);
      const { successes, error } = await slowStartBatch(want, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        await createPod(this.podClient, this.recorder, rs, podFromTemplate(rs.spec?.template, rs.metadata.name, controllerRef));
      });
      // Creations never sent will never be observed.
      const skipped = want - successes;
      if (skipped > 0) this.expectations.lowerExpectations(key, skipped, 0);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      const own = pods.list();
      const doomed = podsToDelete(own, this.relatedPods(rs, own), Math.min(diff, BURST_REPLICAS), this.ctx.clock.now());
      this.expectations.expectDeletionsOf(key, doomed.map((p) => p.metadata!.uid!));
      const errors: unknown[] = [];
      await Promise.all(
        doomed.map(async (pod) => {
          try {
            await deletePod(this.podClient, this.recorder, rs, pod);
          } catch (err) {
            this.expectations.deletionFailed(key, pod.metadata!.uid!);
            if (!isNotFound(err)) errors.push(err);
          }
        }),
      );
      if (errors.length > 0) throw errors[0];
    }
  }

  /** Active pods of every ReplicaSet under the same controller (a Deployment's siblings), or its own. */
  private relatedPods(rs: ReplicaOwner, own: Pod[]): Pod[] {
    const controller = getControllerOf(rs);
    if (!controller) return own;
    const related: Pod[] = [];
    for (const sibling of this.owners.store.byIndex(CONTROLLER_UID_INDEX, controller.uid)) {
      for (const pod of this.pods.store.byIndex(CONTROLLER_UID_INDEX, sibling.metadata.uid)) if (isPodActive(pod)) related.push(pod);
    }
    return related;
  }

  private calculateStatus(rs: ReplicaOwner, pods: ClaimedPods, manageError: unknown): ReplicaSetStatus {
    let conditions = rs.status?.conditions;
    const failure = conditions?.find((c) => c.type === 'ReplicaFailure');
    if (manageError !== undefined && !failure) {
      const diff = pods.count - (rs.spec?.replicas ?? 1);
      const condition: ReplicaSetCondition = {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: formatRFC3339(this.ctx.clock.now()),
        reason: diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '',
        message: manageError instanceof Error ? manageError.message : String(manageError),
      };
      conditions = [...(conditions ?? []), condition];
    } else if (manageError === undefined && failure) {
      conditions = conditions!.filter((c) => c !== failure);
    }
    const status: ReplicaSetStatus = {
      replicas: pods.count,
      fullyLabeledReplicas: pods.fullyLabeled,
      readyReplicas: pods.ready,
      availableReplicas: pods.available,
      observedGeneration: rs.status?.observedGeneration,
    };
    if (conditions?.length) status.conditions = conditions;
    return status;
  }

  /** Writes the status when it changed (or the generation moved); one retry after a conflict. */
  private async updateStatus(rs: ReplicaOwner, status: ReplicaSetStatus): Promise<ReplicaOwner> {
    const s: ReplicaSetStatus = rs.status ?? { replicas: 0 };
    const generation = rs.metadata.generation ?? 0;
    if (
      (s.replicas ?? 0) === status.replicas &&
      (s.fullyLabeledReplicas ?? 0) === status.fullyLabeledReplicas &&
      (s.readyReplicas ?? 0) === status.readyReplicas &&
      (s.availableReplicas ?? 0) === status.availableReplicas &&
      s.observedGeneration === generation &&
      sameConditions(s.conditions, status.conditions)
    ) {
      return rs;
    }
    const client = this.ownerClient.namespace(rs.metadata.namespace);
    const write = (base: ReplicaOwner) => client.updateStatus({ ...base, status: { ...status, observedGeneration: base.metadata.generation } });
    try {
      return await write(rs);
    } catch (err) {
      if (!isConflict(err)) throw err;
      return write(await client.get(rs.metadata.name));
    }
  }
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}

function sameConditions(a: ReplicaSetCondition[] | undefined, b: ReplicaSetCondition[] | undefined): boolean {
  const la = a ?? [];
  const lb = b ?? [];
  return la.length === lb.length && la.every((c, i) => c.type === lb[i].type && c.status === lb[i].status && c.reason === lb[i].reason && c.message === lb[i].message);
}

export const newReplicaSetController: ControllerFactory = (ctx) => new ReplicaSetController(ctx, replicaSetKind);
export const newReplicationControllerController: ControllerFactory = (ctx) => new ReplicaSetController(ctx, replicationControllerKind);
