// The scheduler's own loop, in-process, with no apiserver: an in-memory API serves the lists and
// watches the informers need and answers bindings by sending the bound pod back through the pod
// watch, as the real apiserver does. What it measures is the scheduling loop (queue, snapshot,
// framework, assume, bind), as scheduler_perf's SchedulingBasic does: N nodes, some pods already
// placed, then M pending pods, timed until the last one is bound.
//
//   node dist/bench/lib/scheduler-loop.js [--quick] [--nodes 5000] [--init-pods 1000] [--pods 10000] [--variant basic|affinity|preferred|all]
import type { Node, NodeAffinity, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/registry.js';
import { Client } from '../../src/client/client.js';
import type { ApiRequest, ApiResponse, LocalApi, WatchEvent } from '../../src/client/transport.js';
import { Scheduler } from '../../src/scheduler/index.js';
import { benchFlags, choiceFlag, intFlag } from './flags.js';

export const SCHEDULER_VARIANTS = ['basic', 'affinity', 'preferred'] as const;
export type SchedulerVariant = (typeof SCHEDULER_VARIANTS)[number];

export interface SchedulerLoopOptions {
  nodes: number;
  /** Pods already bound when the clock starts. */
  initPods: number;
  /** Pending pods timed until bound. */
  pods: number;
  variant: SchedulerVariant;
  zones?: number;
}

export interface SchedulerLoopResult {
  bench: 'scheduler-loop';
  variant: SchedulerVariant;
  nodes: number;
  initPods: number;
  pods: number;
  seconds: number;
  podsPerSecond: number;
  /** CPU time of the process over the timed part: steadier than the wall clock on a loaded machine. */
  cpuSeconds: number;
}

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';
const NAMESPACE = 'sched-bench';

/** scheduler_perf's node template: 4 cores, 32 GiB, 110 pods. */
export function benchNode(i: number, zones: number): Node {
  const name = `node-${String(i).padStart(5, '0')}`;
  const capacity = { cpu: '4', memory: '32Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, resourceVersion: '1', labels: { [HOSTNAME]: name, [ZONE]: `zone-${i % zones}`, 'topology.kubernetes.io/region': 'region-0' } },
    spec: {},
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** Required node affinity admitting every zone but the last. */
function allZonesButLast(zones: number): NodeAffinity {
  const allowed = Array.from({ length: Math.max(1, zones - 1) }, (_, z) => `zone-${z}`);
  return { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: allowed }] }] } };
}

/**
 * scheduler_perf's pod template (100m CPU, 500Mi); the affinity variant adds required node affinity
 * (zones but the last), required anti-affinity between pods of one group per node, and a zone
 * spread constraint (maxSkew 1, DoNotSchedule) over all of them. The preferred variant is the
 * end-to-end benchmark's affinity pod: the same node affinity, preferred anti-affinity between all
 * pods per node, and a zone spread with maxSkew 5.
 */
export function benchSchedulerPod(i: number, variant: SchedulerVariant, zones: number, nodeName?: string): Pod {
  const name = `pod-${String(i).padStart(6, '0')}`;
  const labels: Record<string, string> = { app: 'bench', group: `g-${i % 500}` };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NAMESPACE, uid: `uid-${name}`, resourceVersion: '1', labels },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }],
    },
  };
  if (variant === 'affinity') {
    pod.spec!.affinity = {
      nodeAffinity: allZonesButLast(zones),
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { group: labels.group } }, topologyKey: HOSTNAME }] },
    };
    pod.spec!.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'bench' } } }];
  }
  if (variant === 'preferred') {
    const selector = { matchLabels: { app: 'bench' } };
    pod.spec!.affinity = {
      nodeAffinity: allZonesButLast(zones),
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: selector, topologyKey: HOSTNAME } }] },
    };
    pod.spec!.topologySpreadConstraints = [{ maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }];
  }
  return pod;
}

type Listener = (e: WatchEvent) => void;

/** Just enough of an apiserver for a scheduler: lists, watches, bindings; everything else is accepted. */
class InMemoryApi implements LocalApi {
  private rv = 1;
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Map<string, Set<Listener>>();
  bound = 0;
  onBound?: () => void;

