// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that tolerate
// node.kubernetes.io/unschedulable:NoSchedule.
import type { Taint } from 'kubernetes-types/core/v1.js';
import { ActionType, Status, type ClusterEventWithHint, type Plugin } from '../framework.js';
import { tolerationsTolerateTaint } from '../../api/helpers/node-selection.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };
const REJECTED = Status.unresolvable(ERR_REASON_UNSCHEDULABLE);

export class NodeUnschedulable implements Plugin {
  readonly name = NAME;

  filter(_state: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    if (!nodeInfo.unschedulable) return undefined;
    return tolerationsTolerateTaint(pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? undefined : REJECTED;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint } },
      { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodTolerations } },
    ];
  }
}
