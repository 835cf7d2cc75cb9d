// Raw etcd put throughput through the etcd3 library: the baseline the apiserver write path is
// compared with (what etcd itself can take from Node, with no Store or API server on top).
import { Etcd3 } from 'etcd3';
import { summarize } from './stats.js';

export interface RawEtcdResult {
  putsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** `total` puts of `valueBytes`-byte values, spread over `clients` connections each putting one at a time. */
export async function measureRawEtcdPuts(opts: {
  endpoint: string;
  clients: number;
  total: number;
  valueBytes: number;
}): Promise<RawEtcdResult> {
  const clients = Array.from({ length: opts.clients }, () => new Etcd3({ hosts: opts.endpoint }));
  const value = Buffer.alloc(opts.valueBytes, 'x');
  const run = `/bench/raw/${Date.now().toString(36)}/`;
  try {
    // One put per connection first, so that connecting is not measured.
    await Promise.all(clients.map((c, i) => c.kv.put({ key: Buffer.from(`${run}warmup-${i}`), value })));
    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (next < opts.total) {
          const key = Buffer.from(`${run}${next++}`);
          const t = performance.now();
          await c.kv.put({ key, value });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const { p50Ms, p99Ms } = summarize(latencies);
    return { putsPerSecond: Math.round(latencies.length / seconds), p50Ms, p99Ms };
  } finally {
    for (const c of clients) c.close();
  }
}
