// `k8ts up --runtime simulated --nodes 1` on a fresh data dir, timed from the spawn until the API
// answers /readyz and one node is Ready (polled over HTTPS with the kubeconfig k8ts writes, as
// a user's script would), and until the "k8ts is ready" line. Median of N runs; each run is
// a new process and a new data dir, so the cluster CA and certificates are made every time.
//
//   node dist/bench/startup.js [--quick] [--runs N]
import { benchFlags, intFlag } from './lib/flags.js';
import { loadAverage } from './lib/proc.js';
import { percentile, printResult, progress, roundMs } from './lib/stats.js';
import { startUp, waitForCluster } from './lib/up.js';

const flags = benchFlags(['runs']);
const runs = intFlag(flags, 'runs', 7, 3);

const toReadyLine: number[] = [];
const toApiAndNode: number[] = [];
for (let i = 0; i < runs; i++) {
  const up = await startUp({ nodes: 1 });
  try {
    const { readyAt, client } = await waitForCluster(up, 1);
    client.close();
    const lineAt = await up.readyLine;
    toApiAndNode.push(readyAt - up.spawnedAt);
    toReadyLine.push(lineAt - up.spawnedAt);
    progress(`run ${i + 1}: API and node Ready at ${toApiAndNode[i].toFixed(0)} ms, "k8ts is ready" at ${toReadyLine[i].toFixed(0)} ms`);
  } finally {
    await up.stop();
  }
}

const median = (xs: number[]) => roundMs(percentile([...xs].sort((a, b) => a - b), 50));
printResult({
  bench: 'startup',
  runtime: 'simulated',
  nodes: 1,
  runs,
  medianApiAndNodeReadyMs: median(toApiAndNode),
  medianReadyLineMs: median(toReadyLine),
  minApiAndNodeReadyMs: roundMs(Math.min(...toApiAndNode)),
  maxApiAndNodeReadyMs: roundMs(Math.max(...toApiAndNode)),
  targetMs: 1_000,
  loadAverage: loadAverage(),
});
