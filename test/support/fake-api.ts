// A small in-memory apiserver for client tests: CRUD on any resource path, resourceVersions
// from one counter, paginated lists, watches replayed from history, 410 for compacted
// versions, and switches to simulate a server that is down or drops its watches.
import {
  alreadyExists,
  badRequest,
  conflict,
  notFound,
  StatusError,
  tooOldResourceVersion,
  resourceExpired,
  type Status,
} from '../../src/api/meta/status.js';
import type { KubeObject } from '../../src/api/registry.js';
import type { ApiRequest, ApiResponse, LocalApi, WatchEvent, WatchSource } from '../../src/client/transport.js';

interface ParsedPath {
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function parsePath(path: string): ParsedPath {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group = '';
  if (segs[0] === 'api') rest = segs.slice(2);
  else if (segs[0] === 'apis') {
    group = segs[1];
    rest = segs.slice(3);
  } else throw badRequest(`unknown path ${path}`);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  return { group, resource: rest[0], namespace, name: rest[1], subresource: rest[2] };
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

/** Equality-based selectors: `a=b`, `a==b`, `a!=b`, `a`, `!a`, comma-separated. */
function labelsMatch(selector: string | null, labels: Record<string, string> = {}): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const t = term.trim();
    let m: RegExpMatchArray | null;
    if ((m = t.match(/^([^!=]+)!=(.*)$/))) return labels[m[1]] !== m[2];
    if ((m = t.match(/^([^!=]+)==?(.*)$/))) return labels[m[1]] === m[2];
    if (t.startsWith('!')) return !(t.slice(1) in labels);
    return t in labels;
  });
}

function fieldsMatch(selector: string | null, obj: KubeObject): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [field, value] = term.split('=');
    const actual = field === 'metadata.name' ? obj.metadata?.name : field === 'metadata.namespace' ? obj.metadata?.namespace : undefined;
    return actual === value;
  });
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface HistoryEntry {
  resourceKey: string;
  event: WatchEvent;
}

interface Watcher {
  resourceKey: string;
  namespace?: string;
  labelSelector: string | null;
  fieldSelector: string | null;
  bookmarks: boolean;
  onEvent(e: WatchEvent): void;
  onEnd(err?: Error): void;
}

function success(code = 200): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

export class FakeApi implements LocalApi {
  /** Every request that reached the server, in order. */
  readonly requests: ApiRequest[] = [];
  /** While true, requests fail as if the server were unreachable. */
  down = false;
  /** How a watch from a compacted version fails: as upstream, an ERROR event in a 200 stream, or a 410 response. */
  expiredAs: 'event' | 'status' = 'event';
  /** The same server, reached even while `down` (for a test to change the world behind a client's back). */
  readonly direct: LocalApi = { handle: (req) => this.serve(req) };

  private rv = 0;
  private compactedRV = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: HistoryEntry[] = [];
  private readonly watchers = new Set<Watcher>();
  private uid = 0;

  get resourceVersion(): string {
    return String(this.rv);
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    this.requests.push(req);
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    return this.serve(req);
  }

  /** Forgets history up to now: watches and continues from older versions get 410. */
  compact(): void {
    this.compactedRV = this.rv;
    this.history.length = 0;
  }

