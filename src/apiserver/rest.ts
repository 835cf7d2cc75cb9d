// Generic REST storage for any registered resource: create, get, list, watch, update,
// patch, delete and deletecollection with upstream's object semantics (generateName,
// uid, resourceVersion as optimistic concurrency, generation, status vs spec, finalizers
// and deletionTimestamp, delete options, dry run), over the Store and the watch cache.
import { randomUUID } from 'node:crypto';
import type { KubeObject, ResourceDefinition, ResourceRegistry, ServedResource } from '../api/registry.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  failure,
  internalError,
  fieldErrors,
  invalid,
  methodNotSupported,
  notFound,
  tooOldResourceVersion,
  resourceExpired,
  type FieldError,
  type QualifiedResource,
  StatusError,
} from '../api/meta/status.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/meta/validation.js';
import { applyDefaults } from '../api/schema/defaults.js';
import { validateAgainstSchema } from '../api/schema/validate.js';
import { formatRFC3339 } from '../api/meta/time.js';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError, type KeyValue, type Store, type WatchEvent as StoreEvent } from '../storage/store.js';
import type { UserInfo, WatchEvent, WatchSource } from '../client/transport.js';
import { CachedObject, type CacheDispatcher, type CacheEvent, type ResourceCache, decodeStored, deepFreeze, encodeForStorage, type StorageEncoding } from './watchcache.js';
import type { AdmissionChain, AdmissionOperation } from './admission/types.js';
import type { ObjectFilter } from './filter.js';
import { deepCopy } from '../api/patch/json.js';

export type ObjectLookup = (group: string, plural: string, namespace: string, name: string) => Readonly<KubeObject> | undefined;
export type ConsistentLookup = (group: string, plural: string, namespace: string, name: string) => Promise<Readonly<KubeObject> | undefined>;

export interface RequestContext {
  user?: UserInfo;
  dryRun: boolean;
  /** Warnings returned to the client as `Warning: 299 - "…"` headers. */
  warnings: string[];
  /** Rules of the version the request came through (an alternate group such as events.k8s.io). */
  validateAlso?: (obj: KubeObject, old?: KubeObject) => FieldError[];
  /** The schema of the version the request came through (a custom resource is validated by it). */
  schemaName?: string;
  /** Set by a create or update that stored an object: how, so that the reply reuses its JSON. */
  written?: WrittenVersion;
}

export interface WrittenVersion {
  object: Readonly<KubeObject>;
  encoding: StorageEncoding;
  revision: number;
}

