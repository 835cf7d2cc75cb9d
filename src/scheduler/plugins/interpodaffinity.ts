// InterPodAffinity: required pod affinity and anti-affinity (of the incoming pod, and the
// anti-affinity of pods already placed) filter nodes by topology domain; preferred terms score them.
import type { Labels, Selector } from '../../api/meta/labels.js';
import { ActionType, MAX_NODE_SCORE, Status, type ClusterEventWithHint, type CycleState, type Handle, type Plugin } from '../framework.js';
import { termMatches, type AffinityTerm, type NodeInfo, type PodInfo } from '../nodeinfo.js';
import type { PodAggregate, Snapshot } from '../snapshot.js';

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

type Counts = Map<string, Map<string, number>>;

/**
 * Matching pods per topology domain: topology key → value → count (nested, so lookups build no
 * strings). A view of counts the snapshot keeps is read as is; its first change copies them.
 */
class TopologyCounts {
  size = 0;
  constructor(
    private m: Counts = new Map(),
    private shared = false,
  ) {
    for (const byValue of m.values()) this.size += byValue.size;
  }

  /** Adds `delta` to the node's domain of `key`, when the node has that label. */
  update(labels: Labels, key: string, delta: number): void {
    const value = labels[key];
    if (value !== undefined) this.add(key, value, delta);
  }

  add(key: string, value: string, delta: number): void {
    if (this.shared) {
      this.m = copyCounts(this.m);
      this.shared = false;
    }
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

  /** The counts of one topology key's domains (read-only). */
  byKey(key: string): ReadonlyMap<string, number> | undefined {
    return this.m.get(key);
  }

  /** Whether the node's domain of any topology key holds matching pods. */
  anyIn(labels: Labels): boolean {
    for (const [key, byValue] of this.m) {
      const v = labels[key];
      if (v !== undefined && (byValue.get(v) ?? 0) > 0) return true;
    }
    return false;
  }

  /** A read-only view for one cycle (a change copies first). */
  view(): TopologyCounts {
    return new TopologyCounts(this.m, true);
  }

  clone(): TopologyCounts {
    return new TopologyCounts(copyCounts(this.m));
  }
}

function copyCounts(m: Counts): Counts {
  return new Map(Array.from(m, ([k, v]) => [k, new Map(v)]));
}

/** Equal terms of existing pods: the pods (or, for preferred terms, their weights) per domain of the term's topology key. */
interface TermGroup {
  term: AffinityTerm;
  counts: Map<string, number>;
}

/** Every existing pod's (anti-)affinity terms, equal terms grouped, kept by the snapshot. */
class ExistingTerms implements PodAggregate {
  readonly requiredAffinity = new Map<string, TermGroup>();
  readonly requiredAntiAffinity = new Map<string, TermGroup>();
  readonly preferredAffinity = new Map<string, TermGroup>();
  readonly preferredAntiAffinity = new Map<string, TermGroup>();

  addPod(p: PodInfo, ni: NodeInfo, delta: number): void {
    if (!p.hasAffinity) return;
    addToGroups(this.requiredAffinity, p.requiredAffinityTerms, ni.labels, delta);
    addToGroups(this.requiredAntiAffinity, p.requiredAntiAffinityTerms, ni.labels, delta);
    addToGroups(this.preferredAffinity, p.preferredAffinityTerms, ni.labels, delta);
    addToGroups(this.preferredAntiAffinity, p.preferredAntiAffinityTerms, ni.labels, delta);
  }
}

function addToGroups(groups: Map<string, TermGroup>, terms: readonly (AffinityTerm & { weight?: number })[], labels: Labels, delta: number): void {
  for (const t of terms) {
    const value = labels[t.topologyKey];
    if (value === undefined) continue;
    let g = groups.get(t.key);
    if (!g) groups.set(t.key, (g = { term: t, counts: new Map() }));
    const n = (g.counts.get(value) ?? 0) + delta * (t.weight ?? 1);
    if (n !== 0) g.counts.set(value, n);
    else if (g.counts.delete(value) && g.counts.size === 0) groups.delete(t.key);
  }
}

/**
 * Existing pods the incoming pod's terms select, per domain: with `all`, pods matching every term
 * (counted under each term's key, as required affinity needs); otherwise pods matching each term.
 */
class IncomingTermCounts implements PodAggregate {
  readonly counts = new TopologyCounts();

  constructor(
    private readonly terms: readonly AffinityTerm[],
    private readonly all: boolean,
    /** Namespace labels, for terms with a namespace selector (whose totals are never kept). */
    private readonly namespaceLabels: (namespace: string) => Labels | undefined,
  ) {}

