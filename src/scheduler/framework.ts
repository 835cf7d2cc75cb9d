// The scheduling framework: plugins at extension points (PreEnqueue … Bind), statuses with
// upstream's codes, cycle state, and one scheduling cycle for one pod: filter a sample of nodes
// (percentageOfNodesToScore, round-robin start), score the feasible ones, pick the best.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Labels, Selector } from '../api/meta/labels.js';
import type { Client } from '../client/client.js';
import type { EventRecorder } from '../client/events.js';
import type { NodeInfo, PodInfo } from './nodeinfo.js';
import type { Snapshot } from './snapshot.js';

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

/** A plugin's verdict. Success is usually `undefined`, so the hot path allocates nothing. */
export class Status {
  /** The plugin that returned it; set by the framework. */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
  ) {}

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  static error(message: string): Status {
    return new Status('Error', [message]);
  }

  static readonly SKIP = new Status('Skip');
  static readonly SUCCESS = new Status('Success');

  message(): string {
    return this.reasons.join(', ');
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  /** Unschedulable in any way (the pod waits for the cluster to change, not for a retry). */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable' || this.code === 'Pending';
  }

  withPlugin(name: string): Status {
    if (!this.plugin) this.plugin = name;
    return this;
  }
}

export const isSuccess = (s: Status | undefined): boolean => !s || s.code === 'Success';

/** Per-cycle data plugins compute in PreFilter/PreScore and read in Filter/Score. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter said Skip: their Filter does not run this cycle. */
  skipFilterPlugins = new Set<string>();
  /** The Filter plugins this cycle runs (all but the skipped), listed once by PreFilter rather than checked per node. */
  filterPlugins?: readonly Plugin[];
  skipScorePlugins = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  /** A copy for simulations (preemption, nominated pods): values with `clone()` are deep-copied. */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) {
      const cloneable = v as { clone?: () => unknown } | null;
      c.data.set(k, cloneable && typeof cloneable.clone === 'function' ? cloneable.clone() : v);
    }
    c.skipFilterPlugins = this.skipFilterPlugins;
    c.filterPlugins = this.filterPlugins;
    c.skipScorePlugins = this.skipScorePlugins;
    return c;
  }
}

// ---- cluster events, for re-queueing unschedulable pods ----

export const ActionType = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  UpdateNodeAnnotation: 64,
  UpdatePodLabel: 128,
  UpdatePodScaleDown: 256,
  UpdatePodTolerations: 512,
  UpdatePodSchedulingGatesEliminated: 1024,
  /** Any other change to a pod's spec or metadata. */
  UpdatePodOther: 2048,
  Update: 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 | 2048,
  All: 0xffff,
} as const;

/** What an event is about: assigned pods ('Pod'), the pod being scheduled itself ('UnscheduledPod'), … */
export type EventResource =
  | 'Pod'
  | 'UnscheduledPod'
  | 'Node'
  | 'PersistentVolume'
  | 'PersistentVolumeClaim'
  | 'StorageClass'
  | 'Namespace'
  | 'WildCard';

export interface ClusterEvent {
  resource: EventResource;
  actionType: number;
  label?: string;
}

/** Whether an event may make `pod` schedulable (upstream's QueueingHintFn, true = Queue). */
export type QueueingHint = (pod: PodInfo, oldObj: unknown, newObj: unknown) => boolean;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  hint?: QueueingHint;
}

export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: 'WildCard', actionType: ActionType.All, label: 'UnschedulableTimeout' };
export const FORCE_ACTIVATE: ClusterEvent = { resource: 'WildCard', actionType: ActionType.All, label: 'ForceActivate' };

// ---- plugins ----

/** PreFilter may narrow the nodes worth filtering (NodeAffinity on metadata.name …). */
export interface PreFilterResult {
  nodeNames: Set<string>;
}

export interface PostFilterResult {
  nominatedNodeName?: string;
}

