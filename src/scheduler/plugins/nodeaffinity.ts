// NodeAffinity: spec.nodeSelector and required node affinity filter nodes (terms ORed,
// expressions ANDed); preferred terms add their weights to the nodes they match.
import type { PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import {
  ActionType,
  defaultNormalizeScore,
  MAX_NODE_SCORE,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type Plugin,
  type PreFilterResult,
} from '../framework.js';
import { compileNodeSelectorTerm, type NodeMatcher } from '../../api/helpers/node-selection.js';
import { requiredNodeAffinity } from '../helpers.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;
const REJECTED = Status.unresolvable(ERR_REASON_POD);

interface WeightedMatcher {
  weight: number;
  matches: NodeMatcher;
}

export class NodeAffinity implements Plugin {
  readonly name = NAME;

  preFilter(state: CycleState, pod: PodInfo): Status | PreFilterResult | undefined {
    const required = requiredNodeAffinity(pod.pod);
    if (!required) return Status.SKIP;
    state.write(PRE_FILTER_KEY, required);
    // Terms that all pin metadata.name: only those nodes are worth filtering.
    const terms = pod.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (!terms?.length) return undefined;
    const names = new Set<string>();
    for (const t of terms) {
      const pinned = t.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1);
      if (!pinned) return undefined;
      names.add(pinned.values![0]);
    }
    return { nodeNames: names };
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const required = state.read<NodeMatcher>(PRE_FILTER_KEY);
    return !required || required(nodeInfo.labels, nodeInfo.name) ? undefined : REJECTED;
  }

  preScore(state: CycleState, pod: PodInfo): Status | undefined {
    const preferred: PreferredSchedulingTerm[] = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const matchers: WeightedMatcher[] = preferred.filter((t) => t.weight !== 0).map((t) => ({ weight: t.weight, matches: compileNodeSelectorTerm(t.preference) }));
    if (matchers.length === 0) return Status.SKIP;
    state.write(PRE_SCORE_KEY, matchers);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    let total = 0;
    for (const m of state.read<WeightedMatcher[]>(PRE_SCORE_KEY) ?? []) if (m.matches(nodeInfo.labels, nodeInfo.name)) total += m.weight;
    return total;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: Float64Array): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
        hint: (pod, _old, node) => {
          const required = requiredNodeAffinity(pod.pod);
          const n = node as { metadata?: { name?: string; labels?: Record<string, string> } } | undefined;
          return !required || !n?.metadata || required(n.metadata.labels ?? {}, n.metadata.name ?? '');
        },
      },
      { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodOther } },
    ];
  }
}
