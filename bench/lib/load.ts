// Load generators that run on a worker thread: the API benchmarks start k8ts in their own
// process, and the clients' work (encoding, decoding, sockets) must not queue on the server's
// event loop, as it would not with a real client process. `startLoad`/`runLoad` (main thread)
// start a worker on this module, which runs one task and posts its result back.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { KubeObject } from '../../src/api/registry.js';
import { Client } from '../../src/client/client.js';
import { resourcePath } from '../../src/client/resource.js';
import { benchKinds, type BenchResource } from './objects.js';
import { firstResourceVersion, LineSplitter, RawHttp } from './raw-http.js';
import { progress, roundMs, summarize, wallClockMs, type LatencySummary } from './stats.js';

interface Target {
  kubeconfig: string;
  resource: BenchResource;
  namespace: string;
}

/** `total` creates spread over `clients` clients (each its own kept-alive connection), one at a time each. */
export interface CreatesTask extends Target {
  kind: 'creates';
  clients: number;
  total: number;
  namePrefix: string;
}

export interface CreatesResult extends LatencySummary {
  createsPerSecond: number;
  /** Size of one created object as the server returns it (what it stores), in bytes. */
  storedBytes: number;
}

/** Creates at a fixed rate, whether or not earlier ones have answered (open loop). */
export interface PacedTask extends Target {
  kind: 'paced';
  clients: number;
  writesPerSecond: number;
  seconds: number;
  namePrefix: string;
}

export interface PacedResult extends LatencySummary {
  writesPerSecond: number;
  writes: number;
}

/** LISTs of one collection, timed to the last byte; with `limit`, every page of it, as kubectl pages. */
export interface ListTask extends Target {
  kind: 'list';
  repetitions: number;
  /** Items one LIST must return: checked on the first repetition. */
  expectItems: number;
  limit?: number;
  fieldSelector?: string;
}

export interface ListResult extends LatencySummary {
  /** The first LIST, untimed among the repetitions: it encodes every object not served as JSON lately. */
  firstMs: number;
  repetitions: number;
  items: number;
  /** Bytes of one complete LIST (all pages). */
  bytes: number;
  pages: number;
}

/**
 * `watchers` watch streams on one namespace, each on its own connection, from `resourceVersion`.
 * The worker says when all have started; told the last revision written, it waits (up to 10 s)
 * for every watcher to see it and answers with when each event arrived.
 */
export interface WatchersTask extends Target {
  kind: 'watchers';
  watchers: number;
  resourceVersion: string;
}

export interface WatchersResult {
  /** Per event read by a watcher: the object's resourceVersion and the wall-clock time it arrived. */
  revisions: Float64Array;
  times: Float64Array;
  /** Watchers whose stream the server ended before the last revision. */
  ended: number;
}

/** Merge patches of the objects `names`, round robin, at a fixed rate (open loop). */
export interface UpdatesTask extends Target {
  kind: 'updates';
  names: string[];
  updatesPerSecond: number;
  seconds: number;
}

export interface UpdatesResult extends LatencySummary {
  updatesPerSecond: number;
  /** Per update: the written resourceVersion, and wall-clock times of sending and acknowledgement. */
  revisions: Float64Array;
  sentAt: Float64Array;
  ackedAt: Float64Array;
}

export type LoadTask = CreatesTask | PacedTask | ListTask | WatchersTask | UpdatesTask;

type ResultOf<T extends LoadTask> = T extends CreatesTask
  ? CreatesResult
  : T extends PacedTask
    ? PacedResult
    : T extends ListTask
      ? ListResult
      : T extends WatchersTask
        ? WatchersResult
        : UpdatesResult;

/** What the main thread may tell a running task: the last revision written (watchers wait for it, then answer). */
interface StopMessage {
  lastRevision: number;
}

export interface RunningLoad<R> {
  /** Resolves when the task has set up (watchers: all streams started); rejects if it fails first. */
  ready: Promise<void>;
  stop(msg: StopMessage): void;
  result: Promise<R>;
}

/** Starts `task` on a fresh worker thread; progress lines of the worker go to stderr. */
export function startLoad<T extends LoadTask>(task: T): RunningLoad<ResultOf<T>> {
  const worker = new Worker(new URL(import.meta.url), { workerData: task });
  let onReady: () => void = () => {};
  let onFailure: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFailure = reject;
  });
  // Most callers wait for the result only; a failure reaches them there.
  ready.catch(() => {});
  const result = new Promise<ResultOf<T>>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: { ready?: true; result?: ResultOf<T>; error?: string }) => {
      if (m.ready) return onReady();
      settled = true;
      // Sockets the task left behind must not keep the worker (and the benchmark) alive.
      void worker.terminate();
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.result as ResultOf<T>);
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`load worker for ${task.kind} exited with code ${code} before answering`));
    });
  });
  // A task that fails before it is ready must not leave its caller waiting for readiness.
  result.then(onReady, onFailure);
  return { ready, stop: (msg) => worker.postMessage(msg), result };
}