export interface ListOptions {
  filter: ObjectFilter;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: CachedObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchOptions {
  filter: ObjectFilter;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** A watch event as served: `cached` carries shared JSON bytes when the object is a stored version. */
export interface ServedWatchEvent extends WatchEvent {
  cached?: CachedObject;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const GENERATED_NAME_MAX_PREFIX = 58;
const GENERATE_NAME_ATTEMPTS = 8;
const BOOKMARK_INTERVAL_MS = 10_000;
const DEFAULT_WATCH_TIMEOUT_S = 1800;

let stampedSecond = -1;
let stamp = '';

/** Now as metav1.Time (whole seconds), formatted once per second rather than once per create. */
function creationTimestamp(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== stampedSecond) {
    stampedSecond = second;
    stamp = formatRFC3339(second * 1000);
  }
  return stamp;
}

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

function parseRV(rv: string | undefined, what = 'resourceVersion'): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid ${what}: ${rv}`);
  return Number(rv);
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, lastRelativeKey: string): string {
  const t: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: lastRelativeKey + '\u0000' };
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

const RV_MATCH = 'resourceVersionMatch';

/** Upstream's ListOptions validation for a LIST: a 422 Invalid on ListOptions.meta.k8s.io. */
function validateListOptions(opts: ListOptions): void {
  const errs: FieldError[] = [];
  const match = opts.resourceVersionMatch;
  if (match) {
    if (!opts.resourceVersion) errs.push(fieldErrors.forbidden(RV_MATCH, 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (opts.continue) errs.push(fieldErrors.forbidden(RV_MATCH, 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(fieldErrors.notSupported(RV_MATCH, match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && opts.resourceVersion === '0') errs.push(fieldErrors.forbidden(RV_MATCH, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (errs.length) throw invalid('ListOptions', 'meta.k8s.io', '', errs);
}

/** The same for a WATCH: resourceVersionMatch only with sendInitialEvents, which needs NotOlderThan. */
function validateWatchOptions(opts: WatchOptions): void {
  const errs: FieldError[] = [];
  const match = opts.resourceVersionMatch;
  if (opts.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errs.push(fieldErrors.forbidden(RV_MATCH, 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match) {
    if (opts.sendInitialEvents === undefined) errs.push(fieldErrors.forbidden(RV_MATCH, 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errs.push(fieldErrors.notSupported(RV_MATCH, match, ['NotOlderThan']));
  }
  if (errs.length) throw invalid('ListOptions', 'meta.k8s.io', '', errs);
}

/** Deep equality of JSON values whatever the order of object keys (clients send keys in any order). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((v, i) => jsonEqual(v, bs[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  if (keys.length !== Object.keys(bo).filter((k) => bo[k] !== undefined).length) return false;
  return keys.every((k) => jsonEqual(ao[k], bo[k]));
}

const NOT_SPEC = new Set(['apiVersion', 'kind', 'metadata']);

/** Whether anything spec-like changed: all but type and object metadata, status and the kind's non-spec fields. */
function specChanged(obj: KubeObject, old: Readonly<KubeObject>, notSpec: (field: string) => boolean): boolean {
  for (const k of new Set([...Object.keys(obj), ...Object.keys(old)])) {
    if (!NOT_SPEC.has(k) && !notSpec(k) && !jsonEqual(obj[k], old[k])) return true;
  }
  return false;
}

export class ResourceStorage {
  readonly qualified: QualifiedResource;
  /** Where the resource's keys live in the store: `/registry/<group>/<resource>/`. */
  readonly prefix: string;
  private readonly statusField: string;

  constructor(
    readonly def: ResourceDefinition,
    private readonly store: Store,
    /** None for a resource served from the store (events, which kube-apiserver's defaults leave uncached). */
    private readonly watchCache: ResourceCache | undefined,
    private readonly dispatcher: CacheDispatcher,
    private readonly registry: ResourceRegistry,
    private readonly admission: AdmissionChain,
    private readonly lookup: ObjectLookup,
    private readonly lookupConsistent: ConsistentLookup,
  ) {
    this.qualified = { group: def.group, resource: def.plural };
    this.statusField = def.statusField ?? 'status';
    this.prefix = ResourceStorage.prefixFor(def);
  }

  static prefixFor(def: ResourceDefinition): string {
    return def.group ? `/registry/${def.group}/${def.plural}/` : `/registry/${def.plural}/`;
  }

  /** The watch cache, for the resources that have one (all but events). */
  get cache(): ResourceCache {
    if (!this.watchCache) throw internalError(`${this.def.plural} are served from the store, not a watch cache`);
    return this.watchCache;
  }

  key(namespace: string, name: string): string {
    return this.def.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  keyPrefix(namespace: string): string {
    return this.def.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
  }

  private get apiVersion(): string {
    return this.def.group ? `${this.def.group}/${this.def.version}` : this.def.version;
  }

  // ---- reads ----

  async get(namespace: string, name: string, resourceVersion?: string): Promise<CachedObject> {
    let o: CachedObject | undefined;
    if (!this.watchCache) o = await this.current(namespace, name);
    else {
      if (resourceVersion !== '0') await this.dispatcher.sync();
      o = this.watchCache.objects.get(this.key(namespace, name));
    }
    if (!o) throw notFound(this.qualified, name);
    return o;
  }

  /** The current stored version, straight from the store (for compare-and-swap writes). */
  private async current(namespace: string, name: string): Promise<CachedObject | undefined> {
    const key = this.key(namespace, name);
    const kv = await this.store.get(key);
    if (!kv) return undefined;
    return this.version(kv);
  }

  /** A stored version as served: the cache's when it holds that version, else decoded. */
  private version(kv: KeyValue): CachedObject {
    const cached = this.watchCache?.objects.get(kv.key);
    if (cached && cached.revision === kv.modRevision) return cached;
    return new CachedObject(kv.key, decodeStored(kv.value, kv.modRevision), kv.modRevision);
  }

  async list(namespace: string, opts: ListOptions): Promise<ListResult> {
    const match = opts.resourceVersionMatch;
    validateListOptions(opts);
    const rv = parseRV(opts.resourceVersion);
    if (opts.continue && (rv !== undefined && rv !== 0)) {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    const paged = !!opts.continue || (!!opts.limit && opts.limit > 0 && rv !== 0);
    if (paged && match !== 'Exact' && this.watchCache) {
      const page = await this.pageFromCache(this.watchCache, namespace, opts, rv);
      if (page) return page;
    }
    if (paged || match === 'Exact' || !this.watchCache) return this.listFromStore(namespace, opts, rv);
    // Served from the watch cache: "" is a consistent read, "0" any, N not older than N.
    if (rv === undefined) await this.dispatcher.sync();
    else if (rv > 0 && !(await this.dispatcher.waitFor(rv))) {
      throw failure(504, 'Timeout', `Too large resource version: ${rv}, current resource version: ${this.dispatcher.currentRevision}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    const items: CachedObject[] = [];
    const source = this.watchCache.sortedUnder(this.keyPrefix(namespace));
    for (const o of source) if (opts.filter.matches(o.object)) items.push(o);
    return { items, resourceVersion: String(this.dispatcher.currentRevision) };
  }

