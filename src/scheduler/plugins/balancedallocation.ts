// NodeResourcesBalancedAllocation: prefers nodes where, with the pod placed, cpu and memory are
// used in similar proportions (1 − the standard deviation of the used fractions).
import { ActionType, MAX_NODE_SCORE, Status, type ClusterEventWithHint, type CycleState, type Plugin } from '../framework.js';
import { resourceAmount, type NodeInfo, type PodInfo } from '../nodeinfo.js';

export const NAME = 'NodeResourcesBalancedAllocation';

/** The share of the allocatable amount requested, at most 1; −1 when the node has none of the resource. */
function usedFraction(requested: number, allocatable: number): number {
  return allocatable === 0 ? -1 : Math.min(1, requested / allocatable);
}

export class NodeResourcesBalancedAllocation implements Plugin {
  readonly name = NAME;

  /** Scratch space for one node's used fractions (scoring allocates nothing per node). */
  private readonly fractions: Float64Array;
  private readonly cpuAndMemoryOnly: boolean;

  constructor(private readonly resources: string[] = ['cpu', 'memory']) {
    this.fractions = new Float64Array(resources.length);
    this.cpuAndMemoryOnly = resources.length === 2 && resources[0] === 'cpu' && resources[1] === 'memory';
  }

  /** Best-effort pods (no requests at all) change no balance: skip. */
  preScore(_state: CycleState, pod: PodInfo): Status | undefined {
    for (const r of this.resources) if (resourceAmount(pod.requests, r) > 0) return undefined;
    return Status.SKIP;
  }

  score(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    if (this.cpuAndMemoryOnly) {
      // The default profile's case, without the loop over resource names.
      const cpu = usedFraction(nodeInfo.requestedAmount('cpu') + pod.requests.milliCPU, nodeInfo.allocatableAmount('cpu'));
      const memory = usedFraction(nodeInfo.requestedAmount('memory') + pod.requests.memory, nodeInfo.allocatableAmount('memory'));
      // A resource the node has none of is left out: one left has no spread at all.
      const std = cpu < 0 || memory < 0 ? 0 : Math.abs((cpu - memory) / 2);
      return Math.trunc((1 - std) * MAX_NODE_SCORE);
    }
    const fractions = this.fractions;
    let n = 0;
    for (const r of this.resources) {
      const fraction = usedFraction(nodeInfo.requestedAmount(r) + resourceAmount(pod.requests, r), nodeInfo.allocatableAmount(r));
      if (fraction >= 0) fractions[n++] = fraction;
    }
    let std = 0;
    if (n === 2) {
      std = Math.abs((fractions[0] - fractions[1]) / 2);
    } else if (n > 2) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += fractions[i];
      mean /= n;
      let variance = 0;
      for (let i = 0; i < n; i++) variance += (fractions[i] - mean) * (fractions[i] - mean);
      std = Math.sqrt(variance / n);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable } },
    ];
  }
}
