// TaintToleration: NoSchedule and NoExecute taints a pod does not tolerate keep it off the node;
// untolerated PreferNoSchedule taints make the node score lower.
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { ActionType, defaultNormalizeScore, MAX_NODE_SCORE, Status, type ClusterEventWithHint, type CycleState, type Plugin } from '../framework.js';
import { findUntoleratedTaint, tolerationsTolerateTaint } from '../../api/helpers/node-selection.js';
import { taintText } from '../helpers.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';

export const NAME = 'TaintToleration';
const PRE_SCORE_KEY = `PreScore${NAME}`;

const isFilterEffect = (effect: string) => effect === 'NoSchedule' || effect === 'NoExecute';

export class TaintToleration implements Plugin {
  readonly name = NAME;

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    if (nodeInfo.taints.length === 0) return undefined;
    const taint = findUntoleratedTaint(nodeInfo.taints, pod.pod.spec?.tolerations, isFilterEffect);
    return taint ? Status.unresolvable(`node(s) had untolerated taint ${taintText(taint)}`) : undefined;
  }

  preScore(state: CycleState, pod: PodInfo): Status | undefined {
    // Only tolerations that can tolerate PreferNoSchedule matter for scoring.
    const tolerations = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(PRE_SCORE_KEY, tolerations);
    return undefined;
  }

  /** The number of PreferNoSchedule taints not tolerated; fewer is better. */
  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    if (nodeInfo.taints.length === 0) return 0;
    const tolerations = state.read<Toleration[]>(PRE_SCORE_KEY) ?? [];
    let n = 0;
    for (const t of nodeInfo.taints) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++;
    return n;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: Float64Array): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint } },
      { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodTolerations } },
    ];
  }
}
