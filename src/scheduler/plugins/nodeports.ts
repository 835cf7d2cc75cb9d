// NodePorts: a pod's host ports must be free on the node (0.0.0.0 conflicts with any address).
import { ActionType, Status, type ClusterEventWithHint, type CycleState, type Plugin } from '../framework.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

const REJECTED = Status.unschedulable(ERR_REASON);

export class NodePorts implements Plugin {
  readonly name = NAME;

  preFilter(_state: CycleState, pod: PodInfo): Status | undefined {
    return pod.hostPorts.length === 0 ? Status.SKIP : undefined;
  }

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    if (nodeInfo.usedPorts.size === 0) return undefined;
    for (const p of pod.hostPorts) if (nodeInfo.usedPorts.conflicts(p)) return REJECTED;
    return undefined;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // A pod leaving frees its ports.
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint: (_pod, oldObj) => hasHostPorts(oldObj) },
      { event: { resource: 'Node', actionType: ActionType.Add } },
    ];
  }
}

function hasHostPorts(obj: unknown): boolean {
  const pod = obj as { spec?: { containers?: { ports?: { hostPort?: number }[] }[] } } | undefined;
  return pod?.spec?.containers?.some((c) => c.ports?.some((p) => (p.hostPort ?? 0) > 0)) ?? true;
}
