// The watch cache: one Store watch on /registry/ feeds a cache per resource, so LIST
// and WATCH are served from memory. Each object version is decoded once and encoded
// to JSON at most once; the bytes are shared by every list and watcher.
//
// One store watch for all resources (rather than one per resource) gives a single
// revision that says how far the caches have caught up with the store: after a write
// at revision R, every cache reflects it once the dispatcher has reached R, which is
// what consistent reads (resourceVersion="") wait for.
import type { KubeObject } from '../api/registry.js';
import type { Store, Watch, WatchEvent as StoreEvent } from '../storage/store.js';
import { CompactedError } from '../storage/store.js';

/** One version of one object, shared (frozen) by everyone who reads it. */
export class CachedObject {
  private encoded?: Buffer;
  constructor(
    readonly key: string,
    readonly object: Readonly<KubeObject>,
    readonly revision: number,
  ) {}
  get namespace(): string {
    return this.object.metadata?.namespace ?? '';
  }
  get name(): string {
    return this.object.metadata?.name ?? '';
  }
  get labels(): Record<string, string> | undefined {
    return this.object.metadata?.labels;
  }
  /** The object as JSON bytes, computed once. */
  json(): Buffer {
    if (!this.encoded) this.encoded = Buffer.from(JSON.stringify(this.object));
    return this.encoded;
  }

  private frames?: Partial<Record<CacheEventType, Buffer>>;

  /** The newline-terminated watch event `{"type":…,"object":…}` for this version, computed once per type. */
  watchFrame(type: CacheEventType): Buffer {
    const frames = (this.frames ??= {});
    return (frames[type] ??= Buffer.concat([FRAME_HEAD[type], this.json(), FRAME_END]));
  }
}

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const FRAME_HEAD: Record<CacheEventType, Buffer> = {
  ADDED: Buffer.from('{"type":"ADDED","object":'),
  MODIFIED: Buffer.from('{"type":"MODIFIED","object":'),
  DELETED: Buffer.from('{"type":"DELETED","object":'),
};
const FRAME_END = Buffer.from('}\n');

/**
 * An object about to be written, in upstream's field order (apiVersion, kind, metadata, the
 * rest), its stored JSON (no resourceVersion), and where its metadata closes in that JSON: the
 * reply to the write is the stored JSON with the resourceVersion spliced in there, so a write
 * is encoded once. (The cache does not keep those bytes: most versions are never served as JSON.)
 */
export interface StorageEncoding {
  object: KubeObject;
  value: string;
  metadataEnd: number;
}