/** What plugins may read beyond the pod and the node: listers, the client, other plugins. */
export interface Handle {
  readonly schedulerName: string;
  /** Aborted when the scheduler stops: long waits in binding cycles give up. */
  readonly stopping?: AbortSignal;
  snapshot(): Snapshot;
  client?: Client;
  recorder?: EventRecorder;
  namespaceLabels(namespace: string): Labels | undefined;
  pvc(namespace: string, name: string): PersistentVolumeClaim | undefined;
  pv(name: string): PersistentVolume | undefined;
  listPVs(): PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  pdbs(namespace: string): PodDisruptionBudget[];
  /**
   * The selector of the Services, ReplicationControllers, ReplicaSets and StatefulSets selecting
   * the pod, combined: what the system default spread constraints count.
   */
  defaultSpreadSelector?(pod: PodInfo): Selector | undefined;
  /** Pods nominated to `nodeName` by preemption, waiting for victims to leave. */
  nominatedPodsForNode(nodeName: string): PodInfo[];
  /** Filter plugins with the nominated pods of equal or higher priority counted as present. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined;
  runPreFilterAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): void;
  runPreFilterRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): void;
}

export interface Plugin {
  readonly name: string;
  eventsToRegister?(): ClusterEventWithHint[];
  /** Before the pod enters activeQ; a rejection parks it as gated. */
  preEnqueue?(pod: PodInfo): Status | undefined;
  preFilter?(state: CycleState, pod: PodInfo, snapshot: Snapshot): Status | PreFilterResult | undefined;
  /** PreFilterExtensions: keep PreFilter's state right when a simulation adds or removes a pod. */
  addPod?(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): void;
  removePod?(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): void;
  filter?(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined;
  postFilter?(state: CycleState, pod: PodInfo, statuses: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }>;
  preScore?(state: CycleState, pod: PodInfo, nodes: NodeInfo[], allNodes: NodeInfo[]): Status | undefined;
  score?(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number;
  /** Rescales `scores` (one per node of `nodes`) to 0..100 in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: Float64Array, nodes: NodeInfo[]): void;
  reserve?(state: CycleState, pod: PodInfo, nodeName: string): Status | undefined;
  unreserve?(state: CycleState, pod: PodInfo, nodeName: string): void;
  permit?(state: CycleState, pod: PodInfo, nodeName: string): Status | undefined;
  preBind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | undefined>;
  /** Skip: let the next binder try. */
  bind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | undefined>;
}

export const MAX_NODE_SCORE = 100;

/**
 * framework.NodeToStatus: each rejected node's status; nodes not evaluated share `absent`. Filtering
 * records thousands per cycle and reads them only when the pod fits nowhere, so they are listed and
 * indexed by node on the first lookup.
 */
export class NodeToStatus {
  private readonly nodes: string[] = [];
  private readonly values: Status[] = [];
  private byNode?: Map<string, Status>;
  absent?: Status;

  /** Records the status of a node that has none yet. */
  set(node: string, s: Status): void {
    this.nodes.push(node);
    this.values.push(s);
    this.byNode?.set(node, s);
  }

  get(node: string): Status | undefined {
    if (!this.byNode) {
      this.byNode = new Map();
      for (let i = 0; i < this.nodes.length; i++) this.byNode.set(this.nodes[i], this.values[i]);
    }
    return this.byNode.get(node) ?? this.absent;
  }

  /** How many nodes have a status of their own. */
  get size(): number {
    return this.nodes.length;
  }

  /** The statuses of the nodes that have one. */
  statuses(): readonly Status[] {
    return this.values;
  }
}

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod: what the queue waits on. */
  unschedulablePlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

/** `0/N nodes are available: …` exactly as upstream's FitError.Error(). */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const s of d.nodeToStatus.statuses()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const absentCount = numAllNodes - d.nodeToStatus.size;
    if (absentCount > 0 && d.nodeToStatus.absent) for (const r of d.nodeToStatus.absent.reasons) counts.set(r, (counts.get(r) ?? 0) + absentCount);
    const parts = Array.from(counts, ([r, n]) => `${n} ${r}`).sort(goStringLess);
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  // The PostFilter message ends with its own period.
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** Go's sort.Strings order (bytes, which for these ASCII messages is code units). */
function goStringLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class FitError extends Error {
  constructor(
    readonly pod: PodInfo,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis));
  }