  private matches(t: AffinityTerm, p: PodInfo): boolean {
    return termMatches(t, p, t.namespaceSelector ? this.namespaceLabels(p.namespace) : undefined);
  }

  addPod(p: PodInfo, ni: NodeInfo, delta: number): void {
    if (this.all) {
      for (const t of this.terms) if (!this.matches(t, p)) return;
      for (const t of this.terms) this.counts.update(ni.labels, t.topologyKey, delta);
      return;
    }
    for (const t of this.terms) if (this.matches(t, p)) this.counts.update(ni.labels, t.topologyKey, delta);
  }
}

/** Every pod by each of its labels (key → value → pod → its node): the candidates of an exact-match selector. */
class PodsByLabel implements PodAggregate {
  private readonly byKey = new Map<string, Map<string, Map<PodInfo, NodeInfo>>>();

  addPod(p: PodInfo, ni: NodeInfo, delta: number): void {
    for (const key in p.labels) {
      const value = p.labels[key];
      let byValue = this.byKey.get(key);
      if (!byValue) this.byKey.set(key, (byValue = new Map()));
      let pods = byValue.get(value);
      if (!pods) byValue.set(value, (pods = new Map()));
      if (delta > 0) pods.set(p, ni);
      else if (pods.delete(p) && pods.size === 0) byValue.delete(value);
    }
  }

  /** The pods a selector may select, from its narrowest `key=value` requirement; undefined when it has none. */
  candidates(selector: Selector): ReadonlyMap<PodInfo, NodeInfo> | undefined {
    if (!selector.selectable) return NO_PODS;
    let best: ReadonlyMap<PodInfo, NodeInfo> | undefined;
    for (const r of selector.requirements) {
      const exact = r.operator === '=' || r.operator === '==' || (r.operator === 'in' && r.values.length === 1);
      if (!exact) continue;
      const pods = this.byKey.get(r.key)?.get(r.values[0]) ?? NO_PODS;
      if (!best || pods.size < best.size) best = pods;
    }
    return best;
  }
}

const NO_PODS: ReadonlyMap<PodInfo, NodeInfo> = new Map();

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

/** One addend of a node's score: `weight` times the count of the node's domain of `topologyKey`. */
interface ScoreLayer {
  topologyKey: string;
  counts: ReadonlyMap<string, number>;
  weight: number;
}

const EXISTING_TERMS_KEY = `${NAME}/existing`;
const PODS_BY_LABEL_KEY = `${NAME}/podsByLabel`;
// Terms selecting at most this many candidate pods are counted afresh each cycle from the label
// index; broader ones (one selector over a whole workload) keep a running total in the snapshot.
const MAX_FRESH_CANDIDATES = 512;

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

  private existingTerms(snapshot: Snapshot): ExistingTerms {
    return snapshot.aggregate(EXISTING_TERMS_KEY, () => new ExistingTerms());
  }

