// API write throughput: Pods created per second by 50 concurrent clients over the kubeconfig's
// transport (HTTPS) against k8ts on SQLite, p50/p99 latency; in the same run the baseline, raw
// etcd puts/s of values of the same size with the same concurrency, and the ratio; p99 at a
// steady 20 writes/s; and the same creates against k8ts on etcd. Prints one JSON line.
//
//   node dist/bench/api-write.js [--quick] [--total N] [--clients N] [--resource pods|configmaps] [--paced-seconds N]
import type { RunningServer } from '../src/cluster/server.js';
import { startEtcd } from '../test/support/etcd.js';
import { benchFlags, choiceFlag, intFlag } from './lib/flags.js';
import { runLoad, type CreatesResult } from './lib/load.js';
import { BENCH_OBJECT_BYTES, BENCH_RESOURCES } from './lib/objects.js';
import { withApiServer } from './lib/server.js';
import { measureRawEtcdPuts, type RawEtcdResult } from './lib/raw-etcd.js';
import { printResult, progress } from './lib/stats.js';

const PACED_WRITES_PER_SECOND = 20;
const NAMESPACE = 'default';

const flags = benchFlags(['total', 'clients', 'resource', 'paced-seconds']);
const resource = choiceFlag(flags, 'resource', BENCH_RESOURCES);
const clients = intFlag(flags, 'clients', 50, 50);
const total = intFlag(flags, 'total', 20_000, 2_000);
const pacedSeconds = intFlag(flags, 'paced-seconds', 30, 5);

function measureCreates(running: RunningServer, namePrefix: string): Promise<CreatesResult> {
  return runLoad({ kind: 'creates', kubeconfig: running.kubeconfigPath, resource, namespace: NAMESPACE, clients, total, namePrefix });
}

progress(`api-write: ${total} ${resource} by ${clients} clients, then ${PACED_WRITES_PER_SECOND}/s for ${pacedSeconds} s`);
const { sqlite, paced } = await withApiServer({ store: 'sqlite' }, async (running) => {
  const sqlite = await measureCreates(running, 'bench-');
  progress(`sqlite store: ${sqlite.createsPerSecond} creates/s, p50 ${sqlite.p50Ms} ms, p99 ${sqlite.p99Ms} ms`);
  const paced = await runLoad({
    kind: 'paced',
    kubeconfig: running.kubeconfigPath,
    resource,
    namespace: NAMESPACE,
    clients,
    writesPerSecond: PACED_WRITES_PER_SECOND,
    seconds: pacedSeconds,
    namePrefix: 'paced-',
  });
  progress(`sqlite store at ${paced.writesPerSecond} writes/s: p50 ${paced.p50Ms} ms, p99 ${paced.p99Ms} ms`);
  return { sqlite, paced };
});

let rawEtcd: RawEtcdResult | null = null;
let etcdStore: CreatesResult | null = null;
const etcd = await startEtcd();
if (!etcd) progress('etcd is not installed: no raw etcd baseline and no etcd store run');
else {
  try {
    // The baseline stores values as large as what k8ts stores for one object.
    rawEtcd = await measureRawEtcdPuts({ endpoint: etcd.endpoint, clients, total, valueBytes: sqlite.storedBytes });
    progress(`raw etcd: ${rawEtcd.putsPerSecond} puts/s, p50 ${rawEtcd.p50Ms} ms, p99 ${rawEtcd.p99Ms} ms`);
    etcdStore = await withApiServer({ store: 'etcd', etcdEndpoints: [etcd.endpoint] }, (running) => measureCreates(running, 'bench-'));
    progress(`etcd store: ${etcdStore.createsPerSecond} creates/s, p50 ${etcdStore.p50Ms} ms, p99 ${etcdStore.p99Ms} ms`);
  } finally {
    await etcd.stop();
  }
}

printResult({
  bench: 'api-write',
  resource,
  clients,
  total,
  requestBytes: BENCH_OBJECT_BYTES,
  storedBytes: sqlite.storedBytes,
  createsPerSecond: sqlite.createsPerSecond,
  p50Ms: sqlite.p50Ms,
  p99Ms: sqlite.p99Ms,
  maxMs: sqlite.maxMs,
  rawEtcdPutsPerSecond: rawEtcd?.putsPerSecond ?? null,
  rawEtcd,
  ratio: rawEtcd ? Math.round((sqlite.createsPerSecond / rawEtcd.putsPerSecond) * 100) / 100 : null,
  paced20: { writesPerSecond: paced.writesPerSecond, seconds: pacedSeconds, writes: paced.writes, p50Ms: paced.p50Ms, p99Ms: paced.p99Ms, maxMs: paced.maxMs },
  etcdStore: etcdStore && { createsPerSecond: etcdStore.createsPerSecond, p50Ms: etcdStore.p50Ms, p99Ms: etcdStore.p99Ms, maxMs: etcdStore.maxMs },
});