  /** The message now (upstream's Error()): it includes a PostFilter message set after construction. */
  error(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

export interface PluginConfig {
  plugin: Plugin;
  /** Score weight (0: the plugin does not score). */
  weight?: number;
}

// kube-scheduler's sampling constants.
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** numFeasibleNodesToFind: how many feasible nodes are enough to stop filtering. */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.trunc(numAllNodes / 125));
  if (percentage >= 100) return numAllNodes;
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

interface ScorePlugin {
  plugin: Plugin;
  weight: number;
}

/** One scheduling profile: its plugins by extension point, and the scheduling algorithm over them. */
export class Framework {
  readonly plugins: Plugin[];
  private readonly preEnqueuePlugins: Plugin[];
  private readonly preFilterPlugins: Plugin[];
  private readonly filterPlugins: Plugin[];
  private readonly preFilterExtensionPlugins: Plugin[];
  private readonly postFilterPlugins: Plugin[];
  private readonly preScorePlugins: Plugin[];
  private readonly scorePlugins: ScorePlugin[];
  private readonly reservePlugins: Plugin[];
  private readonly permitPlugins: Plugin[];
  private readonly preBindPlugins: Plugin[];
  private readonly bindPlugins: Plugin[];
  private nextStartNodeIndex = 0;

  constructor(
    configs: PluginConfig[],
    readonly handle: Handle,
    private readonly percentageOfNodesToScore = 0,
  ) {
    this.plugins = configs.map((c) => c.plugin);
    const having = (k: keyof Plugin) => this.plugins.filter((p) => typeof p[k] === 'function');
    this.preEnqueuePlugins = having('preEnqueue');
    this.preFilterPlugins = having('preFilter');
    this.filterPlugins = having('filter');
    this.preFilterExtensionPlugins = this.plugins.filter((p) => p.addPod || p.removePod);
    this.postFilterPlugins = having('postFilter');
    this.preScorePlugins = having('preScore');
    this.scorePlugins = configs.filter((c) => c.plugin.score && (c.weight ?? 1) > 0).map((c) => ({ plugin: c.plugin, weight: c.weight ?? 1 }));
    this.reservePlugins = having('reserve');
    this.permitPlugins = having('permit');
    this.preBindPlugins = having('preBind');
    this.bindPlugins = having('bind');
  }

  /** Every plugin's events, for the queue. */
  eventsByPlugin(): Map<string, ClusterEventWithHint[]> {
    const out = new Map<string, ClusterEventWithHint[]>();
    for (const p of this.plugins) if (p.eventsToRegister) out.set(p.name, p.eventsToRegister());
    return out;
  }

