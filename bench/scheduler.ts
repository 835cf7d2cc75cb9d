// scheduler_perf's SchedulingBasic on k8ts: 5,000 nodes, 1,000 pods placed first, then 10,000
// pods created and timed from the first create to the last binding seen through a watch. A
// second workload adds required node affinity, preferred pod anti-affinity on the hostname and a
// zone topology spread (scheduler_perf's PreferredPodAntiAffinity and TopologySpreading pods,
// together). Each workload gets a fresh apiserver (SQLite) with the real Scheduler in process.
//
// Nodes are plain Node objects, as scheduler_perf makes them: no kubelet, no leases, nothing
// writing besides the benchmark and the scheduler, so the number is the scheduler's (plus the
// API writes it depends on: the pod creates and the bindings), not the simulation's.
//
//   node dist/bench/scheduler.js [--quick] [--nodes N] [--init-pods N] [--pods N]
//                                [--workload basic|affinity|all] [--concurrency N]
import type { Pod } from 'kubernetes-types/core/v1.js';
import { resources } from '../src/client/resource.js';
import type { RunningServer } from '../src/cluster/server.js';
import { Scheduler } from '../src/scheduler/index.js';
import { nodeInternalIP, nodePodCIDR } from '../src/sim/ipam.js';
import { simulatedNode } from '../src/sim/node.js';
import { benchFlags, choiceFlag, intFlag } from './lib/flags.js';
import { createAll, isBound, PodStageCounter, secondsBetween } from './lib/pods.js';
import { loadAverage } from './lib/proc.js';
import { withApiServer } from './lib/server.js';
import { heapUsedMB, printResult, progress, rssMB } from './lib/stats.js';

const WORKLOADS = ['all', 'basic', 'affinity'] as const;
type Workload = Exclude<(typeof WORKLOADS)[number], 'all'>;

const flags = benchFlags(['nodes', 'init-pods', 'pods', 'workload', 'concurrency']);
const nodes = intFlag(flags, 'nodes', 5_000, 500);
const initPods = intFlag(flags, 'init-pods', 1_000, 100);
const pods = intFlag(flags, 'pods', 10_000, 1_000);
/** Creates in flight: the burst a ReplicaSet controller makes (500 per sync) is of this order. */
const concurrency = intFlag(flags, 'concurrency', 100, 100);
const chosen = choiceFlag(flags, 'workload', WORKLOADS);
const workloads: Workload[] = chosen === 'all' ? ['basic', 'affinity'] : [chosen];

const NAMESPACE = 'sched-test';
const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';
const ZONES = 5;
const zoneOf = (i: number) => `zone-${i % ZONES}`;
/** Node affinity admits all zones but the last: a fifth of the nodes is filtered out. */
const ALLOWED_ZONES = Array.from({ length: ZONES - 1 }, (_, z) => `zone-${z}`);
/** scheduler_perf's node template: 4 CPUs, 32Gi, 110 pods. */
const NODE_CAPACITY = { cpu: '4', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

/** scheduler_perf's pod-default: one pause container asking 100m and 500Mi. */
function basicPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NAMESPACE, labels: { color: 'yellow' } },
    spec: {
      containers: [
        {
          name: 'pause',
          image: 'registry.k8s.io/pause:3.10',
          ports: [{ containerPort: 80 }],
          resources: { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '100m', memory: '500Mi' } },
        },
      ],
    },
  };
}

function affinityPod(name: string): Pod {
  const pod = basicPod(name);
  const selector = { matchLabels: { color: 'yellow' } };
  pod.spec!.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ALLOWED_ZONES }] }] },
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: selector, topologyKey: HOSTNAME } }],
    },
  };
  pod.spec!.topologySpreadConstraints = [{ maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }];
  return pod;
}

const podTemplates: Record<Workload, (name: string) => Pod> = { basic: basicPod, affinity: affinityPod };

