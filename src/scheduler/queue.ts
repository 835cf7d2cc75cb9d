// The scheduling queue (upstream's PriorityQueue): activeQ (highest priority, then oldest, first),
// backoffQ (pods waiting out 1 s, 2 s … 10 s after a failed attempt), and the unschedulable pods,
// which stay put until a cluster event one of their rejecting plugins registered for may help,
// or until 5 minutes pass. Pods held back by PreEnqueue (scheduling gates) wait with them.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { KeyedHeap } from '../util/heap.js';
import { type ClusterEvent, type ClusterEventWithHint, type Status, UNSCHEDULABLE_TIMEOUT } from './framework.js';
import { PodInfo } from './nodeinfo.js';

export class QueuedPodInfo {
  /** When the pod was (re-)added to a queue: activeQ order and backoff start. */
  timestamp: number;
  /** When it first entered the queue: what the scheduling latency is measured from. */
  readonly initialAttemptTimestamp: number;
  attempts = 0;
  /** Plugins that rejected it in the last attempt; only their events re-queue it. */
  unschedulablePlugins = new Set<string>();
  /** Held back by a PreEnqueue plugin (scheduling gates). */
  gated = false;
  gatingPlugin = '';

  constructor(
    public podInfo: PodInfo,
    now: number,
  ) {
    this.timestamp = now;
    this.initialAttemptTimestamp = now;
  }

  get key(): string {
    return this.podInfo.key;
  }
}

export interface QueueOptions {
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  /** Unschedulable pods are retried after this long even if nothing happened. */
  podMaxInUnschedulablePodsMs?: number;
  /** PreEnqueue plugins; a non-success status gates the pod. */
  preEnqueue?: (pod: PodInfo) => Status | undefined;
  /** Each plugin's events, from the framework. */
  eventsByPlugin?: Map<string, ClusterEventWithHint[]>;
  now?: () => number;
}

const byPriorityThenAge = (a: QueuedPodInfo, b: QueuedPodInfo): boolean =>
  a.podInfo.priority !== b.podInfo.priority ? a.podInfo.priority > b.podInfo.priority : a.timestamp < b.timestamp;

export class SchedulingQueue {
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((p) => p.key, byPriorityThenAge);
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  /** Popped and being scheduled: an update to one of these is kept for when it comes back. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private schedulingCycle = 0;
  /** The cycle in which the last move request happened (upstream's moveRequestCycle). */
  private moveRequestCycle = -1;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxInUnschedulable: number;
  private readonly now: () => number;
  private readonly eventsByPlugin: Map<string, ClusterEventWithHint[]>;
  private waiters: ((p: QueuedPodInfo | undefined) => void)[] = [];
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  /** Nominated pods by node: preemptors waiting for their victims to leave. */
  private readonly nominated = new Map<string, PodInfo[]>();
  private readonly nominatedNodeOf = new Map<string, string>();

  constructor(private readonly opts: QueueOptions = {}) {
    this.initialBackoff = opts.podInitialBackoffMs ?? 1000;
    this.maxBackoff = opts.podMaxBackoffMs ?? 10_000;
    this.maxInUnschedulable = opts.podMaxInUnschedulablePodsMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    this.eventsByPlugin = opts.eventsByPlugin ?? new Map();
    this.backoffQ = new KeyedHeap((p) => p.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** Starts the periodic flushes: backoffQ every second, long-unschedulable pods every 30 s. */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(1000, () => this.flushBackoffQCompleted());
    every(30_000, () => this.flushUnschedulablePodsLeftover());
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  get pendingCounts(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulablePods.size };
  }

  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulablePods.has(key) || this.inFlight.has(key);
  }

