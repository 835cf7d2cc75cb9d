// The view one scheduling cycle reads: copies of the cache's NodeInfos, refreshed incrementally
// (only those whose generation moved since the last cycle), plus the lists plugins iterate, plus
// running totals over all pods (matching pods per topology domain …) that plugins define and the
// snapshot keeps current from the cache's pod changes, so a cycle need not walk every pod.
import { ResourceRows, type NodeInfo, type PodInfo } from './nodeinfo.js';

/**
 * A total over the pods of the snapshot that a plugin asks for by key: built once from every
 * node and pod, then kept current from the pods added to and removed from nodes.
 */
export interface PodAggregate {
  /** Called once per node when the aggregate is built, before its pods (for domains with no pods). */
  addNode?(ni: NodeInfo): void;
  /** Pod `p` on node `ni`: +1 when it arrives, −1 when it leaves. */
  addPod(p: PodInfo, ni: NodeInfo, delta: number): void;
}

/** A pod that arrived on (+1) or left (−1) a node, as the cache logs it for snapshots. */
export interface PodChange {
  pod: PodInfo;
  nodeName: string;
  delta: number;
}

interface AggregateEntry {
  aggregate: PodAggregate;
  lastUsed: number;
}

// Aggregates nobody asked for in this many refreshes are dropped: every pod change costs each one.
const AGGREGATE_IDLE_REFRESHES = 2000;
const MAX_AGGREGATES = 256;

export class Snapshot {
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  /** Every node, zones interleaved (upstream's nodeTree order), so sampling spreads across zones. */
  nodeInfoList: NodeInfo[] = [];
  /** Nodes with at least one pod with (anti-)affinity (in no particular order once pods move). */
  havePodsWithAffinityList: NodeInfo[] = [];
  /** Nodes with at least one pod with required anti-affinity (in no particular order once pods move). */
  havePodsWithRequiredAntiAffinityList: NodeInfo[] = [];
  /** The resource amounts of the NodeInfos the cache keeps in this snapshot, side by side. */
  readonly resourceRows = new ResourceRows();
  /** `namespace/claim` of every PVC some scheduled pod uses. */
  usedPVCSet = new Set<string>();
  /** The cache generation this snapshot reflects. */
  generation = 0;
  /** The cache's node-list version this snapshot's lists were built from. */
  listVersion = -1;
  /** The cache's node-labels version the aggregates were built at. */
  nodeLabelsVersion = -1;
  /** Whether a cache keeps this snapshot (and so its aggregates) current; fixed snapshots rebuild them per request. */
  private incremental = false;
  private readonly aggregates = new Map<string, AggregateEntry>();
  private refreshes = 0;

  /** A snapshot of fixed NodeInfos, for tests and simulations. */
  static of(nodes: NodeInfo[]): Snapshot {
    const s = new Snapshot();
    for (const n of nodes) s.nodeInfoMap.set(n.name, n);
    s.nodeInfoList = nodes.slice();
    s.updateAffinityLists();
    s.updateUsedPVCSet();
    return s;
  }

  get(name: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(name);
  }

  get numNodes(): number {
    return this.nodeInfoList.length;
  }

  /**
   * The aggregate named `key`, built by `create` over every node and pod on first use. The same
   * key must always describe the same total: it is reused for every pod that asks for it.
   */
  aggregate<T extends PodAggregate>(key: string, create: () => T): T {
    const entry = this.aggregates.get(key);
    if (entry) {
      entry.lastUsed = this.refreshes;
      return entry.aggregate as T;
    }
    const aggregate = this.compute(create());
    if (this.incremental) {
      if (this.aggregates.size >= MAX_AGGREGATES) this.evictLeastRecentlyUsed();
      this.aggregates.set(key, { aggregate, lastUsed: this.refreshes });
    }
    return aggregate;
  }

  /** `aggregate` over every node and pod now, kept by no one: for totals that cannot be kept current. */
  compute<T extends PodAggregate>(aggregate: T): T {
    if (aggregate.addNode) for (const ni of this.nodeInfoList) aggregate.addNode(ni);
    for (const ni of this.nodeInfoList) for (const p of ni.pods) aggregate.addPod(p, ni, 1);
    return aggregate;
  }

  /** Whether the snapshot keeps any aggregate current: if not, the cache need not log pod changes for it. */
  get keepsAggregates(): boolean {
    return this.aggregates.size > 0;
  }

  /** The cache's pod changes since the last refresh, applied to every aggregate (called by the cache). */
  applyPodChanges(changes: readonly PodChange[]): void {
    this.incremental = true;
    this.refreshes++;
    if (this.refreshes % AGGREGATE_IDLE_REFRESHES === 0) {
      for (const [key, e] of this.aggregates) if (this.refreshes - e.lastUsed >= AGGREGATE_IDLE_REFRESHES) this.aggregates.delete(key);
    }
    if (this.aggregates.size === 0) return;
    for (const change of changes) {
      // Pods on nodes outside the snapshot are in no total; their node's arrival rebuilds them all.
      const ni = this.nodeInfoMap.get(change.nodeName);
      if (!ni) continue;
      for (const e of this.aggregates.values()) e.aggregate.addPod(change.pod, ni, change.delta);
    }
  }

  /** Drops every aggregate: nodes came, went or changed labels, so totals are rebuilt on demand. */
  invalidateAggregates(): void {
    this.aggregates.clear();
  }

  private evictLeastRecentlyUsed(): void {
    let oldestKey: string | undefined;
    let oldest = Infinity;
    for (const [key, e] of this.aggregates) {
      if (e.lastUsed < oldest) {
        oldest = e.lastUsed;
        oldestKey = key;
      }
    }
    if (oldestKey !== undefined) this.aggregates.delete(oldestKey);
  }

  updateAffinityLists(): void {
    const affinity: NodeInfo[] = [];
    const anti: NodeInfo[] = [];
    for (const n of this.nodeInfoList) {
      if (n.podsWithAffinity.length > 0) affinity.push(n);
      if (n.podsWithRequiredAntiAffinity.length > 0) anti.push(n);
    }
    this.havePodsWithAffinityList = affinity;
    this.havePodsWithRequiredAntiAffinityList = anti;
  }

  /** Node `ni` gained its first or lost its last pod with (anti-)affinity: the lists change without a walk. */
  updateAffinityListsFor(ni: NodeInfo, had: boolean, hadAnti: boolean): void {
    const has = ni.podsWithAffinity.length > 0;
    const hasAnti = ni.podsWithRequiredAntiAffinity.length > 0;
    if (has !== had) toggle(this.havePodsWithAffinityList, ni, has);
    if (hasAnti !== hadAnti) toggle(this.havePodsWithRequiredAntiAffinityList, ni, hasAnti);
  }

  updateUsedPVCSet(): void {
    const used = new Set<string>();
    for (const n of this.nodeInfoList) for (const key of n.pvcRefCounts.keys()) used.add(key);
    this.usedPVCSet = used;
  }
}

function toggle(list: NodeInfo[], ni: NodeInfo, present: boolean): void {
  if (present) {
    list.push(ni);
    return;
  }
  const i = list.indexOf(ni);
  if (i < 0) return;
  // Order does not matter: swap the last one in.
  list[i] = list[list.length - 1];
  list.pop();
}