  runPreEnqueuePlugins(pod: PodInfo): Status | undefined {
    for (const p of this.preEnqueuePlugins) {
      const s = p.preEnqueue!(pod);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return undefined;
  }

  /** Runs PreFilter; the node names returned (if any) restrict filtering. */
  runPreFilterPlugins(state: CycleState, pod: PodInfo, snapshot: Snapshot, diagnosis: Diagnosis): { status?: Status; nodeNames?: Set<string>; narrowedBy: string[] } {
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    const skip = new Set<string>();
    for (const p of this.preFilterPlugins) {
      const r = p.preFilter!(state, pod, snapshot);
      if (!r) continue;
      if (r instanceof Status) {
        if (r.code === 'Skip') {
          skip.add(p.name);
          continue;
        }
        if (r.isSuccess()) continue;
        r.withPlugin(p.name);
        if (r.isRejected()) diagnosis.unschedulablePlugins.add(p.name);
        return { status: r, narrowedBy };
      }
      narrowedBy.push(p.name);
      nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => r.nodeNames.has(n))) : r.nodeNames;
      if (nodeNames.size === 0) {
        diagnosis.unschedulablePlugins.add(p.name);
        const s = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`).withPlugin(p.name);
        return { status: s, narrowedBy };
      }
    }
    state.skipFilterPlugins = skip;
    state.filterPlugins = skip.size === 0 ? this.filterPlugins : this.filterPlugins.filter((p) => !skip.has(p.name));
    return { nodeNames, narrowedBy };
  }

  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    // Without a PreFilter run (tests, simulations of a single plugin) nothing is skipped.
    const plugins = state.filterPlugins ?? this.filterPlugins;
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i];
      const s = p.filter!(state, pod, nodeInfo);
      if (s && s.code !== 'Success') return s.withPlugin(p.name);
    }
    return undefined;
  }

  runPreFilterAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): void {
    for (const p of this.preFilterExtensionPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      p.addPod?.(state, pod, toAdd, nodeInfo);
    }
  }

  runPreFilterRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): void {
    for (const p of this.preFilterExtensionPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      p.removePod?.(state, pod, toRemove, nodeInfo);
    }
  }

  /**
   * Filters with nominated pods (of equal or higher priority) counted on the node, as upstream:
   * the pod must fit both with them and without them (their affinity may be what lets it in).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const nominated = this.handle.nominatedPodsForNode(nodeInfo.name);
    if (nominated.length > 0) {
      let niClone: NodeInfo | undefined;
      let stateClone: CycleState | undefined;
      for (const np of nominated) {
        if (np.key === pod.key || np.priority < pod.priority) continue;
        niClone ??= nodeInfo.clone();
        stateClone ??= state.clone();
        niClone.addPod(np);
        this.runPreFilterAddPod(stateClone, pod, np, niClone);
      }
      if (niClone) {
        const s = this.runFilterPlugins(stateClone!, pod, niClone);
        if (s) return s;
      }
    }
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  async runPostFilterPlugins(state: CycleState, pod: PodInfo, statuses: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const reasons: string[] = [];
    for (const p of this.postFilterPlugins) {
      const r = await p.postFilter!(state, pod, statuses);
      if (r.status.isSuccess()) return r;
      if (!r.status.isRejected()) return { result: r.result, status: r.status.withPlugin(p.name) };
      reasons.push(...r.status.reasons);
      if (r.result?.nominatedNodeName !== undefined) return { result: r.result, status: new Status('Unschedulable', reasons) };
    }
    return { status: new Status('Unschedulable', reasons) };
  }

  /** Filters a sample of the nodes, from where the last cycle stopped. */
  findNodesThatPassFilters(state: CycleState, pod: PodInfo, nodes: NodeInfo[], diagnosis: Diagnosis): NodeInfo[] {
    const n = nodes.length;
    const toFind = numFeasibleNodesToFind(this.percentageOfNodesToScore, n);
    const feasible: NodeInfo[] = [];
    const start = n > 0 ? this.nextStartNodeIndex % n : 0;
    let processed = 0;
    for (let i = 0; i < n && feasible.length < toFind; i++) {
      const ni = nodes[(start + i) % n];
      processed++;
      const s = this.runFilterPluginsWithNominatedPods(state, pod, ni);
      if (!s) {
        feasible.push(ni);
        continue;
      }
      if (!s.isRejected()) throw new Error(s.message());
      diagnosis.nodeToStatus.set(ni.name, s);
      diagnosis.unschedulablePlugins.add(s.plugin);
    }
    this.nextStartNodeIndex = n > 0 ? (start + processed) % n : 0;
    return feasible;
  }

  /**
   * PreScore and Score over the feasible nodes; the weighted total of each. Plugins are scored
   * one at a time over all nodes (not node by node), so normalization sees each plugin's whole column.
   */
  prioritizeNodes(state: CycleState, pod: PodInfo, nodes: NodeInfo[], allNodes: NodeInfo[]): Float64Array {
    const totals = new Float64Array(nodes.length);
    const skip = new Set<string>();
    for (const p of this.preScorePlugins) {
      const s = p.preScore!(state, pod, nodes, allNodes);
      if (!s || s.isSuccess()) continue;
      if (s.code === 'Skip') skip.add(p.name);
      else throw new Error(`running PreScore plugin "${p.name}": ${s.message()}`);
    }
    state.skipScorePlugins = skip;
    const scores = new Float64Array(nodes.length);
    for (const { plugin, weight } of this.scorePlugins) {
      if (skip.has(plugin.name)) continue;
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score!(state, pod, nodes[i]);
      plugin.normalizeScore?.(state, pod, scores, nodes);
      for (let i = 0; i < nodes.length; i++) totals[i] += scores[i] * weight;
    }
    return totals;
  }

  /** schedulePod: the node for `pod`, or a FitError saying why none fits. */
  schedulePod(state: CycleState, pod: PodInfo, snapshot: Snapshot): ScheduleResult {
    const allNodes = snapshot.nodeInfoList;
    if (allNodes.length === 0) throw new Error(ERR_NO_NODES_AVAILABLE);
    const diagnosis: Diagnosis = { nodeToStatus: new NodeToStatus(), unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
    const pre = this.runPreFilterPlugins(state, pod, snapshot, diagnosis);
    if (pre.status) {
      if (!pre.status.isRejected()) throw new Error(pre.status.message());
      // Every node shares the PreFilter verdict.
      diagnosis.nodeToStatus.absent = pre.status;
      diagnosis.preFilterMsg = pre.status.message();
      throw new FitError(pod, allNodes.length, diagnosis);
    }
    // A nominated node (from an earlier preemption) is tried first: the room was made there.
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = snapshot.get(nominated);
      if (ni && !this.runFilterPluginsWithNominatedPods(state, pod, ni)) {
        return { suggestedHost: nominated, evaluatedNodes: 1, feasibleNodes: 1 };
      }
    }
    let nodes = allNodes;
    if (pre.nodeNames) {
      nodes = [];
      for (const name of pre.nodeNames) {
        const ni = snapshot.get(name);
        if (ni) nodes.push(ni);
      }
      diagnosis.nodeToStatus.absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`);
    }
    const feasible = this.findNodesThatPassFilters(state, pod, nodes, diagnosis);
    if (feasible.length === 0) throw new FitError(pod, allNodes.length, diagnosis);
    const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
    if (feasible.length === 1) return { suggestedHost: feasible[0].name, evaluatedNodes, feasibleNodes: 1 };
    const totals = this.prioritizeNodes(state, pod, feasible, allNodes);
    return { suggestedHost: selectHost(feasible, totals), evaluatedNodes, feasibleNodes: feasible.length };
  }

