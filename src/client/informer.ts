// Informers (client-go's SharedIndexInformer): a cache of one resource kept current by
// LIST then WATCH, indexed, notifying any number of handlers. A watch that breaks resumes
// from the last version seen; one that is too old (410) is replaced by a relist whose
// differences with the cache are delivered as adds, updates and deletes.
import type { KubeObject } from '../api/registry.js';
import type { Client, ObjectList, ResourceClient, Watch } from './client.js';
import { errorFromWatchEvent, isResourceExpired } from './errors.js';
import { apiVersionOf, type ResourceRef } from './resource.js';
import type { WatchEvent } from './transport.js';

export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** The object's last known state. */
  onDelete?(obj: T): void;
}

export interface HandlerRegistration {
  remove(): void;
}

/** The index values of an object (several values put it under several entries). */
export type IndexFunc<T> = (obj: T) => string[];

/** `namespace/name`, or `name` for cluster-scoped objects (cache.MetaNamespaceKeyFunc). */
export function metaNamespaceKey(obj: KubeObject): string {
  const ns: string | undefined = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : obj.metadata?.name;
}

export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const NAMESPACE_INDEX = 'namespace';

const namespaceIndexFunc: IndexFunc<KubeObject> = (obj) => [obj.metadata?.namespace ?? ''];

/** The informer's cache as readers see it. Objects are shared: copy before changing them. */
export interface InformerStore<T> {
  get(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  /** Objects whose index `indexName` yields `value`; `namespace` is built in. */
  byIndex(indexName: string, value: string): T[];
  indexKeys(indexName: string, value: string): string[];
  readonly size: number;
}

class Indexer<T extends KubeObject> implements InformerStore<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc });
  }

  /** Adds indexers, indexing what is cached already; a name taken by another function is a conflict. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.indexers.get(name);
      if (existing === fn) continue;
      if (existing) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of fn(obj)) addToIndex(index, v, key);
    }
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return Array.from(this.items.values());
  }

  listKeys(): string[] {
    return Array.from(this.items.keys());
  }

  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`Index with name ${indexName} does not exist`);
    const keys = index.get(value);
    return keys ? Array.from(keys) : [];
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`Index with name ${indexName} does not exist`);
    const out: T[] = [];
    for (const key of index.get(value) ?? []) out.push(this.items.get(key)!);
    return out;
  }

  /** Stores the object, returning the one it replaces. */
  set(key: string, obj: T): T | undefined {
    const old = this.items.get(key);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      const newValues = fn(obj);
      if (old) {
        const oldValues = fn(old);
        if (sameValues(oldValues, newValues)) continue;
        for (const v of oldValues) removeFromIndex(index, v, key);
      }
      for (const v of newValues) addToIndex(index, v, key);
    }
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.items.delete(key);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(old)) removeFromIndex(index, v, key);
    }
    return old;
  }
}

function addToIndex(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}

function removeFromIndex(index: Map<string, Set<string>>, value: string, key: string): void {
  const keys = index.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(value);
}

