// The snapshot's running totals (pods per topology domain, existing pods' terms, the label index)
// against a fresh count: after every change the cache makes, the plugins give every node the same
// verdict and the same score as on a snapshot built from scratch. Then a scaled-down run of the
// scheduler loop benchmark: placements on a cache-fed snapshot keep every constraint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Cache } from '../../../src/scheduler/cache.js';
import { CycleState, type Handle } from '../../../src/scheduler/framework.js';
import { NodeInfo, PodInfo } from '../../../src/scheduler/nodeinfo.js';
import { defaultPlugins } from '../../../src/scheduler/plugins/index.js';
import { InterPodAffinity } from '../../../src/scheduler/plugins/interpodaffinity.js';
import { NodeResourcesBalancedAllocation } from '../../../src/scheduler/plugins/balancedallocation.js';
import { NodeResourcesFit } from '../../../src/scheduler/plugins/noderesourcesfit.js';
import { PodTopologySpread } from '../../../src/scheduler/plugins/podtopologyspread.js';
import { Snapshot } from '../../../src/scheduler/snapshot.js';
import { benchNode, benchSchedulerPod } from '../../../bench/lib/scheduler-loop.js';
import { fakeHandle, frameworkFor, makeNode, makePod, type FakeWorld } from './fixtures.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** A deterministic pseudo-random sequence, so a failure replays. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

const term = (app: string, topologyKey: string, extra: object = {}) => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });

/** Incoming pods exercising every kind of count the plugins keep. */
const probes: Pod[] = [
  makePod('spread-zone', {
    labels: { app: 'web' },
    spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] },
  }),
  makePod('spread-host-affinity', {
    labels: { app: 'web' },
    spec: {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'NotIn', values: ['z2'] }] }] } } },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
        { maxSkew: 2, minDomains: 3, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, nodeTaintsPolicy: 'Honor' },
        { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] } },
      ],
    },
  }),
  makePod('anti', { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] } } } }),
  makePod('affinity', { labels: { app: 'cache' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE), term('db', HOST)] } } } }),
  makePod('affinity-ns-selector', {
    labels: { app: 'cache' },
    spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE, { namespaceSelector: { matchLabels: { team: 'a' } } })] } } },
  }),
  makePod('preferred', {
    labels: { app: 'db' },
    spec: {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 30, podAffinityTerm: term('web', ZONE) }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 70, podAffinityTerm: term('db', HOST) }] },
      },
    },
  }),
  makePod('plain-web', { labels: { app: 'web' } }),
];

/** Pods the cache receives: some with terms of their own that select the probes. */
function existingPod(i: number, next: () => number, nodeName: string): Pod {
  const app = ['web', 'db', 'cache', 'other'][Math.floor(next() * 4)];
  const namespace = next() < 0.2 ? 'team-a' : 'default';
  const spec: Partial<NonNullable<Pod['spec']>> = {};
  const kind = next();
  if (kind < 0.15) spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] } };
  else if (kind < 0.25) spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', ZONE)] } };
  else if (kind < 0.35) spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + Math.floor(next() * 100), podAffinityTerm: term('db', ZONE) }] } };
  return makePod(`e${i}`, { namespace, labels: { app }, nodeName, spec });
}

function clusterNode(i: number, zone: string, tainted: boolean) {
  return makeNode(`n${i}`, { labels: { [ZONE]: zone }, taints: tainted ? [{ key: 'dedicated', effect: 'NoSchedule' }] : undefined });
}