async function createNodes(running: RunningServer): Promise<number> {
  const client = running.client.resource(resources.nodes);
  const now = Date.now();
  const { firstAt, lastAt } = await createAll(nodes, concurrency, (i) => {
    const name = `node-${String(i).padStart(5, '0')}`;
    const node = simulatedNode(
      { name, internalIP: nodeInternalIP(i), podCIDR: nodePodCIDR('10.244.0.0/16', i), controlPlane: false, taintControlPlane: false, capacity: NODE_CAPACITY },
      now,
    );
    node.metadata!.labels![ZONE] = zoneOf(i);
    return client.create(node);
  });
  return secondsBetween(firstAt, lastAt);
}

async function runWorkload(workload: Workload) {
  return withApiServer({ log: (line) => progress(line) }, async (running) => {
    const client = running.client;
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    // No serviceaccount controller runs here: the account pods are admitted with is made by hand.
    await client.resource(resources.serviceAccounts).namespace(NAMESPACE).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: NAMESPACE } });
    progress(`[${workload}] creating ${nodes} nodes`);
    const nodeSeconds = await createNodes(running);
    const scheduler = new Scheduler(client);
    await scheduler.start();
    try {
      const bound = await PodStageCounter.start(client, { namespace: NAMESPACE, reached: isBound, stage: 'bound' });
      const podClient = client.resource<Pod>(resources.pods).namespace(NAMESPACE);
      const template = podTemplates[workload];
      progress(`[${workload}] ${nodes} nodes in ${nodeSeconds} s; placing ${initPods} pods first`);
      await createAll(initPods, concurrency, (i) => podClient.create(template(`init-${i}`)));
      await bound.until(initPods);
      progress(`[${workload}] measuring ${pods} pods`);
      const cpuBefore = process.cpuUsage();
      const { firstAt, lastAt: createdAt } = await createAll(pods, concurrency, (i) => podClient.create(template(`pod-${i}`)));
      const createSeconds = secondsBetween(firstAt, createdAt);
      const boundWhileCreating = bound.count - initPods;
      progress(`[${workload}] ${pods} pods created in ${createSeconds} s, ${boundWhileCreating} bound so far`);
      const lastBoundAt = await bound.until(initPods + pods);
      const cpu = process.cpuUsage(cpuBefore);
      bound.stop();
      const seconds = secondsBetween(firstAt, lastBoundAt);
      const tailSeconds = Math.max(0, secondsBetween(createdAt, lastBoundAt));
      const result = {
        workload,
        podsPerSecond: Math.round(pods / seconds),
        seconds,
        createsPerSecond: Math.round(pods / createSeconds),
        boundWhileCreating,
        /** After the last create answered: how long the backlog took, and the rate with the scheduler alone on the API. */
        tailSeconds,
        tailPodsPerSecond: tailSeconds > 0 ? Math.round((pods - boundWhileCreating) / tailSeconds) : undefined,
        /** CPU time of the process (API, store, scheduler and the benchmark's clients) per measured pod: what load on the machine inflates least. */
        cpuMicrosPerPod: Math.round((cpu.user + cpu.system) / pods),
        nodeCreatesPerSecond: Math.round(nodes / nodeSeconds),
        rssMB: rssMB(),
        heapUsedMB: heapUsedMB(),
      };
      progress(`[${workload}] ${result.podsPerSecond} pods/s (${result.seconds} s), ${result.cpuMicrosPerPod} µs of CPU per pod, creates ${result.createsPerSecond}/s, RSS ${result.rssMB} MB`);
      return result;
    } finally {
      await scheduler.stop();
    }
  });
}

const results: Record<string, Awaited<ReturnType<typeof runWorkload>>> = {};
const loadBefore = loadAverage();
for (const w of workloads) results[w] = await runWorkload(w);

printResult({
  bench: 'scheduler',
  nodes,
  initPods,
  pods,
  concurrency,
  ...results,
  targets: { basicPodsPerSecond: 3_000, affinityPodsPerSecond: 1_000 },
  loadAverage: { before: loadBefore, after: loadAverage() },
});
