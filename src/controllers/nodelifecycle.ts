// The node lifecycle controller: watches kubelet heartbeats (the node's Lease in
// kube-node-lease and its status). A node silent for the grace period (40 s) has its
// conditions set Unknown ("Kubelet stopped posting node status."), its pods marked not ready,
// and is tainted unreachable (or not-ready when the kubelet says Ready=False) with NoSchedule
// and NoExecute; pressure conditions and cordoning (spec.unschedulable) become NoSchedule taints.
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../api/registry.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import {
  sameTaint,
  TAINT_DISK_PRESSURE,
  TAINT_MEMORY_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
  TAINT_NOT_READY,
  TAINT_PID_PRESSURE,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
} from './util/taints.js';
import { deepCopy } from '../api/patch/json.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Pods by the node they are bound to (shared by the node lifecycle, taint eviction and pod GC controllers). */
export const NODE_NAME_INDEX = 'nodelifecycle.k8ts.io/nodeName';

export interface NodeLifecycleOptions {
  /** How long a node may stay silent before it is Unknown (--node-monitor-grace-period, 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** How long a node that never posted Ready gets (--node-startup-grace-period, 60 s). */
  nodeStartupGracePeriodMs?: number;
  /** How often every node is checked (--node-monitor-period, 5 s). */
  nodeMonitorPeriodMs?: number;
}

/** The conditions a silent kubelet leaves Unknown. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** NoSchedule taints that follow a condition's status. */
const CONDITION_TAINTS: [type: string, status: string, key: string][] = [
  ['Ready', 'False', TAINT_NOT_READY],
  ['Ready', 'Unknown', TAINT_UNREACHABLE],
  ['MemoryPressure', 'True', TAINT_MEMORY_PRESSURE],
  ['DiskPressure', 'True', TAINT_DISK_PRESSURE],
  ['PIDPressure', 'True', TAINT_PID_PRESSURE],
  ['NetworkUnavailable', 'True', TAINT_NETWORK_UNAVAILABLE],
];

/** Taint keys this controller owns: any other taint on a node is left as it is. */
const MANAGED_NO_SCHEDULE = new Set([...CONDITION_TAINTS.map(([, , key]) => key), TAINT_UNSCHEDULABLE]);
const MANAGED_NO_EXECUTE = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);

interface NodeHealth {
  /** When this controller last saw the kubelet say something (its clock, not the node's). */
  probeTimestamp: number;
  heartbeat?: string;
  leaseRenewTime?: string;
  readyStatus?: string;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function podsOnNodeIndex(pod: Pod): string[] {
  return pod.spec?.nodeName ? [pod.spec.nodeName] : [];
}

/** The NoSchedule and NoExecute taints the node's conditions and spec call for. */
export function wantedTaints(node: Node, noExecute: boolean, now: number): Taint[] {
  const conditions = node.status?.conditions ?? [];
  const out: Taint[] = [];
  for (const [type, status, key] of CONDITION_TAINTS) {
    if (conditions.some((c) => c.type === type && c.status === status)) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  if (noExecute) {
    const ready = conditions.find((c) => c.type === 'Ready')?.status;
    if (ready === 'False') out.push({ key: TAINT_NOT_READY, effect: 'NoExecute', timeAdded: rfc3339(now) });
    if (ready === 'Unknown') out.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: rfc3339(now) });
  }
  return out;
}

export class NodeLifecycleController extends Controller {
  readonly name = 'nodelifecycle';
  private nodes!: Informer<Node>;
  private leases!: Informer<Lease>;
  private pods!: Informer<Pod>;
  private readonly health = new Map<string, NodeHealth>();
  private readonly recorder: EventRecorder;
  private readonly gracePeriodMs: number;
  private readonly startupGracePeriodMs: number;
  private readonly periodMs: number;
  private timer?: NodeJS.Timeout;

  constructor(ctx: ControllerContext, opts: NodeLifecycleOptions = {}) {
    super(ctx);
    this.recorder = ctx.recorder('node-controller');
    this.gracePeriodMs = opts.nodeMonitorGracePeriodMs ?? 40_000;
    this.startupGracePeriodMs = opts.nodeStartupGracePeriodMs ?? 60_000;
    this.periodMs = opts.nodeMonitorPeriodMs ?? 5_000;
  }