  /** Where the pod is waiting, for tests and debugging. */
  whereIs(key: string): 'active' | 'backoff' | 'unschedulable' | 'gated' | 'inFlight' | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    const u = this.unschedulablePods.get(key);
    if (u) return u.gated ? 'gated' : 'unschedulable';
    return this.inFlight.has(key) ? 'inFlight' : undefined;
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const qp = new QueuedPodInfo(new PodInfo(pod), this.now());
    if (this.has(qp.key)) return;
    this.addToActiveOrGate(qp);
    if (pod.status?.nominatedNodeName) this.addNominatedPod(qp.podInfo, pod.status.nominatedNodeName);
  }

  /** Runs PreEnqueue; gated pods wait in the unschedulable map for the update that ungates them. */
  private addToActiveOrGate(qp: QueuedPodInfo): boolean {
    const s = this.opts.preEnqueue?.(qp.podInfo);
    if (s) {
      qp.gated = true;
      qp.gatingPlugin = s.plugin;
      this.unschedulablePods.set(qp.key, qp);
      return false;
    }
    qp.gated = false;
    this.unschedulablePods.delete(qp.key);
    this.backoffQ.delete(qp.key);
    this.activeQ.addOrUpdate(qp);
    this.wake();
    return true;
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.activeQ.size > 0) {
      const w = this.waiters.shift()!;
      w(this.takeActive());
    }
  }

  private takeActive(): QueuedPodInfo {
    const qp = this.activeQ.pop()!;
    qp.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(qp.key, qp);
    return qp;
  }

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.activeQ.size > 0) return Promise.resolve(this.takeActive());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The pop that does not wait: undefined when activeQ is empty. */
  tryPop(): QueuedPodInfo | undefined {
    return this.closed || this.activeQ.size === 0 ? undefined : this.takeActive();
  }

  /** The scheduling cycle of the pod popped last. */
  get currentCycle(): number {
    return this.schedulingCycle;
  }

  /** The attempt for this pod is over (bound, failed or dropped). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  private backoffDuration(qp: QueuedPodInfo): number {
    let d = this.initialBackoff;
    for (let i = 1; i < qp.attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return Math.min(d, this.maxBackoff);
  }

  private backoffExpiry(qp: QueuedPodInfo): number {
    return qp.timestamp + this.backoffDuration(qp);
  }

  isBackingOff(qp: QueuedPodInfo): boolean {
    return this.backoffExpiry(qp) > this.now();
  }

  /**
   * A pod whose attempt failed. Rejected by plugins: it waits for their events, unless an event
   * arrived while it was in flight (then back off and retry). Any other failure: back off.
   */
  addUnschedulableIfNotPresent(qp: QueuedPodInfo, podSchedulingCycle: number): void {
    this.inFlight.delete(qp.key);
    if (this.activeQ.has(qp.key) || this.backoffQ.has(qp.key) || this.unschedulablePods.has(qp.key)) return;
    qp.timestamp = this.now();
    if (qp.unschedulablePlugins.size === 0 || this.moveRequestCycle >= podSchedulingCycle) {
      this.backoffQ.addOrUpdate(qp);
      return;
    }
    this.unschedulablePods.set(qp.key, qp);
  }

  /** A pending pod changed. */
  update(oldPod: Pod | undefined, newPod: Pod): void {
    const info = new PodInfo(newPod);
    const key = info.key;
    const nominatedNode = newPod.status?.nominatedNodeName;
    if (nominatedNode) this.addNominatedPod(info, nominatedNode);
    else if (this.nominatedNodeOf.has(key) && oldPod?.status?.nominatedNodeName) this.deleteNominatedPod(key);
    const active = this.activeQ.get(key);
    if (active) {
      active.podInfo = info;
      this.activeQ.addOrUpdate(active);
      return;
    }
    const backoff = this.backoffQ.get(key);
    if (backoff) {
      backoff.podInfo = info;
      this.backoffQ.addOrUpdate(backoff);
      return;
    }
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.podInfo = info;
      return;
    }
    const parked = this.unschedulablePods.get(key);
    if (parked) {
      parked.podInfo = info;
      if (parked.gated) {
        this.addToActiveOrGate(parked);
        return;
      }
      // A change to the pod itself (not its status) may be what makes it fit.
      if (oldPod && specOrMetaChanged(oldPod, newPod)) {
        this.unschedulablePods.delete(key);
        if (this.isBackingOff(parked)) this.backoffQ.addOrUpdate(parked);
        else {
          this.activeQ.addOrUpdate(parked);
          this.wake();
        }
      }
      return;
    }
    this.add(newPod);
  }

  delete(pod: Pod): void {
    const key = new PodInfo(pod).key;
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulablePods.delete(key);
    this.inFlight.delete(key);
    this.deleteNominatedPod(key);
  }

  /** Moves backed-off pods whose time is up to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.now();
    let moved = false;
    for (let qp = this.backoffQ.peek(); qp && this.backoffExpiry(qp) <= now; qp = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.activeQ.addOrUpdate(qp);
      moved = true;
    }
    if (moved) this.wake();
  }

  /** Retries pods that have been unschedulable for longer than the limit. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.now();
    const stale: QueuedPodInfo[] = [];
    for (const qp of this.unschedulablePods.values()) {
      if (!qp.gated && now - qp.timestamp > this.maxInUnschedulable) stale.push(qp);
    }
    this.movePods(stale, UNSCHEDULABLE_TIMEOUT, undefined, undefined);
  }

  /** Whether `event` concerns one of the plugins that rejected `qp` (and its hint, if any, agrees). */
  private interested(qp: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): boolean {
    if (event.resource === 'WildCard') return true;
    if (qp.unschedulablePlugins.size === 0) return true;
    for (const plugin of qp.unschedulablePlugins) {
      for (const reg of this.eventsByPlugin.get(plugin) ?? []) {
        if (reg.event.resource !== event.resource && reg.event.resource !== 'WildCard') continue;
        if ((reg.event.actionType & event.actionType) === 0) continue;
        if (!reg.hint || reg.hint(qp.podInfo, oldObj, newObj)) return true;
      }
    }
    return false;
  }

  /**
   * A cluster event: the unschedulable pods it may help go to activeQ (or backoffQ while backing
   * off). Pods in flight learn of it through the move request cycle.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown): void {
    const candidates: QueuedPodInfo[] = [];
    for (const qp of this.unschedulablePods.values()) if (!qp.gated) candidates.push(qp);
    this.movePods(candidates, event, oldObj, newObj);
    this.moveRequestCycle = this.schedulingCycle;
  }

  private movePods(pods: QueuedPodInfo[], event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    let woke = false;
    for (const qp of pods) {
      if (!this.interested(qp, event, oldObj, newObj)) continue;
      this.unschedulablePods.delete(qp.key);
      if (this.isBackingOff(qp)) {
        this.backoffQ.addOrUpdate(qp);
      } else {
        this.activeQ.addOrUpdate(qp);
        woke = true;
      }
    }
    if (woke) this.wake();
  }

  /** The pods waiting in the unschedulable map (gated ones included). */
  unschedulablePodInfos(): QueuedPodInfo[] {
    return Array.from(this.unschedulablePods.values());
  }

  // ---- nominated pods ----

  addNominatedPod(p: PodInfo, nodeName: string): void {
    this.deleteNominatedPod(p.key);
    this.nominatedNodeOf.set(p.key, nodeName);
    const list = this.nominated.get(nodeName);
    if (list) list.push(p);
    else this.nominated.set(nodeName, [p]);
  }

  deleteNominatedPod(key: string): void {
    const node = this.nominatedNodeOf.get(key);
    if (node === undefined) return;
    this.nominatedNodeOf.delete(key);
    const list = this.nominated.get(node)!.filter((p) => p.key !== key);
    if (list.length) this.nominated.set(node, list);
    else this.nominated.delete(node);
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    if (this.nominated.size === 0) return NONE;
    return this.nominated.get(nodeName) ?? NONE;
  }
}

const NONE: PodInfo[] = [];

/** Whether anything but status and bookkeeping metadata changed (upstream's isPodUpdated). */
function specOrMetaChanged(a: Pod, b: Pod): boolean {
  if (a.spec !== b.spec && JSON.stringify(a.spec) !== JSON.stringify(b.spec)) return true;
  const la = a.metadata?.labels ?? {};
  const lb = b.metadata?.labels ?? {};
  const ka = Object.keys(la);
  if (ka.length !== Object.keys(lb).length) return true;
  for (const k of ka) if (la[k] !== lb[k]) return true;
  return false;
}