  /** Ends every watch with an error, as a server restart does. */
  dropWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.onEnd(new Error('socket hang up'));
    }
  }

  /** Ends every watch cleanly, as the server does when a watch's timeout passes. */
  endWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.onEnd();
    }
  }

  /** Sends a BOOKMARK at the current version to watchers that allowed them. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (w.bookmarks) w.onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: this.resourceVersion } } });
    }
  }

  get watchCount(): number {
    return this.watchers.size;
  }

  private async serve(req: ApiRequest): Promise<ApiResponse> {
    try {
      return this.route(req);
    } catch (err) {
      if (err instanceof StatusError) return { status: err.code, body: err.status };
      throw err;
    }
  }

  private route(req: ApiRequest): ApiResponse {
    const p = parsePath(req.path);
    const key = `${p.group}/${p.resource}`;
    const store = this.objects.get(key) ?? new Map<string, KubeObject>();
    this.objects.set(key, store);
    const objKey = (ns: string | undefined, name: string): string => (ns ? `${ns}/${name}` : name);
    const qr = { group: p.group, resource: p.resource };

    if (p.name === undefined) {
      switch (req.method) {
        case 'GET':
          return req.query.get('watch') === 'true' ? this.watch(key, p, req.query) : this.list(store, p, req.query);
        case 'POST':
          return this.create(key, store, p, req.body as KubeObject);
        case 'DELETE': {
          for (const obj of this.matching(store, p, req.query)) this.remove(key, store, objKey(obj.metadata.namespace, obj.metadata.name));
          return { status: 200, body: success() };
        }
        default:
          throw badRequest(`${req.method} on a collection`);
      }
    }

    const k = objKey(p.namespace, p.name);
    const current = store.get(k);
    if (p.subresource && p.subresource !== 'status') {
      if (!current) throw notFound(qr, p.name);
      return { status: 201, body: success(201) };
    }
    switch (req.method) {
      case 'GET':
        if (!current) throw notFound(qr, p.name);
        return { status: 200, body: current };
      case 'PUT': {
        if (!current) throw notFound(qr, p.name);
        const body = req.body as KubeObject;
        const sent = body.metadata?.resourceVersion;
        if (sent && sent !== current.metadata.resourceVersion) throw conflict(qr, p.name);
        const next = p.subresource === 'status' ? { ...current, status: body.status } : { ...body, status: current.status };
        return { status: 200, body: this.write(key, store, k, next, 'MODIFIED', current) };
      }
      case 'PATCH': {
        if (!current) throw notFound(qr, p.name);
        const next = mergePatch(current, req.body) as KubeObject;
        return { status: 200, body: this.write(key, store, k, next, 'MODIFIED', current) };
      }
      case 'DELETE':
        if (!current) throw notFound(qr, p.name);
        return { status: 200, body: this.remove(key, store, k) };
      default:
        throw badRequest(`${req.method} on an object`);
    }
  }

  private matching(store: Map<string, KubeObject>, p: ParsedPath, q: URLSearchParams): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of store.values()) {
      if (p.namespace && obj.metadata.namespace !== p.namespace) continue;
      if (!labelsMatch(q.get('labelSelector'), obj.metadata.labels)) continue;
      if (!fieldsMatch(q.get('fieldSelector'), obj)) continue;
      out.push(obj);
    }
    return out;
  }

  private list(store: Map<string, KubeObject>, p: ParsedPath, q: URLSearchParams): ApiResponse {
    const all = this.matching(store, p, q).sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`),
    );
    let start = 0;
    const cont = q.get('continue');
    if (cont) {
      const token = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as { rv: number; start: number };
      if (token.rv < this.compactedRV) {
        throw resourceExpired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      start = token.start;
    }
    const limit = Number(q.get('limit') ?? 0);
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const metadata: Record<string, unknown> = { resourceVersion: this.resourceVersion };
    if (end < all.length) metadata.continue = Buffer.from(JSON.stringify({ rv: this.rv, start: end })).toString('base64');
    // List items carry no apiVersion and kind, as upstream's typed lists.
    const items = all.slice(start, end).map(({ apiVersion: _a, kind: _k, ...rest }) => deepFreeze(rest));
    return { status: 200, body: deepFreeze({ kind: 'List', apiVersion: 'v1', metadata, items }) };
  }

  private create(key: string, store: Map<string, KubeObject>, p: ParsedPath, body: KubeObject): ApiResponse {
    const meta = { ...(body.metadata ?? {}) };
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${(++this.uid).toString(36)}`;
    if (!meta.name) throw badRequest('name or generateName is required');
    if (p.namespace) meta.namespace = p.namespace;
    const k = p.namespace ? `${p.namespace}/${meta.name}` : meta.name;
    if (store.has(k)) throw alreadyExists({ group: p.group, resource: p.resource }, meta.name);
    meta.uid = `uid-${++this.uid}`;
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { status: 201, body: this.write(key, store, k, { ...body, metadata: meta }, 'ADDED') };
  }

  private write(key: string, store: Map<string, KubeObject>, k: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED', old?: KubeObject): KubeObject {
    const stored = deepFreeze({ ...obj, metadata: { ...obj.metadata, uid: old?.metadata.uid ?? obj.metadata.uid, resourceVersion: String(++this.rv) } });
    store.set(k, stored);
    this.emit(key, { type, object: stored });
    return stored;
  }

  private remove(key: string, store: Map<string, KubeObject>, k: string): KubeObject {
    const current = store.get(k)!;
    store.delete(k);
    const final = deepFreeze({ ...current, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } });
    this.emit(key, { type: 'DELETED', object: final });
    return final;
  }

  private emit(resourceKey: string, event: WatchEvent): void {
    this.history.push({ resourceKey, event });
    for (const w of this.watchers) if (this.wants(w, resourceKey, event.object)) w.onEvent(event);
  }

  private wants(w: Watcher, resourceKey: string, obj: KubeObject): boolean {
    return (
      w.resourceKey === resourceKey &&
      (!w.namespace || obj.metadata.namespace === w.namespace) &&
      labelsMatch(w.labelSelector, obj.metadata.labels) &&
      fieldsMatch(w.fieldSelector, obj)
    );
  }

  private watch(resourceKey: string, p: ParsedPath, q: URLSearchParams): ApiResponse {
    const rvParam = q.get('resourceVersion') ?? '';
    const from = rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
    const expired = from !== undefined && from < this.compactedRV;
    if (expired && this.expiredAs === 'status') throw tooOldResourceVersion(from, this.compactedRV);
    const base = { resourceKey, namespace: p.namespace, labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector') };
    let watcher: Watcher | undefined;
    const source: WatchSource = {
      start: (onEvent, onEnd) => {
        if (expired) {
          onEvent({ type: 'ERROR', object: tooOldResourceVersion(from, this.compactedRV).status as unknown as KubeObject });
          onEnd();
          return;
        }
        watcher = { ...base, bookmarks: q.get('allowWatchBookmarks') === 'true', onEvent, onEnd };
        if (from === undefined) {
          for (const obj of this.objects.get(resourceKey)?.values() ?? []) if (this.wants(watcher, resourceKey, obj)) onEvent({ type: 'ADDED', object: obj });
        } else {
          for (const h of this.history) {
            if (Number(h.event.object.metadata.resourceVersion) > from && this.wants(watcher, h.resourceKey, h.event.object)) onEvent(h.event);
          }
        }
        this.watchers.add(watcher);
      },
      stop: () => {
        if (watcher) this.watchers.delete(watcher);
      },
    };
    return { status: 200, watch: source };
  }
}