  put(path: string, key: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED' = 'ADDED'): void {
    let items = this.collections.get(path);
    if (!items) this.collections.set(path, (items = new Map()));
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    items.set(key, stored);
    for (const w of this.watchers.get(path) ?? []) w({ type, object: stored });
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    if (req.method === 'GET' && req.query.get('watch') === 'true') {
      const listeners = this.watchers.get(req.path) ?? new Set();
      this.watchers.set(req.path, listeners);
      let listener: Listener | undefined;
      return {
        status: 200,
        watch: {
          start: (onEvent) => listeners.add((listener = onEvent)),
          stop: () => void (listener && listeners.delete(listener)),
        },
      };
    }
    if (req.method === 'GET') {
      const items = Array.from(this.collections.get(req.path)?.values() ?? []);
      return { status: 200, body: { metadata: { resourceVersion: String(this.rv) }, items } };
    }
    const binding = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/binding$/.exec(req.path);
    if (req.method === 'POST' && binding) {
      const key = `${binding[1]}/${binding[2]}`;
      const pod = this.collections.get('/api/v1/pods')?.get(key) as Pod | undefined;
      const target = (req.body as { target: { name: string } }).target.name;
      if (!pod) return { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `pods "${binding[2]}" not found` } };
      this.put('/api/v1/pods', key, { ...pod, spec: { ...pod.spec!, nodeName: target } } as KubeObject, 'MODIFIED');
      this.bound++;
      this.onBound?.();
      return { status: 201, body: { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 } };
    }
    return { status: req.method === 'POST' ? 201 : 200, body: req.body };
  }
}

/** Places `initPods`, starts a scheduler, then times `pods` pending pods until all are bound. */
export async function runSchedulerLoop(opts: SchedulerLoopOptions): Promise<SchedulerLoopResult> {
  // The preferred variant has the end-to-end benchmark's five zones.
  const zones = opts.zones ?? (opts.variant === 'preferred' ? 5 : 10);
  const api = new InMemoryApi();
  api.put('/api/v1/namespaces', NAMESPACE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const nodes: Node[] = [];
  for (let i = 0; i < opts.nodes; i++) {
    const node = benchNode(i, zones);
    nodes.push(node);
    api.put('/api/v1/nodes', node.metadata!.name!, node as KubeObject);
  }
  // Initial pods go round-robin over the nodes their constraints allow: every zone but the last.
  const allowedNodes = opts.variant === 'basic' ? nodes : nodes.filter((_, i) => i % zones !== zones - 1);
  for (let i = 0; i < opts.initPods; i++) {
    const pod = benchSchedulerPod(i, opts.variant, zones, allowedNodes[i % allowedNodes.length].metadata!.name);
    api.put('/api/v1/pods', `${NAMESPACE}/${pod.metadata!.name}`, pod as KubeObject);
  }
  const scheduler = new Scheduler(Client.local(api));
  await scheduler.start();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const initialBound = api.bound;
  const done = new Promise<void>((resolve) => {
    api.onBound = () => {
      if (api.bound - initialBound >= opts.pods) resolve();
    };
  });
  for (let i = 0; i < opts.pods; i++) {
    const pod = benchSchedulerPod(opts.initPods + i, opts.variant, zones);
    api.put('/api/v1/pods', `${NAMESPACE}/${pod.metadata!.name}`, pod as KubeObject);
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await scheduler.stop();
  return {
    bench: 'scheduler-loop',
    variant: opts.variant,
    nodes: opts.nodes,
    initPods: opts.initPods,
    pods: opts.pods,
    seconds: Math.round(seconds * 1000) / 1000,
    podsPerSecond: Math.round(opts.pods / seconds),
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
  };
}

async function main(): Promise<void> {
  const flags = benchFlags(['nodes', 'init-pods', 'pods', 'variant']);
  const nodes = intFlag(flags, 'nodes', 5000, 500);
  const initPods = intFlag(flags, 'init-pods', 1000, 100);
  const pods = intFlag(flags, 'pods', 10_000, 1000);
  const chosen = choiceFlag(flags, 'variant', ['all', ...SCHEDULER_VARIANTS] as const);
  const variants = chosen === 'all' ? SCHEDULER_VARIANTS : [chosen];
  const results: SchedulerLoopResult[] = [];
  for (const variant of variants) {
    const r = await runSchedulerLoop({ nodes, initPods, pods, variant });
    process.stderr.write(`${variant}: ${r.podsPerSecond} pods/s (${pods} pods in ${r.seconds} s, ${r.cpuSeconds} s of CPU, on ${nodes} nodes)\n`);
    results.push(r);
  }
  const byVariant = Object.fromEntries(results.map((r) => [r.variant, r.podsPerSecond]));
  const cpuByVariant = Object.fromEntries(results.map((r) => [r.variant, r.cpuSeconds]));
  console.log(JSON.stringify({ bench: 'scheduler-loop', nodes, initPods, pods, podsPerSecond: byVariant, cpuSeconds: cpuByVariant }));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