  /**
   * A page of a paged LIST from the watch cache when the cache holds exactly the state the page
   * must show: a first page read consistently (no resourceVersion), or a next page of a list read
   * at a revision after which nothing of this resource changed (and which the store still keeps).
   * Otherwise undefined, and the store serves the page, as it always does upstream in 1.32.
   */
  private async pageFromCache(cache: ResourceCache, namespace: string, opts: ListOptions, rv: number | undefined): Promise<ListResult | undefined> {
    const prefix = this.keyPrefix(namespace);
    let revision: number;
    let after: string | undefined;
    if (opts.continue) {
      const t = decodeContinue(opts.continue);
      if (t.rv > this.dispatcher.currentRevision || cache.changedSince(t.rv) || t.rv < (await this.dispatcher.compactedRevision())) return undefined;
      revision = t.rv;
      after = prefix + t.start.replace(/\u0000$/, '');
    } else {
      if (rv !== undefined) return undefined;
      revision = await this.dispatcher.sync();
    }
    // Checked again after the awaits: a write may have landed meanwhile.
    if (cache.changedSince(revision)) return undefined;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const { items, following } = cache.page(prefix, after, limit, (o) => opts.filter.matches(o.object));
    const result: ListResult = { items, resourceVersion: String(revision) };
    if (following > 0) {
      result.continue = encodeContinue(revision, items[items.length - 1].key.slice(prefix.length));
      if (opts.filter.isEverything) result.remainingItemCount = following;
    }
    return result;
  }

