// Simulated clusters at scale, all in this process as `k8ts up` runs them (SQLite store, every
// registered controller, the scheduler):
//  1. 10,000 simulated nodes registered and Ready (KWOK's CI figure);
//  2. on a fresh cluster of 1,000 nodes, one 10,000-replica Deployment until all its pods are
//     Running (seen through a watch), then a rolling update to a new image until the rollout is
//     complete as `kubectl rollout status` judges it: the controllers' throughput.
//
//   node dist/bench/sim-scale.js [--quick] [--nodes N] [--deploy-nodes N] [--replicas N] [--phase all|nodes|deployment]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { resources } from '../src/client/resource.js';
import { startAllInOne, type RunningCluster } from '../src/cluster/allinone.js';
import { SimulatedNodes } from '../src/sim/index.js';
import { benchFlags, choiceFlag, intFlag } from './lib/flags.js';
import { isRunning, PodStageCounter, secondsBetween } from './lib/pods.js';
import { loadAverage } from './lib/proc.js';
import { heapUsedMB, printResult, progress, rssMB } from './lib/stats.js';
import { isNodeReady } from './lib/up.js';

const PHASES = ['all', 'nodes', 'deployment'] as const;
const flags = benchFlags(['nodes', 'deploy-nodes', 'replicas', 'phase']);
const nodeCount = intFlag(flags, 'nodes', 10_000, 1_000);
const deployNodes = intFlag(flags, 'deploy-nodes', 1_000, 100);
const replicas = intFlag(flags, 'replicas', 10_000, 1_000);
const phase = choiceFlag(flags, 'phase', PHASES);

const NAMESPACE = 'default';
const APP = 'scale';

/** A fresh all-in-one cluster with no nodes, on its own SQLite data dir; removed afterwards. */
async function withCluster<R>(fn: (cluster: RunningCluster) => Promise<R>): Promise<R> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
  try {
    const cluster = await startAllInOne({ dataDir, port: 0, nodes: 0, log: (line) => progress(line) });
    try {
      return await fn(cluster);
    } finally {
      await cluster.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function withSimulatedNodes<R>(cluster: RunningCluster, count: number, fn: (seconds: number) => Promise<R>): Promise<R> {
  const nodes = new SimulatedNodes(cluster.client, { count, onError: (err, key) => progress(`simulated ${key}: ${(err as Error).message}`) });
  const start = performance.now();
  const ticker = setInterval(() => progress(`  registering nodes, RSS ${rssMB()} MB`), 5_000);
  try {
    await nodes.start();
  } finally {
    clearInterval(ticker);
  }
  const seconds = secondsBetween(start, performance.now());
  try {
    return await fn(seconds);
  } finally {
    await nodes.stop();
  }
}

async function nodesReady() {
  return withCluster((cluster) =>
    withSimulatedNodes(cluster, nodeCount, async (seconds) => {
      // Ready as a user sees it: from a LIST, not from the simulation's own bookkeeping.
      const listed = await cluster.client.resource<Node>(resources.nodes).list();
      const ready = listed.items.filter(isNodeReady).length;
      if (ready !== nodeCount) throw new Error(`${ready}/${nodeCount} nodes Ready after start`);
      progress(`${nodeCount} nodes Ready in ${seconds} s, RSS ${rssMB()} MB`);
      return { nodes: nodeCount, seconds, nodesPerSecond: Math.round(nodeCount / seconds), rssMB: rssMB(), heapUsedMB: heapUsedMB(), targetSeconds: 10 };
    }),
  );
}

function deployment(image: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: APP, namespace: NAMESPACE },
    spec: {
      replicas,
      selector: { matchLabels: { app: APP } },
      template: {
        metadata: { labels: { app: APP } },
        spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  };
}

/** `kubectl rollout status`'s test: the controller saw the change and every replica is updated and available. */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
}

async function waitForRollout(cluster: RunningCluster, timeoutMs = 30 * 60_000): Promise<number> {
  const deployments = cluster.client.resource<Deployment>(resources.deployments).namespace(NAMESPACE);
  const deadline = performance.now() + timeoutMs;
  let lastReport = performance.now();
  for (;;) {
    const d = await deployments.get(APP);
    if (rolledOut(d)) return performance.now();
    if (performance.now() > deadline) throw new Error(`rollout not complete after ${timeoutMs / 1000} s: ${JSON.stringify(d.status)}`);
    if (performance.now() - lastReport > 5_000) {
      const s = d.status ?? {};
      progress(`  rollout: updated ${s.updatedReplicas ?? 0}, available ${s.availableReplicas ?? 0}, total ${s.replicas ?? 0}`);
      lastReport = performance.now();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function deploymentRunning() {
  return withCluster((cluster) =>
    withSimulatedNodes(cluster, deployNodes, async (nodeSeconds) => {
      progress(`${deployNodes} nodes Ready in ${nodeSeconds} s; creating a Deployment of ${replicas}`);
      const running = await PodStageCounter.start(cluster.client, { namespace: NAMESPACE, labelSelector: `app=${APP}`, reached: isRunning, stage: 'Running' });
      const deployments = cluster.client.resource<Deployment>(resources.deployments).namespace(NAMESPACE);
      const start = performance.now();
      await deployments.create(deployment('registry.k8s.io/nginx:1.27'));
      const runningAt = await running.until(replicas);
      running.stop();
      const scaleUpSeconds = secondsBetween(start, runningAt);
      progress(`${replicas} pods Running in ${scaleUpSeconds} s, RSS ${rssMB()} MB; rolling to a new image`);
      await waitForRollout(cluster);
      const rollStart = performance.now();
      await deployments.patch(APP, { spec: { template: { spec: { containers: [{ name: 'web', image: 'registry.k8s.io/nginx:1.28' }] } } } }, 'strategic');
      const rolledAt = await waitForRollout(cluster);
      const rollSeconds = secondsBetween(rollStart, rolledAt);
      progress(`rolling update complete in ${rollSeconds} s`);
      return {
        nodes: deployNodes,
        replicas,
        toRunningSeconds: scaleUpSeconds,
        podsRunningPerSecond: Math.round(replicas / scaleUpSeconds),
        rollingUpdateSeconds: rollSeconds,
        podsReplacedPerSecond: Math.round(replicas / rollSeconds),
        rssMB: rssMB(),
        heapUsedMB: heapUsedMB(),
        targetSeconds: 10,
      };
    }),
  );
}

const loadBefore = loadAverage();
const nodesResult = phase === 'deployment' ? undefined : await nodesReady();
const deploymentResult = phase === 'nodes' ? undefined : await deploymentRunning();
printResult({
  bench: 'sim-scale',
  nodesReady: nodesResult,
  deployment: deploymentResult,
  loadAverage: { before: loadBefore, after: loadAverage() },
});
