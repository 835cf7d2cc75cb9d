// InterPodAffinity: required pod affinity and anti-affinity (of the incoming pod, and the
// anti-affinity of pods already placed) filter nodes by topology domain; preferred terms score them.
import type { Labels } from '../../api/meta/labels.js';
import { ActionType, MAX_NODE_SCORE, Status, type ClusterEventWithHint, type CycleState, type Handle, type Plugin } from '../framework.js';
import { termMatches, type AffinityTerm, type NodeInfo, type PodInfo, type WeightedAffinityTerm } from '../nodeinfo.js';
import type { Snapshot } from '../snapshot.js';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

const AFFINITY_REJECTED = Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
const ANTI_AFFINITY_REJECTED = Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
const EXISTING_ANTI_AFFINITY_REJECTED = Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

export interface InterPodAffinityArgs {
  /** Weight of existing pods' required affinity terms the incoming pod matches (default 1). */
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

/** Matching pods per topology domain: topology key → value → count (nested, so lookups build no strings). */
class TopologyCounts {
  size = 0;
  constructor(readonly m = new Map<string, Map<string, number>>()) {
    for (const byValue of m.values()) this.size += byValue.size;
  }

  update(labels: Labels, key: string, delta: number): void {
    const value = labels[key];
    if (value === undefined) return;
    let byValue = this.m.get(key);
    if (!byValue) this.m.set(key, (byValue = new Map()));
    const before = byValue.get(value);
    const n = (before ?? 0) + delta;
    if (n === 0) {
      if (before !== undefined) this.size--;
      byValue.delete(value);
    } else {
      if (before === undefined) this.size++;
      byValue.set(value, n);
    }
  }

  get(key: string, value: string): number {
    return this.m.get(key)?.get(value) ?? 0;
  }

  clone(): TopologyCounts {
    return new TopologyCounts(new Map(Array.from(this.m, ([k, v]) => [k, new Map(v)])));
  }
}

class PreFilterState {
  constructor(
    readonly pod: PodInfo,
    readonly nsLabels: Labels | undefined,
    /** Domains where placed pods' required anti-affinity matches the incoming pod. */
    readonly existingAntiAffinityCounts: TopologyCounts,
    /** Domains with pods matching all of the incoming pod's required affinity terms. */
    readonly affinityCounts: TopologyCounts,
    /** Domains with pods matching one of the incoming pod's required anti-affinity terms. */
    readonly antiAffinityCounts: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.pod, this.nsLabels, this.existingAntiAffinityCounts.clone(), this.affinityCounts.clone(), this.antiAffinityCounts.clone());
  }
}

export class InterPodAffinity implements Plugin {
  readonly name = NAME;
  private readonly hardPodAffinityWeight: number;
  private readonly ignorePreferredTermsOfExistingPods: boolean;

  constructor(
    private readonly handle: Handle,
    args: InterPodAffinityArgs = {},
  ) {
    this.hardPodAffinityWeight = args.hardPodAffinityWeight ?? 1;
    this.ignorePreferredTermsOfExistingPods = args.ignorePreferredTermsOfExistingPods ?? false;
  }

  /** Whether the incoming pod's term selects `p` (a namespace selector reads p's namespace labels). */
  private incomingTermMatches(term: AffinityTerm, p: PodInfo): boolean {
    return termMatches(term, p, term.namespaceSelector ? this.handle.namespaceLabels(p.namespace) : undefined);
  }

