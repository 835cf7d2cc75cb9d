// kube-scheduler as a client of the API: informers feed the cache (assigned pods, nodes) and the
// queue (pending pods naming this scheduler); one loop pops a pod at a time, runs the framework on
// an incrementally refreshed snapshot, assumes the pod onto the chosen node and binds it in the
// background, so many bindings are in flight while the next pod is being placed.
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { selectorFromLabelSelector, selectorFromSet, type Labels, type Selector } from '../api/meta/labels.js';
import type { KubeObject } from '../api/registry.js';
import type { Client } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import { EventRecorder } from '../client/events.js';
import { InformerFactory, type Informer } from '../client/informer.js';
import { resources, type ResourceRef } from '../client/resource.js';
import { Cache } from './cache.js';
import {
  ActionType,
  CycleState,
  FitError,
  Framework,
  podRef,
  Status,
  type ClusterEvent,
  type EventResource,
  type Handle,
  type PostFilterResult,
} from './framework.js';
import type { PodInfo } from './nodeinfo.js';
import { defaultPlugins, type PluginArgs } from './plugins/index.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue.js';
import { Snapshot } from './snapshot.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  /** The spec.schedulerName this scheduler serves (default `default-scheduler`). */
  schedulerName?: string;
  /** 0 (default): adaptive, 50% − nodes/125, at least 5%. */
  percentageOfNodesToScore?: number;
  /** Binding cycles in flight at once (default 1024: upstream starts one goroutine per binding, unbounded; this only caps memory). */
  parallelism?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  pluginArgs?: PluginArgs;
  /** Share informers with other components of the process. */
  informerFactory?: InformerFactory;
}

/** A typed object as informers hold it. */
type Stored<T> = T & KubeObject;

const POD_SCHEDULED = 'PodScheduled';
// Events hold at most this much text; upstream truncates longer messages.
const MAX_EVENT_MESSAGE = 1024;

const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isAssigned = (pod: Pod): boolean => !!pod.spec?.nodeName;

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  for (const k of ka) if (a![k] !== b?.[k]) return false;
  return true;
}

/** What about a node changed that scheduling cares about (upstream's nodeSchedulingPropertiesChange). */
function nodeChange(oldNode: Node, newNode: Node): number {
  let action = 0;
  if ((oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)) action |= ActionType.UpdateNodeTaint;
  if (!sameLabels(oldNode.status?.allocatable, newNode.status?.allocatable)) action |= ActionType.UpdateNodeAllocatable;
  if (!sameLabels(oldNode.metadata?.labels, newNode.metadata?.labels)) action |= ActionType.UpdateNodeLabel;
  if (JSON.stringify(oldNode.spec?.taints ?? []) !== JSON.stringify(newNode.spec?.taints ?? [])) action |= ActionType.UpdateNodeTaint;
  const conditions = (n: Node) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
  if (conditions(oldNode) !== conditions(newNode)) action |= ActionType.UpdateNodeCondition;
  if (!sameLabels(oldNode.metadata?.annotations, newNode.metadata?.annotations)) action |= ActionType.UpdateNodeAnnotation;
  return action;
}

function truncate(msg: string): string {
  return msg.length > MAX_EVENT_MESSAGE ? `${msg.slice(0, MAX_EVENT_MESSAGE - 3)}...` : msg;
}

