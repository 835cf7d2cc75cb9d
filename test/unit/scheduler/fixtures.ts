// Pods, nodes and a plugin handle for the scheduler's unit tests.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { CycleState, Framework, type Handle, type PluginConfig } from '../../../src/scheduler/framework.js';
import { NodeInfo, PodInfo } from '../../../src/scheduler/nodeinfo.js';
import { Snapshot } from '../../../src/scheduler/snapshot.js';

export interface NodeSpec {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: NonNullable<Node['spec']>['taints'];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, s: NodeSpec = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...s.labels } },
    spec: { taints: s.taints, unschedulable: s.unschedulable },
    status: {
      allocatable: { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: s.pods ?? '110' },
      capacity: { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: s.pods ?? '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
      images: s.images,
    },
  };
}

export interface PodSpecLite {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  priority?: number;
  spec?: Partial<NonNullable<Pod['spec']>>;
  uid?: string;
}

let uid = 0;
export function makePod(name: string, s: PodSpecLite = {}): Pod {
  const requests: Record<string, string> = {};
  if (s.cpu) requests.cpu = s.cpu;
  if (s.memory) requests.memory = s.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: s.namespace ?? 'default', uid: s.uid ?? `uid-${name}-${++uid}`, labels: s.labels },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests } }],
      nodeName: s.nodeName,
      priority: s.priority,
      ...s.spec,
    },
  };
}

/** NodeInfos for nodes, with the pods (whose spec.nodeName names one of them) placed. */
export function nodeInfos(nodes: Node[], pods: Pod[] = []): NodeInfo[] {
  const infos = nodes.map((n) => {
    const ni = new NodeInfo(n.metadata!.name!);
    ni.setNode(n);
    return ni;
  });
  for (const p of pods) infos.find((ni) => ni.name === p.spec!.nodeName)!.addPod(new PodInfo(p));
  return infos;
}

export interface FakeWorld {
  snapshot: Snapshot;
  namespaces?: Record<string, Record<string, string>>;
  pvcs?: PersistentVolumeClaim[];
  pvs?: PersistentVolume[];
  storageClasses?: StorageClass[];
  pdbs?: PodDisruptionBudget[];
  nominated?: Map<string, PodInfo[]>;
}

/** A Handle over fixed objects; `framework` is set once the framework exists. */
export function fakeHandle(world: FakeWorld): Handle & { framework?: Framework } {
  const h: Handle & { framework?: Framework } = {
    schedulerName: 'default-scheduler',
    snapshot: () => world.snapshot,
    namespaceLabels: (ns) => world.namespaces?.[ns],
    pvc: (ns, name) => world.pvcs?.find((p) => p.metadata?.namespace === ns && p.metadata?.name === name),
    pv: (name) => world.pvs?.find((p) => p.metadata?.name === name),
    listPVs: () => world.pvs ?? [],
    storageClass: (name) => world.storageClasses?.find((s) => s.metadata?.name === name),
    pdbs: (ns) => (world.pdbs ?? []).filter((p) => p.metadata?.namespace === ns),
    nominatedPodsForNode: (node) => world.nominated?.get(node) ?? [],
    runFilterPluginsWithNominatedPods: (state, pod, ni) => h.framework!.runFilterPluginsWithNominatedPods(state, pod, ni),
    runPreFilterAddPod: (state, pod, p, ni) => h.framework!.runPreFilterAddPod(state, pod, p, ni),
    runPreFilterRemovePod: (state, pod, p, ni) => h.framework!.runPreFilterRemovePod(state, pod, p, ni),
  };
  return h;
}

export function frameworkFor(world: FakeWorld, plugins: (h: Handle) => PluginConfig[], percentage = 0): Framework {
  const h = fakeHandle(world);
  h.framework = new Framework(plugins(h), h, percentage);
  return h.framework;
}

/** PreFilter then Filter of the framework for one pod on one node: the status's reasons, or [] when it fits. */
export function filterReasons(fw: Framework, world: FakeWorld, pod: Pod, nodeName: string): string[] {
  const state = new CycleState();
  const p = new PodInfo(pod);
  const diagnosis = { nodeToStatus: undefined as never, unschedulablePlugins: new Set<string>(), preFilterMsg: '', postFilterMsg: '' };
  const pre = fw.runPreFilterPlugins(state, p, world.snapshot, diagnosis);
  if (pre.status) return [...pre.status.reasons];
  const s = fw.runFilterPlugins(state, p, world.snapshot.get(nodeName)!);
  return s ? [...s.reasons] : [];
}
