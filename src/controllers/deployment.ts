// The Deployment controller: one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`),
// rolled from old to new by RollingUpdate (maxSurge / maxUnavailable) or Recreate, with revision
// annotations, history cleanup, pause, proportional scaling of a rollout in progress and the
// Available / Progressing conditions kube-controller-manager reports.
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import { selectorFromLabelSelector } from '../api/meta/labels.js';
import { getControllerOf, newControllerRef } from '../api/meta/objectmeta.js';
import type { ResourceClient } from '../client/client.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { metaNamespaceKey, type Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import {
  byCreation,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  DESIRED_REPLICAS_ANNOTATION,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  getCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  POD_TEMPLATE_HASH_LABEL,
  REASON,
  removeCondition,
  replicaCount,
  replicaSetProportion,
  replicasOf,
  REVISION_ANNOTATION,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  statusSum,
} from './deployment-util.js';
import { claimCandidates, claimObjects, CONTROLLER_UID_INDEX, controllerUIDIndexFunc, ownersSelecting, recheckOwner } from './util/controller-ref.js';
import { computeHash, deepPrint } from './util/hash.js';
import { deepCopy } from '../api/patch/json.js';

const COMPONENT = 'deployment-controller';

export class DeploymentController extends Controller {
  readonly name = 'deployment';
  private deployments!: Informer<Deployment & KubeObject>;
  private replicaSets!: Informer<ReplicaSet & KubeObject>;
  private pods!: Informer<Pod & KubeObject>;
  private readonly dClient: ResourceClient<Deployment & KubeObject>;
  private readonly rsClient: ResourceClient<ReplicaSet & KubeObject>;
  private readonly recorder: EventRecorder;
  /** Deployments (of syncs in progress) whose revision annotation changed and is not written yet. */

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.dClient = ctx.client.resource(resources.deployments);
    this.rsClient = ctx.client.resource(resources.replicaSets);
    this.recorder = ctx.recorder(COMPONENT);
  }

  setup(): void {
    this.deployments = this.ctx.informers.informerFor(resources.deployments);
    this.replicaSets = this.ctx.informers.informerFor(resources.replicaSets);
    this.replicaSets.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.pods = this.ctx.informers.informerFor(resources.pods);
    this.pods.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(rs, undefined),
      onUpdate: (old, rs) => this.replicaSetChanged(rs, old),
      onDelete: (rs) => this.replicaSetChanged(rs, undefined),
    });
    // A Recreate rollout waits for the last old pod to go.
    this.pods.addEventHandler({
      onDelete: (pod) => {
        const rs = this.ownerOf(this.replicaSets, pod, 'ReplicaSet');
        const d = rs && this.ownerOf(this.deployments, rs, 'Deployment');
        if (d && !isRollingUpdate(d)) this.enqueue(d);
      },
    });
  }

  private ownerOf<T extends KubeObject>(informer: Informer<T>, obj: KubeObject, kind: string): T | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== kind) return undefined;
    const owner = informer.store.get(`${obj.metadata?.namespace}/${ref.name}`);
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  }

  private replicaSetChanged(rs: ReplicaSet & KubeObject, old: (ReplicaSet & KubeObject) | undefined): void {
    const oldRef = old && getControllerOf(old);
    if (old && oldRef && oldRef.uid !== getControllerOf(rs)?.uid) {
      const previous = this.ownerOf(this.deployments, old, 'Deployment');
      if (previous) this.enqueue(previous);
    }
    if (getControllerOf(rs)) {
      const d = this.ownerOf(this.deployments, rs, 'Deployment');
      if (d) this.enqueue(d);
      return;
    }
    const candidates = this.deployments.store.byIndex('namespace', rs.metadata?.namespace ?? '');
    for (const d of ownersSelecting(candidates, rs, (o) => selectorFromLabelSelector(o.spec?.selector))) this.enqueue(d);
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.deployments.store.get(key);
    if (!cached) return;
    const d = deepCopy(cached) as Deployment & KubeObject;
    const selector = selectorFromLabelSelector(d.spec?.selector);
    if (selector.empty()) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < d.metadata.generation) {
        await this.writeStatus(d, { ...d.status, observedGeneration: d.metadata.generation });
      }
      return;
    }
    const rsList = await claimObjects(
      {
        owner: d,
        controllerRef: newControllerRef(d, 'apps/v1', 'Deployment'),
        selector,
        objects: this.rsClient,
        canAdopt: () => recheckOwner(() => this.dClient.namespace(d.metadata.namespace).get(d.metadata.name), d),
      },
      claimCandidates(this.replicaSets.store, d),
    );
    const rss = rsList.map((rs) => deepCopy(rs) as ReplicaSet);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rss, false);
      await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
      return;
    }
    await this.checkPausedConditions(d);
    if (d.spec?.paused) return this.sync(d, rss);
    if (this.isScalingEvent(d, rss)) return this.sync(d, rss);
    if (isRollingUpdate(d)) return this.rolloutRolling(d, rss);
    return this.rolloutRecreate(d, rss);
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  // ---------------------------------------------------------------- revisions and the new ReplicaSet

  private async replicaSetsAndSyncRevision(d: Deployment & KubeObject, rss: ReplicaSet[], create: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const current = findNewReplicaSet(d, rss);
    const oldRSs = rss.filter((rs) => rs !== current);
    const newRS = await this.newReplicaSet(d, rss, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async newReplicaSet(d: Deployment & KubeObject, rss: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(d, rss);
    const newRevision = maxRevision(oldRSs) + 1;
    const ns = d.metadata.namespace;
    if (existing) {
      const copy = deepCopy(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadyChanged = (copy.spec!.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      let rs = copy;
      if (annotationsUpdated || minReadyChanged) {
        copy.spec!.minReadySeconds = d.spec?.minReadySeconds ?? 0;
        rs = await this.rsClient.namespace(ns).update(copy as ReplicaSet & KubeObject);
      }
      let needsUpdate = this.setDeploymentRevision(d, rs.metadata?.annotations?.[REVISION_ANNOTATION]);
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        setCondition((d.status ??= {}), newCondition('Progressing', 'True', REASON.foundNewRS, `Found new replica set "${rs.metadata!.name}"`, this.now()));
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeStatus(d, d.status ?? {});
      return rs;
    }
    if (!create) return undefined;

    const template = deepCopy(d.spec!.template);
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = deepCopy(d.spec!.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const fresh: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: ns,
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
        labels: template.metadata.labels,
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    fresh.spec!.replicas = newRSNewReplicas(d, [...oldRSs, fresh], fresh);
    setNewReplicaSetAnnotations(d, fresh, newRevision, false);

    let createdRS: ReplicaSet;
    let alreadyExists = false;
    try {
      createdRS = await this.rsClient.namespace(ns).create(fresh as ReplicaSet & KubeObject);
    } catch (err) {
      if (isAlreadyExists(err)) {
        const found = this.replicaSets.store.get(`${ns}/${fresh.metadata!.name}`) ?? (await this.rsClient.namespace(ns).get(fresh.metadata!.name!));
        if (getControllerOf(found)?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
          createdRS = deepCopy(found);
          alreadyExists = true;
        } else {
          // A hash collision: the next hash takes the collision count into account.
          const status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
          await this.writeStatus(d, status);
          throw err;
        }
      } else {
        const message = `Failed to create new replica set "${fresh.metadata!.name}": ${err instanceof Error ? err.message : String(err)}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition('Progressing', 'False', REASON.failedRSCreate, message, this.now()));
          await this.writeStatus(d, d.status);
        }
        this.recorder.event(d, 'Warning', REASON.failedRSCreate, message);
        throw err;
      }
    }
    if (!alreadyExists && replicasOf(fresh) > 0) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${createdRS.metadata!.name} from 0 to ${replicasOf(fresh)}`);
    }
    let needsUpdate = this.setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'True', REASON.newReplicaSet, `Created new replica set "${createdRS.metadata!.name}"`, this.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d, d.status ?? {});
    return createdRS;
  }

  /** SetDeploymentRevision; the Deployment's annotation is written with its next status write. */
  private setDeploymentRevision(d: Deployment & KubeObject, revision: string | undefined): boolean {
    if (revision === undefined || d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
    d.metadata.annotations = { ...d.metadata.annotations, [REVISION_ANNOTATION]: revision };
    return true;
  }

  // ---------------------------------------------------------------- scaling

  private isScalingEvent(d: Deployment, rss: ReplicaSet[]): boolean {
    for (const rs of rss) {
      if (replicasOf(rs) === 0) continue;
      const desired = Number(rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION]);
      if (Number.isInteger(desired) && desired !== replicasOf(d)) return true;
    }
    return false;
  }

  private async sync(d: Deployment & KubeObject, rss: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rss, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  private async scale(d: Deployment & KubeObject, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (replicasOf(activeOrLatest) !== replicasOf(d)) await this.scaleReplicaSetAndRecordEvent(activeOrLatest, replicasOf(d), d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of oldRSs.filter((rs) => replicasOf(rs) > 0)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    // Proportional scaling: spread the change over the active ReplicaSets by their size.
    const active = [...oldRSs, ...(newRS ? [newRS] : [])].filter((rs) => replicasOf(rs) > 0);
    const allowedSize = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowedSize - replicaCount(active);
    let operation = '';
    if (toAdd > 0) {
      active.sort(bySizeNewer);
      operation = 'up';
    } else if (toAdd < 0) {
      active.sort(bySizeOlder);
      operation = 'down';
    }
    let added = 0;
    const sizes = active.map((rs) => {
      if (toAdd === 0) return replicasOf(rs);
      const proportion = replicaSetProportion(rs, d, toAdd, added);
      added += proportion;
      return replicasOf(rs) + proportion;
    });
    for (let i = 0; i < active.length; i++) {
      // Leftovers go to the largest ReplicaSet.
      if (i === 0 && toAdd !== 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
      await this.scaleReplicaSet(active[i], sizes[i], d, operation);
    }
  }

  private async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d, replicasOf(rs) > newScale ? 'down' : 'up');
  }

  private async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const sizeNeedsUpdate = replicasOf(rs) !== newScale;
    const annotations = { ...rs.metadata?.annotations };
    const annotationsNeedUpdate = setReplicasAnnotations(annotations, replicasOf(d), replicasOf(d) + maxSurge(d));
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return { scaled: false, rs };
    const oldScale = replicasOf(rs);
    const copy = deepCopy(rs);
    copy.spec!.replicas = newScale;
    copy.metadata!.annotations = annotations;
    const updated = await this.rsClient.namespace(rs.metadata!.namespace!).update(copy as ReplicaSet & KubeObject);
    // Callers keep working on the list they hold: keep it current.
    Object.assign(rs, updated);
    if (sizeNeedsUpdate) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata!.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs };
  }

  // ---------------------------------------------------------------- rollouts

  private async rolloutRolling(d: Deployment & KubeObject, rss: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rss, true);
    const allRSs = [...oldRSs, newRS!];
    if (await this.reconcileNewReplicaSet(allRSs, newRS!, d)) return this.syncRolloutStatus(allRSs, newRS, d);
    const activeOld = oldRSs.filter((rs) => replicasOf(rs) > 0);
    if (await this.reconcileOldReplicaSets(allRSs, activeOld, newRS!, d)) return this.syncRolloutStatus(allRSs, newRS, d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(allRSs, newRS, d);
  }

  private async reconcileNewReplicaSet(allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
    if (replicasOf(newRS) === replicasOf(d)) return false;
    if (replicasOf(newRS) > replicasOf(d)) return (await this.scaleReplicaSetAndRecordEvent(newRS, replicasOf(d), d)).scaled;
    return (await this.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
  }

  private async reconcileOldReplicaSets(allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
    if (replicaCount(oldRSs) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newRSUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = replicaCount(allRSs) - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return false;
    // Unhealthy old replicas go first: they would otherwise block the rollout.
    const cleaned = await this.cleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
    const scaledDown = await this.scaleDownOldReplicaSetsForRollingUpdate([...oldRSs, newRS], oldRSs, d);
    return cleaned + scaledDown > 0;
  }

  private async cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<number> {
    oldRSs.sort(byCreation);
    let total = 0;
    for (const rs of oldRSs) {
      if (total >= maxCleanup) break;
      const available = rs.status?.availableReplicas ?? 0;
      if (replicasOf(rs) === 0 || replicasOf(rs) === available) continue;
      const count = Math.min(maxCleanup - total, replicasOf(rs) - available);
      await this.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count, d);
      total += count;
    }
    return total;
  }

  private async scaleDownOldReplicaSetsForRollingUpdate(allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const available = statusSum(allRSs, 'availableReplicas');
    if (available <= minAvailable) return 0;
    oldRSs.sort(byCreation);
    const target = available - minAvailable;
    let total = 0;
    for (const rs of oldRSs) {
      if (total >= target) break;
      if (replicasOf(rs) === 0) continue;
      const count = Math.min(replicasOf(rs), target - total);
      await this.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count, d);
      total += count;
    }
    return total;
  }

  private async rolloutRecreate(d: Deployment & KubeObject, rss: ReplicaSet[]): Promise<void> {
    let { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rss, false);
    let allRSs = [...oldRSs, newRS];
    let scaledDown = false;
    for (const rs of oldRSs.filter((r) => replicasOf(r) > 0)) {
      if ((await this.scaleReplicaSetAndRecordEvent(rs, 0, d)).scaled) scaledDown = true;
    }
    if (scaledDown || this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(allRSs, newRS, d);
    if (!newRS) {
      ({ newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rss, true));
      allRSs = [...oldRSs, newRS];
    }
    await this.scaleReplicaSetAndRecordEvent(newRS!, replicasOf(d), d);
    if (deploymentComplete(d, d.status ?? {})) await this.cleanupDeployment(oldRSs, d);
    return this.syncRolloutStatus(allRSs, newRS, d);
  }

  /** Whether a pod of an old ReplicaSet may still be running (Recreate waits for none). */
  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (statusSum(oldRSs, 'replicas') > 0) return true;
    for (const rs of oldRSs) {
      if (rs.metadata?.uid === newRS?.metadata?.uid) continue;
      for (const pod of this.pods.store.byIndex(CONTROLLER_UID_INDEX, rs.metadata!.uid!)) {
        const phase = pod.status?.phase;
        if (phase !== 'Failed' && phase !== 'Succeeded') return true;
      }
    }
    return false;
  }

  /** Deletes the oldest ReplicaSets beyond revisionHistoryLimit, once they have no pods. */
  private async cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - d.spec!.revisionHistoryLimit!;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i];
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.rsClient.namespace(rs.metadata!.namespace!).delete(rs.metadata!.name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // ---------------------------------------------------------------- status

  private calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment & KubeObject): DeploymentStatus {
    const available = statusSum(allRSs, 'availableReplicas');
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation,
      replicas: statusSum(allRSs, 'replicas'),
      updatedReplicas: statusSum([newRS], 'replicas'),
      readyReplicas: statusSum(allRSs, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
    };
    // Zero counts are left out, as the server writes them (omitempty), so an unchanged status compares equal.
    for (const [field, count] of Object.entries(status)) if (count === 0) delete status[field as keyof DeploymentStatus];
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    if (d.status?.conditions) status.conditions = [...d.status.conditions];
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, newCondition('Available', 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', this.now()));
    } else {
      setCondition(status, newCondition('Available', 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', this.now()));
    }
    return status;
  }

  private async syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment & KubeObject): Promise<void> {
    const status = this.calculateStatus(allRSs, newRS, d);
    if (deepPrint(status) !== deepPrint(d.status ?? {})) await this.writeStatus(d, status);
  }

  private async syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment & KubeObject): Promise<void> {
    const status = this.calculateStatus(allRSs, newRS, d);
    const now = this.now();
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = getCondition(d.status, 'Progressing');
    const complete = status.replicas === status.updatedReplicas && current?.reason === REASON.newRSAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const name = newRS ? `ReplicaSet "${newRS.metadata!.name}"` : `Deployment "${d.metadata.name}"`;
      if (deploymentComplete(d, status)) {
        setCondition(status, newCondition('Progressing', 'True', REASON.newRSAvailable, `${name} has successfully progressed.`, now));
      } else if (deploymentProgressing(d, status)) {
        // Progress moves lastUpdateTime even when the reason stays the same.
        const condition = newCondition('Progressing', 'True', REASON.replicaSetUpdated, `${name} is progressing.`, now);
        if (current?.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
        setCondition(status, condition);
      } else if (deploymentTimedOut(d, status, now)) {
        setCondition(status, newCondition('Progressing', 'False', REASON.timedOut, `${name} has timed out progressing.`, now));
      }
    }
    const failure = [newRS, ...allRSs].flatMap((rs) => rs?.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (failure) {
      setCondition(status, newCondition('ReplicaFailure', failure.status as 'True', failure.reason ?? '', failure.message ?? '', failure.lastTransitionTime ? Date.parse(failure.lastTransitionTime) : now));
    } else {
      removeCondition(status, 'ReplicaFailure');
    }
    if (deepPrint(status) === deepPrint(d.status ?? {})) {
      this.requeueStuckDeployment(d, status);
      return;
    }
    await this.writeStatus(d, status);
  }

  /** Checks again when the progress deadline would pass, since nothing else will wake us then. */
  private requeueStuckDeployment(d: Deployment & KubeObject, status: DeploymentStatus): void {
    const current = getCondition(d.status, 'Progressing');
    if (!hasProgressDeadline(d) || !current) return;
    if (deploymentComplete(d, status) || current.reason === REASON.timedOut) return;
    const lastUpdate = current.lastUpdateTime ? Date.parse(current.lastUpdateTime) : 0;
    const after = lastUpdate + d.spec!.progressDeadlineSeconds! * 1000 - this.now();
    const key = metaNamespaceKey(d);
    if (after < 1000) this.queue.addRateLimited(key);
    else this.queue.addAfter(key, after);
  }

  private async checkPausedConditions(d: Deployment & KubeObject): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === REASON.timedOut) return;
    const pausedCondExists = cond?.reason === REASON.paused;
    const status: DeploymentStatus = { ...d.status };
    if (d.spec?.paused && !pausedCondExists) {
      setCondition(status, newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', this.now()));
    } else if (!d.spec?.paused && pausedCondExists) {
      setCondition(status, newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', this.now()));
    } else {
      return;
    }
    await this.writeStatus(d, status);
  }

  /**
   * Writes the Deployment's status (and with it the revision annotation, which /status takes for
   * Deployments, as upstream's UpdateStatus does). The object `d` is kept current for the rest of the sync.
   */
  private async writeStatus(d: Deployment & KubeObject, status: DeploymentStatus): Promise<void> {
    const updated = await this.dClient.namespace(d.metadata.namespace).updateStatus({ ...d, status });
    d.metadata = updated.metadata;
    d.status = updated.status;
  }
}

export const newDeploymentController: ControllerFactory = (ctx) => new DeploymentController(ctx);
