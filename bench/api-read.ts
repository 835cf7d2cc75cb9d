// API read paths with a large cluster's worth of pods stored (150,000 pods over 5,000 node
// names): LIST of all pods over HTTP from the watch cache, the same LIST paged with limit=500 as
// kubectl pages it, a LIST of one node's pods by field selector; then 1,000 watchers of one
// namespace receiving 100 updates/s, and how long each update takes to reach them. Prints one
// JSON line.
//
//   node dist/bench/api-read.js [--quick] [--pods N] [--nodes N] [--repetitions N] [--watchers N]
//                               [--updates-per-second N] [--watch-seconds N] [--resource pods|configmaps]
import { resources } from '../src/client/resource.js';
import { benchFlags, choiceFlag, intFlag } from './lib/flags.js';
import { runLoad, startLoad, type ListResult, type UpdatesResult, type WatchersResult } from './lib/load.js';
import { BENCH_RESOURCES, benchKinds } from './lib/objects.js';
import { withApiServer } from './lib/server.js';
import { heapUsedMB, peakRssMB, printResult, progress, rssMB, summarize } from './lib/stats.js';

const NAMESPACES = 10;
const WATCH_NAMESPACE = 'bench-watch';
/** Updates go round robin over this many objects, so one object is not written again before its last write is answered. */
const WATCHED_OBJECTS = 1_000;
const PAGE_LIMIT = 500;
/** Creates in flight while seeding: enough to fill SQLite's group commits. */
const SEED_CONCURRENCY = 256;

const flags = benchFlags(['pods', 'nodes', 'repetitions', 'watchers', 'updates-per-second', 'watch-seconds', 'resource']);
const kind = benchKinds[choiceFlag(flags, 'resource', BENCH_RESOURCES)];
const pods = intFlag(flags, 'pods', 150_000, 5_000);
const nodes = intFlag(flags, 'nodes', 5_000, 100);
const repetitions = intFlag(flags, 'repetitions', 10, 5);
const watchers = intFlag(flags, 'watchers', 1_000, 100);
const updatesPerSecond = intFlag(flags, 'updates-per-second', 100, 100);
const watchSeconds = intFlag(flags, 'watch-seconds', 10, 3);

const nodeName = (i: number) => `node-${String(i % nodes).padStart(5, '0')}`;
const namespaceOf = (i: number) => `bench-${String(i % NAMESPACES).padStart(2, '0')}`;
const objectName = (i: number) => `checkout-${i.toString(36).padStart(4, '0')}`;

/**
 * How long after an update's acknowledgement each watcher read its event (0 when the event
 * came first, as it usually does: the server fans out before it answers), and after the request.
 */
function deliveryLag(updates: UpdatesResult, seen: WatchersResult, watchers: number) {
  const byRevision = new Map<number, number>();
  updates.revisions.forEach((rv, i) => byRevision.set(rv, i));
  const lag: number[] = [];
  const fromRequest: number[] = [];
  for (let r = 0; r < seen.revisions.length; r++) {
    const i = byRevision.get(seen.revisions[r]);
    if (i === undefined) continue;
    lag.push(Math.max(0, seen.times[r] - updates.ackedAt[i]));
    fromRequest.push(seen.times[r] - updates.sentAt[i]);
  }
  const ack = summarize(lag);
  const request = summarize(fromRequest);
  return {
    eventsExpected: updates.revisions.length * watchers,
    eventsReceived: lag.length,
    watchersEnded: seen.ended,
    lagP50Ms: ack.p50Ms,
    lagP99Ms: ack.p99Ms,
    lagMaxMs: ack.maxMs,
    lagFromRequestP50Ms: request.p50Ms,
    lagFromRequestP99Ms: request.p99Ms,
  };
}

