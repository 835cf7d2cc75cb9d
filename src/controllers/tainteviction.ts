// The taint eviction controller (the former taint manager): pods on a node with NoExecute
// taints they do not tolerate are deleted at once; pods that tolerate them for
// `tolerationSeconds` are deleted when that time has passed since the controller saw them
// tainted, unless the taints go first. Evicted pods get the DisruptionTarget condition.
import type { Node, Pod, PodCondition, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import { isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { NODE_NAME_INDEX, podsOnNodeIndex } from './nodelifecycle.js';
import { minTolerationMs, usedTolerations } from './util/taints.js';

interface Scheduled {
  createdAt: number;
  fireAt: number;
}

export class TaintEvictionController extends Controller {
  readonly name = 'taint-eviction-controller';
  private pods!: Informer<Pod>;
  private nodes!: Informer<Node>;
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.recorder = ctx.recorder('taint-eviction-controller');
  }

  setup(): void {
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.pods.addIndexers({ [NODE_NAME_INDEX]: podsOnNodeIndex });
    this.nodes = this.ctx.informers.informerFor<Node>(resources.nodes);
    const enqueue = (p: Pod) => this.enqueue(p as KubeObject);
    this.pods.addEventHandler({ onAdd: enqueue, onUpdate: (_o, p) => enqueue(p), onDelete: enqueue });
    const nodeChanged = (node: Node) => {
      for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, node.metadata!.name!)) enqueue(pod);
    };
    this.nodes.addEventHandler({
      onAdd: nodeChanged,
      onUpdate: (old, node) => {
        if (JSON.stringify(noExecuteTaints(old)) !== JSON.stringify(noExecuteTaints(node))) nodeChanged(node);
      },
      onDelete: nodeChanged,
    });
  }

  async reconcile(key: string): Promise<void> {
    const pod = this.pods.store.get(key);
    const node = pod?.spec?.nodeName ? this.nodes.store.get(pod.spec.nodeName) : undefined;
    const taints = node ? noExecuteTaints(node) : [];
    if (!pod || pod.metadata?.deletionTimestamp || !taints.length) return this.cancel(key, pod);
    const used = usedTolerations(pod.spec?.tolerations ?? [], taints);
    const now = this.ctx.clock.now();
    if (!used) return this.evict(pod);
    const tolerate = minTolerationMs(used);
    if (tolerate === undefined) return this.cancel(key, pod);
    let s = this.scheduled.get(key);
    // A shorter toleration than the one scheduled moves the eviction earlier; a longer one does not delay it.
    if (!s || s.createdAt + tolerate < s.fireAt) {
      s = { createdAt: s?.createdAt ?? now, fireAt: (s?.createdAt ?? now) + tolerate };
      this.scheduled.set(key, s);
    }
    if (now >= s.fireAt) return this.evict(pod);
    this.queue.addAfter(key, s.fireAt - now);
  }

  private cancel(key: string, pod: Pod | undefined): void {
    if (!this.scheduled.delete(key) || !pod || pod.metadata?.deletionTimestamp) return;
    this.recorder.event(pod as KubeObject, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  private async evict(pod: Pod): Promise<void> {
    const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    this.scheduled.delete(key);
    this.recorder.event(pod as KubeObject, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const pods = this.ctx.client.resource<Pod>(resources.pods).namespace(pod.metadata!.namespace!);
    const condition: PodCondition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: new Date(this.ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    try {
      await pods.patch(pod.metadata!.name!, { status: { conditions: [condition] } }, 'strategic', { subresource: 'status' });
      await pods.delete(pod.metadata!.name!, { preconditions: { uid: pod.metadata!.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function noExecuteTaints(node: Node): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

export const taintEvictionControllerFactory: ControllerFactory = (ctx) => new TaintEvictionController(ctx);