  private async listFromStore(namespace: string, opts: ListOptions, rv: number | undefined): Promise<ListResult> {
    const prefix = this.keyPrefix(namespace);
    let revision = opts.resourceVersionMatch === 'Exact' ? rv : undefined;
    let continueAfter: string | undefined;
    if (opts.continue) {
      const t = decodeContinue(opts.continue);
      revision = t.rv;
      continueAfter = prefix + t.start.replace(/\u0000$/, '');
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const items: CachedObject[] = [];
    let more = false;
    let remaining: number | undefined;
    let readRevision = revision ?? 0;
    let lastKey: string | undefined;
    try {
      for (;;) {
        const want = limit ? limit - items.length : 0;
        const page = await this.store.list(prefix, { limit: want ? Math.max(want, 100) : 0, continueAfter, revision: readRevision || undefined });
        readRevision = page.revision;
        let i = 0;
        for (; i < page.items.length; i++) {
          const kv = page.items[i];
          const obj = this.version(kv);
          lastKey = kv.key;
          if (opts.filter.matches(obj.object)) {
            items.push(obj);
            if (limit && items.length >= limit) {
              i++;
              break;
            }
          }
        }
        const pageHasMore = i < page.items.length || page.more;
        if (limit && items.length >= limit) {
          more = pageHasMore;
          if (more && opts.filter.isEverything) remaining = (page.remaining ?? 0) + (page.items.length - i);
          break;
        }
        if (!page.more) break;
        continueAfter = page.items[page.items.length - 1]?.key;
        if (!continueAfter) break;
      }
    } catch (err) {
      if (err instanceof CompactedError) {
        if (opts.continue) {
          throw resourceExpired(
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          );
        }
        throw tooOldResourceVersion(err.requested, err.compacted);
      }
      throw err;
    }
    const result: ListResult = { items, resourceVersion: String(readRevision) };
    if (more && lastKey) {
      result.continue = encodeContinue(readRevision, lastKey.slice(prefix.length));
      if (remaining !== undefined) result.remainingItemCount = remaining;
    }
    return result;
  }

  watch(namespace: string, opts: WatchOptions): WatchSource {
    validateWatchOptions(opts);
    const rv = parseRV(opts.resourceVersion);
    const keyPrefix = this.keyPrefix(namespace);
    const inScope = (o: CachedObject) => o.key.startsWith(keyPrefix);
    const initialState = rv === undefined || rv === 0 || opts.sendInitialEvents === true;
    let unsubscribe: (() => void) | undefined;
    const timers: NodeJS.Timeout[] = [];
    let stopped = false;
    const stop = () => {
      stopped = true;
      unsubscribe?.();
      for (const t of timers) clearTimeout(t), clearInterval(t);
    };
    const convert = (ev: CacheEvent): ServedWatchEvent | undefined => {
      if (!inScope(ev.object)) return undefined;
      const now = ev.type !== 'DELETED' && opts.filter.matches(ev.object.object);
      const before = !!ev.prev && opts.filter.matches(ev.prev.object);
      if (ev.type === 'DELETED') return before ? { type: 'DELETED', object: ev.object.object, cached: ev.object } : undefined;
      if (now && before) return { type: 'MODIFIED', object: ev.object.object, cached: ev.object };
      if (now) return { type: 'ADDED', object: ev.object.object, cached: ev.object };
      if (before && ev.prev) {
        // Left the selection: a DELETED with the previous content at the new resourceVersion.
        const left = deepCopy(ev.prev.object) as KubeObject;
        left.metadata.resourceVersion = String(ev.revision);
        return { type: 'DELETED', object: deepFreeze(left) };
      }
      return undefined;
    };
    const bookmark = (rev: number, annotations?: Record<string, string>): ServedWatchEvent => ({
      type: 'BOOKMARK',
      object: { kind: this.def.kind, apiVersion: this.apiVersion, metadata: { resourceVersion: String(rev), ...(annotations ? { annotations } : {}) } },
    });
    return {
      start: (onEvent, onEnd) => {
        const end = (err?: Error) => {
          if (stopped) return;
          stop();
          onEnd(err);
        };
        const send = (e: ServedWatchEvent) => {
          if (!stopped) onEvent(e);
        };
        const sendAll = (events: CacheEvent[]) => {
          for (const ev of events) {
            if (ev.revision <= lastSent) continue;
            const out = convert(ev);
            if (out) send(out);
            lastSent = ev.revision;
          }
        };
        const tooOld = (requested: number, compacted: number) => {
          send({ type: 'ERROR', object: tooOldResourceVersion(requested, compacted).status });
          end();
        };
        let lastSent = rv ?? 0;
        /** The initial state ends with a bookmark when the client asked for one (sendInitialEvents). */
        const initialEventsEnd = () => {
          if (opts.sendInitialEvents) send(bookmark(lastSent, { 'k8s.io/initial-events-end': 'true' }));
        };
        /** Bookmarks at `progress()`, then the end after the timeout. */
        const keepAlive = (progress: () => number) => {
          const timeoutS = opts.timeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_S * (1 + Math.random());
          if (opts.allowWatchBookmarks) {
            let lastBookmark = lastSent;
            const t = setInterval(() => {
              const cur = progress();
              if (cur === lastBookmark) return;
              lastBookmark = cur;
              send(bookmark(cur));
            }, BOOKMARK_INTERVAL_MS);
            t.unref();
            timers.push(t);
            // As upstream, one more 2 s before the watch times out, so that the client resumes from the newest revision.
            if (timeoutS > 2) {
              const last = setTimeout(() => send(bookmark(progress())), (timeoutS - 2) * 1000);
              last.unref();
              timers.push(last);
            }
          }
          const t = setTimeout(() => end(), timeoutS * 1000);
          t.unref();
          timers.push(t);
        };
        const fromCache = (cache: ResourceCache) => {
          if (stopped) return;
          // Initial state and subscription happen in one synchronous step: no gap, no duplicate.
          if (initialState) {
            for (const o of cache.sortedUnder(keyPrefix)) if (opts.filter.matches(o.object)) send({ type: 'ADDED', object: o.object, cached: o });
            lastSent = this.dispatcher.currentRevision;
            initialEventsEnd();
          } else {
            try {
              sendAll(cache.eventsSince(lastSent));
            } catch (err) {
              if (err instanceof CompactedError) return tooOld(err.requested, err.compacted);
              throw err;
            }
            lastSent = Math.max(lastSent, this.dispatcher.currentRevision);
          }
          unsubscribe = cache.subscribe(sendAll);
          keepAlive(() => this.dispatcher.currentRevision);
        };
        // Without a watch cache, as kube-apiserver watches etcd: a store watch of its own, after a
        // list of the current objects when the watch starts with them.
        const fromStore = async () => {
          if (initialState) {
            const list = await this.listFromStore(namespace, { filter: opts.filter }, undefined);
            if (stopped) return;
            for (const o of list.items) send({ type: 'ADDED', object: o.object, cached: o });
            lastSent = Number(list.resourceVersion);
            initialEventsEnd();
          }
          const watch = this.store.watch(keyPrefix, lastSent, {
            onEvents: (events) => sendAll(events.map((e) => this.cacheEvent(e))),
            onError: (err) => (err instanceof CompactedError ? tooOld(err.requested, err.compacted) : end(err)),
          });
          unsubscribe = () => watch.cancel();
          keepAlive(() => lastSent);
        };
        const cache = this.watchCache;
        if (!cache) {
          fromStore().catch((err: Error) => end(err));
        } else if (rv !== undefined && rv > this.dispatcher.currentRevision) {
          this.dispatcher.waitFor(rv).then(
            (ok) => {
              if (ok) fromCache(cache);
              else {
                send({
                  type: 'ERROR',
                  object: failure(504, 'Timeout', `Too large resource version: ${rv}, current resource version: ${this.dispatcher.currentRevision}`).status,
                });
                end();
              }
            },
            (err: Error) => end(err),
          );
        } else if (rv === undefined) {
          this.dispatcher.sync().then(() => fromCache(cache), (err: Error) => end(err));
        } else if (rv > 0 && !opts.sendInitialEvents) {
          // Revisions the store has compacted away are gone for watchers too, whatever the cache still holds.
          this.dispatcher.compactedRevision().then((compacted) => {
            if (rv + 1 >= compacted) return fromCache(cache);
            tooOld(rv, compacted);
          }, (err: Error) => end(err));
        } else fromCache(cache);
      },
      stop,
    };
  }

  /** A store event as the watch cache would have it (for watches served from the store). */
  private cacheEvent(e: StoreEvent): CacheEvent {
    const object = new CachedObject(e.kv.key, decodeStored(e.kv.value, e.kv.modRevision), e.kv.modRevision);
    const prev = e.prevKv && new CachedObject(e.prevKv.key, decodeStored(e.prevKv.value, e.prevKv.modRevision), e.prevKv.modRevision);
    const type = e.type === 'delete' ? 'DELETED' : e.kv.createRevision === e.kv.modRevision ? 'ADDED' : 'MODIFIED';
    return { type, object, prev, revision: e.kv.modRevision, at: Date.now() };
  }

  // ---- writes ----

  private invalid(name: string, errs: FieldError[]): StatusError {
    return invalid(this.def.kind, this.def.group, name, errs);
  }

  /** Upstream puts the resource where the kind goes here, and prints the missing version as Go's %#v of a uint64. */
  private unconditionalUpdateRefused(name: string): StatusError {
    const body = 'Invalid value: 0x0: must be specified for an update';
    const { group, plural } = this.def;
    return failure(422, 'Invalid', `${group ? `${plural}.${group}` : plural} "${name}" is invalid: metadata.resourceVersion: ${body}`, {
      name,
      ...(group ? { group } : {}),
      kind: plural,
      causes: [{ reason: 'FieldValueInvalid', message: body, field: 'metadata.resourceVersion' }],
    });
  }

  /**
   * Custom resources are validated by the OpenAPI schema of the version written through (versions
   * differ only in apiVersion, which no schema constrains). Built-in kinds by their own rules, plus
   * the enums and required fields their schemas declare wherever those rules say nothing at that
   * path (upstream's hand-written validation checks both; the kind files state many in the schema).
   */
  private schemaErrors(obj: KubeObject, kindErrors: readonly FieldError[], ctx: RequestContext): FieldError[] {
    if (this.def.customResource) return validateAgainstSchema(obj, ctx.schemaName ?? this.def.schemaName, this.registry.definitions);
    const schemaErrs = validateAgainstSchema(obj, this.def.schemaName, this.registry.definitions);
    const reported = new Set(kindErrors.map((e) => e.field));
    return schemaErrs.filter((e) => (e.type === 'FieldValueNotSupported' || e.type === 'FieldValueRequired') && !reported.has(e.field));
  }

  private validateCreate(obj: KubeObject, ctx: RequestContext): FieldError[] {
    const errs = validateObjectMeta(obj.metadata ?? {}, { namespaced: this.def.namespaced, nameRule: this.def.nameRule ?? 'subdomain' });
    if (this.def.validate) errs.push(...this.def.validate(obj, {}));
    if (ctx.validateAlso) errs.push(...ctx.validateAlso(obj));
    errs.push(...this.schemaErrors(obj, errs, ctx));
    return errs;
  }

  private validateUpdate(obj: KubeObject, old: KubeObject, subresource: string, requestCtx: RequestContext): FieldError[] {
    const ctx = { old, subresource };
    const errs = validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {});
    errs.push(...validateObjectMeta(obj.metadata ?? {}, { namespaced: this.def.namespaced, nameRule: this.def.nameRule ?? 'subdomain' }));
    if (this.def.validate) errs.push(...this.def.validate(obj, ctx));
    if (this.def.validateUpdate) errs.push(...this.def.validateUpdate(obj, old, ctx));
    if (requestCtx.validateAlso) errs.push(...requestCtx.validateAlso(obj, old));
    errs.push(...this.schemaErrors(obj, errs, requestCtx));
    return errs;
  }

