// What the scheduler knows of a node and of the pods on it, precomputed once per object version
// so that filters and scores read plain numbers (upstream's framework.NodeInfo and PodInfo).
import type { Container, Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../api/meta/quantity.js';
import { selectorFromLabelSelector, type Labels, type Selector } from '../api/meta/labels.js';
import type { PodAffinityTerm } from 'kubernetes-types/core/v1.js';

/** Requested or allocatable amounts: milli-cores, bytes, pod slots, and extended resources. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Extended resources, hugepages-*, attachable volumes … by name. */
  scalar?: Map<string, number>;
}

export function emptyResource(): Resource {
  // Every Resource has the same fields in the same order: filters read them on every node.
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: undefined };
}

/** One named resource of `r`, in the units the scheduler keeps (milli-cores for cpu). */
export function resourceAmount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu':
      return r.milliCPU;
    case 'memory':
      return r.memory;
    case 'ephemeral-storage':
      return r.ephemeralStorage;
    case 'pods':
      return r.allowedPodNumber;
    default:
      return r.scalar?.get(name) ?? 0;
  }
}

function cloneResource(r: Resource): Resource {
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, allowedPodNumber: r.allowedPodNumber, scalar: r.scalar && new Map(r.scalar) };
}

// The defaults scoring assumes for containers that request nothing (upstream's DefaultMilliCPURequest
// and DefaultMemoryRequest), so that many "free" pods do not all pile onto one node.
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

// The same quantity strings recur in every pod of a Deployment: parse each once.
interface ParsedQuantity {
  milli: number;
  value: number;
}
const quantityMemo = new Map<string, ParsedQuantity>();
const MAX_MEMO = 4096;

function quantity(text: string | number): ParsedQuantity {
  const s = String(text);
  let q = quantityMemo.get(s);
  if (!q) {
    const parsed = parseQuantity(s);
    q = { milli: parsed.milliValue(), value: parsed.value() };
    if (quantityMemo.size >= MAX_MEMO) quantityMemo.clear();
    quantityMemo.set(s, q);
  }
  return q;
}

/** Adds a ResourceList into `r` (cpu in milli-cores, everything else in whole units). */
function addResourceList(r: Resource, list: Record<string, string | number> | undefined, sign = 1): void {
  if (!list) return;
  for (const name in list) {
    const q = quantity(list[name]);
    switch (name) {
      case 'cpu':
        r.milliCPU += sign * q.milli;
        break;
      case 'memory':
        r.memory += sign * q.value;
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += sign * q.value;
        break;
      case 'pods':
        r.allowedPodNumber += sign * q.value;
        break;
      default:
        r.scalar ??= new Map();
        r.scalar.set(name, (r.scalar.get(name) ?? 0) + sign * q.value);
    }
  }
}

function addResource(r: Resource, x: Resource, sign = 1): void {
  r.milliCPU += sign * x.milliCPU;
  r.memory += sign * x.memory;
  r.ephemeralStorage += sign * x.ephemeralStorage;
  r.allowedPodNumber += sign * x.allowedPodNumber;
  if (x.scalar) {
    r.scalar ??= new Map();
    for (const [k, v] of x.scalar) r.scalar.set(k, (r.scalar.get(k) ?? 0) + sign * v);
  }
}

function maxResource(r: Resource, x: Resource): void {
  r.milliCPU = Math.max(r.milliCPU, x.milliCPU);
  r.memory = Math.max(r.memory, x.memory);
  r.ephemeralStorage = Math.max(r.ephemeralStorage, x.ephemeralStorage);
  if (x.scalar) {
    r.scalar ??= new Map();
    for (const [k, v] of x.scalar) r.scalar.set(k, Math.max(r.scalar.get(k) ?? 0, v));
  }
}

