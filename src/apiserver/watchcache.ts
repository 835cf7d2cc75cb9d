// The watch cache: one Store watch on /registry/ feeds a cache per resource, so LIST
// and WATCH are served from memory. Each object version is decoded once and encoded
// to JSON at most once; the bytes are shared by every list and watcher.
//
// One store watch for all resources (rather than one per resource) gives a single
// revision that says how far the caches have caught up with the store: after a write
// at revision R, every cache reflects it once the dispatcher has reached R, which is
// what consistent reads (resourceVersion="") wait for.
import type { KubeObject } from '../api/registry.js';
import type { KeyValue, Store, Watch, WatchEvent as StoreEvent } from '../storage/store.js';
import { CompactedError } from '../storage/store.js';

/** One version of one object, shared (frozen) by everyone who reads it. */
export class CachedObject {
  /**
   * The JSON of this version, computed once and kept while it is read: either bare, or inside the
   * watch event it was first framed as (`{"type":…,"object":<JSON>}\n`), the JSON then being a
   * view into the frame, so that a version served both ways is held once.
   */
  private bytes?: Buffer;
  private framedAs?: CacheEventType;
  /** Read since the cache last swept: bytes not read for a whole sweep interval are let go. */
  private read = false;

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
    this.read = true;
    if (!this.bytes) this.bytes = Buffer.from(JSON.stringify(this.object));
    return this.framedAs ? this.bytes.subarray(FRAME_HEAD[this.framedAs].length, this.bytes.length - FRAME_END.length) : this.bytes;
  }

  /** Takes `bytes` as this version's JSON, encoded together with other objects (see jsonPieces). */
  adoptJson(bytes: Buffer): void {
    this.bytes = bytes;
    this.framedAs = undefined;
    this.read = true;
  }

  get hasJson(): boolean {
    return this.bytes !== undefined;
  }

  /** The newline-terminated watch event `{"type":…,"object":…}` for this version, framed once. */
  watchFrame(type: CacheEventType): Buffer {
    this.read = true;
    if (this.framedAs === type) return this.bytes!;
    // A version goes out as one type to nearly every watcher: that frame is kept. Another type (ADDED
    // to a watcher that starts later, say) is framed for that send only.
    if (this.framedAs) return Buffer.concat([FRAME_HEAD[type], this.json(), FRAME_END]);
    const frame = this.bytes ? Buffer.concat([FRAME_HEAD[type], this.bytes, FRAME_END]) : Buffer.from(`${FRAME_HEAD_TEXT[type]}${JSON.stringify(this.object)}${FRAME_END_TEXT}`);
    this.bytes = frame;
    this.framedAs = type;
    return frame;
  }

  /** Lets go of the bytes unless they were read since the last call; true while bytes are held. */
  sweep(): boolean {
    if (!this.read) this.release();
    this.read = false;
    return this.bytes !== undefined;
  }

  /** Lets go of the bytes (a version no longer current is seldom served again). */
  release(): void {
    this.bytes = undefined;
    this.framedAs = undefined;
  }
}

/** Characters of JSON encoded together in one run (see jsonPieces): about one write. */
const RUN_CHARS = 1 << 20;
const COMMA = Buffer.from(',');

/**
 * The JSON of `items`, comma-separated, as pieces to be written one after another. Objects with
 * no bytes yet are encoded in runs of about a megabyte with one Buffer per run (a Buffer per
 * object costs more than encoding it), each object keeping a view of its bytes for the next read.
 */