  /** Schema defaults, then the kind's own defaulting (as decoding does upstream). */
  applyDefaults(obj: KubeObject, served?: ServedResource): void {
    // A custom resource takes the defaults of the version it came through (versions differ only in apiVersion).
    const schemaName = this.def.customResource && served ? served.schemaName : this.def.schemaName;
    applyDefaults(obj, schemaName, this.registry.definitions);
    this.def.defaults?.(obj);
  }

  private attrs(operation: AdmissionOperation, namespace: string, name: string, ctx: RequestContext, object?: KubeObject, oldObject?: KubeObject, subresource = '') {
    return { operation, def: this.def, subresource, namespace, name, object, oldObject, dryRun: ctx.dryRun, user: ctx.user, lookup: this.lookup, lookupConsistent: this.lookupConsistent };
  }

  /** Creates `obj` (already decoded, pruned and defaulted by the caller) in `namespace`. */
  async create(namespace: string, input: KubeObject, ctx: RequestContext): Promise<KubeObject> {
    const refused = this.def.createRefused?.();
    if (refused) throw methodNotSupported(this.qualified, 'create', refused);
    const obj = input;
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
    const meta = (obj.metadata ??= {});
    if (this.def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace || meta.namespace;
    } else {
      delete meta.namespace;
    }
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    await this.admission.admit(this.attrs('CREATE', meta.namespace ?? '', meta.name ?? '', ctx, obj));
    // System fields are the server's: whatever the client sent is replaced.
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    delete meta.managedFields;
    meta.uid = randomUUID();
    meta.creationTimestamp = creationTimestamp();
    if (this.def.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    this.def.prepareForCreate?.(obj);
    const generate = !meta.name && !!meta.generateName;
    for (let attempt = 0; ; attempt++) {
      if (generate) meta.name = String(meta.generateName).slice(0, GENERATED_NAME_MAX_PREFIX) + randomSuffix();
      const errs = this.validateCreate(obj, ctx);
      if (errs.length) throw this.invalid(meta.name ?? '', errs);
      await this.admission.validate(this.attrs('CREATE', meta.namespace ?? '', meta.name, ctx, obj));
      if (ctx.dryRun) {
        const key = this.key(meta.namespace ?? '', meta.name);
        if (await this.store.get(key)) throw alreadyExists(this.qualified, meta.name);
        return obj;
      }
      const key = this.key(meta.namespace ?? '', meta.name);
      // A resourceVersion the client sent empty goes: the served one is appended to the metadata.
      delete meta.resourceVersion;
      const enc = encodeForStorage(obj);
      this.watchCache?.prime(key, enc);
      try {
        const kv = await this.store.create(key, enc.value, { ttlSeconds: this.def.ttlSeconds });
        return this.written(key, enc, kv.modRevision, ctx);
      } catch (err) {
        this.watchCache?.unprime(key);
        if (err instanceof KeyExistsError) {
          if (generate && attempt < GENERATE_NAME_ATTEMPTS) continue;
          throw alreadyExists(this.qualified, meta.name);
        }
        throw err;
      }
    }
  }

  /**
   * The read-modify-write loop of every update: `mutate` turns the current object into the
   * wanted one (a PUT body, a patched copy, a status change). A client-given resourceVersion
   * that is stale is a 409; otherwise a concurrent write is retried.
   */
  async update(
    namespace: string,
    name: string,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    ctx: RequestContext,
    opts: {
      subresource?: string;
      allowCreate?: boolean;
      /** A change the apiserver makes to a stored object it has checked itself (a binding): not validated again, as upstream's GuaranteedUpdate. */
      unvalidated?: boolean;
    } = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const sub = opts.subresource ?? '';
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.current(namespace, name);
      if (!current) {
        if (!opts.allowCreate) throw notFound(this.qualified, name);
        const obj = await mutate(undefined as unknown as KubeObject);
        return { object: await this.create(namespace, obj, ctx), created: true };
      }
      const old = current.object;
      const wanted = await mutate(deepCopy(old) as KubeObject);
      const wantedRV = wanted.metadata?.resourceVersion;
      if (wantedRV && wantedRV !== String(current.revision)) throw conflict(this.qualified, name);
      if (!wantedRV) {
        // An update without a resourceVersion applies to whatever is stored, except for custom resources.
        if (this.def.customResource) throw this.unconditionalUpdateRefused(name);
        (wanted.metadata ??= {}).resourceVersion = String(current.revision);
      }
      const obj = this.mergeForUpdate(wanted, old, sub);
      await this.admission.admit(this.attrs('UPDATE', namespace, name, ctx, obj, old, sub));
      if (!sub) this.def.prepareForUpdate?.(obj, old);
      if (sub === 'status') this.def.prepareForStatusUpdate?.(obj, old);
      if (this.def.tracksGeneration && specChanged(obj, old, (f) => f === this.statusField || !!this.def.nonSpecFields?.includes(f))) {
        obj.metadata.generation = (old.metadata?.generation ?? 0) + 1;
      }
      const errs = opts.unvalidated ? [] : this.validateUpdate(obj, old, sub, ctx);
      if (errs.length) throw this.invalid(name, errs);
      await this.admission.validate(this.attrs('UPDATE', namespace, name, ctx, obj, old, sub));
      // An object being deleted whose last finalizer is removed goes away now.
      const finished = !!obj.metadata.deletionTimestamp && !(obj.metadata.finalizers?.length) && !this.def.specFinalizers?.(obj)?.length;
      if (ctx.dryRun) return { object: obj, created: false };
      obj.metadata.resourceVersion = String(current.revision);
      if (!finished && jsonEqual(obj, old)) return { object: old as KubeObject, created: false };
      delete obj.metadata.resourceVersion;
      try {
        if (finished) {
          const kv = await this.store.delete(current.key, current.revision);
          obj.metadata.resourceVersion = String(kv.modRevision);
          return { object: deepFreeze(obj), created: false };
        }
        const enc = encodeForStorage(obj);
        this.watchCache?.prime(current.key, enc);
        const kv = await this.store.update(current.key, enc.value, current.revision, { ttlSeconds: this.def.ttlSeconds });
        return { object: this.written(current.key, enc, kv.modRevision, ctx), created: false };
      } catch (err) {
        this.watchCache?.unprime(current.key);
        // Lost a race: read again. A resourceVersion the client gave is checked against the new read,
        // so a stale one is a 409 there; a patch that named none simply applies to the newer object.
        if (err instanceof ConflictError || err instanceof KeyNotFoundError) continue;
        throw err;
      }
    }
    throw conflict(this.qualified, name, 'too many concurrent updates, please retry');
  }

