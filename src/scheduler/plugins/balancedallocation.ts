// NodeResourcesBalancedAllocation: prefers nodes where, with the pod placed, cpu and memory are
// used in similar proportions (1 − the standard deviation of the used fractions).
import { ActionType, MAX_NODE_SCORE, Status, type ClusterEventWithHint, type CycleState, type Plugin } from '../framework.js';
import { resourceAmount, type NodeInfo, type PodInfo } from '../nodeinfo.js';

export const NAME = 'NodeResourcesBalancedAllocation';

export class NodeResourcesBalancedAllocation implements Plugin {
  readonly name = NAME;

  /** Scratch space for one node's used fractions (scoring allocates nothing per node). */
  private readonly fractions: Float64Array;

  constructor(private readonly resources: string[] = ['cpu', 'memory']) {
    this.fractions = new Float64Array(resources.length);
  }

  /** Best-effort pods (no requests at all) change no balance: skip. */
  preScore(_state: CycleState, pod: PodInfo): Status | undefined {
    for (const r of this.resources) if (resourceAmount(pod.requests, r) > 0) return undefined;
    return Status.SKIP;
  }

  score(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const fractions = this.fractions;
    let n = 0;
    for (const r of this.resources) {
      const allocatable = nodeInfo.allocatableAmount(r);
      if (allocatable === 0) continue;
      const requested = nodeInfo.requestedAmount(r) + resourceAmount(pod.requests, r);
      fractions[n++] = Math.min(1, requested / allocatable);
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
