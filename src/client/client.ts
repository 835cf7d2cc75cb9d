// The typed client: one resource-generic API over either transport (HTTP from a kubeconfig,
// or in-process over the apiserver's handler). Errors are StatusErrors with the server's Status.
import type { KubeObject } from '../api/registry.js';
import { HttpTransport, type HttpTransportOptions } from './http.js';
import { defaultKubeconfigPath, loadKubeconfig } from './kubeconfig.js';
import { LocalTransport } from './local.js';
import type { ClientTransport } from './request.js';
import { apiVersionOf, resourcePath, type ResourceRef } from './resource.js';
import { isConflict } from './errors.js';
import type { ApiRequest, LocalApi, UserInfo, WatchEvent } from './transport.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface PatchOptions extends WriteOptions {
  subresource?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchOptions {
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

/** A running watch; after `stop()` no more events nor the end are delivered. */
export interface Watch {
  stop(): void;
}

/** A request for `Client.request`: query and headers are optional. */
export interface RawRequest {
  method: ApiRequest['method'];
  path: string;
  query?: URLSearchParams | Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

function setQuery(q: URLSearchParams, opts: object): URLSearchParams {
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q;
}

function writeQuery(opts: WriteOptions): URLSearchParams {
  const q = new URLSearchParams();
  if (opts.dryRun) q.set('dryRun', 'All');
  if (opts.fieldManager) q.set('fieldManager', opts.fieldManager);
  if (opts.fieldValidation) q.set('fieldValidation', opts.fieldValidation);
  return q;
}

function deleteOptionsBody(opts: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions) body.preconditions = opts.preconditions;
  if (opts.dryRun) body.dryRun = ['All'];
  return body;
}

const JSON_BODY = { 'content-type': 'application/json' };

/** Requests for one resource, in one namespace or (for list, watch and deletecollection) across all. */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly transport: ClientTransport,
    readonly ref: ResourceRef,
    readonly ns?: string,
  ) {}

  /** The same resource in namespace `ns` (ignored for cluster-scoped resources). */
  namespace(ns: string): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, this.ref, ns);
  }

  private namedPath(name: string | undefined, subresource?: string, objNamespace?: string): string {
    if (!name) throw new Error(`a name is required to address one of ${this.ref.resource}`);
    const ns = this.ns ?? objNamespace;
    if (this.ref.namespaced && !ns) throw new Error(`a namespace is required to address ${this.ref.resource} "${name}"`);
    return resourcePath(this.ref, ns, name, subresource);
  }

  private async send<R>(method: ApiRequest['method'], path: string, query = new URLSearchParams(), body?: unknown, headers?: Record<string, string>): Promise<R> {
    const res = await this.transport.send({ method, path, query, headers: headers ?? {}, body });
    return res.body as R;
  }

  /** The object with apiVersion and kind filled in when the caller left them out. */
  private typed(obj: T): T {
    if (obj.apiVersion && obj.kind) return obj;
    return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(this.ref), kind: obj.kind ?? this.ref.kind };
  }

  get(name: string): Promise<T> {
    return this.send<T>('GET', this.namedPath(name));
  }

  list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    return this.send<ObjectList<T>>('GET', resourcePath(this.ref, this.ns), setQuery(new URLSearchParams(), opts));
  }

  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    const ns = this.ns ?? obj.metadata?.namespace;
    if (this.ref.namespaced && !ns) throw new Error(`a namespace is required to create ${this.ref.resource}`);
    return this.send<T>('POST', resourcePath(this.ref, ns), writeQuery(opts), this.typed(obj), JSON_BODY);
  }

  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.send<T>('PUT', this.namedPath(obj.metadata?.name, undefined, obj.metadata?.namespace), writeQuery(opts), this.typed(obj), JSON_BODY);
  }

  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.send<T>('PUT', this.namedPath(obj.metadata?.name, 'status', obj.metadata?.namespace), writeQuery(opts), this.typed(obj), JSON_BODY);
  }

  patch(name: string, patch: unknown, type: PatchType, opts: PatchOptions = {}): Promise<T> {
    const q = writeQuery(opts);
    if (opts.force) q.set('force', 'true');
    return this.send<T>('PATCH', this.namedPath(name, opts.subresource), q, patch, { 'content-type': patchContentTypes[type] });
  }

  /** Resolves with what the server answers: the object (when finalizers keep it) or a Success Status. */
  delete(name: string, opts: DeleteOptions = {}): Promise<T | KubeObject> {
    return this.send<T | KubeObject>('DELETE', this.namedPath(name), undefined, deleteOptionsBody(opts), JSON_BODY);
  }

  deleteCollection(opts: ListOptions & DeleteOptions = {}): Promise<ObjectList<T> | KubeObject> {
    const { propagationPolicy, gracePeriodSeconds, preconditions, dryRun, ...listOpts } = opts;
    const body = deleteOptionsBody({ propagationPolicy, gracePeriodSeconds, preconditions, dryRun });
    return this.send('DELETE', resourcePath(this.ref, this.ns), setQuery(new URLSearchParams(), listOpts), body, JSON_BODY);
  }

  getSubresource<R = KubeObject>(name: string, subresource: string): Promise<R> {
    return this.send<R>('GET', this.namedPath(name, subresource));
  }

  /** POST to a subresource: binding, eviction … */
  createSubresource<R = KubeObject>(name: string, subresource: string, body: unknown, opts: WriteOptions = {}): Promise<R> {
    return this.send<R>('POST', this.namedPath(name, subresource), writeQuery(opts), body, JSON_BODY);
  }

  /** PUT to a subresource: scale, status of another shape … */
  updateSubresource<R = KubeObject>(name: string, subresource: string, body: unknown, opts: WriteOptions = {}): Promise<R> {
    return this.send<R>('PUT', this.namedPath(name, subresource), writeQuery(opts), body, JSON_BODY);
  }

  /**
   * Streams changes. `onEnd` is called once when the server ends the stream, or with the
   * error when the watch could not start or broke (a StatusError 410 when the version is too old).
   */
  watch(opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void, onEnd: (err?: Error) => void): Watch {
    const query = setQuery(new URLSearchParams({ watch: 'true' }), opts);
    let stopped = false;
    let stopSource: (() => void) | undefined;
    this.transport.send({ method: 'GET', path: resourcePath(this.ref, this.ns), query, headers: {} }).then(
      (res) => {
        const source = res.watch;
        if (!source) {
          if (!stopped) onEnd(new Error(`the server did not stream a watch for ${this.ref.resource}`));
          return;
        }
        if (stopped) {
          source.stop();
          return;
        }
        stopSource = () => source.stop();
        source.start(
          (e) => {
            if (!stopped) onEvent(e as WatchEvent<T>);
          },
          (err) => {
            if (stopped) return;
            stopped = true;
            onEnd(err);
          },
        );
      },
      (err: Error) => {
        if (stopped) return;
        stopped = true;
        onEnd(err);
      },
    );
    return {
      stop() {
        stopped = true;
        stopSource?.();
      },
    };
  }
}