/** Encodes `obj` (with apiVersion, kind and metadata, and no metadata.resourceVersion) for the store. */
export function encodeForStorage(obj: KubeObject): StorageEncoding {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)},"metadata":`;
  const meta = JSON.stringify(metadata);
  const others = JSON.stringify(rest);
  return {
    object: { apiVersion, kind, metadata, ...rest },
    value: `${head}${meta}${others.length > 2 ? `,${others.slice(1)}` : '}'}`,
    metadataEnd: head.length + meta.length - 1,
  };
}

/** The served JSON of an encoded object stored at `revision`: resourceVersion is the last field of its metadata. */
export function servedJson(enc: StorageEncoding, revision: number): Buffer {
  const { value, metadataEnd } = enc;
  const separator = value.charCodeAt(metadataEnd - 1) === 0x7b /* { */ ? '' : ',';
  return Buffer.from(`${value.slice(0, metadataEnd)}${separator}"resourceVersion":"${revision}"${value.slice(metadataEnd)}`);
}

export interface CacheEvent {
  type: CacheEventType;
  object: CachedObject;
  /** The version before the change (MODIFIED, DELETED). */
  prev?: CachedObject;
  revision: number;
}

export type CacheListener = (events: CacheEvent[]) => void;

/** Turns a stored value into the served object: resourceVersion is the mod revision. */
export function decodeStored(value: string, modRevision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  if (!obj.metadata) obj.metadata = {};
  obj.metadata.resourceVersion = String(modRevision);
  return deepFreeze(obj);
}

export function deepFreeze<T>(o: T): T {
  if (typeof o !== 'object' || o === null || Object.isFrozen(o)) return o;
  Object.freeze(o);
  // Loops rather than Object.values: no array made per object on every write.
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) deepFreeze(o[i]);
  } else {
    const rec = o as Record<string, unknown>;
    for (const k in rec) deepFreeze(rec[k]);
  }
  return o;
}

const HISTORY_CAPACITY = 20_000;

/** The cache of one resource (all namespaces): current objects and recent history. */
export class ResourceCache {
  readonly objects = new Map<string, CachedObject>();
  private history: CacheEvent[] = [];
  private historyStart = 0;
  /** Revision up to which history is complete (events older than this are gone). */
  private oldestRevision: number;
  private readonly listeners = new Set<CacheListener>();
  private sortedKeys?: string[];

  constructor(
    readonly prefix: string,
    startRevision: number,
  ) {
    this.oldestRevision = startRevision;
  }

  private pending?: StoreEvent[];
  /** Objects this apiserver is writing, by key: the cache takes them instead of parsing the value again. */
  private readonly primed = new Map<string, StorageEncoding>();

  /** Offers the object about to be stored under `key`. */
  prime(key: string, enc: StorageEncoding): void {
    this.primed.set(key, enc);
  }

  unprime(key: string): void {
    this.primed.delete(key);
  }

  /** The served object of a stored version: the primed one when it is what was stored, else parsed. */
  private decode(key: string, value: string, revision: number): KubeObject {
    const primed = this.primed.get(key);
    if (!primed || primed.value !== value) return decodeStored(value, revision);
    this.primed.delete(key);
    const obj = primed.object;
    if (!Object.isFrozen(obj)) {
      obj.metadata.resourceVersion = String(revision);
      deepFreeze(obj);
    }
    return obj;
  }

  beginLoad(): void {
    this.pending = [];
  }

  /** Ends a load done at `revision`: applies the events that arrived meanwhile and are newer. */
  endLoad(revision: number): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    this.apply(pending.filter((e) => e.kv.modRevision > revision));
  }

  load(items: CachedObject[]): void {
    for (const item of items) this.objects.set(item.key, item);
    this.sortedKeys = undefined;
  }

  /** Applies store events (already in revision order) and notifies listeners. */
  apply(events: StoreEvent[]): void {
    if (this.pending) {
      this.pending.push(...events);
      return;
    }
    const out: CacheEvent[] = [];
    for (const e of events) {
      const prev = this.objects.get(e.kv.key);
      if (e.type === 'put') {
        const obj = new CachedObject(e.kv.key, this.decode(e.kv.key, e.kv.value, e.kv.modRevision), e.kv.modRevision);
        this.objects.set(e.kv.key, obj);
        if (!prev) this.sortedKeys = undefined;
        out.push({ type: prev ? 'MODIFIED' : 'ADDED', object: obj, prev, revision: e.kv.modRevision });
      } else {
        if (!prev) continue;
        this.objects.delete(e.kv.key);
        this.sortedKeys = undefined;
        // A deleted object is served with the deletion's revision as its resourceVersion.
        const gone = new CachedObject(e.kv.key, decodeStored(e.kv.value, e.kv.modRevision), e.kv.modRevision);
        out.push({ type: 'DELETED', object: gone, prev, revision: e.kv.modRevision });
      }
    }
    if (!out.length) return;
    for (const ev of out) this.history.push(ev);
    if (this.history.length - this.historyStart > HISTORY_CAPACITY) {
      const drop = this.history.length - this.historyStart - HISTORY_CAPACITY;
      this.historyStart += drop;
      this.oldestRevision = this.history[this.historyStart - 1].revision;
      if (this.historyStart > HISTORY_CAPACITY) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of this.listeners) l(out);
  }

  /** Objects in key order (namespace, then name), as upstream lists them. */
  sorted(): CachedObject[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.objects.keys()].sort();
    const out: CachedObject[] = [];
    for (const k of this.sortedKeys) {
      const o = this.objects.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  /** Objects under a key prefix (a namespace), in key order. */
  sortedUnder(keyPrefix: string): CachedObject[] {
    if (keyPrefix === this.prefix) return this.sorted();
    if (!this.sortedKeys) this.sortedKeys = [...this.objects.keys()].sort();
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < keyPrefix) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedObject[] = [];
    for (let i = lo; i < keys.length && keys[i].startsWith(keyPrefix); i++) {
      const o = this.objects.get(keys[i]);
      if (o) out.push(o);
    }
    return out;
  }

  /** Events after `revision`; CompactedError when history no longer reaches back that far. */
  eventsSince(revision: number): CacheEvent[] {
    if (revision < this.oldestRevision) throw new CompactedError(revision, this.oldestRevision);
    const out: CacheEvent[] = [];
    for (let i = this.history.length - 1; i >= this.historyStart; i--) {
      if (this.history[i].revision <= revision) break;
      out.push(this.history[i]);
    }
    return out.reverse();
  }

  get oldest(): number {
    return this.oldestRevision;
  }

  subscribe(l: CacheListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/**
 * Feeds every ResourceCache from one store watch on `/registry/`, and knows the revision
 * up to which all caches are current.
 */
export class CacheDispatcher {
  private readonly caches = new Map<string, ResourceCache>();
  private revision = 0;
  private watch?: Watch;
  private readonly waiters: { revision: number; resolve: () => void }[] = [];
  private failed?: Error;
  private readonly revisionListeners = new Set<(rev: number) => void>();

  constructor(
    private readonly store: Store,
    private readonly root = '/registry/',
  ) {}

  /** Loads every key under the root at one revision, then watches from it. */
  async start(prefixes: string[]): Promise<void> {
    const rev = await this.store.currentRevision();
    await Promise.all(prefixes.map((p) => this.loadCache(p, rev)));
    this.revision = rev;
    this.watch = this.store.watch(this.root, rev, {
      onEvents: (events) => this.dispatch(events),
      onError: (err) => {
        this.failed = err;
      },
    });
  }

  private async loadCache(prefix: string, rev: number): Promise<ResourceCache> {
    const cache = new ResourceCache(prefix, rev);
    // Registered before loading so that events arriving meanwhile are kept, not lost.
    cache.beginLoad();
    this.caches.set(prefix, cache);
    let continueAfter: string | undefined;
    for (;;) {
      const page = await this.store.list(prefix, { revision: rev || undefined, limit: 10_000, continueAfter });
      cache.load(page.items.map((kv) => new CachedObject(kv.key, decodeStored(kv.value, kv.modRevision), kv.modRevision)));
      if (!page.more || !page.items.length) break;
      continueAfter = page.items[page.items.length - 1].key;
    }
    cache.endLoad(rev);
    return cache;
  }

  /** A cache for a resource added at run time (CRDs), loaded at the dispatcher's revision. */
  async addPrefix(prefix: string): Promise<ResourceCache> {
    return this.caches.get(prefix) ?? this.loadCache(prefix, this.revision);
  }

  removePrefix(prefix: string): void {
    this.caches.delete(prefix);
  }

  cache(prefix: string): ResourceCache | undefined {
    return this.caches.get(prefix);
  }

  get currentRevision(): number {
    return this.revision;
  }

  private dispatch(events: StoreEvent[]): void {
    let batch: StoreEvent[] = [];
    let batchCache: ResourceCache | undefined;
    const flush = () => {
      if (batchCache && batch.length) batchCache.apply(batch);
      batch = [];
    };
    for (const e of events) {
      const cache = this.cacheFor(e.kv.key);
      if (cache !== batchCache) {
        flush();
        batchCache = cache;
      }
      if (cache) batch.push(e);
    }
    flush();
    const last = events[events.length - 1];
    if (last) this.advance(last.kv.modRevision);
  }

  private cacheFor(key: string): ResourceCache | undefined {
    // Keys are /registry/<group?>/<resource>/<namespace?>/<name>: try the two- and three-segment prefixes.
    const parts = key.split('/');
    for (let n = 3; n <= 4 && n < parts.length; n++) {
      const c = this.caches.get(parts.slice(0, n).join('/') + '/');
      if (c) return c;
    }
    return undefined;
  }

  private advance(rev: number): void {
    if (rev <= this.revision) return;
    this.revision = rev;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].revision <= rev) {
        this.waiters[i].resolve();
        this.waiters.splice(i, 1);
      }
    }
    for (const l of this.revisionListeners) l(rev);
  }

  /** Resolves once every cache reflects the store at `revision` (false on timeout). */
  waitFor(revision: number, timeoutMs = 3000): Promise<boolean> {
    if (this.failed) return Promise.reject(this.failed);
    if (revision <= this.revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { revision, resolve: () => (clearTimeout(timer), resolve(true)) };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      timer.unref?.();
      this.waiters.push(waiter);
    });
  }

  /** Waits until the caches are as fresh as the store is now (a consistent read). */
  async sync(): Promise<number> {
    const rev = await this.store.currentRevision();
    // Revisions bumped by keys outside the watched root never arrive: count them as seen.
    if (!(await this.waitFor(rev))) this.advance(rev);
    return this.revision;
  }

  /** The oldest revision the store can still replay. */
  compactedRevision(): Promise<number> {
    return this.store.compactedRevision();
  }

  onRevision(l: (rev: number) => void): () => void {
    this.revisionListeners.add(l);
    return () => this.revisionListeners.delete(l);
  }

  stop(): void {
    this.watch?.cancel();
  }
}