  setup(): void {
    this.nodes = this.ctx.informers.informerFor<Node>(resources.nodes);
    this.leases = this.ctx.informers.informerFor<Lease>(resources.leases, { namespace: NODE_LEASE_NAMESPACE });
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.pods.addIndexers({ [NODE_NAME_INDEX]: podsOnNodeIndex });
    const enqueue = (o: KubeObject) => this.enqueue(o);
    this.nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: (n) => this.health.delete(n.metadata!.name!) });
    // A pod arriving on a node that is not ready is marked not ready too.
    this.pods.addEventHandler({
      onAdd: (p) => {
        if (p.spec?.nodeName) this.queue.add(p.spec.nodeName);
      },
      onUpdate: (o, p) => {
        if (p.spec?.nodeName && p.spec.nodeName !== o.spec?.nodeName) this.queue.add(p.spec.nodeName);
      },
    });
  }

  override run(): Promise<void> {
    this.timer = setInterval(() => {
      for (const key of this.nodes.store.listKeys()) this.queue.add(key);
    }, this.periodMs);
    this.timer.unref();
    return super.run();
  }

  override stop(): void {
    if (this.timer) clearInterval(this.timer);
    super.stop();
  }

  async reconcile(name: string): Promise<void> {
    const cached = this.nodes.store.get(name);
    if (!cached) {
      this.health.delete(name);
      return;
    }
    const now = this.ctx.clock.now();
    const previousReady = this.health.get(name)?.readyStatus;
    const node = await this.tryUpdateNodeHealth(cached, now);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const health = this.health.get(name)!;
    health.readyStatus = ready?.status;
    if (ready?.status !== 'True' && previousReady === 'True') {
      this.recorder.event(node as KubeObject, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
    if (ready && ready.status !== 'True') await this.markPodsNotReady(name);
    await this.reconcileTaints(node, now);
    // Look again when the grace period would run out.
    if (ready?.status === 'True') this.queue.addAfter(name, Math.max(0, health.probeTimestamp + this.gracePeriodMs - now) + 1);
  }

  /** tryUpdateNodeHealth: refreshes the probe time from heartbeats; past the grace period, conditions go Unknown. */
  private async tryUpdateNodeHealth(node: Node, now: number): Promise<Node> {
    const name = node.metadata!.name!;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const lease = this.leases.store.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    let health = this.health.get(name);
    if (!health) {
      health = { probeTimestamp: now, heartbeat: ready?.lastHeartbeatTime, leaseRenewTime: lease?.spec?.renewTime };
      this.health.set(name, health);
    }
    if (ready?.lastHeartbeatTime !== health.heartbeat) {
      health.heartbeat = ready?.lastHeartbeatTime;
      health.probeTimestamp = now;
    }
    const renew = lease?.spec?.renewTime;
    if (renew && renew !== health.leaseRenewTime && (!health.leaseRenewTime || Date.parse(renew) > Date.parse(health.leaseRenewTime))) {
      health.leaseRenewTime = renew;
      health.probeTimestamp = now;
    }
    const grace = ready ? this.gracePeriodMs : this.startupGracePeriodMs;
    if (now <= health.probeTimestamp + grace) return node;
    const copy = deepCopy(node) as Node & { status: NonNullable<Node['status']> };
    copy.status ??= {};
    const conditions: NodeCondition[] = (copy.status.conditions ??= []);
    let changed = false;
    for (const type of KUBELET_CONDITIONS) {
      const c = conditions.find((x) => x.type === type);
      if (!c) {
        const never: NodeCondition = {
          type,
          status: 'Unknown',
          reason: 'NodeStatusNeverUpdated',
          message: 'Kubelet never posted node status.',
          lastHeartbeatTime: node.metadata?.creationTimestamp,
          lastTransitionTime: rfc3339(now),
        };
        conditions.push(never);
        changed = true;
      } else if (c.status !== 'Unknown') {
        c.status = 'Unknown';
        c.reason = 'NodeStatusUnknown';
        c.message = 'Kubelet stopped posting node status.';
        c.lastTransitionTime = rfc3339(now);
        changed = true;
      }
    }
    if (!changed) return node;
    return this.ctx.client.resource<Node>(resources.nodes).updateStatus(copy);
  }

  /** MarkPodsNotReady: the Ready condition of every pod on the node goes False. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const pods = this.ctx.client.resource<Pod>(resources.pods);
    const now = rfc3339(this.ctx.clock.now());
    for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, nodeName)) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const copy = deepCopy(pod);
      const c = copy.status!.conditions!.find((x) => x.type === 'Ready')!;
      c.status = 'False';
      c.lastTransitionTime = now;
      try {
        await pods.namespace(pod.metadata!.namespace!).updateStatus(copy);
        this.recorder.event(pod as KubeObject, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
  }

  /** Whether every node is not ready (upstream's full disruption): then nothing is evicted. */
  private fullDisruption(): boolean {
    const nodes = this.nodes.store.list();
    return nodes.length > 0 && nodes.every((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True');
  }

  private async reconcileTaints(node: Node, now: number): Promise<void> {
    const current = node.spec?.taints ?? [];
    const wanted = wantedTaints(node, !this.fullDisruption(), now);
    const managed = (t: Taint) => (t.effect === 'NoExecute' ? MANAGED_NO_EXECUTE : t.effect === 'NoSchedule' ? MANAGED_NO_SCHEDULE : undefined)?.has(t.key) ?? false;
    // Taints already there keep their timeAdded; those no longer called for go.
    const kept = current.filter((t) => !managed(t) || wanted.some((w) => sameTaint(w, t)));
    const added = wanted.filter((w) => !current.some((t) => sameTaint(w, t)));
    if (!added.length && kept.length === current.length) return;
    const copy = deepCopy(node);
    copy.spec = { ...(copy.spec ?? {}), taints: [...kept, ...added] };
    if (!copy.spec.taints!.length) delete copy.spec.taints;
    await this.ctx.client.resource<Node>(resources.nodes).update(copy);
  }
}

export function nodeLifecycleControllerFactory(opts: NodeLifecycleOptions = {}): ControllerFactory {
  return (ctx) => new NodeLifecycleController(ctx, opts);
}
