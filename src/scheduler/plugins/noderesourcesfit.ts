// NodeResourcesFit: the pod's requests (init containers, sidecars and overhead counted) must fit
// in what the node has left; scoring prefers the least (or, as configured, the most) allocated nodes.
import { ActionType, MAX_NODE_SCORE, Status, type ClusterEventWithHint, type CycleState, type Plugin } from '../framework.js';
import { resourceAmount, type NodeInfo, type PodInfo, type Resource } from '../nodeinfo.js';

export const NAME = 'NodeResourcesFit';

export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

export interface NodeResourcesFitArgs {
  scoringStrategy?: ScoringStrategy;
  /** Resources scored and their weights (default cpu 1, memory 1). */
  resources?: { name: string; weight: number }[];
  /** Extended resources the scheduler does not check (managed elsewhere). */
  ignoredResources?: string[];
}

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

const NOTHING_INSUFFICIENT: readonly InsufficientResource[] = Object.freeze([]);

/** fitsRequest: every resource the pod lacks on the node (nothing allocated when it fits, as on most nodes). */
export function fitsRequest(req: Resource, nodeInfo: NodeInfo, ignored?: Set<string>): readonly InsufficientResource[] {
  let out: InsufficientResource[] | undefined;
  // cpu, memory and pods from the node's amounts (a snapshot's rows), the rarer resources from its objects.
  const pods = nodeInfo.podCount;
  const allowedPods = nodeInfo.allocatableAmount('pods');
  if (pods + 1 > allowedPods) {
    (out ??= []).push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: pods, capacity: allowedPods });
  }
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && !req.scalar?.size) return out ?? NOTHING_INSUFFICIENT;
  if (req.milliCPU > 0) {
    const capacity = nodeInfo.allocatableAmount('cpu');
    const used = nodeInfo.requestedAmount('cpu');
    if (req.milliCPU > capacity - used) (out ??= []).push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used, capacity });
  }
  if (req.memory > 0) {
    const capacity = nodeInfo.allocatableAmount('memory');
    const used = nodeInfo.requestedAmount('memory');
    if (req.memory > capacity - used) (out ??= []).push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used, capacity });
  }
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    (out ??= []).push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: req.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
    });
  }
  if (req.scalar) {
    for (const [name, quantity] of req.scalar) {
      if (quantity === 0 || ignored?.has(name)) continue;
      const capacity = alloc.scalar?.get(name) ?? 0;
      const inUse = used.scalar?.get(name) ?? 0;
      if (quantity > capacity - inUse) (out ??= []).push({ resourceName: name, reason: `Insufficient ${name}`, requested: quantity, used: inUse, capacity });
    }
  }
  return out ?? NOTHING_INSUFFICIENT;
}

/** A resource's requested total with the pod placed, and the node's allocatable; cpu and memory from the non-zero totals when asked. */
export function requestedAndAllocatable(nodeInfo: NodeInfo, pod: PodInfo, resource: string, nonZero: boolean): [number, number] {
  const useNonZero = nonZero && (resource === 'cpu' || resource === 'memory');
  const podReq = useNonZero ? pod.nonZeroRequests : pod.requests;
  return [nodeInfo.requestedAmount(resource, useNonZero) + resourceAmount(podReq, resource), nodeInfo.allocatableAmount(resource)];
}

const leastRequestedScore = (requested: number, capacity: number): number =>
  capacity === 0 || requested > capacity ? 0 : Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);

const mostRequestedScore = (requested: number, capacity: number): number =>
  capacity === 0 ? 0 : Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);

const DEFAULT_RESOURCES = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

export class NodeResourcesFit implements Plugin {
  readonly name = NAME;
  private readonly resources: { name: string; weight: number }[];
  private readonly scorer: (requested: number, capacity: number) => number;
  private readonly ignored: Set<string>;
  private readonly cpuAndMemoryOnly: boolean;

  constructor(args: NodeResourcesFitArgs = {}) {
    this.resources = args.resources ?? DEFAULT_RESOURCES;
    this.scorer = args.scoringStrategy === 'MostAllocated' ? mostRequestedScore : leastRequestedScore;
    this.ignored = new Set(args.ignoredResources ?? []);
    this.cpuAndMemoryOnly = this.resources.length === 2 && this.resources.every((r, i) => r.name === DEFAULT_RESOURCES[i].name && r.weight === 1);
  }

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const insufficient = fitsRequest(pod.requests, nodeInfo, this.ignored);
    if (insufficient.length === 0) return undefined;
    // Always worth a preemption attempt, even when the pod is bigger than the whole node: kube-scheduler
    // 1.32 returns Unschedulable here (UnschedulableAndUnresolvable for that case only came in 1.34).
    return Status.unschedulable(...insufficient.map((r) => r.reason));
  }

  score(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    if (this.cpuAndMemoryOnly) {
      // The default profile's case, without the generic loop's tuples.
      const cpu = this.scorer(nodeInfo.requestedAmount('cpu', true) + pod.nonZeroRequests.milliCPU, nodeInfo.allocatableAmount('cpu'));
      const mem = this.scorer(nodeInfo.requestedAmount('memory', true) + pod.nonZeroRequests.memory, nodeInfo.allocatableAmount('memory'));
      return Math.trunc((cpu + mem) / 2);
    }
    let total = 0;
    let weights = 0;
    for (const r of this.resources) {
      const [requested, allocatable] = requestedAndAllocatable(nodeInfo, pod, r.name, true);
      total += this.scorer(requested, allocatable) * r.weight;
      weights += r.weight;
    }
    return weights === 0 ? 0 : Math.trunc(total / weights);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel } },
      { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodScaleDown } },
    ];
  }
}
