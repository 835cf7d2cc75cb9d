// The disruption controller (disruption): keeps each PodDisruptionBudget's status current:
// the pods expected (its pods' controllers' scale, or the pods themselves for an integer
// minAvailable), how many must stay healthy, how many are (ready, not being deleted, not just
// evicted) and so how many disruptions are allowed, with the DisruptionAllowed condition the
// Eviction subresource and `kubectl get pdb` read. Evictions recorded in disruptedPods expire
// after two minutes if the pod was never deleted.
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { getScaledValueFromIntOrPercent } from '../api/meta/intstr.js';
import { getControllerOf } from '../api/meta/objectmeta.js';
import type { ResourceClient } from '../client/client.js';
import { isConflict } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { metaNamespaceKey, type Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { budgetSelectsPod, DISRUPTION_ALLOWED_CONDITION, setStatusCondition, SYNC_FAILED_REASON, updateDisruptionAllowedCondition } from '../api/helpers/disruption-budget.js';
import { isPodReady } from '../api/helpers/pod.js';
import { deepCopy } from '../api/patch/json.js';

/** How long an approved eviction keeps a pod out of currentHealthy while waiting for its deletion. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

interface Scale {
  uid: string;
  replicas: number;
}

export class DisruptionController extends Controller {
  readonly name = 'disruption';
  private pdbs!: Informer<PodDisruptionBudget>;
  private pods!: Informer<Pod>;
  private rcs!: Informer<ReplicationController>;
  private rss!: Informer<ReplicaSet>;
  private deployments!: Informer<Deployment>;
  private statefulSets!: Informer<StatefulSet>;
  private readonly pdbClient: ResourceClient<PodDisruptionBudget>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.pdbClient = ctx.client.resource<PodDisruptionBudget>(resources.podDisruptionBudgets);
    this.recorder = ctx.recorder('controllermanager');
  }

  setup(): void {
    const f = this.ctx.informers;
    this.pdbs = f.informerFor<PodDisruptionBudget>(resources.podDisruptionBudgets);
    this.pods = f.informerFor<Pod>(resources.pods);
    this.rcs = f.informerFor<ReplicationController>(resources.replicationControllers);
    this.rss = f.informerFor<ReplicaSet>(resources.replicaSets);
    this.deployments = f.informerFor<Deployment>(resources.deployments);
    this.statefulSets = f.informerFor<StatefulSet>(resources.statefulSets);
    this.pdbs.addEventHandler({ onAdd: (p) => this.enqueue(p), onUpdate: (_, p) => this.enqueue(p) });
    const pod = (p: Pod) => this.enqueueBudgetsOf(p);
    this.pods.addEventHandler({
      onAdd: pod,
      onUpdate: (old, p) => {
        // A pod that stops matching a budget changes that budget too.
        if (old.metadata?.labels !== p.metadata?.labels) pod(old);
        pod(p);
      },
      onDelete: pod,
    });
  }

  private enqueueBudgetsOf(pod: Pod): void {
    for (const pdb of this.pdbs.store.byIndex('namespace', pod.metadata?.namespace ?? '')) {
      if (budgetSelectsPod(pdb, pod)) this.enqueue(pdb);
    }
  }

  async reconcile(key: string): Promise<void> {
    const pdb = this.pdbs.store.get(key);
    if (!pdb) return;
    try {
      await this.trySync(pdb);
    } catch (err) {
      if (isConflict(err)) throw err;
      // Fail safe: no disruptions while the budget cannot be computed.
      this.ctx.log(`disruption: ${key}: ${(err as Error).message}`);
      await this.failSafe(pdb, err as Error);
    }
  }

  private podsOf(pdb: PodDisruptionBudget): Pod[] {
    return this.pods.store.byIndex('namespace', pdb.metadata!.namespace!).filter((p) => budgetSelectsPod(pdb, p));
  }

  private async trySync(pdb: PodDisruptionBudget): Promise<void> {
    const pods = this.podsOf(pdb);
    if (pods.length === 0) this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts: { expected: number; desired: number; unmanaged: string[] };
    try {
      counts = this.expectedPodCount(pdb, pods);
    } catch (err) {
      this.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(err as Error).message}`);
      throw err;
    }
    if (counts.unmanaged.length) {
      this.recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${selectorText(pdb)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const now = this.ctx.clock.now();
    const { disrupted, recheckAt } = this.disruptedPods(pods, pdb, now);
    const currentHealthy = countHealthy(pods, disrupted, now);
    await this.updateStatus(pdb, currentHealthy, counts.desired, counts.expected, disrupted, now);
    if (recheckAt !== undefined) this.queue.addAfter(metaNamespaceKey(pdb), Math.max(0, recheckAt - now));
  }

  /** getExpectedPodCount: maxUnavailable and percentages count the controllers' scale; an integer minAvailable the pods. */
  private expectedPodCount(pdb: PodDisruptionBudget, pods: Pod[]): { expected: number; desired: number; unmanaged: string[] } {
    const { maxUnavailable, minAvailable } = pdb.spec ?? {};
    if (maxUnavailable !== undefined && maxUnavailable !== null) {
      const { expected, unmanaged } = this.expectedScale(pods);
      const desired = Math.max(0, expected - getScaledValueFromIntOrPercent(maxUnavailable, expected, true));
      return { expected, desired, unmanaged };
    }
    if (typeof minAvailable === 'number') return { expected: pods.length, desired: minAvailable, unmanaged: [] };
    if (typeof minAvailable === 'string') {
      const { expected, unmanaged } = this.expectedScale(pods);
      return { expected, desired: getScaledValueFromIntOrPercent(minAvailable, expected, true), unmanaged };
    }
    return { expected: 0, desired: 0, unmanaged: [] };
  }

  /** The sum of the scale of every controller of the pods; pods without a controller are unmanaged. */
  private expectedScale(pods: Pod[]): { expected: number; unmanaged: string[] } {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = getControllerOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata!.name!);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const scale = this.findScale(ref, pod.metadata!.namespace!);
      if (!scale) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata!.name)}`);
      scales.set(scale.uid, scale.replicas);
    }
    let expected = 0;
    for (const n of scales.values()) expected += n;
    return { expected, unmanaged };
  }

  /** The finders: ReplicationController, Deployment (through its ReplicaSet), ReplicaSet, StatefulSet. */
  private findScale(ref: OwnerReference, namespace: string): Scale | undefined {
    const key = `${namespace}/${ref.name}`;
    const owned = <T extends { metadata?: { uid?: string }; spec?: { replicas?: number } }>(obj: T | undefined, uid: string): Scale | undefined =>
      obj && obj.metadata?.uid === uid ? { uid, replicas: obj.spec?.replicas ?? 1 } : undefined;
    switch (ref.kind) {
      case 'ReplicationController':
        return owned(this.rcs.store.get(key), ref.uid);
      case 'StatefulSet':
        return owned(this.statefulSets.store.get(key), ref.uid);
      case 'ReplicaSet': {
        const rs = this.rss.store.get(key);
        if (!rs || rs.metadata?.uid !== ref.uid) return undefined;
        const owner = getControllerOf(rs);
        if (owner?.kind === 'Deployment') return owned(this.deployments.store.get(`${namespace}/${owner.name}`), owner.uid);
        return owned(rs, ref.uid);
      }
      default:
        return undefined;
    }
  }

  /** buildDisruptedPodMap: entries for pods not yet being deleted, dropped once past the deletion timeout. */
  private disruptedPods(pods: Pod[], pdb: PodDisruptionBudget, now: number): { disrupted: Record<string, string>; recheckAt?: number } {
    const previous = pdb.status?.disruptedPods ?? {};
    const disrupted: Record<string, string> = {};
    let recheckAt: number | undefined;
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp) continue;
      const at = previous[pod.metadata!.name!];
      if (!at) continue;
      const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expectedDeletion < now) {
        this.recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata!.namespace}/${pdb.metadata!.name} to be deleted but it wasn't`);
      } else {
        if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
        disrupted[pod.metadata!.name!] = at;
      }
    }
    return { disrupted, recheckAt };
  }

  private async updateStatus(pdb: PodDisruptionBudget, currentHealthy: number, desiredHealthy: number, expectedPods: number, disruptedPods: Record<string, string>, now: number): Promise<void> {
    // No pods expected yet: a safe zero until the first ones appear.
    const disruptionsAllowed = expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);
    const observedGeneration = pdb.metadata?.generation ?? 0;
    const status: PodDisruptionBudgetStatus = {
      currentHealthy,
      desiredHealthy,
      expectedPods,
      disruptionsAllowed,
      observedGeneration,
      conditions: deepCopy((pdb.status?.conditions ?? []) as Condition[]),
    };
    if (Object.keys(disruptedPods).length) (status as { disruptedPods?: Record<string, string> }).disruptedPods = disruptedPods;
    updateDisruptionAllowedCondition(status, now);
    const old = pdb.status;
    if (
      old &&
      old.currentHealthy === currentHealthy &&
      old.desiredHealthy === desiredHealthy &&
      old.expectedPods === expectedPods &&
      old.disruptionsAllowed === disruptionsAllowed &&
      old.observedGeneration === observedGeneration &&
      sameDisrupted(old.disruptedPods ?? {}, disruptedPods) &&
      conditionsUpToDate(old.conditions ?? [], status.conditions ?? [])
    ) {
      return;
    }
    await this.pdbClient.updateStatus({ ...pdb, status });
  }

  private async failSafe(pdb: PodDisruptionBudget, err: Error): Promise<void> {
    const conditions = deepCopy((pdb.status?.conditions ?? []) as Condition[]);
    const observedGeneration = pdb.status?.observedGeneration ?? 0;
    setStatusCondition(conditions, { type: DISRUPTION_ALLOWED_CONDITION, status: 'False', reason: SYNC_FAILED_REASON, message: err.message, observedGeneration }, this.ctx.clock.now());
    const base = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };
    await this.pdbClient.updateStatus({ ...pdb, status: { ...base, disruptionsAllowed: 0, conditions } });
  }
}

function sameDisrupted(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Same condition statuses and reasons (transition times follow from those). */
function conditionsUpToDate(old: readonly Condition[], next: readonly Condition[]): boolean {
  return old.length === next.length && next.every((c) => old.some((o) => o.type === c.type && o.status === c.status && o.reason === c.reason && o.observedGeneration === c.observedGeneration));
}

/** %v of a LabelSelector, roughly as Go prints the pointer's fields. */
function selectorText(pdb: PodDisruptionBudget): string {
  const s = pdb.spec?.selector;
  const labels = Object.entries(s?.matchLabels ?? {})
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}

function countHealthy(pods: Pod[], disrupted: Record<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = disrupted[pod.metadata!.name!];
    if (at && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

export const disruptionController: ControllerFactory = (ctx) => new DisruptionController(ctx);
