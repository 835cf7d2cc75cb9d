// PodTopologySpread: keeps matching pods spread across topology domains within maxSkew.
// DoNotSchedule constraints filter, ScheduleAnyway ones (and the system defaults, for pods of
// Services, ReplicaSets, StatefulSets and ReplicationControllers) score.
import type { Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { newRequirement, selectorFromLabelSelector, type Labels, type Selector } from '../../api/meta/labels.js';
import { ActionType, MAX_NODE_SCORE, Status, type ClusterEventWithHint, type CycleState, type Handle, type Plugin } from '../framework.js';
import { findUntoleratedTaint, type NodeMatcher } from '../../api/helpers/node-selection.js';
import { requiredNodeAffinity } from '../helpers.js';
import { selectorKey, type NodeInfo, type PodInfo } from '../nodeinfo.js';
import type { PodAggregate, Snapshot } from '../snapshot.js';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;

const CONSTRAINTS_REJECTED = Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
const LABEL_REJECTED = Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);

/** A constraint with its selector compiled (matchLabelKeys merged in) and policies defaulted. */
export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

export interface PodTopologySpreadArgs {
  /** 'System' (default): upstream's built-in defaults; 'List': `defaultConstraints`. */
  defaultingType?: 'System' | 'List';
  defaultConstraints?: Pick<TopologySpreadConstraint, 'maxSkew' | 'topologyKey' | 'whenUnsatisfiable'>[];
}

