// Resident memory of `k8ts up` (server and simulated agents in one process), read from outside
// in /proc/<pid>/status as `ps` shows it:
//  - small: one node, a Deployment of 30 running pods, after an idle period;
//  - large: 5,000 simulated nodes and 150,000 pods bound to them (30 a node), all Running, idle.
// The pods are created over HTTPS by this process, as a user's client would.
//
//   node dist/bench/memory.js [--quick] [--size all|small|large] [--nodes N] [--pods N] [--idle-seconds N]
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Client } from '../src/client/client.js';
import { resources } from '../src/client/resource.js';
import { benchFlags, choiceFlag, intFlag } from './lib/flags.js';
import { benchPod } from './lib/objects.js';
import { createAll, isRunning, PodStageCounter, secondsBetween } from './lib/pods.js';
import { loadAverage, processMemoryMB } from './lib/proc.js';
import { percentile, printResult, progress } from './lib/stats.js';
import { startUp, waitForCluster, type UpProcess } from './lib/up.js';

const SIZES = ['all', 'small', 'large'] as const;
const flags = benchFlags(['size', 'nodes', 'pods', 'idle-seconds']);
const size = choiceFlag(flags, 'size', SIZES);
const largeNodes = intFlag(flags, 'nodes', 5_000, 500);
const largePods = intFlag(flags, 'pods', 150_000, 15_000);
const idleSeconds = intFlag(flags, 'idle-seconds', 30, 5);

const SMALL_PODS = 30;
const NAMESPACE = 'default';
/** Creates in flight from this process while seeding the large cluster. */
const SEED_CONCURRENCY = 64;

/** VmRSS once a second for the idle period: the median and the last, with the peak so far (VmHWM); then what the JavaScript heap holds of it. */
async function idleMemory(up: UpProcess, client: Client) {
  const samples: number[] = [];
  for (let s = 0; s < idleSeconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push(processMemoryMB(up.pid).rssMB);
  }
  const last = samples[samples.length - 1];
  const { peakRssMB } = processMemoryMB(up.pid);
  return { idleSeconds, rssMB: last, medianRssMB: percentile([...samples].sort((a, b) => a - b), 50), peakRssMB, ...(await heapMetrics(client)) };
}

/** The server's JavaScript heap (in use, reserved) and external memory (buffers), from its /metrics, in MiB. */
async function heapMetrics(client: Client) {
  const text = String(await client.request({ method: 'GET', path: '/metrics' }));
  const mib = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return m ? Math.round(Number(m[1]) / (1024 * 1024)) : undefined;
  };
  return { heapUsedMB: mib('nodejs_heap_size_used_bytes'), heapTotalMB: mib('nodejs_heap_size_total_bytes'), externalMB: mib('nodejs_external_memory_bytes') };
}

async function withUp<R>(nodes: number, pollMs: number, fn: (up: UpProcess, client: Client) => Promise<R>): Promise<R> {
  const up = await startUp({ nodes });
  try {
    const { client } = await waitForCluster(up, nodes, pollMs, 30 * 60_000);
    try {
      return await fn(up, client);
    } finally {
      client.close();
    }
  } finally {
    await up.stop();
  }
}

async function small() {
  return withUp(1, 20, async (up, client) => {
    const afterStart = processMemoryMB(up.pid).rssMB;
    const running = await PodStageCounter.start(client, { namespace: NAMESPACE, reached: isRunning, stage: 'Running' });
    const labels = { app: 'idle' };
    await client.resource<Deployment>(resources.deployments).namespace(NAMESPACE).create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'idle', namespace: NAMESPACE },
      spec: { replicas: SMALL_PODS, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: (benchPod('x', NAMESPACE) as Pod).spec } },
    });
    await running.until(SMALL_PODS, 120_000);
    running.stop();
    progress(`small: ${SMALL_PODS} pods Running; RSS ${processMemoryMB(up.pid).rssMB} MB; idling ${idleSeconds} s`);
    const idle = await idleMemory(up, client);
    progress(`small: idle RSS ${idle.rssMB} MB (peak ${idle.peakRssMB} MB), heap ${idle.heapUsedMB} of ${idle.heapTotalMB} MB, external ${idle.externalMB} MB`);
    return { nodes: 1, pods: SMALL_PODS, podsFrom: 'Deployment', rssAfterStartMB: afterStart, ...idle, targetMB: 200 };
  });
}

async function large() {
  return withUp(largeNodes, 1000, async (up, client) => {
    const afterNodes = processMemoryMB(up.pid).rssMB;
    progress(`large: ${largeNodes} nodes Ready, RSS ${afterNodes} MB; creating ${largePods} pods bound to them`);
    const running = await PodStageCounter.start(client, { namespace: NAMESPACE, reached: isRunning, stage: 'Running' });
    const pods = client.resource<Pod>(resources.pods).namespace(NAMESPACE);
    const nodeName = (i: number) => `k8ts-node-${(i % largeNodes) + 1}`;
    const seeded = await createAll(largePods, SEED_CONCURRENCY, async (i) => {
      await pods.create(benchPod(`pod-${i.toString(36).padStart(4, '0')}`, NAMESPACE, nodeName(i)) as Pod);
      if ((i + 1) % 25_000 === 0) progress(`  ${i + 1} created, k8ts RSS ${processMemoryMB(up.pid).rssMB} MB`);
    });
    const createSeconds = secondsBetween(seeded.firstAt, seeded.lastAt);
    const runningAt = await running.until(largePods);
    running.stop();
    const toRunningSeconds = secondsBetween(seeded.firstAt, runningAt);
    progress(`large: created in ${createSeconds} s, all Running after ${toRunningSeconds} s; RSS ${processMemoryMB(up.pid).rssMB} MB; idling ${idleSeconds} s`);
    const idle = await idleMemory(up, client);
    progress(`large: idle RSS ${idle.rssMB} MB (peak ${idle.peakRssMB} MB), heap ${idle.heapUsedMB} of ${idle.heapTotalMB} MB, external ${idle.externalMB} MB`);
    return {
      nodes: largeNodes,
      pods: largePods,
      rssAfterNodesMB: afterNodes,
      createsPerSecond: Math.round(largePods / createSeconds),
      toRunningSeconds,
      ...idle,
      targetMB: 4_096,
    };
  });
}

const loadBefore = loadAverage();
const smallResult = size === 'large' ? undefined : await small();
const largeResult = size === 'small' ? undefined : await large();
printResult({ bench: 'memory', small: smallResult, large: largeResult, loadAverage: { before: loadBefore, after: loadAverage() } });