  /**
   * Existing pods the terms select, per domain, from the snapshot's running totals; terms with a
   * namespace selector depend on namespace labels the snapshot does not follow, so they are counted afresh.
   */
  private incomingCounts(snapshot: Snapshot, terms: AffinityTerm[], all: boolean): TopologyCounts {
    const create = () => new IncomingTermCounts(terms, all, (ns) => this.handle.namespaceLabels(ns));
    // A pod matching every term is among the candidates of any one of them.
    if (all || terms.length === 1) {
      const index = snapshot.aggregate(PODS_BY_LABEL_KEY, () => new PodsByLabel());
      let candidates: ReadonlyMap<PodInfo, NodeInfo> | undefined;
      for (const t of terms) {
        const c = index.candidates(t.selector);
        if (c && (!candidates || c.size < candidates.size)) candidates = c;
      }
      if (candidates && candidates.size <= MAX_FRESH_CANDIDATES) {
        const fresh = create();
        for (const [p, ni] of candidates) fresh.addPod(p, ni, 1);
        return fresh.counts;
      }
    }
    if (terms.some((t) => t.namespaceSelector)) return snapshot.compute(create()).counts;
    const key = `${NAME}/${all ? 'all' : 'each'}\0${terms.map((t) => t.key).join('\0\0')}`;
    return snapshot.aggregate(key, create).counts.view();
  }

  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): Status | undefined {
    const withAnti = snapshot.havePodsWithRequiredAntiAffinityList;
    const affinity = pod.requiredAffinityTerms;
    const anti = pod.requiredAntiAffinityTerms;
    if (withAnti.length === 0 && affinity.length === 0 && anti.length === 0) return Status.SKIP;
    const nsLabels = this.handle.namespaceLabels(pod.namespace);
    const existing = withAnti.length > 0 ? matchingGroupCounts(this.existingTerms(snapshot).requiredAntiAffinity, pod, nsLabels) : new TopologyCounts();
    const affinityCounts = affinity.length > 0 ? this.incomingCounts(snapshot, affinity, true) : new TopologyCounts();
    const antiCounts = anti.length > 0 ? this.incomingCounts(snapshot, anti, false) : new TopologyCounts();
    state.write(PRE_FILTER_KEY, new PreFilterState(pod, nsLabels, existing, affinityCounts, antiCounts));
    return undefined;
  }

  private updateWithPod(state: CycleState, pod: PodInfo, other: PodInfo, ni: NodeInfo, delta: number): void {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return;
    for (const t of other.requiredAntiAffinityTerms) if (termMatches(t, pod, s.nsLabels)) s.existingAntiAffinityCounts.update(ni.labels, t.topologyKey, delta);
    if (this.matchesAllAffinityTerms(pod.requiredAffinityTerms, other)) {
      for (const t of pod.requiredAffinityTerms) s.affinityCounts.update(ni.labels, t.topologyKey, delta);
    }
    for (const t of pod.requiredAntiAffinityTerms) if (this.incomingTermMatches(t, other)) s.antiAffinityCounts.update(ni.labels, t.topologyKey, delta);
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
    if (s.existingAntiAffinityCounts.size > 0 && s.existingAntiAffinityCounts.anyIn(labels)) return EXISTING_ANTI_AFFINITY_REJECTED;
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

  preScore(state: CycleState, pod: PodInfo, _nodes: NodeInfo[], _allNodes: NodeInfo[]): Status | undefined {
    const hasPreferred = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    const snapshot = this.handle.snapshot();
    const withAffinity = snapshot.havePodsWithAffinityList;
    if (!hasPreferred && (this.ignorePreferredTermsOfExistingPods || withAffinity.length === 0)) return Status.SKIP;
    const layers: ScoreLayer[] = [];
    const addLayer = (topologyKey: string, counts: ReadonlyMap<string, number> | undefined, weight: number) => {
      if (counts && counts.size > 0 && weight !== 0) layers.push({ topologyKey, counts, weight });
    };
    // The incoming pod's preferred terms over every existing pod.
    for (const t of pod.preferredAffinityTerms) addLayer(t.topologyKey, this.incomingCounts(snapshot, [t], false).byKey(t.topologyKey), t.weight);
    for (const t of pod.preferredAntiAffinityTerms) addLayer(t.topologyKey, this.incomingCounts(snapshot, [t], false).byKey(t.topologyKey), -t.weight);
    // Existing pods' terms that select the incoming pod.
    if (withAffinity.length > 0) {
      const existing = this.existingTerms(snapshot);
      const nsLabels = this.handle.namespaceLabels(pod.namespace);
      const addGroups = (groups: Map<string, TermGroup>, weight: number) => {
        for (const g of groups.values()) if (termMatches(g.term, pod, nsLabels)) addLayer(g.term.topologyKey, g.counts, weight);
      };
      if (this.hardPodAffinityWeight > 0) addGroups(existing.requiredAffinity, this.hardPodAffinityWeight);
      if (!this.ignorePreferredTermsOfExistingPods) {
        addGroups(existing.preferredAffinity, 1);
        addGroups(existing.preferredAntiAffinity, -1);
      }
    }
    state.write(PRE_SCORE_KEY, layers);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const layers = state.read<ScoreLayer[]>(PRE_SCORE_KEY);
    if (!layers) return 0;
    let total = 0;
    for (const l of layers) {
      const v = nodeInfo.labels[l.topologyKey];
      if (v !== undefined) total += l.weight * (l.counts.get(v) ?? 0);
    }
    return total;
  }

  /** Min-max scaling to 0..100 (negative totals from anti-affinity included). */
  normalizeScore(state: CycleState, _pod: PodInfo, scores: Float64Array): void {
    const layers = state.read<ScoreLayer[]>(PRE_SCORE_KEY);
    if (!layers || layers.length === 0) return;
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

/** The existing terms that select `pod`, their domains summed (one group is read in place). */
function matchingGroupCounts(groups: Map<string, TermGroup>, pod: PodInfo, nsLabels: Labels | undefined): TopologyCounts {
  const matched: TermGroup[] = [];
  for (const g of groups.values()) if (termMatches(g.term, pod, nsLabels)) matched.push(g);
  if (matched.length === 1) return new TopologyCounts(new Map([[matched[0].term.topologyKey, matched[0].counts]]), true);
  const counts = new TopologyCounts();
  for (const g of matched) for (const [value, n] of g.counts) counts.add(g.term.topologyKey, value, n);
  return counts;
}