  private matchesAllAffinityTerms(terms: AffinityTerm[], p: PodInfo): boolean {
    if (terms.length === 0) return false;
    for (const t of terms) if (!this.incomingTermMatches(t, p)) return false;
    return true;
  }

  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): Status | undefined {
    const withAnti = snapshot.havePodsWithRequiredAntiAffinityList;
    const affinity = pod.requiredAffinityTerms;
    const anti = pod.requiredAntiAffinityTerms;
    if (withAnti.length === 0 && affinity.length === 0 && anti.length === 0) return Status.SKIP;
    const nsLabels = this.handle.namespaceLabels(pod.namespace);
    const existing = new TopologyCounts();
    for (const ni of withAnti) {
      for (const p of ni.podsWithRequiredAntiAffinity) {
        for (const t of p.requiredAntiAffinityTerms) if (termMatches(t, pod, nsLabels)) existing.update(ni.labels, t.topologyKey, 1);
      }
    }
    const affinityCounts = new TopologyCounts();
    const antiCounts = new TopologyCounts();
    if (affinity.length > 0 || anti.length > 0) {
      for (const ni of snapshot.nodeInfoList) this.countIncomingTerms(pod, ni, ni.pods, affinityCounts, antiCounts, 1);
    }
    state.write(PRE_FILTER_KEY, new PreFilterState(pod, nsLabels, existing, affinityCounts, antiCounts));
    return undefined;
  }

  private countIncomingTerms(pod: PodInfo, ni: NodeInfo, pods: PodInfo[], affinityCounts: TopologyCounts, antiCounts: TopologyCounts, delta: number): void {
    for (const p of pods) {
      if (this.matchesAllAffinityTerms(pod.requiredAffinityTerms, p)) {
        for (const t of pod.requiredAffinityTerms) affinityCounts.update(ni.labels, t.topologyKey, delta);
      }
      for (const t of pod.requiredAntiAffinityTerms) if (this.incomingTermMatches(t, p)) antiCounts.update(ni.labels, t.topologyKey, delta);
    }
  }

  private updateWithPod(state: CycleState, pod: PodInfo, other: PodInfo, ni: NodeInfo, delta: number): void {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return;
    for (const t of other.requiredAntiAffinityTerms) if (termMatches(t, pod, s.nsLabels)) s.existingAntiAffinityCounts.update(ni.labels, t.topologyKey, delta);
    this.countIncomingTerms(pod, ni, [other], s.affinityCounts, s.antiAffinityCounts, delta);
  }

  addPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): void {
    this.updateWithPod(state, pod, toAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): void {
    this.updateWithPod(state, pod, toRemove, nodeInfo, -1);
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return undefined;
    const labels = nodeInfo.labels;
    if (pod.requiredAffinityTerms.length > 0 && !this.satisfiesAffinity(s, pod, labels)) return AFFINITY_REJECTED;
    if (s.antiAffinityCounts.size > 0) {
      for (const t of pod.requiredAntiAffinityTerms) {
        const v = labels[t.topologyKey];
        if (v !== undefined && s.antiAffinityCounts.get(t.topologyKey, v) > 0) return ANTI_AFFINITY_REJECTED;
      }
    }
    if (s.existingAntiAffinityCounts.size > 0) {
      for (const [key, byValue] of s.existingAntiAffinityCounts.m) {
        const v = labels[key];
        if (v !== undefined && (byValue.get(v) ?? 0) > 0) return EXISTING_ANTI_AFFINITY_REJECTED;
      }
    }
    return undefined;
  }

  private satisfiesAffinity(s: PreFilterState, pod: PodInfo, labels: Labels): boolean {
    let podsExist = true;
    for (const t of pod.requiredAffinityTerms) {
      const v = labels[t.topologyKey];
      // Every topology key must be on the node.
      if (v === undefined) return false;
      if (s.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself: nothing matches anywhere yet, so let it in.
    return s.affinityCounts.size === 0 && this.matchesAllAffinityTerms(pod.requiredAffinityTerms, pod);
  }

  preScore(state: CycleState, pod: PodInfo, _nodes: NodeInfo[], allNodes: NodeInfo[]): Status | undefined {
    const hasPreferred = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    const snapshot = this.handle.snapshot();
    const withAffinity = snapshot.havePodsWithAffinityList;
    if (!hasPreferred && (this.ignorePreferredTermsOfExistingPods || withAffinity.length === 0)) return Status.SKIP;
    const nsLabels = this.handle.namespaceLabels(pod.namespace);
    const scores = new Map<string, Map<string, number>>();
    const add = (term: AffinityTerm, weight: number, labels: Labels) => {
      const v = labels[term.topologyKey];
      if (v === undefined) return;
      let byValue = scores.get(term.topologyKey);
      if (!byValue) scores.set(term.topologyKey, (byValue = new Map()));
      byValue.set(v, (byValue.get(v) ?? 0) + weight);
    };
    const nodes = hasPreferred ? allNodes : withAffinity;
    for (const ni of nodes) {
      const labels = ni.labels;
      if (Object.keys(labels).length === 0) continue;
      for (const existing of hasPreferred ? ni.pods : ni.podsWithAffinity) {
        for (const t of pod.preferredAffinityTerms) if (this.incomingTermMatches(t, existing)) add(t, t.weight, labels);
        for (const t of pod.preferredAntiAffinityTerms) if (this.incomingTermMatches(t, existing)) add(t, -t.weight, labels);
        if (this.hardPodAffinityWeight > 0) {
          for (const t of existing.requiredAffinityTerms) if (termMatches(t, pod, nsLabels)) add(t, this.hardPodAffinityWeight, labels);
        }
        if (this.ignorePreferredTermsOfExistingPods) continue;
        const weighted = (terms: WeightedAffinityTerm[], sign: number) => {
          for (const t of terms) if (termMatches(t, pod, nsLabels)) add(t, sign * t.weight, labels);
        };
        weighted(existing.preferredAffinityTerms, 1);
        weighted(existing.preferredAntiAffinityTerms, -1);
      }
    }
    state.write(PRE_SCORE_KEY, scores);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const scores = state.read<Map<string, Map<string, number>>>(PRE_SCORE_KEY);
    if (!scores || scores.size === 0) return 0;
    let total = 0;
    for (const [key, byValue] of scores) {
      const v = nodeInfo.labels[key];
      if (v !== undefined) total += byValue.get(v) ?? 0;
    }
    return total;
  }

  /** Min-max scaling to 0..100 (negative totals from anti-affinity included). */
  normalizeScore(state: CycleState, _pod: PodInfo, scores: Float64Array): void {
    const topo = state.read<Map<string, Map<string, number>>>(PRE_SCORE_KEY);
    if (!topo || topo.size === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s > max) max = s;
      if (s < min) min = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
      { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodLabel } },
    ];
  }
}