export function runLoad<T extends LoadTask>(task: T): Promise<ResultOf<T>> {
  return startLoad(task).result;
}

function newClients(kubeconfig: string, n: number): Client[] {
  return Array.from({ length: n }, () => Client.fromKubeconfig(kubeconfig, { userAgent: 'k8ts-bench' }));
}

/** One create per client before measuring, so that connecting is not measured; the stored size of one object. */
async function warmUp(task: Target & { namePrefix: string }, clients: Client[]): Promise<number> {
  const kind = benchKinds[task.resource];
  const created = await Promise.all(
    clients.map((c, i) => c.resource(kind.ref).namespace(task.namespace).create(kind.make(`${task.namePrefix}warmup-${i}`, task.namespace))),
  );
  return Buffer.byteLength(JSON.stringify(created[0]));
}

/**
 * Creates over raw HTTP: each client its own kept-alive connection, bodies encoded before the
 * clock starts and answers kept as bytes, so that the client thread, which shares the machine's
 * cores with the server, spends as little as a client can and the server is what is measured.
 */
async function creates(task: CreatesTask): Promise<CreatesResult> {
  const kind = benchKinds[task.resource];
  const http = new RawHttp(task.kubeconfig);
  const agents = Array.from({ length: task.clients }, () => http.agent());
  const path = resourcePath(kind.ref, task.namespace);
  const body = (name: string) => Buffer.from(JSON.stringify(kind.make(name, task.namespace)));
  try {
    // One create per client first, so that connecting is not measured; it gives the stored size.
    const warm = await Promise.all(agents.map((agent, i) => http.post(path, body(`${task.namePrefix}warmup-${i}`), agent)));
    const storedBytes = warm[0].length;
    const bodies = Array.from({ length: task.total }, (_, i) => body(`${task.namePrefix}${i}`));
    const latencies = new Float64Array(task.total);
    let next = 0;
    const start = performance.now();
    await Promise.all(
      agents.map(async (agent) => {
        while (next < task.total) {
          const i = next++;
          const t = performance.now();
          await http.post(path, bodies[i], agent);
          latencies[i] = performance.now() - t;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return { createsPerSecond: Math.round(task.total / seconds), ...summarize(latencies), storedBytes };
  } finally {
    for (const a of agents) a.destroy();
  }
}

/**
 * Sends `count` requests at `perSecond`, each at its slot on the schedule whether or not earlier
 * ones have answered, so that queueing in the server shows up in the latencies instead of
 * slowing the sender. Resolves with the seconds taken once all have answered.
 */
async function openLoop(count: number, perSecond: number, send: (i: number) => Promise<void>): Promise<number> {
  const interval = 1000 / perSecond;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(i));
  }
  await Promise.all(inFlight);
  return (performance.now() - start) / 1000;
}

async function paced(task: PacedTask): Promise<PacedResult> {
  const kind = benchKinds[task.resource];
  const clients = newClients(task.kubeconfig, task.clients);
  try {
    await warmUp(task, clients);
    const writes = Math.round(task.writesPerSecond * task.seconds);
    const latencies = new Float64Array(writes);
    const seconds = await openLoop(writes, task.writesPerSecond, async (i) => {
      const obj = kind.make(`${task.namePrefix}${i}`, task.namespace);
      const sent = performance.now();
      await clients[i % clients.length].resource(kind.ref).namespace(task.namespace).create(obj);
      latencies[i] = performance.now() - sent;
    });
    return { writesPerSecond: roundMs(writes / seconds), writes, ...summarize(latencies) };
  } finally {
    for (const c of clients) c.close();
  }
}

async function list(task: ListTask): Promise<ListResult> {
  const http = new RawHttp(task.kubeconfig);
  const agent = http.agent();
  const path = resourcePath(benchKinds[task.resource].ref, task.namespace || undefined);
  const base: Record<string, string> = task.fieldSelector ? { fieldSelector: task.fieldSelector } : {};
  /**
   * One complete LIST: all its pages, and when its last byte arrived. Decodes only what the caller
   * needs: the page's continue token, or everything once to check it.
   */
  const once = async (check: boolean): Promise<{ items: number; bytes: number; pages: number; lastByteAt: number }> => {
    let cont = '';
    let items = 0;
    let bytes = 0;
    let pages = 0;
    let lastByteAt = 0;
    do {
      const query = { ...base, ...(task.limit ? { limit: String(task.limit) } : {}), ...(cont ? { continue: cont } : {}) };
      const chunks: Buffer[] = [];
      const keep = check || task.limit !== undefined;
      await http.get(path, query, {
        agent,
        onChunk: (c) => {
          bytes += c.length;
          if (keep) chunks.push(c);
        },
      }).done;
      lastByteAt = performance.now();
      pages++;
      cont = '';
      if (keep) {
        const page = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: KubeObject[]; metadata: { continue?: string } };
        items += page.items.length;
        cont = page.metadata.continue ?? '';
      }
    } while (cont);
    return { items, bytes, pages, lastByteAt };
  };
  try {
    const start = performance.now();
    const first = await once(true);
    const firstMs = roundMs(first.lastByteAt - start);
    if (first.items !== task.expectItems) throw new Error(`LIST ${path} ${JSON.stringify(base)} returned ${first.items} items, expected ${task.expectItems}`);
    const latencies: number[] = [];
    for (let r = 0; r < task.repetitions; r++) {
      const t = performance.now();
      await once(false);
      latencies.push(performance.now() - t);
    }
    return { firstMs, repetitions: task.repetitions, items: first.items, bytes: first.bytes, pages: first.pages, ...summarize(latencies) };
  } finally {
    agent.destroy();
  }
}

/** Receipts of watch events: (resourceVersion, wall-clock time) pairs, in growable typed arrays. */
class Receipts {
  revisions = new Float64Array(1 << 16);
  times = new Float64Array(1 << 16);
  length = 0;

  add(revision: number, time: number): void {
    if (this.length === this.revisions.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.revisions = grow(this.revisions);
      this.times = grow(this.times);
    }
    this.revisions[this.length] = revision;
    this.times[this.length++] = time;
  }
}

async function watchers(task: WatchersTask, stopped: Promise<StopMessage>, ready: () => void): Promise<WatchersResult> {
  const http = new RawHttp(task.kubeconfig);
  const path = resourcePath(benchKinds[task.resource].ref, task.namespace);
  const receipts = new Receipts();
  const lastSeen = new Float64Array(task.watchers);
  const streams: { abort(): void }[] = [];
  let ended = 0;
  try {
    let started = 0;
    await new Promise<void>((resolve, reject) => {
      for (let w = 0; w < task.watchers; w++) {
        const splitter = new LineSplitter();
        const onLine = (line: Buffer) => {
          const rv = firstResourceVersion(line);
          receipts.add(rv, wallClockMs());
          lastSeen[w] = rv;
        };
        const stream = http.get(
          path,
          { watch: 'true', resourceVersion: task.resourceVersion, timeoutSeconds: '3600' },
          {
            // Each watcher its own connection, as informers in separate processes would have.
            agent: false,
            onChunk: (c) => splitter.push(c, onLine),
            onResponse: () => {
              if (++started === task.watchers) resolve();
            },
          },
        );
        stream.done.then(() => ended++, reject);
        streams.push(stream);
      }
    });
    ready();
    const { lastRevision } = await stopped;
    // The last events may still be on their way: wait for them, but not forever.
    const deadline = performance.now() + 10_000;
    while (lastSeen.some((rv) => rv < lastRevision) && ended === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return { revisions: receipts.revisions.slice(0, receipts.length), times: receipts.times.slice(0, receipts.length), ended };
  } finally {
    for (const s of streams) s.abort();
  }
}

async function updates(task: UpdatesTask): Promise<UpdatesResult> {
  const [client] = newClients(task.kubeconfig, 1);
  const objects = client.resource(benchKinds[task.resource].ref).namespace(task.namespace);
  try {
    // Connect before the clock starts.
    await objects.get(task.names[0]);
    const count = Math.round(task.updatesPerSecond * task.seconds);
    const revisions = new Float64Array(count);
    const sentAt = new Float64Array(count);
    const ackedAt = new Float64Array(count);
    const seconds = await openLoop(count, task.updatesPerSecond, async (i) => {
      const patch = { metadata: { annotations: { 'bench.k8ts.io/seq': String(i) } } };
      sentAt[i] = wallClockMs();
      const obj = await objects.patch(task.names[i % task.names.length], patch, 'merge');
      ackedAt[i] = wallClockMs();
      revisions[i] = Number(obj.metadata?.resourceVersion);
    });
    const latencies = ackedAt.map((t, i) => t - sentAt[i]);
    return { updatesPerSecond: roundMs(count / seconds), revisions, sentAt, ackedAt, ...summarize(latencies) };
  } finally {
    client.close();
  }
}

function run(task: LoadTask, stopped: Promise<StopMessage>, ready: () => void): Promise<unknown> {
  switch (task.kind) {
    case 'creates':
      return creates(task);
    case 'paced':
      return paced(task);
    case 'list':
      return list(task);
    case 'watchers':
      return watchers(task, stopped, ready);
    case 'updates':
      return updates(task);
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const stopped = new Promise<StopMessage>((resolve) => port.once('message', resolve));
  run(workerData as LoadTask, stopped, () => port.postMessage({ ready: true })).then(
    (result) => port.postMessage({ result }),
    (err: Error) => port.postMessage({ error: err.stack ?? String(err) }),
  );
}
