// The scheduler's cache of nodes and the pods placed on them (upstream's internal/cache): fed by
// informers, plus pods the scheduler has "assumed" onto a node before the binding is confirmed,
// so the next cycle already counts them. Updated NodeInfos move to the front of a list ordered by
// generation, so a snapshot refresh walks only what changed; pods arriving on and leaving nodes are
// logged, so the snapshot's aggregates follow them without a walk over every pod.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../api/meta/labels.js';
import { NO_IMAGES, NodeInfo, normalizedImageName, PodInfo, type ImageStateSummary } from './nodeinfo.js';
import type { PodChange, Snapshot } from './snapshot.js';

interface NodeItem {
  info: NodeInfo;
  prev?: NodeItem;
  next?: NodeItem;
}

interface PodState {
  pod: PodInfo;
  /** When an assumed pod whose binding finished is dropped if the informer never confirms it. */
  deadline?: number;
  bindingFinished: boolean;
}

interface ImageState extends ImageStateSummary {
  nodes: Set<string>;
}

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';

/** utilnode.GetZoneKey: region and zone together, or '' when the node has neither. */
function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const zone = labels[ZONE_LABEL] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region = labels[REGION_LABEL] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  return zone || region ? `${region}:\0:${zone}` : '';
}

// Beyond this many unconsumed pod changes the log is dropped and the aggregates rebuilt instead.
const MAX_POD_CHANGES = 50_000;

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  for (const k of ka) if (a![k] !== b?.[k]) return false;
  return true;
}

function sameTaints(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): boolean {
  if (a === b) return true;
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  for (let i = 0; i < a!.length; i++) {
    const x = a![i];
    const y = b![i];
    if (x.key !== y.key || x.value !== y.value || x.effect !== y.effect) return false;
  }
  return true;
}

/** Node names by zone; listed round-robin across zones as upstream's nodeTree. */
class NodeTree {
  private readonly zones = new Map<string, string[]>();
  private readonly zoneOf = new Map<string, string>();

  get numNodes(): number {
    return this.zoneOf.size;
  }

  add(name: string, zone: string): void {
    if (this.zoneOf.get(name) === zone) return;
    this.remove(name);
    this.zoneOf.set(name, zone);
    let names = this.zones.get(zone);
    if (!names) this.zones.set(zone, (names = []));
    names.push(name);
  }

  remove(name: string): void {
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return;
    this.zoneOf.delete(name);
    const names = this.zones.get(zone)!;
    names.splice(names.indexOf(name), 1);
    if (names.length === 0) this.zones.delete(zone);
  }

  has(name: string): boolean {
    return this.zoneOf.has(name);
  }

  list(): string[] {
    const lists = Array.from(this.zones.values());
    if (lists.length === 1) return lists[0].slice();
    const out: string[] = [];
    for (let i = 0; out.length < this.zoneOf.size; i++) {
      for (const names of lists) if (i < names.length) out.push(names[i]);
    }
    return out;
  }
}

export class Cache {
  private readonly nodes = new Map<string, NodeItem>();
  private head?: NodeItem;
  private readonly tree = new NodeTree();
  /** Bumped when the set of nodes or their zones change: snapshots then rebuild their lists. */
  private listVersion = 0;
  /** Bumped when a node's labels or taints change: what aggregates over domains depend on. */
  private nodeLabelsVersion = 0;
  private podChanges: PodChange[] = [];
  /** The log overflowed since the last refresh: aggregates must be rebuilt. */
  private podChangesLost = false;
  /** The snapshot the pod-change log is kept for (the last one refreshed). */
  private logOwner?: Snapshot;
  private readonly podStates = new Map<string, PodState>();
  private readonly assumedPods = new Set<string>();
  private readonly images = new Map<string, ImageState>();

  /** @param assumedPodTtlMs 0: assumed pods stay until confirmed or forgotten (upstream's default). */
  constructor(private readonly assumedPodTtlMs = 0) {}

  get nodeCount(): number {
    return this.tree.numNodes;
  }