export function* jsonPieces(items: Iterable<CachedObject>): Generator<Buffer> {
  let run: CachedObject[] = [];
  let texts: string[] = [];
  let chars = 0;
  let first = true;
  function* encodeRun(): Generator<Buffer> {
    const text = texts.join(',');
    const bytes = Buffer.from(text);
    // One byte per character unless some text is not ASCII: then each length is counted.
    const ascii = bytes.length === text.length;
    let offset = 0;
    for (let i = 0; i < run.length; i++) {
      const length = ascii ? texts[i].length : Buffer.byteLength(texts[i]);
      run[i].adoptJson(bytes.subarray(offset, offset + length));
      offset += length + 1;
    }
    run = [];
    texts = [];
    chars = 0;
    yield bytes;
  }
  for (const item of items) {
    const separate = !first && (item.hasJson || !run.length);
    first = false;
    if (item.hasJson) {
      if (run.length) yield* encodeRun();
      if (separate) yield COMMA;
      yield item.json();
      continue;
    }
    if (separate) yield COMMA;
    const text = JSON.stringify(item.object);
    run.push(item);
    texts.push(text);
    chars += text.length;
    if (chars >= RUN_CHARS) yield* encodeRun();
  }
  if (run.length) yield* encodeRun();
}

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const FRAME_HEAD_TEXT: Record<CacheEventType, string> = {
  ADDED: '{"type":"ADDED","object":',
  MODIFIED: '{"type":"MODIFIED","object":',
  DELETED: '{"type":"DELETED","object":',
};
const FRAME_END_TEXT = '}\n';
const FRAME_HEAD: Record<CacheEventType, Buffer> = {
  ADDED: Buffer.from(FRAME_HEAD_TEXT.ADDED),
  MODIFIED: Buffer.from(FRAME_HEAD_TEXT.MODIFIED),
  DELETED: Buffer.from(FRAME_HEAD_TEXT.DELETED),
};
const FRAME_END = Buffer.from(FRAME_END_TEXT);

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
  /** When the cache took the event (ms since the epoch), for the history's time window. */
  at: number;
}

export type CacheListener = (events: CacheEvent[]) => void;

/** Turns a stored value into the served object (resourceVersion is the mod revision), not yet frozen. */
function parseStored(value: string, modRevision: number): KubeObject {
  const obj = JSON.parse(value) as KubeObject;
  if (!obj.metadata) obj.metadata = {};
  obj.metadata.resourceVersion = String(modRevision);
  return obj;
}