/** A container's requests; limits stand in for missing requests as the apiserver's defaulting does. */
function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = emptyResource();
  const requests = c.resources?.requests as Record<string, string> | undefined;
  const limits = c.resources?.limits as Record<string, string> | undefined;
  addResourceList(r, requests);
  if (limits) {
    for (const name in limits) {
      if (requests && name in requests) continue;
      addResourceList(r, { [name]: limits[name] });
    }
  }
  if (nonZero) {
    const has = (n: string) => (requests && n in requests) || (limits && n in limits);
    if (!has('cpu')) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!has('memory')) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * resourcehelper.PodRequests: app containers (and sidecars) summed, then the max with each init
 * container (which runs next to the sidecars started before it), plus the pod overhead.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const spec = pod.spec;
  const reqs = emptyResource();
  if (!spec) return reqs;
  for (const c of spec.containers ?? []) addResource(reqs, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of spec.initContainers ?? []) {
    const creq = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResource(reqs, creq);
      addResource(sidecars, creq);
      maxResource(initMax, sidecars);
    } else {
      addResource(creq, sidecars);
      maxResource(initMax, creq);
    }
  }
  maxResource(reqs, initMax);
  addResourceList(reqs, spec.overhead as Record<string, string> | undefined);
  return reqs;
}

/** A host port a container asks for: protocol/ip/port as NodePorts compares them. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

const DEFAULT_HOST_IP = '0.0.0.0';

function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const spec = pod.spec;
  if (!spec) return out;
  const collect = (containers: Container[] | undefined) => {
    for (const c of containers ?? []) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        out.push({ ip: p.hostIP || DEFAULT_HOST_IP, protocol: p.protocol || 'TCP', port: p.hostPort });
      }
    }
  };
  collect(spec.containers);
  // Sidecars hold their ports for the pod's whole life.
  collect(spec.initContainers?.filter((c) => c.restartPolicy === 'Always'));
  return out;
}

/** Host ports in use on a node: protocol/port → the IPs holding it. */
export class HostPortInfo {
  private readonly byPort = new Map<string, Map<string, number>>();

  get size(): number {
    return this.byPort.size;
  }

  add(p: HostPort, sign = 1): void {
    const key = `${p.protocol}/${p.port}`;
    let ips = this.byPort.get(key);
    if (!ips) this.byPort.set(key, (ips = new Map()));
    const n = (ips.get(p.ip) ?? 0) + sign;
    if (n > 0) ips.set(p.ip, n);
    else ips.delete(p.ip);
    if (ips.size === 0) this.byPort.delete(key);
  }

  /** 0.0.0.0 conflicts with every IP on the same protocol and port. */
  conflicts(p: HostPort): boolean {
    const ips = this.byPort.get(`${p.protocol}/${p.port}`);
    if (!ips) return false;
    if (p.ip === DEFAULT_HOST_IP) return true;
    return ips.has(DEFAULT_HOST_IP) || ips.has(p.ip);
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [k, ips] of this.byPort) c.byPort.set(k, new Map(ips));
    return c;
  }
}

/** A selector's identity for cache keys: its canonical text, and whether it selects anything at all. */
export function selectorKey(s: Selector): string {
  return s.selectable ? s.toString() : '<nothing>';
}

/** A pod (anti-)affinity term with its selectors compiled (upstream's framework.AffinityTerm). */
export interface AffinityTerm {
  /** The term's identity (namespaces, selectors, topology key; not the weight), for grouping equal terms. */
  key: string;
  namespaces: Set<string>;
  /** Undefined: only `namespaces` count; an empty selector selects every namespace. */
  namespaceSelector?: Selector;
  selector: Selector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

function affinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  // Neither namespaces nor a selector: the pod's own namespace.
  if (namespaces.size === 0 && !term.namespaceSelector) namespaces.add(pod.metadata?.namespace ?? 'default');
  const namespaceSelector = term.namespaceSelector ? selectorFromLabelSelector(term.namespaceSelector) : undefined;
  const selector = selectorFromLabelSelector(term.labelSelector);
  const key = [[...namespaces].sort().join(','), namespaceSelector ? `ns:${selectorKey(namespaceSelector)}` : '-', selectorKey(selector), term.topologyKey].join('\0');
  return { key, namespaces, namespaceSelector, selector, topologyKey: term.topologyKey };
}