await withApiServer({ log: (line) => progress(line) }, async (running) => {
  const namespaces = running.client.resource(resources.namespaces);
  const serviceAccounts = running.client.resource(resources.serviceAccounts);
  for (const name of [...Array.from({ length: NAMESPACES }, (_, n) => namespaceOf(n)), WATCH_NAMESPACE]) {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // No controllers run here: the `default` ServiceAccount they would make, which pods need, is made by hand.
    await serviceAccounts.namespace(name).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
  }

  progress(`seeding ${pods} ${kind.resource} over ${nodes} nodes and ${NAMESPACES} namespaces`);
  const objects = running.client.resource(kind.ref);
  let next = 0;
  const seedStart = performance.now();
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < pods) {
        const i = next++;
        await objects.namespace(namespaceOf(i)).create(kind.make(objectName(i), namespaceOf(i), nodeName(i)));
        if ((i + 1) % 25_000 === 0) progress(`  ${i + 1} created, RSS ${rssMB()} MB`);
      }
    }),
  );
  const seedSeconds = (performance.now() - seedStart) / 1000;
  // The server's own memory: no load worker has started yet.
  const rssAfterSeedMB = rssMB();
  const heapAfterSeedMB = heapUsedMB();
  progress(`seeded in ${seedSeconds.toFixed(1)} s (${Math.round(pods / seedSeconds)}/s), RSS ${rssAfterSeedMB} MB, heap ${heapAfterSeedMB} MB`);

  const list = (what: string, extra: { limit?: number; fieldSelector?: string; expectItems: number; repetitions: number }): Promise<ListResult> =>
    runLoad({ kind: 'list', kubeconfig: running.kubeconfigPath, resource: kind.resource, namespace: '', ...extra }).then((r) => {
      progress(`${what}: ${r.items} items, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.pages} pages, first ${r.firstMs} ms, then p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
      return r;
    });
  const listAll = await list('LIST all', { expectItems: pods, repetitions });
  const listChunked = await list(`LIST limit=${PAGE_LIMIT}`, { limit: PAGE_LIMIT, expectItems: pods, repetitions: Math.max(1, Math.ceil(repetitions / 3)) });
  const node = nodeName(nodes >> 1);
  let onNode = 0;
  for (let i = 0; i < pods; i++) if (nodeName(i) === node) onNode++;
  const fieldSelector = kind.oneNodeSelector(node, objectName(0));
  const listOneNode = await list(`LIST ${fieldSelector}`, { fieldSelector, expectItems: kind.resource === 'pods' ? onNode : 1, repetitions: repetitions * 5 });

  const watched = objects.namespace(WATCH_NAMESPACE);
  const names = Array.from({ length: WATCHED_OBJECTS }, (_, i) => `watched-${i}`);
  await Promise.all(names.map((name, i) => watched.create(kind.make(name, WATCH_NAMESPACE, nodeName(i)))));
  const target = { kubeconfig: running.kubeconfigPath, resource: kind.resource, namespace: WATCH_NAMESPACE };
  const { resourceVersion = '' } = (await watched.list()).metadata;
  const watching = startLoad({ kind: 'watchers', ...target, watchers, resourceVersion });
  await watching.ready;
  progress(`${watchers} watchers started; updating at ${updatesPerSecond}/s for ${watchSeconds} s`);
  const updates = await runLoad({ kind: 'updates', ...target, names, updatesPerSecond, seconds: watchSeconds });
  watching.stop({ lastRevision: updates.revisions.reduce((a, b) => Math.max(a, b), 0) });
  const watch = deliveryLag(updates, await watching.result, watchers);
  progress(`watch: ${watch.eventsReceived}/${watch.eventsExpected} events, lag p50 ${watch.lagP50Ms} ms, p99 ${watch.lagP99Ms} ms; from the request p99 ${watch.lagFromRequestP99Ms} ms`);

  const summary = (r: ListResult) => ({ repetitions: r.repetitions, items: r.items, pages: r.pages, bytes: r.bytes, firstMs: r.firstMs, p50Ms: r.p50Ms, p99Ms: r.p99Ms, maxMs: r.maxMs });
  printResult({
    bench: 'api-read',
    resource: kind.resource,
    pods,
    nodes,
    namespaces: NAMESPACES,
    seedPerSecond: Math.round(pods / seedSeconds),
    listAll: summary(listAll),
    listChunked: { limit: PAGE_LIMIT, ...summary(listChunked) },
    listOneNode: { fieldSelector, ...summary(listOneNode) },
    watch: { watchers, updatesPerSecond: updates.updatesPerSecond, seconds: watchSeconds, ...watch, updateP99Ms: updates.p99Ms },
    rssAfterSeedMB,
    heapAfterSeedMB,
    // Includes the load workers' memory: they share the process.
    peakRssMB: peakRssMB(),
  });
});
