// The pod garbage collector: every gcCheckPeriod it force-deletes pods bound to nodes that no
// longer exist (after a quarantine, and a live GET to be sure), terminating pods that were never
// scheduled, terminating pods on out-of-service nodes, and the oldest terminated pods beyond
// the threshold.
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { NODE_NAME_INDEX, podsOnNodeIndex } from './nodelifecycle.js';
import { isPodTerminal } from './util/endpoints.js';
import { TAINT_OUT_OF_SERVICE } from './util/taints.js';

export interface PodGCOptions {
  /** How often pods are collected (20 s). */
  gcCheckPeriodMs?: number;
  /** How long a node must be missing before its pods go (40 s). */
  quarantineMs?: number;
  /** Terminated pods kept at most (--terminated-pod-gc-threshold, 12500; 0 keeps all). */
  terminatedPodThreshold?: number;
}

const GC_KEY = 'podgc';

export class PodGCController extends Controller {
  readonly name = 'podgc';
  private pods!: Informer<Pod>;
  private nodes!: Informer<Node>;
  /** Nodes seen missing, with when. */
  private readonly missingSince = new Map<string, number>();
  private readonly periodMs: number;
  private readonly quarantineMs: number;
  private readonly threshold: number;

  constructor(ctx: ControllerContext, opts: PodGCOptions = {}) {
    super(ctx);
    this.workers = 1;
    this.periodMs = opts.gcCheckPeriodMs ?? 20_000;
    this.quarantineMs = opts.quarantineMs ?? 40_000;
    this.threshold = opts.terminatedPodThreshold ?? 12_500;
  }

  setup(): void {
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.pods.addIndexers({ [NODE_NAME_INDEX]: podsOnNodeIndex });
    this.nodes = this.ctx.informers.informerFor<Node>(resources.nodes);
  }

  override run(): Promise<void> {
    this.queue.add(GC_KEY);
    return super.run();
  }

  async reconcile(): Promise<void> {
    try {
      await this.gcTerminated();
      await this.gcOrphaned();
      await this.gcUnscheduledTerminating();
      await this.gcTerminating();
    } finally {
      this.queue.addAfter(GC_KEY, this.periodMs);
    }
  }

  private podsClient(pod: Pod) {
    return this.ctx.client.resource<Pod>(resources.pods).namespace(pod.metadata!.namespace!);
  }

  private async forceDelete(pod: Pod): Promise<void> {
    try {
      await this.podsClient(pod).delete(pod.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** markFailedAndDeletePodWithCondition: a pod that is not done yet fails first, with the reason. */
  private async failAndDelete(pod: Pod, reason: string, message: string): Promise<void> {
    if (!isPodTerminal(pod)) {
      const condition: PodCondition = {
        type: 'DisruptionTarget',
        status: 'True',
        reason,
        message,
        lastTransitionTime: new Date(this.ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      try {
        await this.podsClient(pod).patch(pod.metadata!.name!, { status: { phase: 'Failed', conditions: [condition] } }, 'strategic', { subresource: 'status' });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    }
    await this.forceDelete(pod);
  }

  private async gcTerminated(): Promise<void> {
    if (this.threshold <= 0) return;
    const terminated = this.pods.store.list().filter(isPodTerminal);
    const excess = terminated.length - this.threshold;
    if (excess <= 0) return;
    terminated.sort((a, b) => Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? ''));
    for (const pod of terminated.slice(0, excess)) await this.forceDelete(pod);
  }

  private async gcOrphaned(): Promise<void> {
    const now = this.ctx.clock.now();
    const bound = new Set<string>();
    for (const pod of this.pods.store.list()) if (pod.spec?.nodeName) bound.add(pod.spec.nodeName);
    for (const name of this.missingSince.keys()) if (!bound.has(name) || this.nodes.store.get(name)) this.missingSince.delete(name);
    for (const name of bound) {
      if (this.nodes.store.get(name)) continue;
      const since = this.missingSince.get(name);
      if (since === undefined) {
        this.missingSince.set(name, now);
        // Look again when the quarantine ends.
        this.queue.addAfter(GC_KEY, this.quarantineMs);
        continue;
      }
      if (now - since < this.quarantineMs) continue;
      // The cache may lag: only a node the API says is gone orphans its pods.
      try {
        await this.ctx.client.resource<Node>(resources.nodes).get(name);
        continue;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.missingSince.delete(name);
      for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, name)) await this.failAndDelete(pod, 'DeletionByPodGC', 'PodGC: node no longer exists');
    }
  }

  private async gcUnscheduledTerminating(): Promise<void> {
    for (const pod of this.pods.store.list()) {
      if (pod.metadata?.deletionTimestamp && !pod.spec?.nodeName) await this.forceDelete(pod);
    }
  }

  /** Pods stuck terminating on a node that is not ready and marked out of service. */
  private async gcTerminating(): Promise<void> {
    for (const node of this.nodes.store.list()) {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      if (ready || !node.spec?.taints?.some((t) => t.key === TAINT_OUT_OF_SERVICE)) continue;
      for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, node.metadata!.name!)) {
        if (pod.metadata?.deletionTimestamp) await this.forceDelete(pod);
      }
    }
  }
}

export function podGCControllerFactory(opts: PodGCOptions = {}): ControllerFactory {
  return (ctx) => new PodGCController(ctx, opts);
}