/** Turns a stored value into the served object: resourceVersion is the mod revision. */
export function decodeStored(value: string, modRevision: number): KubeObject {
  return deepFreeze(parseStored(value, modRevision));
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

/**
 * Replaces, in the unfrozen `value`, every part equal to the part at the same place in the frozen
 * `like` by that part (strings included), and returns `like` itself when all of `value` equals it,
 * keys in the same order (the JSON must not change). Versions of an object then hold only what
 * changed, and objects stamped from one template share the template: most of a pod's memory.
 */
function shareEqualParts(value: unknown, like: unknown): unknown {
  if (value === like) return like;
  if (typeof value !== 'object' || value === null || typeof like !== 'object' || like === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    if (!Array.isArray(like)) return value;
    let same = value.length === like.length;
    for (let i = 0; i < value.length; i++) {
      const shared = shareEqualParts(value[i], like[i]);
      value[i] = shared;
      if (shared !== like[i]) same = false;
    }
    return same ? like : value;
  }
  if (Array.isArray(like)) return value;
  const rec = value as Record<string, unknown>;
  const likeRec = like as Record<string, unknown>;
  let same = true;
  let count = 0;
  for (const k in rec) {
    const shared = shareEqualParts(rec[k], likeRec[k]);
    rec[k] = shared;
    if (shared !== likeRec[k]) same = false;
    count++;
  }
  if (!same) return value;
  const likeKeys = Object.keys(likeRec);
  if (likeKeys.length !== count) return value;
  let i = 0;
  for (const k in rec) if (likeKeys[i++] !== k) return value;
  return like;
}

/** The first key after every key that starts with `prefix`. */
function rangeEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

// The history window, as upstream's watch cache sizes it: between 100 and 102,400 events, doubling
// while even the oldest event is younger than 75 s, halving once the newest quarter is older. Events
// older than 75 s beyond the newest 100 are also dropped when the cache is swept, so an idle cache
// does not keep a burst's worth of versions.
const HISTORY_MIN = 100;
const HISTORY_MAX = 100 * 1024;
const EVENT_FRESH_MS = 75_000;

/** The cache of one resource (all namespaces): current objects and recent history. */
export class ResourceCache {
  readonly objects = new Map<string, CachedObject>();
  private history: CacheEvent[] = [];
  private historyStart = 0;
  private historyCapacity = HISTORY_MIN;
  /** Revision up to which history is complete (events older than this are gone). */
  private oldestRevision: number;
  private readonly listeners = new Set<CacheListener>();
  private sortedKeys?: string[];
  /** The version this cache took last: after the object's own previous version, what a new version most likely shares parts with (pods of one template, their statuses). */
  private lastStored?: Readonly<KubeObject>;

  constructor(
    readonly prefix: string,
    startRevision: number,
    /** When events happen, for the history's time window. */
    private readonly now: () => number = Date.now,
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

  /**
   * Makes a written object the served version stored at `revision` (once, by the write path or the
   * cache, whichever comes first): its resourceVersion set, parts shared, frozen.
   */
  seal(key: string, obj: KubeObject, revision: number): Readonly<KubeObject> {
    if (Object.isFrozen(obj)) return obj;
    obj.metadata.resourceVersion = String(revision);
    return this.shareAndFreeze(key, obj);
  }

  /** Takes the parts equal to those of the version `obj` replaces, then of the last version stored, and freezes it. */
  private shareAndFreeze(key: string, obj: KubeObject): Readonly<KubeObject> {
    const prev = this.objects.get(key)?.object;
    if (prev) shareEqualParts(obj, prev);
    if (this.lastStored && this.lastStored !== prev) shareEqualParts(obj, this.lastStored);
    return deepFreeze(obj);
  }

  /** The served object of a stored version: the primed one when it is what was stored, else parsed. */
  private decode(key: string, value: string, revision: number): Readonly<KubeObject> {
    const primed = this.primed.get(key);
    if (!primed || primed.value !== value) return this.shareAndFreeze(key, parseStored(value, revision));
    this.primed.delete(key);
    return this.seal(key, primed.object, revision);
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

  /** Loads a page of stored objects (in key order: each shares what it can with the one before). */
  load(items: KeyValue[]): void {
    for (const kv of items) {
      const obj = new CachedObject(kv.key, this.decode(kv.key, kv.value, kv.modRevision), kv.modRevision);
      this.objects.set(kv.key, obj);
      this.lastStored = obj.object;
    }
    this.sortedKeys = undefined;
  }

  /** Applies store events (already in revision order) and notifies listeners. */
  apply(events: StoreEvent[]): void {
    if (this.pending) {
      this.pending.push(...events);
      return;
    }
    const out: CacheEvent[] = [];
    const at = this.now();
    for (const e of events) {
      const prev = this.objects.get(e.kv.key);
      if (e.type === 'put') {
        const obj = new CachedObject(e.kv.key, this.decode(e.kv.key, e.kv.value, e.kv.modRevision), e.kv.modRevision);
        this.objects.set(e.kv.key, obj);
        this.lastStored = obj.object;
        if (!prev) this.sortedKeys = undefined;
        out.push({ type: prev ? 'MODIFIED' : 'ADDED', object: obj, prev, revision: e.kv.modRevision, at });
      } else {
        if (!prev) continue;
        // A deleted object is served with the deletion's revision as its resourceVersion.
        const gone = new CachedObject(e.kv.key, this.shareAndFreeze(e.kv.key, parseStored(e.kv.value, e.kv.modRevision)), e.kv.modRevision);
        this.objects.delete(e.kv.key);
        this.sortedKeys = undefined;
        out.push({ type: 'DELETED', object: gone, prev, revision: e.kv.modRevision, at });
      }
    }
    if (!out.length) return;
    for (const ev of out) this.record(ev);
    for (const l of this.listeners) l(out);
    // Watchers have their bytes now: a version no longer current keeps none.
    for (const ev of out) ev.prev?.release();
  }

  /** Adds an event to the history, resizing it as upstream does and dropping the oldest when full. */
  private record(ev: CacheEvent): void {
    const size = this.history.length - this.historyStart;
    if (size >= this.historyCapacity) {
      if (ev.at - this.history[this.historyStart].at < EVENT_FRESH_MS) {
        this.historyCapacity = Math.min(this.historyCapacity * 2, HISTORY_MAX);
      } else if (ev.at - this.history[this.history.length - (this.historyCapacity >> 2)].at > EVENT_FRESH_MS) {
        this.historyCapacity = Math.max(this.historyCapacity >> 1, HISTORY_MIN);
      }
    }
    this.history.push(ev);
    this.dropHistory(this.history.length - this.historyStart - this.historyCapacity);
  }

  /** Forgets the `n` oldest events of the history. */
  private dropHistory(n: number): void {
    if (n <= 0) return;
    this.historyStart += n;
    this.oldestRevision = this.history[this.historyStart - 1].revision;
    // The array is compacted once the dropped head outgrows what is kept.
    if (this.historyStart > this.history.length - this.historyStart) {
      this.history = this.history.slice(this.historyStart);
      this.historyStart = 0;
    }
  }

  /**
   * Lets go of what has not been read lately (see CachedObject.sweep) and of events older than the
   * history's time window beyond the newest HISTORY_MIN. Called periodically by the dispatcher.
   */
  sweep(): void {
    const now = this.now();
    for (const o of this.objects.values()) o.sweep();
    let stale = 0;
    const limit = this.history.length - this.historyStart - HISTORY_MIN;
    while (stale < limit && now - this.history[this.historyStart + stale].at > EVENT_FRESH_MS) stale++;
    this.dropHistory(stale);
    for (let i = this.historyStart; i < this.history.length; i++) {
      const o = this.history[i].object;
      // Current versions were swept above (a second sweep would take them for unread).
      if (this.objects.get(o.key) !== o) o.sweep();
    }
  }

  /** Objects in key order (namespace, then name), as upstream lists them. */
  sorted(): CachedObject[] {
    return this.sortedUnder(this.prefix);
  }

  /** Objects under a key prefix (a namespace), in key order. */
  sortedUnder(keyPrefix: string): CachedObject[] {
    const keys = this.keys();
    const out: CachedObject[] = [];
    for (let i = this.seek(keyPrefix), end = this.seek(rangeEnd(keyPrefix)); i < end; i++) out.push(this.objects.get(keys[i])!);
    return out;
  }

  /**
   * A page of a paged LIST: up to `limit` objects that `matches` accepts under `keyPrefix`, after
   * the key `after` (from the first when undefined), in key order; and how many keys under the
   * prefix follow the last one taken (0 when the page reaches the end).
   */
  page(keyPrefix: string, after: string | undefined, limit: number, matches: (o: CachedObject) => boolean): { items: CachedObject[]; following: number } {
    const keys = this.keys();
    const end = this.seek(rangeEnd(keyPrefix));
    const items: CachedObject[] = [];
    for (let i = after === undefined ? this.seek(keyPrefix) : this.seek(`${after}\u0000`); i < end; i++) {
      const o = this.objects.get(keys[i])!;
      if (!matches(o)) continue;
      items.push(o);
      if (items.length === limit) return { items, following: end - i - 1 };
    }
    return { items, following: 0 };
  }

  private keys(): string[] {
    return (this.sortedKeys ??= [...this.objects.keys()].sort());
  }

  /** The index of the first sorted key not before `key`. */
  private seek(key: string): number {
    const keys = this.keys();
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether this resource changed after `revision` (or history no longer reaches back that far to tell). */
  changedSince(revision: number): boolean {
    if (revision < this.oldestRevision) return true;
    return this.history.length > this.historyStart && this.history[this.history.length - 1].revision > revision;
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

/** How often caches let go of JSON not read since the last sweep, and of events past the history window. */
const SWEEP_INTERVAL_MS = 15_000;

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
  private sweeper?: NodeJS.Timeout;

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
    this.sweeper = setInterval(() => {
      for (const cache of this.caches.values()) cache.sweep();
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  private async loadCache(prefix: string, rev: number): Promise<ResourceCache> {
    const cache = new ResourceCache(prefix, rev);
    // Registered before loading so that events arriving meanwhile are kept, not lost.
    cache.beginLoad();
    this.caches.set(prefix, cache);
    let continueAfter: string | undefined;
    for (;;) {
      const page = await this.store.list(prefix, { revision: rev || undefined, limit: 10_000, continueAfter });
      cache.load(page.items);
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
    clearInterval(this.sweeper);
  }
}