export class Scheduler {
  readonly schedulerName: string;
  readonly cache = new Cache();
  readonly snapshot = new Snapshot();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  private readonly recorder: EventRecorder;
  private readonly factory: InformerFactory;
  private readonly ownsFactory: boolean;
  private readonly informers: {
    pods: Informer<Stored<Pod>>;
    nodes: Informer<Stored<Node>>;
    namespaces: Informer<Stored<Namespace>>;
    pvcs: Informer<Stored<PersistentVolumeClaim>>;
    pvs: Informer<Stored<PersistentVolume>>;
    storageClasses: Informer<Stored<StorageClass>>;
    pdbs: Informer<Stored<PodDisruptionBudget>>;
    services: Informer<Stored<Service>>;
    replicationControllers: Informer<Stored<ReplicationController>>;
    replicaSets: Informer<Stored<ReplicaSet>>;
    statefulSets: Informer<Stored<StatefulSet>>;
  };
  private readonly parallelism: number;
  private bindingsInFlight = 0;
  private bindingSlotFreed?: () => void;
  private readonly bindings = new Set<Promise<void>>();
  private running?: Promise<void>;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(
    readonly client: Client,
    opts: SchedulerOptions = {},
  ) {
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.parallelism = opts.parallelism ?? 1024;
    this.recorder = new EventRecorder(client, { component: this.schedulerName });
    this.ownsFactory = !opts.informerFactory;
    this.factory = opts.informerFactory ?? new InformerFactory(client);
    const inf = <T>(ref: ResourceRef) => this.factory.informerFor<Stored<T>>(ref);
    this.informers = {
      pods: inf<Pod>(resources.pods),
      nodes: inf<Node>(resources.nodes),
      namespaces: inf<Namespace>(resources.namespaces),
      pvcs: inf<PersistentVolumeClaim>(resources.persistentVolumeClaims),
      pvs: inf<PersistentVolume>(resources.persistentVolumes),
      storageClasses: inf<StorageClass>(resources.storageClasses),
      pdbs: inf<PodDisruptionBudget>(resources.podDisruptionBudgets),
      services: inf<Service>(resources.services),
      replicationControllers: inf<ReplicationController>(resources.replicationControllers),
      replicaSets: inf<ReplicaSet>(resources.replicaSets),
      statefulSets: inf<StatefulSet>(resources.statefulSets),
    };
    const handle = this.makeHandle();
    this.framework = new Framework(defaultPlugins(handle, opts.pluginArgs), handle, opts.percentageOfNodesToScore ?? 0);
    this.queue = new SchedulingQueue({
      podInitialBackoffMs: (opts.podInitialBackoffSeconds ?? 1) * 1000,
      podMaxBackoffMs: (opts.podMaxBackoffSeconds ?? 10) * 1000,
      preEnqueue: (p) => this.framework.runPreEnqueuePlugins(p),
      eventsByPlugin: this.framework.eventsByPlugin(),
    });
  }

  private makeHandle(): Handle {
    const inf = this.informers;
    const framework = () => this.framework;
    return {
      schedulerName: this.schedulerName,
      stopping: this.stopping.signal,
      client: this.client,
      recorder: this.recorder,
      snapshot: () => this.snapshot,
      namespaceLabels: (ns) => inf.namespaces.store.get(ns)?.metadata?.labels,
      pvc: (ns, name) => inf.pvcs.store.get(`${ns}/${name}`),
      pv: (name) => inf.pvs.store.get(name),
      listPVs: () => inf.pvs.store.list(),
      storageClass: (name) => inf.storageClasses.store.get(name),
      pdbs: (ns) => inf.pdbs.store.byIndex('namespace', ns),
      defaultSpreadSelector: (p) => this.defaultSpreadSelector(p),
      nominatedPodsForNode: (node) => this.queue.nominatedPodsForNode(node),
      runFilterPluginsWithNominatedPods: (state, pod, ni) => framework().runFilterPluginsWithNominatedPods(state, pod, ni),
      runPreFilterAddPod: (state, pod, toAdd, ni) => framework().runPreFilterAddPod(state, pod, toAdd, ni),
      runPreFilterRemovePod: (state, pod, toRemove, ni) => framework().runPreFilterRemovePod(state, pod, toRemove, ni),
    };
  }

