// The DaemonSet controller: one pod per node that should run it (node selector, required node
// affinity, taints against the pod's tolerations plus those every daemon gets), each pinned to
// its node by node affinity on metadata.name for the scheduler to bind; template history in
// ControllerRevisions (`<ds>-<hash>`, numbered); RollingUpdate (maxUnavailable, maxSurge) and OnDelete.
import type { ControllerRevision, DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Node, NodeSelectorTerm, Pod, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import { getScaledValueFromIntOrPercent } from '../api/meta/intstr.js';
import { selectorFromLabelSelector, selectorFromSet, type Selector } from '../api/meta/labels.js';
import { getControllerOf, newControllerRef } from '../api/meta/objectmeta.js';
import type { ResourceClient } from '../client/client.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { metaNamespaceKey, type Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { claimCandidates, claimObjects, CONTROLLER_UID_INDEX, controllerUIDIndexFunc, ownersSelecting, recheckOwner } from './util/controller-ref.js';
import { UIDTrackingExpectations } from './util/expectations-uid.js';
import { computeHash, deepPrint } from './util/hash.js';
import { createPod, deletePod, podFromTemplate } from './util/pod-control.js';
import { isPodAvailable, isPodReady, isPodTerminal } from '../api/helpers/pod.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './util/slow-start.js';
import {
  TAINT_DISK_PRESSURE,
  TAINT_MEMORY_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
  TAINT_NOT_READY,
  TAINT_PID_PRESSURE,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
} from './util/taints.js';
import { compileNodeSelector, toleratesTaint } from '../api/helpers/node-selection.js';
import { deepCopy } from '../api/patch/json.js';

const COMPONENT = 'daemonset-controller';
/** Creations per sync at most (upstream's BurstReplicas for DaemonSets). */
const BURST_REPLICAS = 250;
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

type DS = DaemonSet & KubeObject;
type Revision = ControllerRevision & KubeObject;

// ---- which nodes run a daemon pod ----

/** AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates, so node trouble never evicts it. */
export function daemonPodTolerations(template: PodTemplateSpec | undefined): Toleration[] {
  const tolerations = [...(template?.spec?.tolerations ?? [])];
  const add = (key: string, effect: string) => {
    const t: Toleration = { key, operator: 'Exists', effect };
    if (!tolerations.some((o) => o.key === key && o.operator === 'Exists' && o.effect === effect && !o.value && o.tolerationSeconds === undefined)) tolerations.push(t);
  };
  add(TAINT_NOT_READY, 'NoExecute');
  add(TAINT_UNREACHABLE, 'NoExecute');
  add(TAINT_DISK_PRESSURE, 'NoSchedule');
  add(TAINT_MEMORY_PRESSURE, 'NoSchedule');
  add(TAINT_PID_PRESSURE, 'NoSchedule');
  add(TAINT_UNSCHEDULABLE, 'NoSchedule');
  if (template?.spec?.hostNetwork) add(TAINT_NETWORK_UNAVAILABLE, 'NoSchedule');
  return tolerations;
}

/**
 * NodeShouldRunDaemonPod: whether a daemon pod should be created on the node, and whether one
 * already there may keep running (it may while only NoSchedule taints are untolerated).
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec?.template?.spec;
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec?.nodeName && spec.nodeName !== node.metadata?.name) return no;
  if (spec?.nodeSelector && !selectorFromSet(spec.nodeSelector).matches(node.metadata?.labels)) return no;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !compileNodeSelector(required)(node.metadata?.labels ?? {}, node.metadata?.name ?? '')) return no;
  const tolerations = daemonPodTolerations(ds.spec?.template);
  let shouldRun = true;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerations.some((t) => toleratesTaint(t, taint))) continue;
    if (taint.effect === 'NoExecute') return no;
    shouldRun = false;
  }
  return { shouldRun, shouldContinueRunning: true };
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may only go to `nodeName`. */
function pinToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const result = deepCopy(affinity) ?? {};
  result.nodeAffinity = { ...result.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } };
  return result;
}