/** Whether `term` selects pod `p`, whose namespace carries `nsLabels`. */
export function termMatches(term: AffinityTerm, p: PodInfo, nsLabels: Labels | undefined): boolean {
  if (!term.namespaces.has(p.namespace) && !(term.namespaceSelector?.matches(nsLabels))) return false;
  return term.selector.matches(p.labels);
}

/** Names of the PersistentVolumeClaims the pod mounts (generic ephemeral volumes' claims included). */
function podPVCNames(pod: Pod, podName: string): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${podName}-${v.name}` : undefined);
    if (claim) names.push(claim);
  }
  return names;
}

/** A pod with what scheduling reads from it computed once (upstream's framework.PodInfo). */
export class PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly priority: number;
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly hostPorts: HostPort[];
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[];
  /** Names of the PersistentVolumeClaims the pod mounts. */
  readonly pvcNames: string[];

  /** @param derivedFrom a PodInfo of the same pod but for its node: what is derived from the pod is taken from it, not recomputed. */
  constructor(
    readonly pod: Pod,
    derivedFrom?: PodInfo,
  ) {
    const m = pod.metadata ?? {};
    const d = derivedFrom;
    this.namespace = m.namespace ?? 'default';
    this.name = m.name ?? '';
    this.key = m.uid || `${this.namespace}/${this.name}`;
    this.labels = m.labels ?? {};
    this.priority = pod.spec?.priority ?? 0;
    this.requests = d ? d.requests : podRequests(pod);
    this.nonZeroRequests = d ? d.nonZeroRequests : podRequests(pod, true);
    this.hostPorts = d ? d.hostPorts : podHostPorts(pod);
    const aff = pod.spec?.affinity;
    const terms = (ts: PodAffinityTerm[] | undefined) => (ts ?? []).map((t) => affinityTerm(pod, t));
    const weighted = (ts: { weight: number; podAffinityTerm: PodAffinityTerm }[] | undefined) =>
      (ts ?? []).map((t) => ({ ...affinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
    this.requiredAffinityTerms = d ? d.requiredAffinityTerms : terms(aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = d ? d.requiredAntiAffinityTerms : terms(aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.preferredAffinityTerms = d ? d.preferredAffinityTerms : weighted(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = d ? d.preferredAntiAffinityTerms : weighted(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.pvcNames = d ? d.pvcNames : podPVCNames(pod, this.name);
  }

  get nodeName(): string | undefined {
    return this.pod.spec?.nodeName || undefined;
  }

  /** Any pod affinity or anti-affinity, required or preferred. */
  get hasAffinity(): boolean {
    return (
      this.requiredAffinityTerms.length + this.requiredAntiAffinityTerms.length + this.preferredAffinityTerms.length + this.preferredAntiAffinityTerms.length >
      0
    );
  }

  get hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
  }

  /** A copy bound to `nodeName`, as the cache assumes it. */
  withNodeName(nodeName: string): PodInfo {
    return new PodInfo({ ...this.pod, spec: { ...this.pod.spec!, nodeName } }, this);
  }
}

let generation = 0;
/** Every change to any NodeInfo takes a new number, so a snapshot copies only what changed since. */
export function nextGeneration(): number {
  return ++generation;
}

/** Image name as the kubelet reports it: `:latest` added when there is neither tag nor digest. */
export function normalizedImageName(name: string): string {
  if (name.includes('@')) return name;
  const lastSlash = name.lastIndexOf('/');
  return name.indexOf(':', lastSlash + 1) >= 0 ? name : `${name}:latest`;
}

/** An image on a node, with how many nodes hold it (shared across NodeInfos by the cache). */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

// A row of ResourceRows: the amounts the resource plugins read on every node.
const ALLOCATABLE_CPU = 0;
const ALLOCATABLE_MEMORY = 1;
const ALLOWED_PODS = 2;
const REQUESTED_CPU = 3;
const REQUESTED_MEMORY = 4;
const NON_ZERO_CPU = 5;
const NON_ZERO_MEMORY = 6;
const PODS = 7;
const ROW = 8;

/**
 * The amounts NodeResourcesFit and BalancedAllocation read on every node they look at, for all the
 * NodeInfos of a snapshot side by side in one typed array (a row each, unboxed), so that a pass over
 * thousands of nodes reads one short row per node instead of chasing several small objects. The
 * NodeInfo objects stay the truth: each one writes its row whenever its amounts change.
 */
export class ResourceRows {
  data = new Float64Array(ROW * 1024);
  private used = 0;
  private readonly released: number[] = [];

  /** The offset of a free row. */
  allocate(): number {
    const reused = this.released.pop();
    if (reused !== undefined) return reused;
    if (this.used + ROW > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.used += ROW;
    return this.used - ROW;
  }

  release(offset: number): void {
    this.released.push(offset);
  }
}

// Most nodes have no taints and no images: they share these (never modified) instead of holding
// empty ones of their own, so filtering a node reads fewer objects.
const NO_TAINTS: Taint[] = [];
export const NO_IMAGES: ReadonlyMap<string, ImageStateSummary> = new Map();

// Label values recur across nodes (zones, regions, instance types): each node's labels are kept
// with one shared string per value, so the lookups of every filter pass hash strings that are
// already in the CPU's cache rather than a copy of each per node.
const labelValues = new Map<string, string>();
const MAX_LABEL_VALUES = 100_000;

function withSharedValues(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const key in labels) {
    const value = labels[key];
    let shared = labelValues.get(value);
    if (shared === undefined) {
      if (labelValues.size >= MAX_LABEL_VALUES) labelValues.clear();
      labelValues.set(value, (shared = value));
    }
    out[key] = shared;
  }
  return out;
}

export class NodeInfo {
  node?: Node;
  labels: Labels = {};
  // Declared among the first fields, which filtering reads on every node: they share its first cache line.
  /** Where this NodeInfo's amounts are also written (snapshots' NodeInfos only), and its row there. */
  private rows?: ResourceRows;
  private row = 0;
  /** Only the taints that matter to scheduling (NoSchedule, NoExecute, PreferNoSchedule). */
  taints: readonly Taint[] = NO_TAINTS;
  unschedulable = false;
  allocatable: Resource = emptyResource();
  requested: Resource = emptyResource();
  /** Requests with defaults for containers that request nothing; what scoring balances. */
  nonZeroRequested: Resource = emptyResource();
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** `namespace/claim` → pods using it. */
  pvcRefCounts = new Map<string, number>();
  imageStates: ReadonlyMap<string, ImageStateSummary> = NO_IMAGES;
  generation = nextGeneration();

  constructor(readonly name: string) {}

  /** Keeps this NodeInfo's amounts in `rows` from now on (undefined: releases its row). */
  useRows(rows: ResourceRows | undefined): void {
    if (this.rows === rows) return;
    this.rows?.release(this.row);
    this.rows = rows;
    if (!rows) return;
    this.row = rows.allocate();
    this.writeRow();
  }

  private writeRow(): void {
    const rows = this.rows;
    if (!rows) return;
    const d = rows.data;
    const o = this.row;
    d[o + ALLOCATABLE_CPU] = this.allocatable.milliCPU;
    d[o + ALLOCATABLE_MEMORY] = this.allocatable.memory;
    d[o + ALLOWED_PODS] = this.allocatable.allowedPodNumber;
    d[o + REQUESTED_CPU] = this.requested.milliCPU;
    d[o + REQUESTED_MEMORY] = this.requested.memory;
    d[o + NON_ZERO_CPU] = this.nonZeroRequested.milliCPU;
    d[o + NON_ZERO_MEMORY] = this.nonZeroRequested.memory;
    d[o + PODS] = this.pods.length;
  }

  /** How many pods are on the node. */
  get podCount(): number {
    const rows = this.rows;
    return rows ? rows.data[this.row + PODS] : this.pods.length;
  }

  /** The node's allocatable amount of a resource, in the units of Resource. */
  allocatableAmount(name: string): number {
    const rows = this.rows;
    if (rows) {
      if (name === 'cpu') return rows.data[this.row + ALLOCATABLE_CPU];
      if (name === 'memory') return rows.data[this.row + ALLOCATABLE_MEMORY];
      if (name === 'pods') return rows.data[this.row + ALLOWED_PODS];
    }
    return resourceAmount(this.allocatable, name);
  }

  /** What the node's pods request of a resource; with `nonZero`, cpu and memory as scoring counts them. */
  requestedAmount(name: string, nonZero = false): number {
    const rows = this.rows;
    if (rows) {
      if (name === 'cpu') return rows.data[this.row + (nonZero ? NON_ZERO_CPU : REQUESTED_CPU)];
      if (name === 'memory') return rows.data[this.row + (nonZero ? NON_ZERO_MEMORY : REQUESTED_MEMORY)];
    }
    return resourceAmount(nonZero && (name === 'cpu' || name === 'memory') ? this.nonZeroRequested : this.requested, name);
  }

  setNode(node: Node): void {
    this.node = node;
    this.labels = withSharedValues(node.metadata?.labels ?? {});
    const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute' || t.effect === 'PreferNoSchedule');
    this.taints = taints.length > 0 ? taints : NO_TAINTS;
    this.unschedulable = node.spec?.unschedulable === true;
    const alloc = emptyResource();
    addResourceList(alloc, node.status?.allocatable as Record<string, string> | undefined);
    this.allocatable = alloc;
    this.generation = nextGeneration();
    this.writeRow();
  }

  addPod(p: PodInfo): void {
    this.pods.push(p);
    if (p.hasAffinity) this.podsWithAffinity.push(p);
    if (p.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(p);
    this.account(p, 1);
  }

  /** Removes the pod with `key`; false when it is not on this node. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const p = this.pods[i];
    this.pods.splice(i, 1);
    if (p.hasAffinity) this.podsWithAffinity = this.podsWithAffinity.filter((x) => x.key !== key);
    if (p.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((x) => x.key !== key);
    this.account(p, -1);
    return true;
  }

  private account(p: PodInfo, sign: number): void {
    addResource(this.requested, p.requests, sign);
    addResource(this.nonZeroRequested, p.nonZeroRequests, sign);
    for (const hp of p.hostPorts) this.usedPorts.add(hp, sign);
    for (const claim of p.pvcNames) {
      const key = `${p.namespace}/${claim}`;
      const n = (this.pvcRefCounts.get(key) ?? 0) + sign;
      if (n > 0) this.pvcRefCounts.set(key, n);
      else this.pvcRefCounts.delete(key);
    }
    this.generation = nextGeneration();
    this.writeRow();
  }

  /** A copy a scheduling cycle (or a preemption simulation) may change freely. */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.copyFrom(this);
    return c;
  }

  /** Makes this an independent copy of `src`, keeping this object's identity (snapshots hold references). */
  copyFrom(src: NodeInfo): void {
    this.node = src.node;
    this.labels = src.labels;
    this.taints = src.taints;
    this.unschedulable = src.unschedulable;
    this.allocatable = src.allocatable;
    this.requested = cloneResource(src.requested);
    this.nonZeroRequested = cloneResource(src.nonZeroRequested);
    this.pods = src.pods.slice();
    this.podsWithAffinity = src.podsWithAffinity.slice();
    this.podsWithRequiredAntiAffinity = src.podsWithRequiredAntiAffinity.slice();
    this.usedPorts = src.usedPorts.size ? src.usedPorts.clone() : new HostPortInfo();
    this.pvcRefCounts = new Map(src.pvcRefCounts);
    this.imageStates = src.imageStates;
    this.generation = src.generation;
    this.writeRow();
  }
}
