// Store write throughput: SqliteStore (and EtcdStore) creates per second with 50 concurrent
// writers of ~1 KiB values, against raw etcd puts of the same size in the same run.
// Prints one JSON line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdStore } from '../src/storage/etcd.js';
import { SqliteStore } from '../src/storage/sqlite.js';
import type { Store } from '../src/storage/store.js';
import { startEtcd } from '../test/support/etcd.js';
import { measureRawEtcdPuts, type RawEtcdResult } from './lib/raw-etcd.js';
import { percentile } from './lib/stats.js';

const WRITERS = 50;
const TOTAL = Number(process.env.BENCH_STORE_WRITES ?? 20_000);
const VALUE_BYTES = 1024;

interface CreateResult {
  createsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function measureCreates(store: Store, total: number): Promise<CreateResult> {
  // An object-shaped value of VALUE_BYTES, as the apiserver would store it.
  const value = JSON.stringify({ kind: 'ConfigMap', data: { v: 'x'.repeat(VALUE_BYTES - 32) } });
  const prefix = `/registry/configmaps/bench-${Date.now().toString(36)}/`;
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < total) {
        const key = `${prefix}cm-${next++}`;
        const t = performance.now();
        await store.create(key, value);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    createsPerSecond: Math.round(total / seconds),
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
  };
}

const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
const sqlite = SqliteStore.open(join(dir, 'state.db'));
let sqliteResult: CreateResult;
try {
  sqliteResult = await measureCreates(sqlite, TOTAL);
} finally {
  await sqlite.close();
  await rm(dir, { recursive: true, force: true });
}

let etcdRaw: RawEtcdResult | null = null;
let etcdStore: CreateResult | null = null;
const etcd = await startEtcd();
if (etcd) {
  try {
    etcdRaw = await measureRawEtcdPuts({ endpoint: etcd.endpoint, clients: WRITERS, total: TOTAL, valueBytes: VALUE_BYTES });
    const store = await EtcdStore.connect([etcd.endpoint]);
    try {
      etcdStore = await measureCreates(store, TOTAL);
    } finally {
      await store.close();
    }
  } finally {
    await etcd.stop();
  }
}

console.log(
  JSON.stringify({
    bench: 'store-write',
    writers: WRITERS,
    total: TOTAL,
    valueBytes: VALUE_BYTES,
    sqlite: sqliteResult,
    etcdStore,
    etcdRaw,
    sqliteVsRawEtcd: etcdRaw ? Math.round((sqliteResult.createsPerSecond / etcdRaw.putsPerSecond) * 100) / 100 : null,
  }),
);