  /** helper.DefaultSelector: the selectors of Services selecting the pod and of its controller, merged. */
  private defaultSpreadSelector(p: PodInfo): Selector | undefined {
    const set: Record<string, string> = {};
    for (const svc of this.informers.services.store.byIndex('namespace', p.namespace)) {
      const sel = svc.spec?.selector;
      if (sel && Object.keys(sel).length > 0 && selectorFromSet(sel).matches(p.labels)) Object.assign(set, sel);
    }
    let selector = selectorFromSet(set);
    const owner = p.pod.metadata?.ownerReferences?.find((o) => o.controller);
    if (!owner) return selector;
    const key = `${p.namespace}/${owner.name}`;
    try {
      if (owner.kind === 'ReplicationController' && owner.apiVersion === 'v1') {
        const rc = this.informers.replicationControllers.store.get(key);
        if (rc?.spec?.selector) selector = selectorFromSet({ ...set, ...rc.spec.selector });
      } else if ((owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet') && owner.apiVersion === 'apps/v1') {
        const store = owner.kind === 'ReplicaSet' ? this.informers.replicaSets.store : this.informers.statefulSets.store;
        const ls = store.get(key)?.spec?.selector;
        if (ls) selector = selector.add(...selectorFromLabelSelector(ls).requirements);
      }
    } catch {
      // An invalid selector adds nothing, as upstream ignores the conversion error.
    }
    return selector;
  }

  private responsibleFor(pod: Pod): boolean {
    return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === this.schedulerName;
  }

  private moveAll(resource: EventResource, actionType: number, oldObj?: unknown, newObj?: unknown): void {
    const event: ClusterEvent = { resource, actionType };
    this.queue.moveAllToActiveOrBackoffQueue(event, oldObj, newObj);
  }

  private registerHandlers(): void {
    const { pods, nodes, pvcs, pvs, storageClasses } = this.informers;
    pods.addEventHandler({
      onAdd: (pod) => this.onPodAdd(pod),
      onUpdate: (oldPod, newPod) => this.onPodUpdate(oldPod, newPod),
      onDelete: (pod) => this.onPodDelete(pod),
    });
    nodes.addEventHandler({
      onAdd: (node) => {
        this.cache.addNode(node);
        this.moveAll('Node', ActionType.Add, undefined, node);
      },
      onUpdate: (oldNode, newNode) => {
        this.cache.updateNode(newNode);
        const action = nodeChange(oldNode, newNode);
        if (action) this.moveAll('Node', action, oldNode, newNode);
      },
      onDelete: (node) => this.cache.removeNode(node),
    });
    const storage = (resource: EventResource) => ({
      onAdd: (obj: unknown) => this.moveAll(resource, ActionType.Add, undefined, obj),
      onUpdate: (oldObj: unknown, newObj: unknown) => this.moveAll(resource, ActionType.Update, oldObj, newObj),
    });
    pvcs.addEventHandler(storage('PersistentVolumeClaim'));
    pvs.addEventHandler(storage('PersistentVolume'));
    storageClasses.addEventHandler(storage('StorageClass'));
  }

  private onPodAdd(pod: Pod): void {
    if (isAssigned(pod)) {
      if (isTerminal(pod)) return;
      this.cache.addPod(pod);
      this.queue.deleteNominatedPod(podKey(pod));
      this.moveAll('Pod', ActionType.Add, undefined, pod);
    } else if (this.responsibleFor(pod) && !pod.metadata?.deletionTimestamp) {
      this.queue.add(pod);
    }
  }

  private onPodUpdate(oldPod: Pod, newPod: Pod): void {
    if (isAssigned(newPod)) {
      if (!isAssigned(oldPod)) {
        // Bound (by us or another scheduler): it leaves the queue and enters the cache.
        this.queue.delete(oldPod);
        this.onPodAdd(newPod);
        return;
      }
      if (isTerminal(newPod)) {
        this.onPodDelete(newPod);
        return;
      }
      this.cache.updatePod(newPod);
      let action = ActionType.UpdatePodOther;
      if (!sameLabels(oldPod.metadata?.labels, newPod.metadata?.labels)) action |= ActionType.UpdatePodLabel;
      this.moveAll('Pod', action, oldPod, newPod);
      return;
    }
    if (!this.responsibleFor(newPod)) return;
    if (newPod.metadata?.deletionTimestamp) {
      this.queue.delete(newPod);
      return;
    }
    if (this.cache.isAssumedPod(podKey(newPod))) return;
    this.queue.update(oldPod, newPod);
  }

  private onPodDelete(pod: Pod): void {
    if (isAssigned(pod)) {
      this.cache.removePod(pod);
      this.moveAll('Pod', ActionType.Delete, pod, undefined);
    } else {
      this.queue.delete(pod);
    }
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.registerHandlers();
    this.factory.start();
    this.queue.run();
    // Pods and nodes are what every decision needs; the rest fill in as their kinds are served.
    await Promise.all([this.informers.pods.waitForSync(), this.informers.nodes.waitForSync(), this.informers.namespaces.waitForSync()]);
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.queue.close();
    await this.running;
    await Promise.all(this.bindings);
    if (this.ownsFactory) this.factory.stop();
    await this.recorder.flush();
  }

  private async run(): Promise<void> {
    let lastYield = performance.now();
    while (!this.stopped) {
      const qp = this.queue.tryPop() ?? (await this.queue.pop());
      if (!qp || this.stopped) return;
      try {
        await this.scheduleOne(qp, this.queue.currentCycle);
      } catch (err) {
        console.error(`scheduler: scheduling ${podRef(qp.podInfo)} failed:`, err);
        this.queue.addUnschedulableIfNotPresent(qp, this.queue.currentCycle);
      }
      // Let informer events and binding responses in between pods.
      if (performance.now() - lastYield > 5) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
    }
  }

  /** Pods deleted while queued, or already assumed, are not scheduled again. */
  private skipPodSchedule(p: PodInfo): boolean {
    return !!p.pod.metadata?.deletionTimestamp || this.cache.isAssumedPod(p.key);
  }

  /** One scheduling cycle; the binding cycle it starts runs on in the background. */
  async scheduleOne(qp: QueuedPodInfo, cycle: number): Promise<void> {
    const pod = qp.podInfo;
    if (this.skipPodSchedule(pod)) {
      this.queue.done(pod.key);
      return;
    }
    this.cache.updateSnapshot(this.snapshot);
    const state = new CycleState();
    let host: string;
    try {
      host = this.framework.schedulePod(state, pod, this.snapshot).suggestedHost;
    } catch (err) {
      if (!(err instanceof FitError)) {
        this.handleSchedulingFailure(qp, cycle, Status.error((err as Error).message), 'SchedulerError');
        return;
      }
      const { result, status } = await this.framework.runPostFilterPlugins(state, pod, err.diagnosis.nodeToStatus);
      if (!status.isSuccess()) err.diagnosis.postFilterMsg = status.message();
      qp.unschedulablePlugins = err.diagnosis.unschedulablePlugins;
      this.handleSchedulingFailure(qp, cycle, new Status('Unschedulable', [err.error()]), 'Unschedulable', result);
      return;
    }
    const assumed = pod.withNodeName(host);
    this.cache.assumePod(assumed);
    const refused = this.framework.runReservePlugins(state, assumed, host) ?? this.framework.runPermitPlugins(state, assumed, host);
    if (refused) {
      this.framework.runUnreservePlugins(state, assumed, host);
      this.cache.forgetPod(assumed);
      qp.unschedulablePlugins = refused.isRejected() ? new Set([refused.plugin]) : new Set();
      this.handleSchedulingFailure(qp, cycle, refused, refused.isRejected() ? 'Unschedulable' : 'SchedulerError');
      return;
    }
    if (this.bindingsInFlight >= this.parallelism) await new Promise<void>((r) => (this.bindingSlotFreed = r));
    this.bindingsInFlight++;
    const binding = this.bindingCycle(state, qp, assumed, host, cycle).finally(() => {
      this.bindingsInFlight--;
      this.bindings.delete(binding);
      const wake = this.bindingSlotFreed;
      this.bindingSlotFreed = undefined;
      wake?.();
    });
    this.bindings.add(binding);
  }

  private async bindingCycle(state: CycleState, qp: QueuedPodInfo, assumed: PodInfo, host: string, cycle: number): Promise<void> {
    let status: Status | undefined;
    try {
      status = (await this.framework.runPreBindPlugins(state, assumed, host)) ?? (await this.framework.runBindPlugins(state, assumed, host));
    } catch (err) {
      status = Status.error((err as Error).message);
    }
    if (!status) {
      this.cache.finishBinding(assumed);
      this.queue.done(assumed.key);
      this.recorder.event(qp.podInfo.pod, 'Normal', 'Scheduled', `Successfully assigned ${podRef(assumed)} to ${host}`);
      return;
    }
    this.framework.runUnreservePlugins(state, assumed, host);
    this.cache.forgetPod(assumed);
    // The room it held is free again for the pods waiting on it.
    this.moveAll('Pod', ActionType.Delete, assumed.pod, undefined);
    qp.unschedulablePlugins = new Set();
    this.handleSchedulingFailure(qp, cycle, status, 'SchedulerError');
  }

  /**
   * Back to the queue, a FailedScheduling event, and the PodScheduled=False condition (plus any
   * nomination from preemption) written through pods/status.
   */
  private handleSchedulingFailure(qp: QueuedPodInfo, cycle: number, status: Status, reason: 'Unschedulable' | 'SchedulerError', nomination?: PostFilterResult): void {
    const pod = qp.podInfo;
    const current = this.informers.pods.store.get(`${pod.namespace}/${pod.name}`);
    this.queue.done(pod.key);
    // Deleted or bound meanwhile: nothing to report.
    if (!current || isAssigned(current) || (current.metadata?.uid && current.metadata.uid !== pod.pod.metadata?.uid)) return;
    if (status.code === 'Error') qp.unschedulablePlugins = new Set();
    this.queue.addUnschedulableIfNotPresent(qp, cycle);
    const nominated = nomination?.nominatedNodeName;
    if (nominated) this.queue.addNominatedPod(pod, nominated);
    else if (nominated === '') this.queue.deleteNominatedPod(pod.key);
    const message = status.message();
    this.recorder.event(current, 'Warning', 'FailedScheduling', truncate(message));
    void this.updatePodStatus(current, reason, message, nominated);
  }

  private async updatePodStatus(pod: Pod, reason: string, message: string, nominatedNodeName: string | undefined): Promise<void> {
    const existing = pod.status?.conditions?.find((c) => c.type === POD_SCHEDULED);
    const conditionSame = existing?.status === 'False' && existing.reason === reason && existing.message === message;
    const nominationSame = nominatedNodeName === undefined || (pod.status?.nominatedNodeName ?? '') === nominatedNodeName;
    if (conditionSame && nominationSame) return;
    const condition = {
      type: POD_SCHEDULED,
      status: 'False',
      reason,
      message,
      lastProbeTime: null,
      lastTransitionTime: existing?.status === 'False' ? existing.lastTransitionTime : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    const status: Record<string, unknown> = { conditions: [condition] };
    if (nominatedNodeName !== undefined) status.nominatedNodeName = nominatedNodeName || null;
    try {
      await this.client.resource(resources.pods).namespace(pod.metadata!.namespace!).patch(pod.metadata!.name!, { status }, 'strategic', { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) console.error(`scheduler: updating the status of ${podRef(pod)}:`, (err as Error).message);
    }
  }
}

function podKey(pod: Pod): string {
  return pod.metadata?.uid || `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}
