// startCluster() in the benchmark's own process, as a test suite embeds k8ts: the time until its
// client has created a pod, over N starts (the first is cold: its code is not yet compiled by
// V8), and the time to import the library at all. Prints one JSON line.
//
//   node dist/bench/embedded.js [--quick] [--runs N]
import type { Pod } from 'kubernetes-types/core/v1.js';
import { benchFlags, intFlag } from './lib/flags.js';
import { loadAverage } from './lib/proc.js';
import { percentile, printResult, progress, roundMs } from './lib/stats.js';

const flags = benchFlags(['runs']);
const runs = intFlag(flags, 'runs', 10, 3);

const importStart = performance.now();
const { startCluster } = await import('../src/index.js');
const { resources } = await import('../src/client/resource.js');
const importMs = performance.now() - importStart;
progress(`imported the library in ${importMs.toFixed(1)} ms`);

const pod = (i: number): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `first-pod-${i}`, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
});

const toPod: number[] = [];
const toStart: number[] = [];
const toStop: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const cluster = await startCluster();
  const started = performance.now();
  await cluster.client.resource<Pod>(resources.pods).namespace('default').create(pod(i));
  const created = performance.now();
  await cluster.stop();
  toStart.push(started - t0);
  toPod.push(created - t0);
  toStop.push(performance.now() - created);
  progress(`run ${i + 1}: started in ${(started - t0).toFixed(1)} ms, pod created at ${(created - t0).toFixed(1)} ms, stopped in ${toStop[i].toFixed(1)} ms`);
}

const median = (xs: number[]) => roundMs(percentile([...xs].sort((a, b) => a - b), 50));
printResult({
  bench: 'embedded',
  runs,
  options: 'startCluster() defaults: in-memory store, every controller, the scheduler, no nodes',
  importMs: roundMs(importMs),
  firstRunToPodMs: roundMs(toPod[0]),
  medianToPodMs: median(toPod),
  medianStartMs: median(toStart),
  medianStopMs: median(toStop),
  maxToPodMs: roundMs(Math.max(...toPod)),
  targetMs: 100,
  loadAverage: loadAverage(),
});