  /** The object as stored at `revision`, sealed as the watch cache serves it (the cache may have done it already). */
  private written(key: string, enc: StorageEncoding, revision: number, ctx: RequestContext): KubeObject {
    let obj = enc.object;
    if (this.watchCache) obj = this.watchCache.seal(key, obj, revision) as KubeObject;
    else {
      obj.metadata.resourceVersion = String(revision);
      deepFreeze(obj);
    }
    ctx.written = { object: obj, encoding: enc, revision };
    return obj;
  }

  /** Keeps what this endpoint may not change: status for the main resource, all but status for /status. */
  private mergeForUpdate(wanted: KubeObject, old: Readonly<KubeObject>, sub: string): KubeObject {
    const obj = wanted;
    obj.apiVersion = this.apiVersion;
    obj.kind = this.def.kind;
    const meta = (obj.metadata ??= {});
    const oldMeta = old.metadata ?? {};
    // System fields always come from the stored object.
    meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    if (this.def.namespaced && meta.namespace === undefined) meta.namespace = oldMeta.namespace;
    if (meta.name === undefined) meta.name = oldMeta.name;
    for (const f of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink'] as const) {
      if (oldMeta[f] === undefined) delete meta[f];
      else meta[f] = oldMeta[f];
    }
    delete meta.managedFields;
    const hasStatus = !!this.def.subresources?.status;
    if (sub === 'status') {
      const status = obj[this.statusField];
      // Custom resources change only status through /status; built-in kinds keep their spec and take
      // the request's metadata (system fields are already the stored ones), as upstream's status strategies.
      const merged: KubeObject = deepCopy(old) as KubeObject;
      if (this.def.customResource) merged.metadata.resourceVersion = meta.resourceVersion;
      else merged.metadata = meta;
      if (status === undefined) delete merged[this.statusField];
      else merged[this.statusField] = status;
      return merged;
    }
    if (hasStatus && !sub) {
      if (old[this.statusField] === undefined) delete obj[this.statusField];
      else obj[this.statusField] = deepCopy(old[this.statusField]);
    }
    return obj;
  }