export interface KubeconfigClientOptions extends HttpTransportOptions {
  context?: string;
}

export class Client {
  constructor(
    readonly transport: ClientTransport,
    /** The kubeconfig context's namespace, for callers that want kubectl's default. */
    readonly defaultNamespace = 'default',
  ) {}

  static fromKubeconfig(path: string = defaultKubeconfigPath(), opts: KubeconfigClientOptions = {}): Client {
    const config = loadKubeconfig(path, opts.context);
    return new Client(new HttpTransport(config, opts), config.namespace);
  }

  /** A client of the apiserver in this process; `user` is the identity its requests carry. */
  static local(api: LocalApi, opts: { user?: UserInfo } = {}): Client {
    return new Client(new LocalTransport(api, opts.user));
  }

  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, ref);
  }

  /** A raw call (discovery, /version, OpenAPI …): resolves with the decoded body. */
  async request<R = unknown>(req: RawRequest): Promise<R> {
    const query = req.query instanceof URLSearchParams ? req.query : new URLSearchParams(req.query ?? {});
    const headers = { ...(req.body !== undefined ? JSON_BODY : {}), ...req.headers };
    const res = await this.transport.send({ method: req.method, path: req.path, query, headers, body: req.body });
    return res.body as R;
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Runs `fn` again while it fails with a 409 Conflict, up to `attempts` times in all,
 * pausing about 10 ms between tries (client-go's retry.DefaultRetry).
 */
export async function retryOnConflict<R>(fn: () => Promise<R>, attempts = 5): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConflict(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 10 * (1 + Math.random() * 0.1)));
    }
  }
}