  get podCount(): number {
    return this.podStates.size;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name)?.info;
  }

  private item(name: string): NodeItem {
    let item = this.nodes.get(name);
    if (!item) {
      item = { info: new NodeInfo(name) };
      this.nodes.set(name, item);
      this.toFront(item);
    }
    return item;
  }

  /** Moves a just-changed node to the head of the generation-ordered list. */
  private toFront(item: NodeItem): void {
    if (this.head === item) return;
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    item.prev = undefined;
    item.next = this.head;
    if (this.head) this.head.prev = item;
    this.head = item;
  }

  private unlink(item: NodeItem): void {
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    if (this.head === item) this.head = item.next;
    item.prev = item.next = undefined;
  }

  addNode(node: Node): void {
    const name = node.metadata!.name!;
    const item = this.item(name);
    const oldNode = item.info.node;
    this.setImages(item.info, oldNode, node);
    if (oldNode && (!sameLabels(oldNode.metadata?.labels, node.metadata?.labels) || !sameTaints(oldNode.spec?.taints, node.spec?.taints))) this.nodeLabelsVersion++;
    item.info.setNode(node);
    const zone = zoneKey(node);
    if (!oldNode || !this.tree.has(name) || zoneKey(oldNode) !== zone) this.listVersion++;
    this.tree.add(name, zone);
    this.toFront(item);
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata!.name!;
    const item = this.nodes.get(name);
    if (!item) return;
    this.setImages(item.info, item.info.node, undefined);
    this.tree.remove(name);
    this.listVersion++;
    // Pods still bound to a deleted node are kept (their deletion follows) but not schedulable onto.
    if (item.info.pods.length > 0) {
      item.info.node = undefined;
      this.toFront(item);
    } else {
      this.unlink(item);
      this.nodes.delete(name);
    }
  }

  private setImages(info: NodeInfo, oldNode: Node | undefined, node: Node | undefined): void {
    if (oldNode?.status?.images === node?.status?.images && node) return;
    for (const name of info.imageStates.keys()) {
      const state = this.images.get(name);
      if (!state) continue;
      state.nodes.delete(info.name);
      state.numNodes = state.nodes.size;
      if (state.numNodes === 0) this.images.delete(name);
    }
    const states = new Map<string, ImageStateSummary>();
    for (const image of node?.status?.images ?? []) {
      for (const raw of image.names ?? []) {
        const name = normalizedImageName(raw);
        let state = this.images.get(name);
        if (!state) this.images.set(name, (state = { size: image.sizeBytes ?? 0, numNodes: 0, nodes: new Set() }));
        state.nodes.add(info.name);
        state.numNodes = state.nodes.size;
        states.set(name, state);
      }
    }
    info.imageStates = states.size > 0 ? states : NO_IMAGES;
  }

  private logPodChange(pod: PodInfo, nodeName: string, delta: number): void {
    if (this.podChangesLost) return;
    // With no aggregate to keep current, the next refresh rebuilds on demand: logging would only
    // keep every changed pod version alive (an idle cluster's status updates pile up here).
    if (!this.logOwner?.keepsAggregates || this.podChanges.length >= MAX_POD_CHANGES) {
      this.podChanges = [];
      this.podChangesLost = true;
      return;
    }
    this.podChanges.push({ pod, nodeName, delta });
  }

  private addPodToNode(p: PodInfo): void {
    const item = this.item(p.nodeName!);
    item.info.addPod(p);
    this.logPodChange(p, item.info.name, 1);
    this.toFront(item);
  }

  private removePodFromNode(p: PodInfo): void {
    const item = this.nodes.get(p.nodeName!);
    if (!item) return;
    if (item.info.removePod(p.key)) this.logPodChange(p, item.info.name, -1);
    if (!item.info.node && item.info.pods.length === 0) {
      this.unlink(item);
      this.nodes.delete(item.info.name);
    } else {
      this.toFront(item);
    }
  }

  /** A pod the scheduler decided to place: counted on its node until the informer confirms or it is forgotten. */
  assumePod(p: PodInfo): void {
    if (this.podStates.has(p.key)) throw new Error(`pod ${p.namespace}/${p.name} is in the cache, so can't be assumed`);
    this.addPodToNode(p);
    this.podStates.set(p.key, { pod: p, bindingFinished: false });
    this.assumedPods.add(p.key);
  }

  /** Binding was sent: from now on an unconfirmed assumed pod may expire (when a TTL is set). */
  finishBinding(p: PodInfo, now = Date.now()): void {
    const state = this.podStates.get(p.key);
    if (!state || !this.assumedPods.has(p.key)) return;
    state.bindingFinished = true;
    if (this.assumedPodTtlMs > 0) state.deadline = now + this.assumedPodTtlMs;
  }

  /** Undoes assumePod (binding failed). */
  forgetPod(p: PodInfo): void {
    const state = this.podStates.get(p.key);
    if (!state || !this.assumedPods.has(p.key)) return;
    this.removePodFromNode(state.pod);
    this.podStates.delete(p.key);
    this.assumedPods.delete(p.key);
  }

  isAssumedPod(key: string): boolean {
    return this.assumedPods.has(key);
  }

  /** An assigned pod from the informer: confirms an assumed pod or adds it. */
  addPod(pod: Pod): void {
    const p = new PodInfo(pod);
    const state = this.podStates.get(p.key);
    if (state && this.assumedPods.has(p.key)) {
      // Bound elsewhere than assumed (another scheduler won): move it.
      this.removePodFromNode(state.pod);
      this.addPodToNode(p);
      this.podStates.set(p.key, { pod: p, bindingFinished: true });
      this.assumedPods.delete(p.key);
      return;
    }
    if (state) {
      this.updatePod(pod);
      return;
    }
    this.addPodToNode(p);
    this.podStates.set(p.key, { pod: p, bindingFinished: true });
  }

  updatePod(pod: Pod): void {
    const p = new PodInfo(pod);
    const state = this.podStates.get(p.key);
    if (!state || this.assumedPods.has(p.key)) {
      this.addPod(pod);
      return;
    }
    this.removePodFromNode(state.pod);
    this.addPodToNode(p);
    state.pod = p;
  }

  removePod(pod: Pod): void {
    const key = new PodInfo(pod).key;
    const state = this.podStates.get(key);
    if (!state) return;
    this.removePodFromNode(state.pod);
    this.podStates.delete(key);
    this.assumedPods.delete(key);
  }

  /** Drops assumed pods whose binding finished but never showed up in the informer. */
  cleanupAssumedPods(now = Date.now()): PodInfo[] {
    const expired: PodInfo[] = [];
    for (const key of this.assumedPods) {
      const state = this.podStates.get(key)!;
      if (!state.bindingFinished || state.deadline === undefined || now < state.deadline) continue;
      expired.push(state.pod);
      this.forgetPod(state.pod);
    }
    return expired;
  }

  /** Brings `snapshot` up to date, copying only NodeInfos changed since its generation. */
  updateSnapshot(snapshot: Snapshot): void {
    const seen = snapshot.generation;
    let rebuildAll = snapshot.listVersion !== this.listVersion;
    let rebuildPVCs = false;
    // Nodes whose pods with (anti-)affinity came or went, with what they had: the lists follow them.
    const affinityMoved: { ni: NodeInfo; had: boolean; hadAnti: boolean }[] = [];
    for (let item = this.head; item && item.info.generation > seen; item = item.next) {
      const src = item.info;
      if (!src.node) continue;
      let existing = snapshot.nodeInfoMap.get(src.name);
      if (!existing) {
        existing = new NodeInfo(src.name);
        existing.useRows(snapshot.resourceRows);
        snapshot.nodeInfoMap.set(src.name, existing);
        rebuildAll = true;
      }
      const had = existing.podsWithAffinity.length > 0;
      const hadAnti = existing.podsWithRequiredAntiAffinity.length > 0;
      if (had !== src.podsWithAffinity.length > 0 || hadAnti !== src.podsWithRequiredAntiAffinity.length > 0) affinityMoved.push({ ni: existing, had, hadAnti });
      if (!sameKeys(existing.pvcRefCounts, src.pvcRefCounts)) rebuildPVCs = true;
      existing.copyFrom(src);
    }
    if (this.head) snapshot.generation = Math.max(seen, this.head.info.generation);
    if (snapshot.nodeInfoMap.size > this.tree.numNodes) {
      for (const [name, ni] of snapshot.nodeInfoMap) {
        if (this.tree.has(name)) continue;
        ni.useRows(undefined);
        snapshot.nodeInfoMap.delete(name);
      }
      rebuildAll = true;
    }
    if (rebuildAll) {
      snapshot.nodeInfoList = this.tree.list().map((name) => snapshot.nodeInfoMap.get(name)!);
      snapshot.listVersion = this.listVersion;
    }
    if (rebuildAll) snapshot.updateAffinityLists();
    else for (const m of affinityMoved) snapshot.updateAffinityListsFor(m.ni, m.had, m.hadAnti);
    if (rebuildAll || rebuildPVCs) snapshot.updateUsedPVCSet();
    const logKept = this.logOwner === snapshot && !this.podChangesLost;
    if (rebuildAll || !logKept || snapshot.nodeLabelsVersion !== this.nodeLabelsVersion) {
      snapshot.invalidateAggregates();
      snapshot.nodeLabelsVersion = this.nodeLabelsVersion;
    }
    snapshot.applyPodChanges(this.podChanges);
    this.podChanges = [];
    this.podChangesLost = false;
    this.logOwner = snapshot;
  }
}

function sameKeys(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}