  async delete(namespace: string, name: string, options: DeleteOptions, ctx: RequestContext): Promise<{ object: KubeObject; deleted: boolean }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.current(namespace, name);
      if (!current) throw notFound(this.qualified, name);
      const old = current.object;
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== old.metadata.uid) {
        throw conflict(this.qualified, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== String(current.revision)) {
        throw conflict(
          this.qualified,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.revision}`,
        );
      }
      await this.admission.validate(this.attrs('DELETE', namespace, name, ctx, undefined, old as KubeObject));
      const obj = deepCopy(old) as KubeObject;
      const meta = obj.metadata;
      const alreadyDeleting = !!meta.deletionTimestamp;
      // The kind's own changes when deletion starts (a namespace's phase, a CRD's cleanup finalizer).
      if (!alreadyDeleting) this.def.prepareForDelete?.(obj);
      const finalizers = this.finalizersForDelete(meta.finalizers ?? [], options);
      const grace = this.def.deletionGracePeriod?.(old as KubeObject, options.gracePeriodSeconds) ?? 0;
      // A kind's own finalizers (a namespace's spec.finalizers) keep it too, as upstream's namespace storage.
      const held = finalizers.length > 0 || !!this.def.specFinalizers?.(obj)?.length;
      let mark = held || grace > 0;
      if (alreadyDeleting && grace === 0 && !held) mark = false;
      if (mark) {
        // Graceful or finalized: mark the object, the owners of the finalizers (or the kubelet) finish it.
        const shorter = alreadyDeleting && grace < (meta.deletionGracePeriodSeconds ?? Infinity);
        if (alreadyDeleting && !shorter && JSON.stringify(finalizers) === JSON.stringify(meta.finalizers ?? [])) {
          return { object: old as KubeObject, deleted: false };
        }
        if (!alreadyDeleting || shorter) {
          meta.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          meta.deletionGracePeriodSeconds = grace;
          if (meta.generation !== undefined && !alreadyDeleting) meta.generation++;
        }
        if (finalizers.length) meta.finalizers = finalizers;
        else delete meta.finalizers;
        if (ctx.dryRun) return { object: obj, deleted: false };
        delete meta.resourceVersion;
        try {
          const kv = await this.store.update(current.key, JSON.stringify(obj), current.revision, { ttlSeconds: this.def.ttlSeconds });
          meta.resourceVersion = String(kv.modRevision);
          return { object: deepFreeze(obj), deleted: false };
        } catch (err) {
          if (err instanceof ConflictError || err instanceof KeyNotFoundError) continue;
          throw err;
        }
      }
      if (ctx.dryRun) return { object: old as KubeObject, deleted: true };
      try {
        const kv = await this.store.delete(current.key, current.revision);
        meta.resourceVersion = String(kv.modRevision);
        return { object: deepFreeze(obj), deleted: true };
      } catch (err) {
        if (err instanceof ConflictError || err instanceof KeyNotFoundError) continue;
        throw err;
      }
    }
    throw internalError(`too many concurrent changes while deleting ${name}`);
  }

  /** The garbage-collector finalizers a delete request asks for (propagationPolicy / orphanDependents). */
  private finalizersForDelete(existing: string[], options: DeleteOptions): string[] {
    let policy = options.propagationPolicy;
    if (!policy && options.orphanDependents !== undefined) policy = options.orphanDependents ? 'Orphan' : 'Background';
    const out = existing.filter((f) => !policy || (f !== 'orphan' && f !== 'foregroundDeletion'));
    if (policy === 'Orphan') out.push('orphan');
    if (policy === 'Foreground') out.push('foregroundDeletion');
    return out;
  }

  async deleteCollection(namespace: string, listOpts: ListOptions, options: DeleteOptions, ctx: RequestContext): Promise<KubeObject[]> {
    const { items } = await this.list(namespace, { ...listOpts, limit: undefined, continue: undefined });
    const out: KubeObject[] = [];
    for (const item of items) {
      try {
        out.push((await this.delete(item.namespace, item.name, options, ctx)).object);
      } catch (err) {
        if (err instanceof StatusError && err.code === 404) continue;
        throw err;
      }
    }
    return out;
  }
}