const SYSTEM_DEFAULT_CONSTRAINTS: Pick<TopologySpreadConstraint, 'maxSkew' | 'topologyKey' | 'whenUnsatisfiable'>[] = [
  { maxSkew: 3, topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway' },
];

function compileConstraint(pod: PodInfo, c: TopologySpreadConstraint): Constraint {
  let selector = selectorFromLabelSelector(c.labelSelector);
  // matchLabelKeys: the incoming pod's own values for those keys narrow the selector.
  for (const key of c.matchLabelKeys ?? []) {
    const v = pod.labels[key];
    if (v !== undefined) selector = selector.add(newRequirement(key, 'in', [v]));
  }
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

/** Pods in `namespace`, not terminating, that `selector` selects. */
function countPodsMatchSelector(pods: PodInfo[], selector: Selector, namespace: string): number {
  let n = 0;
  for (const p of pods) if (podCounts(p, selector, namespace)) n++;
  return n;
}

function podCounts(p: PodInfo, selector: Selector, namespace: string): boolean {
  return p.namespace === namespace && !p.pod.metadata?.deletionTimestamp && selector.matches(p.labels);
}

function hasAllTopologyKeys(labels: Labels, constraints: readonly { topologyKey: string }[]): boolean {
  for (const c of constraints) if (labels[c.topologyKey] === undefined) return false;
  return true;
}

const isFilterEffect = (effect: string) => effect === 'NoSchedule' || effect === 'NoExecute';

/** Whether a node counts toward the constraint's domains under its inclusion policies. */
function nodeIncluded(c: Constraint, tolerations: Toleration[] | undefined, ni: NodeInfo, affinity: NodeMatcher | undefined): boolean {
  if (c.honorNodeAffinity && affinity && !affinity(ni.labels, ni.name)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(ni.taints, tolerations, isFilterEffect)) return false;
  return true;
}

/** Matching pods per domain of one constraint, with the smallest count kept as counts change. */
export class DomainCounts {
  private readonly counts = new Map<string, number>();
  /** How many domains hold each count, so the minimum moves without a scan over the domains. */
  private readonly histogram = new Map<number, number>();
  private minimum = Infinity;

  get size(): number {
    return this.counts.size;
  }

  get(value: string): number | undefined {
    return this.counts.get(value);
  }

  /** The smallest count over the domains; Infinity when there are none. */
  min(): number {
    return this.minimum;
  }

  /** Adds `delta` pods to the domain, which starts at 0 when new. */
  add(value: string, delta: number): void {
    const before = this.counts.get(value);
    const after = (before ?? 0) + delta;
    this.counts.set(value, after);
    if (before !== undefined) this.bucket(before, -1);
    this.bucket(after, 1);
    if (after < this.minimum) this.minimum = after;
    else if (before === this.minimum && !this.histogram.has(before)) {
      this.minimum = Infinity;
      for (const n of this.histogram.keys()) if (n < this.minimum) this.minimum = n;
    }
  }

  private bucket(count: number, delta: number): void {
    const n = (this.histogram.get(count) ?? 0) + delta;
    if (n === 0) this.histogram.delete(count);
    else this.histogram.set(count, n);
  }

  clone(): DomainCounts {
    const c = new DomainCounts();
    for (const [k, v] of this.counts) c.counts.set(k, v);
    for (const [k, v] of this.histogram) c.histogram.set(k, v);
    c.minimum = this.minimum;
    return c;
  }
}

/**
 * A constraint's pods per domain over the whole cluster, kept by the snapshot and shared by every
 * pod with the same constraint, namespace and node inclusion: domains of the included nodes that
 * have every topology key of the pod's constraints, pods in the namespace the selector selects.
 */
class ConstraintCounts implements PodAggregate {
  readonly domains = new DomainCounts();

  constructor(
    private readonly c: Constraint,
    private readonly topologyKeys: readonly { topologyKey: string }[],
    private readonly namespace: string,
    private readonly tolerations: Toleration[] | undefined,
    private readonly affinity: NodeMatcher | undefined,
  ) {}

  private includes(ni: NodeInfo): boolean {
    return hasAllTopologyKeys(ni.labels, this.topologyKeys) && nodeIncluded(this.c, this.tolerations, ni, this.affinity);
  }

  addNode(ni: NodeInfo): void {
    if (this.includes(ni)) this.domains.add(ni.labels[this.c.topologyKey], 0);
  }

  addPod(p: PodInfo, ni: NodeInfo, delta: number): void {
    if (podCounts(p, this.c.selector, this.namespace) && this.includes(ni)) this.domains.add(ni.labels[this.c.topologyKey], delta);
  }
}

/** What makes two pods' counts for a constraint the same total (the key of its ConstraintCounts). */
function constraintCountsKey(pod: PodInfo, c: Constraint, constraints: readonly Constraint[]): string {
  const spec = pod.pod.spec;
  const keys = constraints.map((x) => x.topologyKey).join(',');
  // Node affinity and tolerations matter only under the Honor policies; their text keys them.
  const affinity = c.honorNodeAffinity ? JSON.stringify([spec?.nodeSelector, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution]) : '';
  const taints = c.honorNodeTaints ? JSON.stringify(spec?.tolerations ?? []) : '';
  return [NAME, pod.namespace, selectorKey(c.selector), c.topologyKey, keys, affinity, taints].join('\0');
}

class PreFilterState {
  constructor(
    readonly constraints: Constraint[],
    /** Per constraint: domain value → matching pods; shared with the snapshot until changed. */
    private counts: DomainCounts[],
    /** Per constraint: 1 when the incoming pod matches its own selector. */
    readonly selfMatch: number[],
    private shared: boolean,
  ) {}

  count(i: number, value: string): number {
    return this.counts[i].get(value) ?? 0;
  }

  /** The smallest count over the constraint's domains; 0 when there are fewer than minDomains. */
  minMatchNum(i: number): number {
    const counts = this.counts[i];
    if (counts.size < this.constraints[i].minDomains) return 0;
    const min = counts.min();
    return min === Infinity ? 0 : min;
  }

  /** The counts a simulation may change: the snapshot's are copied first. */
  own(): DomainCounts[] {
    if (this.shared) {
      this.counts = this.counts.map((c) => c.clone());
      this.shared = false;
    }
    return this.counts;
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.counts.map((c) => c.clone()),
      this.selfMatch,
      false,
    );
  }
}

interface PreScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  counts: Map<string, number>[];
  weights: number[];
}

export class PodTopologySpread implements Plugin {
  readonly name = NAME;
  private readonly defaults: Pick<TopologySpreadConstraint, 'maxSkew' | 'topologyKey' | 'whenUnsatisfiable'>[];

  constructor(
    private readonly handle: Handle,
    args: PodTopologySpreadArgs = {},
  ) {
    this.defaults = args.defaultingType === 'List' ? (args.defaultConstraints ?? []) : SYSTEM_DEFAULT_CONSTRAINTS;
  }

  /** The pod's constraints with `whenUnsatisfiable`, or the defaults when it declares none. */
  private constraints(pod: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
    const declared = pod.pod.spec?.topologySpreadConstraints ?? [];
    if (declared.length > 0) return declared.filter((c) => c.whenUnsatisfiable === action).map((c) => compileConstraint(pod, c));
    const wanted = this.defaults.filter((c) => c.whenUnsatisfiable === action);
    if (wanted.length === 0) return [];
    const selector = this.handle.defaultSpreadSelector?.(pod);
    if (!selector || selector.empty()) return [];
    return wanted.map((c) => ({ maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false }));
  }

