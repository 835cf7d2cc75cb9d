// Simulated nodes (what KWOK does): many hollow kubelets in one process, as a client of the API
// only. They share one timer heap, one pod informer indexed by spec.nodeName, one node informer
// and one keyed write queue with a bounded number of requests in flight, so ten thousand nodes
// cost one process little more than their objects.
//
// Per node, as a 1.32 kubelet: register the Node (Ready at once), create and renew its Lease in
// kube-node-lease every 10 s (4% jitter), post node status every 5 minutes or as soon as the
// API's conditions differ from what it would report (checked when the node changes, on the
// 10-second nodeStatusUpdateFrequency grid). Per pod bound to one of the nodes: admit it (or
// reject it with OutOfpods), give it an IP from the node's /24, and write the status that
// simulatePod() computes whenever it changes; a pod with a deletionTimestamp is stopped and then
// deleted with grace period 0 and a UID precondition, as the kubelet's status manager does.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { Client, type ResourceClient } from '../client/client.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import { EventRecorder, objectReference, type EventType, type ObjectReference } from '../client/events.js';
import { Informer, metaNamespaceKey } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { RateLimitingQueue, runWorkers } from '../client/workqueue.js';
import { nodeInternalIP, nodePodCIDR, PodIPAllocator } from './ipam.js';
import { LimitedTransport } from './limit.js';
import {
  DEFAULT_NODE_CAPACITY,
  LEASE_RENEW_JITTER,
  NODE_LEASE_DURATION_SECONDS,
  NODE_LEASE_NAMESPACE,
  NODE_STATUS_REPORT_FREQUENCY_MS,
  NODE_STATUS_UPDATE_FREQUENCY_MS,
  nodeConditions,
  nodeConditionsCurrent,
  nodeLease,
  simulatedNode,
  type NodeCapacity,
  type SimulatedNodeSpec,
} from './node.js';
import { DEFAULT_JOB_DURATION_MS, DEFAULT_STARTUP_MS, rejectedPodStatus, simulatePod, type SimulatedPodState } from './podstatus.js';
import { TimerQueue } from './timers.js';

export interface SimulatedNodesOptions {
  count: number;
  /** Node names are the prefix and a number from 1 (`k8ts-node-1` …); or give `names`. */
  namePrefix?: string;
  names?: string[];
  /** Numbers the nodes from here (names, pod CIDRs and addresses), for several sets in one cluster. */
  firstIndex?: number;
  /** Label the first node as control plane (node-role.kubernetes.io/control-plane). */
  controlPlaneFirst?: boolean;
  /** Also give it kubeadm's control-plane NoSchedule taint (off: a one-node cluster stays usable). */
  taintControlPlane?: boolean;
  /** The cluster range the nodes' /24s come from (default 10.244.0.0/16). */
  podCIDRBase?: string;
  capacity?: Partial<NodeCapacity>;
  /** How long containers of pods that end (restartPolicy Never/OnFailure) run (default 1 s). */
  jobDurationMs?: number;
  /** Sandbox and container creation time: how long a pod shows ContainerCreating (default 100 ms). */
  startupMs?: number;
  /** The kubelet's nodeLeaseDurationSeconds (default 40); the lease is renewed every quarter of it. */
  nodeLeaseDurationSeconds?: number;
  /** How often unchanged node status is posted (the kubelet's nodeStatusReportFrequency, default 5 min). */
  nodeStatusReportFrequencyMs?: number;
  /** Write kubelet events (Starting, NodeReady, Pulled, Created, Started, Killing …); default true. */
  events?: boolean;
  /** API requests in flight at most (default 64). */
  maxConcurrentWrites?: number;
  clock?: () => number;
  /** Failed writes (they are retried with back-off). Default: ignored. */
  onError?(err: unknown, key: string): void;
}

const NODE_NAME_INDEX = 'nodeName';
/** Event writes in flight at most, across all nodes of a set. */
const EVENT_WRITES_IN_FLIGHT = 8;
const FIELD_MANAGER = 'kubelet';