/** GetTargetNodeName: the node a daemon pod is on, or is pinned to before it is scheduled. */
function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** What of a node decides where daemons run (not heartbeat times, which change all the time). */
function schedulingView(node: Node): string {
  const conditions = (node.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`);
  return deepPrint([node.metadata?.labels, node.spec, conditions]);
}

/** podByCreationTimestampAndPhase: scheduled pods first, then the oldest. */
function byCreationAndPhase(a: Pod, b: Pod): number {
  const sa = !!a.spec?.nodeName;
  const sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  const d = Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? '');
  if (d) return d;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
}

/** IsPodUpdated: the pod carries the current revision's hash (or the current template generation). */
function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (!!hash && labels[CONTROLLER_REVISION_HASH_LABEL] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation);
}

/** The ControllerRevision data: a patch that puts the template back (`$patch: replace`), keys sorted. */
export function revisionData(ds: DaemonSet): Record<string, unknown> {
  const template = JSON.parse(deepPrint(ds.spec?.template ?? {})) as Record<string, unknown>;
  return { spec: { template: { $patch: 'replace', ...template } } };
}

export class DaemonSetsController extends Controller {
  readonly name = 'daemonset';
  private daemonSets!: Informer<DS>;
  private pods!: Informer<Pod & KubeObject>;
  private nodes!: Informer<Node & KubeObject>;
  private revisions!: Informer<Revision>;
  private readonly expectations: UIDTrackingExpectations;
  private readonly dsClient: ResourceClient<DS>;
  private readonly podClient: ResourceClient<Pod & KubeObject>;
  private readonly revisionClient: ResourceClient<Revision>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.expectations = new UIDTrackingExpectations(() => ctx.clock.now());
    this.dsClient = ctx.client.resource(resources.daemonSets);
    this.podClient = ctx.client.resource(resources.pods);
    this.revisionClient = ctx.client.resource(resources.controllerRevisions);
    this.recorder = ctx.recorder(COMPONENT);
  }

  setup(): void {
    const { informers } = this.ctx;
    this.daemonSets = informers.informerFor(resources.daemonSets);
    this.pods = informers.informerFor(resources.pods);
    this.pods.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.nodes = informers.informerFor(resources.nodes);
    this.revisions = informers.informerFor(resources.controllerRevisions);
    this.revisions.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.daemonSets.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_, ds) => this.enqueue(ds),
      onDelete: (ds) => this.enqueue(ds),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod, true),
      onUpdate: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        if (getControllerOf(old)?.uid !== getControllerOf(pod)?.uid) this.podChanged(old, false);
        this.podChanged(pod, false);
      },
      onDelete: (pod) => this.podGone(pod),
    });
    // Any change to a node can change where daemons belong: labels, taints, readiness.
    const allDaemonSets = () => {
      for (const ds of this.daemonSets.store.list()) this.enqueue(ds);
    };
    this.nodes.addEventHandler({
      onAdd: allDaemonSets,
      onUpdate: (old, node) => {
        if (schedulingView(old) !== schedulingView(node)) allDaemonSets();
      },
      onDelete: allDaemonSets,
    });
    this.revisions.addEventHandler({
      onDelete: (rev) => {
        const ds = this.ownerOf(rev);
        if (ds) this.enqueue(ds);
      },
    });
  }

  private ownerOf(obj: KubeObject): DS | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.store.get(`${obj.metadata?.namespace}/${ref.name}`);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  private podChanged(pod: Pod, added: boolean): void {
    if (pod.metadata?.deletionTimestamp) {
      this.podGone(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const ds = this.ownerOf(pod);
      if (!ds) return;
      if (added) this.expectations.creationObserved(metaNamespaceKey(ds));
      this.enqueue(ds);
      const minReady = ds.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && isPodReady(pod)) this.queue.addAfter(metaNamespaceKey(ds), minReady * 1000 + 1000);
      return;
    }
    const candidates = this.daemonSets.store.byIndex('namespace', pod.metadata?.namespace ?? '');
    for (const ds of ownersSelecting(candidates, pod, (o) => selectorFromLabelSelector(o.spec?.selector))) this.enqueue(ds);
  }

  private podGone(pod: Pod): void {
    const ds = this.ownerOf(pod);
    if (!ds) return;
    const key = metaNamespaceKey(ds);
    this.expectations.deletionObservedOf(key, pod.metadata?.uid);
    this.queue.add(key);
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  // ---------------------------------------------------------------- reconcile

  async reconcile(key: string): Promise<void> {
    const ds = this.daemonSets.store.get(key);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    const selector = selectorFromLabelSelector(ds.spec?.selector);
    if (selector.empty()) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const nodes = this.nodes.store.list();
    const { current, old } = await this.constructHistory(ds, selector);
    const hash = current.metadata!.labels![CONTROLLER_REVISION_HASH_LABEL];
    if (!this.expectations.satisfied(key)) {
      // Status only; observedGeneration waits until this generation is acted on.
      await this.updateStatus(ds, nodes, hash, false);
      return;
    }
    let error: unknown;
    try {
      await this.manage(ds, nodes, hash);
      if (this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        await this.rollingUpdate(ds, nodes, hash);
      }
      await this.cleanupHistory(ds, old);
    } catch (err) {
      error = err;
    }
    await this.updateStatus(ds, nodes, hash, true);
    if (error !== undefined) throw error;
  }

  /** Pods the DaemonSet controls (after claiming), by the node they are on or pinned to. */
  private async nodesToDaemonPods(ds: DS): Promise<Map<string, Pod[]>> {
    const claimed = await claimObjects(
      {
        owner: ds,
        controllerRef: newControllerRef(ds, 'apps/v1', 'DaemonSet'),
        selector: selectorFromLabelSelector(ds.spec?.selector),
        objects: this.podClient,
        canAdopt: () => recheckOwner(() => this.dsClient.namespace(ds.metadata.namespace).get(ds.metadata.name), ds),
      },
      claimCandidates(this.pods.store, ds),
    );
    const byNode = new Map<string, Pod[]>();
    for (const pod of claimed) {
      // Pods both finished and being deleted are on their way out.
      if (isPodTerminal(pod) && pod.metadata?.deletionTimestamp) continue;
      const node = targetNodeName(pod);
      if (!node) continue;
      const list = byNode.get(node);
      if (list) list.push(pod);
      else byNode.set(node, [pod]);
    }
    return byNode;
  }

  private async manage(ds: DS, nodes: Node[], hash: string): Promise<void> {
    const byNode = await this.nodesToDaemonPods(ds);
    const needing: string[] = [];
    const toDelete: Pod[] = [];
    const surge = allowsSurge(ds);
    for (const node of nodes) {
      const name = node.metadata!.name!;
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      const pods = byNode.get(name) ?? [];
      if (shouldRun && pods.length === 0) {
        needing.push(name);
        continue;
      }
      if (!shouldContinueRunning) {
        for (const pod of pods) if (!pod.metadata?.deletionTimestamp) toDelete.push(pod);
        continue;
      }
      const running: Pod[] = [];
      for (const pod of pods) {
        if (pod.metadata?.deletionTimestamp) continue;
        if (pod.status?.phase === 'Failed') {
          this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata!.namespace}/${pod.metadata!.name} on node ${name}, will try to kill it`);
          toDelete.push(pod);
        } else {
          running.push(pod);
        }
      }
      if (running.length <= 1) {
        // A node whose only pod failed gets a new one once it is deleted.
        continue;
      }
      running.sort(byCreationAndPhase);
      if (!surge) {
        toDelete.push(...running.slice(1));
        continue;
      }
      // Surging: an old and a new pod may share a node until the new one is available.
      let oldestNew: Pod | undefined;
      let oldestOld: Pod | undefined;
      for (const pod of running) {
        if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) {
          if (!oldestNew) {
            oldestNew = pod;
            continue;
          }
        } else if (!oldestOld) {
          oldestOld = pod;
          continue;
        }
        toDelete.push(pod);
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, this.now()))) {
        toDelete.push(oldestOld);
      }
    }
    await this.syncNodes(ds, toDelete, needing, hash);
  }

  private async syncNodes(ds: DS, toDelete: Pod[], nodesNeeding: string[], hash: string): Promise<void> {
    const key = metaNamespaceKey(ds);
    const creations = nodesNeeding.slice(0, BURST_REPLICAS);
    this.expectations.expectCreations(key, creations.length);
    if (toDelete.length > 0) this.expectations.expectDeletionsOf(key, toDelete.map((p) => p.metadata!.uid!));
    const errors: unknown[] = [];
    if (creations.length > 0) {
      const template = deepCopy(ds.spec!.template);
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } };
      const generation = templateGeneration(ds);
      if (generation !== undefined) template.metadata.labels![TEMPLATE_GENERATION_LABEL] = generation;
      template.spec!.tolerations = daemonPodTolerations(ds.spec?.template);
      const controllerRef = newControllerRef(ds, 'apps/v1', 'DaemonSet');
      const { successes, error } = await slowStartBatch(creations.length, SLOW_START_INITIAL_BATCH_SIZE, async (i) => {
        const pod = podFromTemplate(template, ds.metadata.name, controllerRef);
        pod.spec!.affinity = pinToNode(pod.spec!.affinity, creations[i]);
        await createPod(this.podClient, this.recorder, ds, pod);
      });
      const skipped = creations.length - successes;
      if (skipped > 0) this.expectations.lowerExpectations(key, skipped, 0);
      if (error !== undefined) errors.push(error);
    }
    await Promise.all(
      toDelete.map(async (pod) => {
        try {
          await deletePod(this.podClient, this.recorder, ds, pod);
        } catch (err) {
          this.expectations.deletionFailed(key, pod.metadata!.uid!);
          if (!isNotFound(err)) errors.push(err);
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }

  // ---------------------------------------------------------------- rolling update

  private async rollingUpdate(ds: DS, nodes: Node[], hash: string): Promise<void> {
    const byNode = await this.nodesToDaemonPods(ds);
    let desired = 0;
    for (const node of nodes) {
      if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
      desired++;
      if (!byNode.has(node.metadata!.name!)) byNode.set(node.metadata!.name!, []);
    }
    const ru = ds.spec?.updateStrategy?.rollingUpdate;
    let maxUnavailable = getScaledValueFromIntOrPercent(ru?.maxUnavailable ?? 0, desired, true);
    const maxSurge = getScaledValueFromIntOrPercent(ru?.maxSurge ?? 0, desired, true);
    if (maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
    const now = this.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const available = (pod: Pod) => isPodAvailable(pod, minReady, now);
    const generation = templateGeneration(ds);

    if (maxSurge === 0) {
      // Delete just enough old pods to stay within maxUnavailable; manage() replaces them.
      let unavailable = 0;
      const replacements: Pod[] = [];
      const candidates: Pod[] = [];
      for (const pods of byNode.values()) {
        const found = updatedPodsOnNode(pods, hash, generation);
        if (!found) {
          unavailable++;
          continue;
        }
        const { newPod, oldPod } = found;
        if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
        else if (newPod) {
          if (!available(newPod)) unavailable++;
        } else if (!available(oldPod!)) {
          replacements.push(oldPod!);
          unavailable++;
        } else if (unavailable < maxUnavailable) {
          candidates.push(oldPod!);
        }
      }
      const remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
      return this.syncNodes(ds, [...replacements, ...candidates.slice(0, remaining)], [], hash);
    }

    // Surging: a new pod beside each old one, the old one deleted once the new is available.
    const toDelete: Pod[] = [];
    const shouldNotRun: Pod[] = [];
    const candidateNodes: string[] = [];
    const allowedNodes: string[] = [];
    let surged = 0;
    let availableCount = 0;
    for (const [nodeName, pods] of byNode) {
      const found = updatedPodsOnNode(pods, hash, generation);
      if (!found) {
        surged++;
        continue;
      }
      const { newPod, oldPod } = found;
      if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) availableCount++;
      if (!oldPod) continue;
      const node = this.nodes.store.get(nodeName);
      const shouldRun = !!node && nodeShouldRunDaemonPod(node, ds).shouldRun;
      if (!newPod) {
        if (!available(oldPod)) {
          if (!shouldRun) toDelete.push(oldPod);
          else allowedNodes.push(nodeName);
        } else if (!shouldRun) {
          shouldNotRun.push(oldPod);
        } else if (surged < maxSurge) {
          candidateNodes.push(nodeName);
        }
        continue;
      }
      if (!available(newPod)) {
        surged++;
        continue;
      }
      toDelete.push(oldPod);
    }
    // Pods on nodes the daemon left go only while enough others are available.
    const deletable = Math.min(Math.max(0, availableCount - desired), shouldNotRun.length);
    toDelete.push(...shouldNotRun.slice(0, deletable));
    const remainingSurge = Math.min(Math.max(0, maxSurge - surged), candidateNodes.length);
    return this.syncNodes(ds, toDelete, [...allowedNodes, ...candidateNodes.slice(0, remainingSurge)], hash);
  }

  // ---------------------------------------------------------------- history

  private async constructHistory(ds: DS, selector: Selector): Promise<{ current: Revision; old: Revision[] }> {
    const histories = await claimObjects(
      {
        owner: ds,
        controllerRef: newControllerRef(ds, 'apps/v1', 'DaemonSet'),
        selector,
        objects: this.revisionClient,
        canAdopt: () => recheckOwner(() => this.dsClient.namespace(ds.metadata.namespace).get(ds.metadata.name), ds),
      },
      claimCandidates(this.revisions.store, ds),
    );
    const data = deepPrint(revisionData(ds));
    const currents: Revision[] = [];
    const old: Revision[] = [];
    for (const h of histories) {
      if (deepPrint(h.data) === data) currents.push(h);
      else old.push(h);
    }
    const next = Math.max(0, ...old.map((h) => h.revision)) + 1;
    if (currents.length === 0) return { current: await this.snapshot(ds, next), old };
    currents.sort((a, b) => b.revision - a.revision);
    let current = currents[0];
    // Duplicates of the current revision (an old controller's leftovers) go.
    for (const dup of currents.slice(1)) {
      await this.revisionClient.namespace(ds.metadata.namespace).delete(dup.metadata.name).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    }
    if (current.revision < next) {
      current = await this.revisionClient.namespace(ds.metadata.namespace).update({ ...current, revision: next });
    }
    if (!current.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]) {
      current = await this.revisionClient.namespace(ds.metadata.namespace).update({ ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: current.metadata.name } } });
    }
    return { current, old };
  }

  private async snapshot(ds: DS, revision: number): Promise<Revision> {
    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
    const name = `${ds.metadata.name}-${hash}`;
    const history: Revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ds.metadata.namespace,
        labels: { ...ds.spec?.template?.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
        ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')],
      },
      data: revisionData(ds),
      revision,
    };
    if (ds.metadata.annotations) history.metadata!.annotations = { ...ds.metadata.annotations };
    try {
      return await this.revisionClient.namespace(ds.metadata.namespace).create(history);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await this.revisionClient.namespace(ds.metadata.namespace).get(name);
      if (deepPrint(existing.data) === deepPrint(history.data)) return existing;
      // A hash collision: bump the collision count so that the next hash differs.
      const fresh = await this.dsClient.namespace(ds.metadata.namespace).get(ds.metadata.name);
      if ((fresh.status?.collisionCount ?? 0) !== (ds.status?.collisionCount ?? 0)) {
        throw new Error(`found a stale collision count (${ds.status?.collisionCount ?? 0}, expected ${fresh.status?.collisionCount ?? 0}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
      }
      await this.dsClient.namespace(ds.metadata.namespace).updateStatus({ ...fresh, status: { ...fresh.status, collisionCount: (fresh.status?.collisionCount ?? 0) + 1 } } as DS);
      throw err;
    }
  }

  /** Deletes the oldest revisions beyond revisionHistoryLimit that no live pod still runs. */
  private async cleanupHistory(ds: DS, old: Revision[]): Promise<void> {
    let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
    if (toKill <= 0) return;
    const live = new Set<string>();
    for (const pods of (await this.nodesToDaemonPods(ds)).values()) {
      for (const pod of pods) {
        const h = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
        if (h) live.add(h);
      }
    }
    for (const history of [...old].sort((a, b) => a.revision - b.revision)) {
      if (toKill <= 0) break;
      if (live.has(history.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])) continue;
      await this.revisionClient.namespace(ds.metadata.namespace).delete(history.metadata.name).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
      toKill--;
    }
  }

  // ---------------------------------------------------------------- status

  private async updateStatus(ds: DS, nodes: Node[], hash: string, observeGeneration: boolean): Promise<void> {
    const byNode = await this.nodesToDaemonPods(ds);
    const now = this.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const generation = templateGeneration(ds);
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let updated = 0;
    let available = 0;
    for (const node of nodes) {
      const pods = byNode.get(node.metadata!.name!) ?? [];
      if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
        if (pods.length > 0) misscheduled++;
        continue;
      }
      desired++;
      if (pods.length === 0) continue;
      current++;
      const pod = [...pods].sort(byCreationAndPhase)[0];
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
      if (isPodUpdated(pod, hash, generation)) updated++;
    }
    const s = ds.status;
    const observed = observeGeneration ? ds.metadata.generation : s?.observedGeneration;
    const status: DaemonSetStatus = {
      ...s,
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
      observedGeneration: observed,
    };
    // Left out when zero, as upstream's omitempty fields are.
    for (const f of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) if (!status[f]) delete status[f];
    const changed = STATUS_COUNTS.some((f) => (status[f] ?? 0) !== (s?.[f] ?? 0)) || (s?.observedGeneration ?? 0) < (observed ?? 0);
    if (changed) {
      try {
        await this.dsClient.namespace(ds.metadata.namespace).updateStatus({ ...ds, status });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    }
    // Availability comes minReadySeconds after readiness with no event of its own.
    if (minReady > 0 && ready !== available) this.queue.addAfter(metaNamespaceKey(ds), minReady * 1000);
  }
}

const STATUS_COUNTS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;

/** AllowsSurge: a rolling update whose maxSurge, scaled to one node, is at least one pod. */
function allowsSurge(ds: DaemonSet): boolean {
  const surge = ds.spec?.updateStrategy?.rollingUpdate?.maxSurge;
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate' || surge === undefined) return false;
  try {
    return getScaledValueFromIntOrPercent(surge, 1, true) > 0;
  } catch {
    return false;
  }
}

/** findUpdatedPodsOnNode: at most one new and one old pod on the node (undefined: more, for manage() to fix). */
function updatedPodsOnNode(pods: Pod[], hash: string, generation: string | undefined): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

export const newDaemonSetsController: ControllerFactory = (ctx) => new DaemonSetsController(ctx);