/** Every node's Filter status and Score of `plugin` for `pod` (scores normalized as the framework does). */
function verdicts(plugin: PodTopologySpread | InterPodAffinity, snapshot: Snapshot, pod: PodInfo): string[] {
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod, snapshot);
  const out: string[] = [];
  const feasible: NodeInfo[] = [];
  for (const ni of snapshot.nodeInfoList) {
    const s = pre ? undefined : plugin.filter(state, pod, ni);
    out.push(`${ni.name}:${s ? `${s.code} ${s.message()}` : 'fits'}`);
    if (!s) feasible.push(ni);
  }
  const preScore = plugin.preScore(state, pod, feasible, snapshot.nodeInfoList);
  if (preScore) return [...out, `preScore ${preScore.code}`];
  const scores = Float64Array.from(feasible, (ni) => plugin.score(state, pod, ni));
  plugin.normalizeScore(state, pod, scores, feasible);
  return [...out, ...feasible.map((ni, i) => `${ni.name}=${scores[i]}`)];
}

test('running totals give the verdicts and scores a fresh count gives, through pod and node changes', () => {
  const next = rng(7);
  const cache = new Cache();
  const snapshot = new Snapshot();
  const world: FakeWorld = { snapshot, namespaces: { default: {}, 'team-a': { team: 'a' } } };
  const zones = ['z1', 'z2', 'z3'];
  for (let i = 0; i < 9; i++) cache.addNode(clusterNode(i, zones[i % 3], i === 4));
  const placed = new Map<string, Pod>();
  const incoming = probes.map((p) => new PodInfo(p));
  const check = (step: number) => {
    cache.updateSnapshot(snapshot);
    // The reference: the same NodeInfos, copied, in a snapshot that keeps no totals.
    const fresh = Snapshot.of(snapshot.nodeInfoList.map((ni) => ni.clone()));
    for (const make of [(h: Handle) => new PodTopologySpread(h), (h: Handle) => new InterPodAffinity(h)]) {
      const incrementalPlugin = make(fakeHandle(world));
      const freshPlugin = make(fakeHandle({ ...world, snapshot: fresh }));
      for (const pod of incoming) {
        assert.deepEqual(verdicts(incrementalPlugin, snapshot, pod), verdicts(freshPlugin, fresh, pod), `step ${step}, ${incrementalPlugin.name}, pod ${pod.name}`);
      }
    }
  };
  for (let step = 0; step < 120; step++) {
    const r = next();
    if (r < 0.55 || placed.size === 0) {
      const pod = existingPod(step, next, `n${Math.floor(next() * 9)}`);
      placed.set(pod.metadata!.name!, pod);
      cache.addPod(pod);
    } else if (r < 0.75) {
      const victim = [...placed.values()][Math.floor(next() * placed.size)];
      placed.delete(victim.metadata!.name!);
      cache.removePod(victim);
    } else if (r < 0.85) {
      // Relabelled or terminating: counted differently from now on.
      const pod = [...placed.values()][Math.floor(next() * placed.size)];
      const changed: Pod =
        next() < 0.5
          ? { ...pod, metadata: { ...pod.metadata, labels: { app: pod.metadata?.labels?.app === 'web' ? 'db' : 'web' } } }
          : { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
      placed.set(pod.metadata!.name!, changed);
      cache.updatePod(changed);
    } else if (r < 0.9) {
      // An assumed pod, then forgotten or confirmed.
      const pod = new PodInfo(existingPod(1000 + step, next, `n${Math.floor(next() * 9)}`));
      cache.assumePod(pod);
      check(step);
      if (next() < 0.5) cache.forgetPod(pod);
      else {
        placed.set(pod.name, pod.pod);
        cache.addPod(pod.pod);
      }
    } else if (r < 0.95) {
      const i = Math.floor(next() * 9);
      cache.updateNode(clusterNode(i, zones[Math.floor(next() * 3)], next() < 0.3));
    } else {
      const i = 9 + step;
      cache.addNode(clusterNode(i, zones[step % 3], false));
    }
    check(step);
  }
});

test('resource filter and scores read the same amounts from snapshot rows as from NodeInfo objects, through pods placed, removed, assumed and nodes replaced', () => {
  const next = rng(11);
  const cache = new Cache();
  const snapshot = new Snapshot();
  const fit = new NodeResourcesFit();
  const balanced = new NodeResourcesBalancedAllocation();
  const probes = [
    new PodInfo(makePod('small', { cpu: '100m', memory: '64Mi' })),
    new PodInfo(makePod('big', { cpu: '3', memory: '6Gi' })),
    new PodInfo(makePod('best-effort')),
  ];
  const size = (i: number) => ({ cpu: `${2 + (i % 3)}`, memory: `${4 + (i % 2) * 4}Gi`, pods: `${3 + (i % 2)}` });
  for (let i = 0; i < 6; i++) cache.addNode(makeNode(`n${i}`, size(i)));
  const placed: Pod[] = [];
  for (let step = 0; step < 150; step++) {
    const r = next();
    const node = `n${Math.floor(next() * 6)}`;
    if (r < 0.5 || placed.length === 0) {
      const pod = makePod(`p${step}`, { nodeName: node, cpu: `${100 * (1 + Math.floor(next() * 10))}m`, memory: `${Math.floor(next() * 1024)}Mi` });
      placed.push(pod);
      cache.addPod(pod);
    } else if (r < 0.8) {
      cache.removePod(placed.splice(Math.floor(next() * placed.length), 1)[0]);
    } else if (r < 0.9) {
      const assumed = new PodInfo(makePod(`a${step}`, { nodeName: node, cpu: '1' }));
      cache.assumePod(assumed);
      cache.updateSnapshot(snapshot);
      cache.forgetPod(assumed);
    } else {
      // A node deleted and another added: its row may be handed on.
      const i = Math.floor(next() * 6);
      cache.removeNode(makeNode(`n${i}`));
      cache.addNode(makeNode(`n${i}`, size(step)));
    }
    cache.updateSnapshot(snapshot);
    for (const ni of snapshot.nodeInfoList) {
      // A clone holds no row: it reads its own objects.
      const own = ni.clone();
      for (const pod of probes) {
        const where = `step ${step}, ${ni.name}, ${pod.name}`;
        assert.deepEqual(fit.filter(new CycleState(), pod, ni)?.reasons, fit.filter(new CycleState(), pod, own)?.reasons, where);
        assert.equal(fit.score(new CycleState(), pod, ni), fit.score(new CycleState(), pod, own), where);
        assert.equal(balanced.score(new CycleState(), pod, ni), balanced.score(new CycleState(), pod, own), where);
      }
    }
  }
});

test('the scheduler loop benchmark, scaled down: placements keep node affinity, anti-affinity and the zone spread', () => {
  const zones = 5;
  const cache = new Cache();
  const snapshot = new Snapshot();
  for (let i = 0; i < 200; i++) cache.addNode(benchNode(i, zones));
  const world: FakeWorld = { snapshot, namespaces: { 'sched-bench': {} } };
  const fw = frameworkFor(world, (h) => defaultPlugins(h));
  const perZone = new Map<string, number>();
  const groupsOnNode = new Set<string>();
  const zoneOf = (node: string) => `zone-${Number(node.slice('node-'.length)) % zones}`;
  for (let i = 0; i < 600; i++) {
    cache.updateSnapshot(snapshot);
    const pod = new PodInfo(benchSchedulerPod(i, 'affinity', zones));
    const host = fw.schedulePod(new CycleState(), pod, snapshot).suggestedHost;
    cache.assumePod(pod.withNodeName(host));
    const zone = zoneOf(host);
    assert.notEqual(zone, `zone-${zones - 1}`, `${pod.name} landed in the zone its node affinity excludes`);
    const placement = `${pod.labels.group}@${host}`;
    assert.ok(!groupsOnNode.has(placement), `${pod.name} shares ${host} with a pod of its anti-affinity group`);
    groupsOnNode.add(placement);
    perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
    const counts = Array.from({ length: zones - 1 }, (_, z) => perZone.get(`zone-${z}`) ?? 0);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `zone counts ${counts} after ${pod.name} exceed maxSkew 1`);
  }
  assert.equal(cache.podCount, 600);
});