interface SimNode {
  spec: SimulatedNodeSpec;
  uid?: string;
  registered: boolean;
  /** The kubelet is down: no lease, no status, no pod work (stopHeartbeats). */
  frozen: boolean;
  /** The Node was deleted from the API: this kubelet has nothing to report to any more. */
  deleted: boolean;
  ips: PodIPAllocator;
  lease?: Lease;
  /** Pods admitted and not finished, for the pods-capacity check. */
  active: Set<string>;
  podCapacity: number;
  events?: EventRecorder;
}

interface PodRecord {
  key: string;
  uid: string;
  node: SimNode;
  admittedAt: number;
  stoppingAt?: number;
  podIP: string;
  /** Taken from the node's pool (released when the pod finishes or goes). */
  ownsIP: boolean;
  rejected: boolean;
  writtenStage?: string;
  writtenRV?: string;
  deleteSent: boolean;
  announced: SimulatedPodState['progress'];
}

export class SimulatedNodes {
  private readonly nodes = new Map<string, SimNode>();
  private readonly order: SimNode[] = [];
  private readonly pods = new Map<string, PodRecord>();
  private readonly queue = new RateLimitingQueue<string>();
  private readonly timers: TimerQueue;
  private readonly now: () => number;
  private readonly podInformer: Informer<Pod>;
  private readonly nodeInformer: Informer<Node>;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly leaseClient: ResourceClient<Lease>;
  private readonly jobDurationMs: number;
  private readonly startupMs: number;
  private readonly reportEveryMs: number;
  private readonly leaseSeconds: number;
  private readonly events: boolean;
  private eventClient?: Client;
  private workers?: Promise<void>;
  private pendingRegistrations = 0;
  private registered?: () => void;
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly opts: SimulatedNodesOptions,
  ) {
    this.now = opts.clock ?? Date.now;
    this.timers = new TimerQueue(this.now);
    this.jobDurationMs = opts.jobDurationMs ?? DEFAULT_JOB_DURATION_MS;
    this.startupMs = opts.startupMs ?? DEFAULT_STARTUP_MS;
    this.reportEveryMs = opts.nodeStatusReportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS;
    this.leaseSeconds = opts.nodeLeaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS;
    this.events = opts.events ?? true;
    this.nodeClient = client.resource<Node>(resources.nodes);
    this.podClient = client.resource<Pod>(resources.pods);
    this.leaseClient = client.resource<Lease>(resources.leases).namespace(NODE_LEASE_NAMESPACE);
    const capacity = { ...DEFAULT_NODE_CAPACITY, ...opts.capacity };
    const first = opts.firstIndex ?? 0;
    const base = opts.podCIDRBase ?? '10.244.0.0/16';
    for (let i = 0; i < opts.count; i++) {
      const index = first + i;
      const name = opts.names?.[i] ?? `${opts.namePrefix ?? 'k8ts-node-'}${index + 1}`;
      if (this.nodes.has(name)) throw new Error(`simulated node "${name}" is named twice`);
      const controlPlane = i === 0 && !!opts.controlPlaneFirst;
      const podCIDR = nodePodCIDR(base, index);
      const node: SimNode = {
        spec: { name, internalIP: nodeInternalIP(index), podCIDR, controlPlane, taintControlPlane: !!opts.taintControlPlane, capacity },
        registered: false,
        frozen: false,
        deleted: false,
        ips: new PodIPAllocator(podCIDR),
        active: new Set(),
        podCapacity: Number.parseInt(capacity.pods, 10),
      };
      this.nodes.set(name, node);
      this.order.push(node);
    }
    this.podInformer = new Informer<Pod>(client, resources.pods, {
      fieldSelector: 'spec.nodeName!=',
      indexers: { [NODE_NAME_INDEX]: (p) => [p.spec?.nodeName ?? ''] },
    });
    this.nodeInformer = new Informer<Node>(client, resources.nodes);
  }

  /** The node names, in order. */
  get nodeNames(): string[] {
    return this.order.map((n) => n.spec.name);
  }

  /** Registers every node and its lease; resolves when all are registered and Ready. */
  async start(): Promise<void> {
    const allRegistered = new Promise<void>((resolve) => (this.registered = resolve));
    this.pendingRegistrations = this.order.length;
    if (this.pendingRegistrations === 0) this.registered?.();
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_, pod) => this.podChanged(pod),
      onDelete: (pod) => this.podChanged(pod),
    });
    this.nodeInformer.addEventHandler({
      onUpdate: (_, node) => this.nodeChanged(node),
      onDelete: (node) => this.nodeDeleted(node),
    });
    this.workers = runWorkers(this.queue, this.opts.maxConcurrentWrites ?? 64, (key) => this.reconcile(key), {
      onError: (key, err) => this.opts.onError?.(err, key),
    });
    for (const node of this.order) this.queue.add(`n:${node.spec.name}`);
    this.podInformer.start();
    this.nodeInformer.start();
    await Promise.all([allRegistered, this.podInformer.waitForSync(), this.nodeInformer.waitForSync()]);
  }

  /** Stops every kubelet (the Nodes stay, and go NotReady as real nodes would), waiting for writes in flight. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.stop();
    this.podInformer.stop();
    this.nodeInformer.stop();
    await this.queue.shutDownWithDrain();
    await this.workers;
    await Promise.all(this.order.map((n) => n.events?.flush()));
  }

  /** Simulates a kubelet failure: no more lease renewals, node status or pod status from this node. */
  stopHeartbeats(nodeName: string): void {
    const node = this.mustGet(nodeName);
    node.frozen = true;
    this.timers.cancel(`l:${nodeName}`);
    this.timers.cancel(`n:${nodeName}`);
  }

  /** The kubelet comes back: it renews its lease, posts status and resyncs every pod at once. */
  resumeHeartbeats(nodeName: string): void {
    const node = this.mustGet(nodeName);
    if (!node.frozen) return;
    node.frozen = false;
    this.queue.add(`l:${nodeName}`);
    this.queue.add(`n:${nodeName}`);
    for (const key of this.podInformer.store.indexKeys(NODE_NAME_INDEX, nodeName)) {
      const rec = this.pods.get(key);
      if (rec) rec.writtenStage = undefined;
      this.queue.add(`p:${key}`);
    }
  }

  private mustGet(nodeName: string): SimNode {
    const node = this.nodes.get(nodeName);
    if (!node) throw new Error(`"${nodeName}" is not a simulated node of this set`);
    return node;
  }

  // ---------------------------------------------------------------- informer events

  private podChanged(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || !this.nodes.has(nodeName)) return;
    const key = metaNamespaceKey(pod);
    // The echo of our own status write needs no work.
    const rec = this.pods.get(key);
    if (rec && rec.writtenRV !== undefined && rec.writtenRV === pod.metadata?.resourceVersion) return;
    this.queue.add(`p:${key}`);
  }

  private nodeChanged(obj: Node): void {
    const node = this.nodes.get(obj.metadata?.name ?? '');
    if (!node || !node.registered || node.frozen || node.deleted) return;
    if (nodeConditionsCurrent(obj.status?.conditions)) return;
    // The kubelet notices on its next nodeStatusUpdateFrequency tick.
    const now = this.now();
    const at = Math.ceil(now / NODE_STATUS_UPDATE_FREQUENCY_MS) * NODE_STATUS_UPDATE_FREQUENCY_MS;
    const key = `n:${node.spec.name}`;
    const due = this.timers.when(key);
    if (due === undefined || due > at) this.timers.schedule(key, at, () => this.queue.add(key));
  }

  private nodeDeleted(obj: Node): void {
    const node = this.nodes.get(obj.metadata?.name ?? '');
    if (!node || !node.registered || obj.metadata?.uid !== node.uid) return;
    node.deleted = true;
    this.timers.cancel(`l:${node.spec.name}`);
    this.timers.cancel(`n:${node.spec.name}`);
  }

  // ---------------------------------------------------------------- reconcile

  private reconcile(key: string): Promise<void> {
    const what = key.slice(2);
    switch (key[0]) {
      case 'n':
        return this.syncNode(this.nodes.get(what)!);
      case 'l':
        return this.renewLease(this.nodes.get(what)!);
      default:
        return this.syncPod(what);
    }
  }

  private async syncNode(node: SimNode): Promise<void> {
    if (this.stopped || node.frozen || node.deleted) return;
    const name = node.spec.name;
    if (!node.registered) {
      await this.register(node);
      return;
    }
    const now = this.now();
    const current = this.nodeInformer.store.get(name);
    const wasReady = current?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    const conditions = nodeConditions(now, current?.status?.conditions);
    await this.nodeClient.patch(
      name,
      { status: { conditions } },
      'strategic',
      { subresource: 'status', fieldManager: FIELD_MANAGER },
    ).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
    if (!wasReady) this.nodeEvent(node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
    this.scheduleNodeReport(node, now);
  }

  private scheduleNodeReport(node: SimNode, from: number): void {
    const key = `n:${node.spec.name}`;
    this.timers.schedule(key, from + this.reportEveryMs, () => this.queue.add(key));
  }

  /** Creates the Node (or takes over an existing one, as a restarted kubelet does) and its Lease. */
  private async register(node: SimNode): Promise<void> {
    const now = this.now();
    const name = node.spec.name;
    let registered: Node;
    try {
      registered = await this.nodeClient.create(simulatedNode(node.spec, now), { fieldManager: FIELD_MANAGER });
      this.nodeEvent(node, 'Normal', 'Starting', 'Starting kubelet.');
      for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) {
        this.nodeEvent(node, 'Normal', reason, `Node ${name} status is now: ${reason}`);
      }
      this.nodeEvent(node, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
      this.nodeEvent(node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await this.nodeClient.get(name);
      // The pod CIDR cannot change once set: pod IPs come from the one the node has.
      const cidr = existing.spec?.podCIDR;
      if (cidr && cidr !== node.spec.podCIDR && cidr.endsWith('/24')) {
        node.spec.podCIDR = cidr;
        node.ips = new PodIPAllocator(cidr);
      }
      const fresh = simulatedNode(node.spec, now).status!;
      registered = await this.nodeClient.patch(
        name,
        { status: { ...fresh, conditions: nodeConditions(now, existing.status?.conditions) } },
        'strategic',
        { subresource: 'status', fieldManager: FIELD_MANAGER },
      );
      this.nodeEvent(node, 'Normal', 'Starting', 'Starting kubelet.');
    }
    node.uid = registered.metadata?.uid;
    await this.writeLease(node, now);
    node.registered = true;
    this.scheduleNodeReport(node, now);
    if (--this.pendingRegistrations === 0) this.registered?.();
    // Pods bound before the node registered wait for it.
    for (const key of this.podInformer.store.indexKeys(NODE_NAME_INDEX, name)) this.queue.add(`p:${key}`);
  }

  private async renewLease(node: SimNode): Promise<void> {
    if (this.stopped || node.frozen || node.deleted || !node.registered) return;
    await this.writeLease(node, this.now());
  }

  /** Renews from the lease last written (a GET only after a conflict), creating it when missing. */
  private async writeLease(node: SimNode, now: number): Promise<void> {
    const name = node.spec.name;
    const fresh = nodeLease(name, node.uid, now, this.leaseSeconds);
    try {
      if (node.lease) {
        node.lease = await this.leaseClient.update({ ...node.lease, spec: { ...node.lease.spec, ...fresh.spec } });
      } else {
        node.lease = await this.leaseClient.create(fresh);
      }
    } catch (err) {
      if (isAlreadyExists(err) || isConflict(err)) {
        const current = await this.leaseClient.get(name);
        node.lease = await this.leaseClient.update({ ...current, spec: { ...current.spec, ...fresh.spec } });
      } else if (isNotFound(err)) {
        node.lease = await this.leaseClient.create(fresh);
      } else {
        node.lease = undefined;
        throw err;
      }
    }
    const key = `l:${name}`;
    const next = now + ((this.leaseSeconds * 1000) / 4) * (1 + Math.random() * LEASE_RENEW_JITTER);
    this.timers.schedule(key, next, () => this.queue.add(key));
  }

  private async syncPod(key: string): Promise<void> {
    if (this.stopped) return;
    const pod = this.podInformer.store.get(key);
    let rec = this.pods.get(key);
    if (rec && (!pod || rec.uid !== pod.metadata?.uid)) {
      this.forget(rec);
      rec = undefined;
    }
    if (!pod) return;
    const node = this.nodes.get(pod.spec?.nodeName ?? '');
    if (!node || !node.registered || node.frozen || node.deleted) return;
    const now = this.now();
    if (!rec) {
      rec = this.admit(pod, node, now);
      if (!rec) return;
    }
    if (rec.rejected) {
      if (rec.writtenStage === undefined) await this.writeRejection(pod, rec, now);
      return;
    }
    if (pod.metadata?.deletionTimestamp && rec.stoppingAt === undefined) rec.stoppingAt = now;
    const state = simulatePod(
      { pod, hostIP: node.spec.internalIP, podIP: rec.podIP, admittedAt: rec.admittedAt, stoppingAt: rec.stoppingAt, startupMs: this.startupMs, jobDurationMs: this.jobDurationMs },
      now,
    );
    this.announce(pod, rec, state);
    if (state.finished) this.release(rec);
    if (state.stage !== rec.writtenStage) {
      const conditions = state.status.conditions ?? [];
      // A strategic merge patch merges conditions by type: null clears a reason no longer given.
      const patch = {
        metadata: { uid: rec.uid },
        status: {
          ...state.status,
          conditions: conditions.map((c) => ({ ...c, reason: c.reason ?? null, message: c.message ?? null })),
          '$setElementOrder/conditions': conditions.map((c) => ({ type: c.type })),
        },
      };
      try {
        const written = await this.podClient.namespace(pod.metadata!.namespace!).patch(pod.metadata!.name!, patch, 'strategic', { subresource: 'status', fieldManager: FIELD_MANAGER });
        rec.writtenStage = state.stage;
        rec.writtenRV = written.metadata?.resourceVersion;
      } catch (err) {
        if (isNotFound(err) || isConflict(err)) return;
        throw err;
      }
    }
    if (state.deletable) {
      if (!rec.deleteSent) await this.deletePod(pod, rec);
      return;
    }
    const timerKey = `p:${key}`;
    if (state.nextAt !== undefined) this.timers.schedule(timerKey, state.nextAt, () => this.queue.add(timerKey));
    else this.timers.cancel(timerKey);
  }

  /** Kubelet admission: the pod takes a slot and an IP, or is rejected when the node is full. */
  private admit(pod: Pod, node: SimNode, now: number): PodRecord | undefined {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return undefined;
    const key = metaNamespaceKey(pod);
    // A pod this node already ran (a restart of the simulation) keeps its start time and IP.
    const startTime = pod.status?.startTime;
    const ours = pod.status?.hostIP === node.spec.internalIP;
    const admittedAt = ours && startTime ? Date.parse(startTime) : now;
    const rec: PodRecord = {
      key,
      uid: pod.metadata?.uid ?? '',
      node,
      admittedAt,
      podIP: '',
      ownsIP: false,
      rejected: false,
      deleteSent: false,
      announced: { initStarted: 0, run: -1, backingOff: false, stopping: false },
    };
    this.pods.set(key, rec);
    if (node.active.size >= node.podCapacity) {
      rec.rejected = true;
      return rec;
    }
    node.active.add(key);
    if (pod.spec?.hostNetwork) {
      rec.podIP = node.spec.internalIP;
    } else {
      const previous = ours ? pod.status?.podIP : undefined;
      const ip = previous && node.ips.reserve(previous) ? previous : node.ips.allocate();
      rec.podIP = ip ?? '';
      rec.ownsIP = ip !== undefined;
    }
    return rec;
  }

  private async writeRejection(pod: Pod, rec: PodRecord, now: number): Promise<void> {
    const capacity = rec.node.podCapacity;
    const message = `Node didn't have enough resource: pods, requested: 1, used: ${rec.node.active.size}, capacity: ${capacity}`;
    this.podEvent(pod, rec, 'Warning', 'OutOfpods', message);
    try {
      await this.podClient.namespace(pod.metadata!.namespace!).patch(
        pod.metadata!.name!,
        { metadata: { uid: rec.uid }, status: rejectedPodStatus('OutOfpods', message, now) },
        'strategic',
        { subresource: 'status', fieldManager: FIELD_MANAGER },
      );
      rec.writtenStage = 'rejected';
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private async deletePod(pod: Pod, rec: PodRecord): Promise<void> {
    try {
      await this.podClient.namespace(pod.metadata!.namespace!).delete(pod.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid: rec.uid } });
      rec.deleteSent = true;
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) rec.deleteSent = true;
      else throw err;
    }
  }

  /** The sandbox is gone: its IP and pod slot are free again. */
  private release(rec: PodRecord): void {
    if (rec.ownsIP) rec.node.ips.release(rec.podIP);
    rec.ownsIP = false;
    rec.node.active.delete(rec.key);
  }

  private forget(rec: PodRecord): void {
    this.release(rec);
    this.pods.delete(rec.key);
    this.timers.cancel(`p:${rec.key}`);
  }

  // ---------------------------------------------------------------- events

  private recorder(node: SimNode): EventRecorder | undefined {
    if (!this.events) return undefined;
    this.eventClient ??= new Client(new LimitedTransport(this.client.transport, EVENT_WRITES_IN_FLIGHT));
    node.events ??= new EventRecorder(this.eventClient, { component: 'kubelet', host: node.spec.name });
    return node.events;
  }

  private nodeEvent(node: SimNode, type: EventType, reason: string, message: string): void {
    // Kubelets name their node by name in events, with the name as UID.
    const ref: ObjectReference = { kind: 'Node', name: node.spec.name, uid: node.spec.name };
    this.recorder(node)?.event(ref, type, reason, message);
  }

  private podEvent(pod: Pod, rec: PodRecord, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const recorder = this.recorder(rec.node);
    if (!recorder) return;
    const ref = objectReference(pod);
    if (fieldPath) ref.fieldPath = fieldPath;
    recorder.event(ref, type, reason, message);
  }

  /** The kubelet's container events for what happened since the last look. */
  private announce(pod: Pod, rec: PodRecord, state: SimulatedPodState): void {
    const was = rec.announced;
    const now = state.progress;
    rec.announced = now;
    if (!this.events) return;
    const podName = `${pod.metadata?.name}_${pod.metadata?.namespace}(${rec.uid})`;
    const started = (fieldPath: string, image: string, name: string) => {
      this.podEvent(pod, rec, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fieldPath);
      this.podEvent(pod, rec, 'Normal', 'Created', `Created container: ${name}`, fieldPath);
      this.podEvent(pod, rec, 'Normal', 'Started', `Started container ${name}`, fieldPath);
    };
    const inits = pod.spec?.initContainers ?? [];
    for (let i = was.initStarted; i < now.initStarted; i++) started(`spec.initContainers{${inits[i].name}}`, inits[i].image ?? '', inits[i].name);
    const containers = pod.spec?.containers ?? [];
    if (now.run > was.run) for (const c of containers) started(`spec.containers{${c.name}}`, c.image ?? '', c.name);
    if (now.backingOff && !was.backingOff) {
      for (const c of containers) this.podEvent(pod, rec, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podName}`, `spec.containers{${c.name}}`);
    }
    if (now.stopping && !was.stopping && now.run >= 0) {
      for (const c of containers) this.podEvent(pod, rec, 'Normal', 'Killing', `Stopping container ${c.name}`, `spec.containers{${c.name}}`);
    }
  }
}
