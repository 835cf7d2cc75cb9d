// NodeName: a pod naming a node in spec.nodeName fits that node only.
import { ActionType, Status, type ClusterEventWithHint, type Plugin } from '../framework.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

const REJECTED = Status.unresolvable(ERR_REASON);

export class NodeName implements Plugin {
  readonly name = NAME;

  filter(_state: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const wanted = pod.pod.spec?.nodeName;
    return wanted && wanted !== nodeInfo.name ? REJECTED : undefined;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add } }];
  }
}
