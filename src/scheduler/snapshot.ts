// The view one scheduling cycle reads: copies of the cache's NodeInfos, refreshed incrementally
// (only those whose generation moved since the last cycle), plus the lists plugins iterate.
import type { NodeInfo } from './nodeinfo.js';

export class Snapshot {
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  /** Every node, zones interleaved (upstream's nodeTree order), so sampling spreads across zones. */
  nodeInfoList: NodeInfo[] = [];
  /** Nodes with at least one pod with (anti-)affinity: what InterPodAffinity scoring iterates. */
  havePodsWithAffinityList: NodeInfo[] = [];
  /** Nodes with at least one pod with required anti-affinity: what InterPodAffinity filtering iterates. */
  havePodsWithRequiredAntiAffinityList: NodeInfo[] = [];
  /** `namespace/claim` of every PVC some scheduled pod uses. */
  usedPVCSet = new Set<string>();
  /** The cache generation this snapshot reflects. */
  generation = 0;
  /** The cache's node-list version this snapshot's lists were built from. */
  listVersion = -1;

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

  updateUsedPVCSet(): void {
    const used = new Set<string>();
    for (const n of this.nodeInfoList) for (const key of n.pvcRefCounts.keys()) used.add(key);
    this.usedPVCSet = used;
  }
}