function sameValues(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export interface InformerSelector {
  /** Unset: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerOptions<T> extends InformerSelector {
  /** LIST page size (client-go's default 500). */
  pageSize?: number;
  indexers?: Record<string, IndexFunc<T>>;
  /** Back-off between failed lists or watches: initial, doubling up to max (client-go: 800 ms → 30 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Watches ask the server to end them after a random time between this and twice this (client-go: 5 min). */
  minWatchTimeoutSeconds?: number;
  /** Failed handlers, lists and watches are reported here (default: console.error for handlers only). */
  onError?(err: unknown, during: 'handler' | 'list' | 'watch'): void;
}

type WatchOutcome = 'closed' | 'expired' | 'failed' | 'broken';

/** A clean end this soon with no events means the server is refusing watches (client-go's "very short watch"). */
const SHORT_WATCH_MS = 1000;

export class Informer<T extends KubeObject = KubeObject> {
  private readonly indexer = new Indexer<T>();
  readonly store: InformerStore<T> = this.indexer;
  private readonly resources: ResourceClient<T>;
  private readonly apiVersion: string;
  private handlers: EventHandler<T>[] = [];
  private synced = false;
  private started = false;
  private stopped = false;
  private syncWaiters: ((synced: boolean) => void)[] = [];
  private lastRV = '';
  private backoffMs = 0;
  private watch?: Watch;
  /** Ends the current back-off sleep or watch early when the informer stops. */
  private interrupt?: () => void;

  constructor(
    client: Client,
    readonly ref: ResourceRef,
    private readonly opts: InformerOptions<T> = {},
  ) {
    const rc = client.resource<T>(ref);
    this.resources = ref.namespaced && opts.namespace ? rc.namespace(opts.namespace) : rc;
    this.apiVersion = apiVersionOf(ref);
    if (opts.indexers) this.indexer.addIndexers(opts.indexers);
  }

  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.indexer.addIndexers(indexers);
  }

  /** Registers handlers; the objects already cached are delivered to `onAdd` at once. */
  addEventHandler(handler: EventHandler<T>): HandlerRegistration {
    this.handlers = [...this.handlers, handler];
    if (handler.onAdd) for (const obj of this.indexer.list()) this.call(() => handler.onAdd!(obj));
    return {
      remove: () => {
        this.handlers = this.handlers.filter((h) => h !== handler);
      },
    };
  }

  /** The resourceVersion the cache is current at. */
  get lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first LIST is in the cache, false if the informer stops first. */
  waitForSync(): Promise<boolean> {
    if (this.synced || this.stopped) return Promise.resolve(this.synced);
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.run();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watch?.stop();
    this.interrupt?.();
    for (const w of this.syncWaiters.splice(0)) w(this.synced);
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.relist();
          needList = false;
        } catch (err) {
          if (this.stopped) return;
          this.opts.onError?.(err, 'list');
          await this.sleep(this.nextBackoff());
          continue;
        }
      }
      const outcome = await this.watchOnce();
      if (this.stopped) return;
      switch (outcome) {
        case 'closed':
          this.backoffMs = 0;
          break;
        case 'expired':
          needList = true;
          break;
        case 'failed':
          await this.sleep(this.nextBackoff());
          break;
        case 'broken':
          needList = true;
          await this.sleep(this.nextBackoff());
          break;
      }
    }
  }

  private nextBackoff(): number {
    const initial = this.opts.backoffInitialMs ?? 800;
    const max = this.opts.backoffMaxMs ?? 30_000;
    this.backoffMs = this.backoffMs === 0 ? initial : Math.min(max, this.backoffMs * 2);
    // Jitter spreads reconnects of many clients after a server restart.
    return this.backoffMs * (1 + Math.random());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** LIST in pages; a continue token that expires mid-way restarts with one unpaginated LIST. */
  private async relist(): Promise<void> {
    const { labelSelector, fieldSelector } = this.opts;
    const items: T[] = [];
    let page: ObjectList<T>;
    let cont: string | undefined;
    do {
      try {
        page = await this.resources.list({ labelSelector, fieldSelector, limit: this.opts.pageSize ?? 500, continue: cont });
      } catch (err) {
        if (!cont || !isResourceExpired(err)) throw err;
        items.length = 0;
        page = await this.resources.list({ labelSelector, fieldSelector });
      }
      for (const item of page.items) items.push(item);
      cont = page.metadata?.continue || undefined;
    } while (cont);
    if (this.stopped) return;
    this.replace(items, page.metadata?.resourceVersion ?? '');
  }

  private replace(items: T[], resourceVersion: string): void {
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = this.withTypeMeta(raw);
      const key = metaNamespaceKey(obj);
      seen.add(key);
      const old = this.indexer.set(key, obj);
      if (!old) this.notifyAdd(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.notifyUpdate(old, obj);
    }
    for (const key of this.indexer.listKeys()) {
      if (seen.has(key)) continue;
      const gone = this.indexer.delete(key)!;
      this.notifyDelete(gone);
    }
    this.lastRV = resourceVersion;
    this.backoffMs = 0;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w(true);
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    if (this.stopped) return Promise.resolve('closed');
    const { labelSelector, fieldSelector } = this.opts;
    const minTimeout = this.opts.minWatchTimeoutSeconds ?? 300;
    const startedAt = performance.now();
    let events = 0;
    return new Promise<WatchOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: WatchOutcome): void => {
        if (settled) return;
        settled = true;
        this.watch?.stop();
        this.watch = undefined;
        resolve(outcome);
      };
      this.interrupt = () => finish('closed');
      this.watch = this.resources.watch(
        {
          resourceVersion: this.lastRV,
          allowWatchBookmarks: true,
          labelSelector,
          fieldSelector,
          timeoutSeconds: Math.floor(minTimeout * (1 + Math.random())),
        },
        (e) => {
          if (settled) return;
          // A watch that delivers is a healthy connection: the next failure backs off from the start.
          if (events++ === 0) this.backoffMs = 0;
          if (e.type === 'ERROR') {
            const err = errorFromWatchEvent(e.object);
            if (!isResourceExpired(err)) this.opts.onError?.(err, 'watch');
            finish(isResourceExpired(err) ? 'expired' : 'broken');
            return;
          }
          this.applyEvent(e);
        },
        (err) => {
          if (err) {
            if (isResourceExpired(err)) return finish('expired');
            this.opts.onError?.(err, 'watch');
            return finish('failed');
          }
          const short = events === 0 && performance.now() - startedAt < SHORT_WATCH_MS;
          finish(short ? 'failed' : 'closed');
        },
      );
    });
  }

  private applyEvent(e: WatchEvent<T>): void {
    const rv: string | undefined = e.object.metadata?.resourceVersion;
    if (e.type === 'BOOKMARK') {
      if (rv) this.lastRV = rv;
      return;
    }
    const obj = this.withTypeMeta(e.object);
    const key = metaNamespaceKey(obj);
    if (e.type === 'DELETED') {
      const old = this.indexer.delete(key);
      if (old) this.notifyDelete(obj);
    } else {
      const old = this.indexer.set(key, obj);
      if (old) this.notifyUpdate(old, obj);
      else this.notifyAdd(obj);
    }
    if (rv) this.lastRV = rv;
  }

  /** Items of a list carry no apiVersion and kind upstream; the cache holds self-describing objects. */
  private withTypeMeta(obj: T): T {
    if (obj.kind && obj.apiVersion) return obj;
    return { ...obj, apiVersion: this.apiVersion, kind: this.ref.kind };
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.opts.onError) this.opts.onError(err, 'handler');
      else console.error(`informer ${this.ref.resource}: event handler failed:`, err);
    }
  }

  private notifyAdd(obj: T): void {
    for (const h of this.handlers) if (h.onAdd) this.call(() => h.onAdd!(obj));
  }

  private notifyUpdate(old: T, obj: T): void {
    for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate!(old, obj));
  }

  private notifyDelete(obj: T): void {
    for (const h of this.handlers) if (h.onDelete) this.call(() => h.onDelete!(obj));
  }
}

/** Options every informer of a factory shares (not the selector, which is per informer). */
export type InformerFactoryOptions = Omit<InformerOptions<KubeObject>, keyof InformerSelector | 'indexers'>;

/** One informer per (resource, namespace, selectors), shared by every controller that asks. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<any>>();
  private started = false;

  constructor(
    private readonly client: Client,
    private readonly defaults: InformerFactoryOptions = {},
  ) {}

  informerFor<T extends KubeObject = KubeObject>(ref: ResourceRef, selector: InformerSelector = {}): Informer<T> {
    const key = `${ref.group}/${ref.version}/${ref.resource}|${selector.namespace ?? ''}|${selector.labelSelector ?? ''}|${selector.fieldSelector ?? ''}`;
    let informer = this.informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>(this.client, ref, { ...(this.defaults as InformerOptions<T>), ...selector });
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    return informer;
  }

  /** Starts every informer asked for so far, and from now on each new one as it is asked for. */
  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** True once every informer has synced; false if one stopped first. */
  async waitForSync(): Promise<boolean> {
    const results = await Promise.all(Array.from(this.informers.values(), (i) => i.waitForSync()));
    return results.every(Boolean);
  }

  stop(): void {
    for (const informer of this.informers.values()) informer.stop();
  }
}
