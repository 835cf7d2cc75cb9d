// SchedulingGates: a pod with spec.schedulingGates waits outside activeQ until they are removed.
import { ActionType, Status, type ClusterEventWithHint, type Plugin } from '../framework.js';
import type { PodInfo } from '../nodeinfo.js';

export const NAME = 'SchedulingGates';

export class SchedulingGates implements Plugin {
  readonly name = NAME;

  preEnqueue(pod: PodInfo): Status | undefined {
    const gates = pod.pod.spec?.schedulingGates;
    if (!gates?.length) return undefined;
    return Status.unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodSchedulingGatesEliminated } }];
  }
}