  runReservePlugins(state: CycleState, pod: PodInfo, nodeName: string): Status | undefined {
    for (const p of this.reservePlugins) {
      const s = p.reserve!(state, pod, nodeName);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return undefined;
  }

  /** Unreserve runs in reverse order of Reserve, on every reserve plugin. */
  runUnreservePlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i].unreserve?.(state, pod, nodeName);
  }

  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string): Status | undefined {
    for (const p of this.permitPlugins) {
      const s = p.permit!(state, pod, nodeName);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return undefined;
  }

  async runPreBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | undefined> {
    for (const p of this.preBindPlugins) {
      const s = await p.preBind!(state, pod, nodeName);
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return undefined;
  }

  async runBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | undefined> {
    for (const p of this.bindPlugins) {
      const s = await p.bind!(state, pod, nodeName);
      if (s?.code === 'Skip') continue;
      return s && !s.isSuccess() ? s.withPlugin(p.name) : undefined;
    }
    return Status.error('no bind plugin bound the pod');
  }
}

/** The highest total; ties broken uniformly at random (reservoir sampling), as upstream. */
export function selectHost(nodes: NodeInfo[], totals: Float64Array): string {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < nodes.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (Math.random() * ties < 1) best = i;
    }
  }
  return nodes[best].name;
}

/** Maps scores to 0..100 by the maximum (upstream's DefaultNormalizeScore); `reverse` for "fewer is better". */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Float64Array): void {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}

/** The pod's key in Kubernetes' text: `namespace/name`. */
export function podRef(p: PodInfo | Pod): string {
  const pod = 'pod' in p ? p.pod : p;
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}