  /** The cluster-wide counts of one of the pod's constraints, from the snapshot's running totals. */
  private constraintCounts(snapshot: Snapshot, pod: PodInfo, c: Constraint, constraints: Constraint[], affinity: NodeMatcher | undefined): DomainCounts {
    const key = constraintCountsKey(pod, c, constraints);
    return snapshot.aggregate(key, () => new ConstraintCounts(c, constraints.map((x) => ({ topologyKey: x.topologyKey })), pod.namespace, pod.pod.spec?.tolerations, affinity)).domains;
  }

  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): Status | undefined {
    const constraints = this.constraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return Status.SKIP;
    const affinity = requiredNodeAffinity(pod.pod);
    const counts = constraints.map((c) => this.constraintCounts(snapshot, pod, c, constraints, affinity));
    const selfMatch = constraints.map((c) => (c.selector.matches(pod.labels) ? 1 : 0));
    state.write(PRE_FILTER_KEY, new PreFilterState(constraints, counts, selfMatch, true));
    return undefined;
  }

  private updateWithPod(state: CycleState, pod: PodInfo, other: PodInfo, ni: NodeInfo, delta: number): void {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s || other.namespace !== pod.namespace || !hasAllTopologyKeys(ni.labels, s.constraints)) return;
    const affinity = requiredNodeAffinity(pod.pod);
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      if (!nodeIncluded(c, pod.pod.spec?.tolerations, ni, affinity) || !c.selector.matches(other.labels)) continue;
      s.own()[i].add(ni.labels[c.topologyKey], delta);
    }
  }

  addPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): void {
    this.updateWithPod(state, pod, toAdd, nodeInfo, 1);
  }

  removePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): void {
    this.updateWithPod(state, pod, toRemove, nodeInfo, -1);
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return undefined;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = nodeInfo.labels[c.topologyKey];
      if (value === undefined) return LABEL_REJECTED;
      const skew = s.count(i, value) + s.selfMatch[i] - s.minMatchNum(i);
      if (skew > c.maxSkew) return CONSTRAINTS_REJECTED;
    }
    return undefined;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], _allNodes: NodeInfo[]): Status | undefined {
    const constraints = this.constraints(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return Status.SKIP;
    const ignoredNodes = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    // Domains come from the feasible nodes only; pods are counted across the whole cluster.
    for (const ni of nodes) {
      if (!hasAllTopologyKeys(ni.labels, constraints)) {
        ignoredNodes.add(ni.name);
        continue;
      }
      for (let i = 0; i < constraints.length; i++) {
        if (constraints[i].topologyKey === HOSTNAME) continue;
        counts[i].set(ni.labels[constraints[i].topologyKey], 0);
      }
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? nodes.length - ignoredNodes.size : counts[i].size) + 2));
    const affinity = requiredNodeAffinity(pod.pod);
    const snapshot = this.handle.snapshot();
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if (c.topologyKey === HOSTNAME) continue;
      // Pods count across the whole cluster: the snapshot's totals, read for the feasible domains.
      const cluster = this.constraintCounts(snapshot, pod, c, constraints, affinity);
      for (const value of counts[i].keys()) counts[i].set(value, cluster.get(value) ?? 0);
    }
    state.write(PRE_SCORE_KEY, { constraints, ignoredNodes, counts, weights } satisfies PreScoreState);
    return undefined;
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY)!;
    if (s.ignoredNodes.has(nodeInfo.name)) return 0;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = nodeInfo.labels[c.topologyKey];
      if (value === undefined) continue;
      const count = c.topologyKey === HOSTNAME ? countPodsMatchSelector(nodeInfo.pods, c.selector, pod.namespace) : (s.counts[i].get(value) ?? 0);
      score += count * s.weights[i] + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** Fewer matching pods is better: scores are inverted around the range; ignored nodes get 0. */
  normalizeScore(state: CycleState, _pod: PodInfo, scores: Float64Array, nodes: NodeInfo[]): void {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY)!;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < scores.length; i++) {
      if (s.ignoredNodes.has(nodes[i].name)) continue;
      if (scores[i] < min) min = scores[i];
      if (scores[i] > max) max = scores[i];
    }
    for (let i = 0; i < scores.length; i++) {
      if (s.ignoredNodes.has(nodes[i].name)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint } },
      { event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodLabel } },
    ];
  }
}
