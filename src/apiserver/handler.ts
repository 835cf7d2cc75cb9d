// The API handler: resolves a request to a resource and verb, decodes the body, runs the
// verb on the generic REST storage and encodes the answer in the representation asked for.
// HTTP (server.ts) and in-process clients both come through `handle`.
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { decodeProtobufBody, PROTOBUF_CONTENT_TYPE } from '../api/schema/protobuf.js';
import { selectorFromLabelSelector, selectorFromSet } from '../api/meta/labels.js';
import type { ApiRequest, ApiResponse, WatchEvent, WatchSource } from '../client/transport.js';
import type { KubeObject, ResourceRegistry, ServedResource } from '../api/registry.js';
import { groupVersionString } from '../api/registry.js';
import {
  badRequest,
  failure,
  internalError,
  methodNotSupported,
  notFoundPath,
  StatusError,
  unsupportedMediaType,
  type Status,
} from '../api/meta/status.js';
import { applyPatch, decodePatch, patchTypeFromContentType, unsupportedPatchMediaType, type PatchType } from '../api/patch/index.js';
import { duplicateFieldWarning, findDuplicateFields, prune, strictDecodingError, unknownFieldWarning, warningHeader } from '../api/schema/prune.js';
import { decodeTyped } from '../api/schema/validate.js';
import { negotiate, type Representation } from './negotiate.js';
import { buildFilter } from './filter.js';
import { ResourceStorage, type DeleteOptions, type RequestContext, type ServedWatchEvent } from './rest.js';
import { jsonPieces, servedJson, type CachedObject } from './watchcache.js';
import { defaultTable } from '../api/resources/table.js';
import * as discovery from './discovery.js';
import { deepCopy } from '../api/patch/json.js';

const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Serves a subresource other than status and scale (binding, eviction, log …). */
export type SubresourceHandler = (req: SubresourceRequest) => Promise<ApiResponse>;

export interface SubresourceRequest {
  req: ApiRequest;
  storage: ResourceStorage;
  namespace: string;
  name: string;
  body: KubeObject | undefined;
  ctx: RequestContext;
}

export interface RouteInfo {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: 'namespace' | 'cluster' | 'resource' | '';
}

interface ResourcePath {
  served: ServedResource;
  namespace: string;
  name: string;
  subresource: string;
}

type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return { status, body, headers };
}

export function statusResponse(err: StatusError): ApiResponse {
  return jsonResponse(err.status.code, err.status);
}

/** A boolean query parameter as upstream decodes it: present and not "false" or "0" is true. */
function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return v !== '0' && v.toLowerCase() !== 'false';
}

/** An integer query parameter; anything else is a 400 with Go's strconv message, as upstream answers. */
function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** What upstream's metrics call each verb: the HTTP method for writes, APPLY for server-side apply. */
function metricsVerb(verb: string, contentType: string | undefined): string {
  if (verb === 'create') return 'POST';
  if (verb === 'update') return 'PUT';
  if (verb === 'patch' && contentType?.startsWith('application/apply-patch')) return 'APPLY';
  return verb.toUpperCase();
}

/** YAML as upstream writes it (sigs.k8s.io/yaml): sorted keys, YAML 1.1 quoting of "yes", timestamps … */
function encodeYaml(value: unknown): Buffer {
  return Buffer.from(toYaml(value, { version: '1.1', sortMapEntries: true }));
}

export function methodNotAllowed(): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]] = value;
}

export class ApiHandler {
  /** By group, then plural: admission reads several per request, and nested maps need no key built. */
  private readonly storages = new Map<string, Map<string, ResourceStorage>>();
  private readonly subresources = new Map<string, { handler: SubresourceHandler; bodySchema?: string }>();
  /** Called after each request (metrics). */
  onRequestDone?: (info: RouteInfo, status: number, seconds: number) => void;
  /** Called before a request is routed: sets `req.user` for in-process requests, throws a 403 for one not allowed. */
  authorize?: (req: ApiRequest) => void;
  /** Extra non-resource paths (/openapi/…, /metrics …) served by the HTTP layer's owner. */
  readonly extraPaths = new Map<string, (req: ApiRequest) => Promise<ApiResponse>>();

  constructor(
    readonly registry: ResourceRegistry,
    private readonly serverAddress: () => string,
    private readonly version: object,
  ) {}

  addStorage(storage: ResourceStorage): void {
    const { group, plural } = storage.def;
    let byPlural = this.storages.get(group);
    if (!byPlural) this.storages.set(group, (byPlural = new Map()));
    byPlural.set(plural, storage);
  }

  removeStorage(group: string, plural: string): void {
    this.storages.get(group)?.delete(plural);
  }

  storage(group: string, plural: string): ResourceStorage | undefined {
    return this.storages.get(group)?.get(plural);
  }

  /** Serves `sub` of a resource; `sub` '' serves the create of a create-only kind (core/v1 bindings). */
  addSubresource(group: string, plural: string, sub: string, handler: SubresourceHandler, bodySchema?: string): void {
    this.subresources.set(`${group}/${plural}/${sub}`, { handler, bodySchema });
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    const started = process.hrtime.bigint();
    const info: RouteInfo = { verb: req.method, group: '', version: '', resource: '', subresource: '', scope: '' };
    let res: ApiResponse;
    try {
      this.authorize?.(req);
      res = await this.route(req, info);
    } catch (err) {
      res = statusResponse(err instanceof StatusError ? err : internalError(err instanceof Error ? err.message : String(err)));
      if (!(err instanceof StatusError)) console.error('k8ts: internal error serving', req.method, req.path, err);
    }
    this.onRequestDone?.(info, res.status, Number(process.hrtime.bigint() - started) / 1e9);
    return res;
  }

  private async route(req: ApiRequest, info: RouteInfo): Promise<ApiResponse> {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const extra = this.extraPaths.get(path) ?? this.prefixExtra(path);
    if (extra) return extra(req);
    const parts = path.split('/').filter(Boolean).map(decodeSegment);
    if (parts[0] === 'api') return this.routeGroup(req, info, '', parts.slice(1));
    if (parts[0] === 'apis') {
      if (parts.length === 1) return this.discoveryRoot(req, false);
      return this.routeGroup(req, info, parts[1], parts.slice(2));
    }
    if (path === '/version') return jsonResponse(200, this.version);
    if (path === '/') {
      return jsonResponse(200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
    }
    throw notFoundPath();
  }

  private prefixExtra(path: string): ((req: ApiRequest) => Promise<ApiResponse>) | undefined {
    for (const [p, h] of this.extraPaths) if (p.endsWith('/') && path.startsWith(p)) return h;
    return undefined;
  }

  private discoveryRoot(req: ApiRequest, core: boolean): ApiResponse {
    const rep = negotiate(req.headers.accept, { allowTable: false, allowDiscovery: true });
    if (rep.kind === 'discovery') {
      return jsonResponse(200, discovery.aggregatedDiscovery(this.registry, core, rep.version), {
        'content-type': `application/json;g=apidiscovery.k8s.io;v=${rep.version};as=APIGroupDiscoveryList`,
      });
    }
    return jsonResponse(200, core ? discovery.apiVersions(this.serverAddress()) : discovery.apiGroupList(this.registry));
  }

  private async routeGroup(req: ApiRequest, info: RouteInfo, group: string, rest: string[]): Promise<ApiResponse> {
    if (group === '' && rest.length === 0) return this.discoveryRoot(req, true);
    if (group && rest.length === 0) {
      const doc = discovery.apiGroupDocument(this.registry, group);
      if (!doc) throw notFoundPath();
      return jsonResponse(200, doc);
    }
    const version = rest[0];
    info.group = group;
    info.version = version;
    if (rest.length === 1) {
      const doc = discovery.apiResourceList(this.registry, { group, version });
      if (!doc) throw notFoundPath();
      return jsonResponse(200, doc);
    }
    let segs = rest.slice(1);
    let legacyWatch = false;
    if (segs[0] === 'watch') {
      legacyWatch = true;
      segs = segs.slice(1);
    }
    const target = this.resolve(group, version, segs);
    info.resource = target.served.def.plural;
    info.subresource = target.subresource;
    info.scope = target.name ? 'resource' : target.namespace ? 'namespace' : 'cluster';
    return this.serve(req, info, target, legacyWatch);
  }

  /** `[namespaces, ns,] resource [, name [, subresource]]` → what it names. */
  private resolve(group: string, version: string, segs: string[]): ResourcePath {
    let namespace = '';
    if (segs[0] === 'namespaces' && segs.length >= 3) {
      const nsServed = this.registry.lookup(group, version, 'namespaces');
      // `/api/v1/namespaces/{name}/{status|finalize}` names the namespace itself.
      const nsSub = group === '' && nsServed && segs.length === 3 && ['status', 'finalize'].includes(segs[2]);
      if (!nsSub) {
        namespace = segs[1];
        segs = segs.slice(2);
      }
    }
    const [resource, name = '', subresource = '', ...extra] = segs;
    const served = this.registry.lookup(group, version, resource);
    if (!served || extra.length) throw notFoundPath();
    if (namespace && !served.def.namespaced) throw notFoundPath();
    if (subresource && !this.hasSubresource(served, subresource)) throw notFoundPath();
    return { served, namespace, name, subresource };
  }

  private hasSubresource(served: ServedResource, sub: string): boolean {
    const s = served.def.subresources;
    if (sub === 'status') return !!s?.status;
    if (sub === 'scale') return !!s?.scale;
    if (served.def.group === '' && served.def.plural === 'namespaces' && sub === 'finalize') return true;
    return !!s?.others?.includes(sub);
  }

  private storageFor(served: ServedResource): ResourceStorage {
    const s = this.storage(served.def.group, served.def.plural);
    if (!s) throw internalError(`no storage for ${served.def.plural}`);
    return s;
  }

  private context(req: ApiRequest, served?: ServedResource): RequestContext {
    const dryRun = req.query.getAll('dryRun');
    for (const d of dryRun) if (d !== 'All') throw badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
    return { user: req.user, dryRun: dryRun.length > 0, warnings: [], validateAlso: served?.alternate?.validate, schemaName: served?.schemaName };
  }

  private async serve(req: ApiRequest, info: RouteInfo, target: ResourcePath, legacyWatch: boolean): Promise<ApiResponse> {
    const { served, namespace, name, subresource } = target;
    const def = served.def;
    const storage = this.storageFor(served);
    const q = req.query;
    const verbs = def.verbs ?? discovery.DEFAULT_VERBS;
    const m = req.method;
    const verb =
      m === 'GET'
        ? name
          ? legacyWatch
            ? 'watch'
            : 'get'
          : queryBool(q, 'watch') || legacyWatch
            ? 'watch'
            : 'list'
        : m === 'POST'
          ? 'create'
          : m === 'PUT'
            ? 'update'
            : m === 'PATCH'
              ? 'patch'
              : name
                ? 'delete'
                : 'deletecollection';
    info.verb = metricsVerb(verb, req.headers['content-type']);
    const custom = subresource !== 'status' && subresource !== 'scale' ? this.subresources.get(`${def.group}/${def.plural}/${subresource}`) : undefined;
    if (custom && (subresource || verb === 'create')) {
      const ctx = this.context(req, served);
      const body = m === 'POST' || m === 'PUT' ? (this.decodeBody(req, custom.bodySchema) as KubeObject) : undefined;
      if (body && custom.bodySchema) {
        // Typed as upstream decodes it into its Go struct (`io.k8s.api.core.v1.Binding` → Binding, v1).
        const [version, kind] = custom.bodySchema.split('.').slice(-2);
        decodeTyped(body, custom.bodySchema, this.registry.definitions, kind, version);
      }
      return custom.handler({ req, storage, namespace, name, body, ctx });
    }
    if (subresource && subresource !== 'status' && subresource !== 'scale') throw methodNotSupported(storage.qualified, verb);
    if (!subresource && !verbs.includes(verb)) throw methodNotSupported(storage.qualified, verb);
    // No route takes these method and path shapes upstream: go-restful answers 405 for them.
    if ((m === 'POST' && name) || ((m === 'PUT' || m === 'PATCH') && !name)) throw methodNotAllowed();
    if (def.namespaced && !namespace && name) throw notFoundPath();
    if (def.namespaced && !namespace && (verb === 'create' || verb === 'deletecollection')) throw notFoundPath();

    switch (verb) {
      case 'get': {
        if (subresource === 'scale') return this.getScale(req, storage, served, namespace, name);
        const obj = await storage.get(namespace, name, q.get('resourceVersion') ?? undefined);
        return this.encodeObject(req, served, obj);
      }
      case 'list': {
        const filter = buildFilter(def, q.get('labelSelector'), q.get('fieldSelector'), served.alternate?.fieldLabels);
        const result = await storage.list(namespace, {
          filter,
          limit: queryInt(q, 'limit'),
          continue: q.get('continue') ?? undefined,
          resourceVersion: q.get('resourceVersion') ?? undefined,
          resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
        });
        return this.encodeList(req, served, result.items, {
          resourceVersion: result.resourceVersion,
          ...(result.continue ? { continue: result.continue } : {}),
          ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
        });
      }
      case 'watch': {
        const fieldSelector = name ? `metadata.name=${name}` : q.get('fieldSelector');
        const filter = buildFilter(def, q.get('labelSelector'), fieldSelector, served.alternate?.fieldLabels);
        const source = storage.watch(namespace, {
          filter,
          resourceVersion: q.get('resourceVersion') ?? undefined,
          resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
          allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks') ?? false,
          sendInitialEvents: queryBool(q, 'sendInitialEvents'),
          timeoutSeconds: queryInt(q, 'timeoutSeconds'),
        });
        return this.encodeWatch(req, served, source);
      }
      case 'create': {
        const ctx = this.context(req, served);
        const obj = this.decodeObject(req, served, ctx);
        const created = await storage.create(namespace, obj, ctx);
        return this.encodeWritten(req, served, created, 201, ctx);
      }
      case 'update': {
        const ctx = this.context(req, served);
        if (subresource === 'scale') return this.updateScale(req, storage, served, namespace, name, ctx, () => this.decodeBody(req, SCALE) as KubeObject);
        const obj = this.decodeObject(req, served, ctx);
        if (obj.metadata?.name && obj.metadata.name !== name) {
          throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
        }
        if (def.namespaced && obj.metadata?.namespace && obj.metadata.namespace !== namespace) {
          throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        const allowCreate = !!def.allowCreateOnUpdate;
        const result = await storage.update(namespace, name, () => obj, ctx, { subresource, allowCreate });
        return this.encodeWritten(req, served, result.object, result.created ? 201 : 200, ctx);
      }
      case 'patch': {
        const ctx = this.context(req, served);
        const patchType = patchTypeFromContentType(req.headers['content-type'] ?? '');
        if (!patchType) throw unsupportedPatchMediaType(def.customResource);
        const rawPatch = req.rawBody ?? Buffer.alloc(0);
        if (req.body === undefined) checkNesting(rawPatch);
        const patch = req.body !== undefined ? req.body : decodePatch(patchType, rawPatch);
        if (req.body === undefined && patchType !== 'json' && this.fieldValidation(req) === 'Strict') {
          // Strict decoding refuses duplicate fields in a patch as in an object.
          const duplicates = findDuplicateFields(rawPatch.toString('utf8'));
          if (duplicates.length) throw badRequest(strictDecodingError([], duplicates));
        }
        if (subresource === 'scale') {
          return this.updateScale(req, storage, served, namespace, name, ctx, (scale) => applyPatch(patchType, scale, patch) as KubeObject);
        }
        // Custom resources have no patch strategies: upstream refuses strategic merge patches for them.
        if (patchType === 'strategic' && def.customResource) throw unsupportedPatchMediaType(true);
        const validation = this.fieldValidation(req);
        const result = await storage.update(
          namespace,
          name,
          (current) => {
            const external = served.fromStored(current);
            const patched = applyPatch(patchType, external, patch, { definitions: this.registry.definitions, root: served.schemaName }) as KubeObject;
            return this.prepareDecoded(patched, served, ctx, validation, [], false);
          },
          ctx,
          { subresource },
        );
        return this.encodeWritten(req, served, result.object, 200, ctx);
      }
      case 'delete': {
        // DeleteOptions first: a dryRun in the body is part of the request context.
        const opts = this.deleteOptions(req);
        const ctx = this.context(req, served);
        const result = await storage.delete(namespace, name, opts, ctx);
        if (result.deleted && !def.returnDeletedObject) {
          const details: Status['details'] = { name, kind: def.plural, uid: result.object.metadata?.uid };
          if (def.group) details!.group = def.group;
          return jsonResponse(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
        }
        // Upstream answers 202 for an object left in place only when cascading was asked for this way.
        const status = !result.deleted && opts.orphanDependents === false ? 202 : 200;
        return this.encodeWritten(req, served, result.object, status, ctx);
      }
      case 'deletecollection': {
        const opts = this.deleteOptions(req);
        const ctx = this.context(req, served);
        const filter = buildFilter(def, q.get('labelSelector'), q.get('fieldSelector'), served.alternate?.fieldLabels);
        const deleted = await storage.deleteCollection(namespace, { filter }, opts, ctx);
        const list = { kind: `${served.kind}List`, apiVersion: groupVersionString({ group: served.group, version: served.version }), metadata: {}, items: deleted.map((o) => served.fromStored(o)) };
        return jsonResponse(200, list);
      }
    }
    throw methodNotSupported(storage.qualified, verb);
  }

  // ---- decoding ----

  /**
   * The request body as a JSON value: in-process bodies are used as they are, HTTP bodies parsed.
   * Protobuf (what client-go's typed clients send) is decoded with `protobufRoot`, the body's schema.
   */
  decodeBody(req: ApiRequest, protobufRoot?: string): unknown {
    return this.decodeBodyText(req, protobufRoot).body;
  }

  /** The decoded body, and the text it was parsed from when that was JSON (for duplicate fields). */
  private decodeBodyText(req: ApiRequest, protobufRoot?: string): { body: unknown; json?: string } {
    if (req.body !== undefined) return { body: req.body };
    if (!req.rawBody || req.rawBody.length === 0) throw badRequest('the body of the request was empty');
    const ct = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
    if (ct === PROTOBUF_CONTENT_TYPE) {
      if (!protobufRoot) throw unsupportedMediaType();
      return { body: decodeProtobufBody(req.rawBody, this.registry.definitions, protobufRoot) };
    }
    const text = req.rawBody.toString('utf8');
    if (ct === 'application/yaml' || ct === 'application/apply-patch+yaml') {
      try {
        return { body: parseYaml(text, { uniqueKeys: false }) };
      } catch (err) {
        throw badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    if (ct !== 'application/json' && ct !== '*/*' && !ct.endsWith('+json')) throw unsupportedMediaType();
    try {
      checkNesting(req.rawBody);
      return { body: JSON.parse(text), json: text };
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  }

  private fieldValidation(req: ApiRequest): FieldValidation {
    const v = req.query.get('fieldValidation');
    if (!v) return 'Warn';
    if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
    throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
  }

  /** A create or update body: decoded, checked against the kind, unknown fields handled, converted, defaulted. */
  private decodeObject(req: ApiRequest, served: ServedResource, ctx: RequestContext): KubeObject {
    const { body, json } = this.decodeBodyText(req, served.schemaName);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest(`Object 'Kind' is missing in '${req.rawBody?.toString('utf8').slice(0, 100) ?? JSON.stringify(body)}'`);
    }
    const obj = (req.body !== undefined ? deepCopy(body) : body) as KubeObject;
    const def = served.def;
    const expectedGV = groupVersionString({ group: served.group, version: served.version });
    if (obj.apiVersion !== undefined && obj.apiVersion !== expectedGV) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectedGV})`);
    }
    if (obj.kind !== undefined && obj.kind !== served.kind) {
      throw badRequest(`${obj.kind} in version "${served.version}" cannot be handled as a ${served.kind}: the kind in the data does not match the expected kind`);
    }
    const mode = this.fieldValidation(req);
    const duplicates = json !== undefined && mode !== 'Ignore' && req.headers['content-type']?.includes('json') ? findDuplicateFields(json) : [];
    return this.prepareDecoded(obj, served, ctx, mode, duplicates);
  }

  /** `asDecodeError`: a body that failed to decode (create, update) rather than a patch result, which upstream reports bare. */
  private prepareDecoded(obj: KubeObject, served: ServedResource, ctx: RequestContext, mode: FieldValidation, duplicates: string[] = [], asDecodeError = true): KubeObject {
    const defs = this.registry.definitions;
    const unknown = prune(obj, served.schemaName, defs);
    if (mode === 'Strict' && (unknown.length || duplicates.length)) {
      throw badRequest(asDecodeError ? strictDecodingError(unknown, duplicates, served.kind, served.version) : strictDecodingError(unknown, duplicates));
    }
    if (mode === 'Warn') {
      for (const u of unknown) ctx.warnings.push(unknownFieldWarning(u));
      for (const d of duplicates) ctx.warnings.push(duplicateFieldWarning(d));
    }
    // Custom resources decode as unstructured JSON: their schema validation reports wrong types.
    if (!served.def.customResource) decodeTyped(obj, served.schemaName, defs, served.def.kind, served.version);
    const stored = served.toStored(obj);
    this.storageFor(served).applyDefaults(stored, served);
    return stored;
  }

  /** Scales read and write `spec.replicas` through autoscaling/v1 Scale. */
  private toScale(served: ServedResource, obj: Readonly<KubeObject>): KubeObject {
    const scale = served.def.subresources!.scale!;
    const selector = scale.labelSelectorPath ? getPath(obj, scale.labelSelectorPath) : undefined;
    const status: Record<string, unknown> = { replicas: getPath(obj, scale.statusReplicasPath) ?? 0 };
    const selectorString = scaleSelector(selector);
    if (selectorString) status.selector = selectorString;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: getPath(obj, scale.specReplicasPath) ?? 0 },
      status,
    };
  }

  private async getScale(req: ApiRequest, storage: ResourceStorage, served: ServedResource, namespace: string, name: string): Promise<ApiResponse> {
    const obj = await storage.get(namespace, name, req.query.get('resourceVersion') ?? undefined);
    return jsonResponse(200, this.toScale(served, obj.object));
  }

  private async updateScale(
    req: ApiRequest,
    storage: ResourceStorage,
    served: ServedResource,
    namespace: string,
    name: string,
    ctx: RequestContext,
    wantedScale: (current: KubeObject) => KubeObject,
  ): Promise<ApiResponse> {
    const path = served.def.subresources!.scale!.specReplicasPath;
    const result = await storage.update(
      namespace,
      name,
      (current) => {
        const scale = wantedScale(this.toScale(served, current));
        const replicas = scale?.spec?.replicas;
        if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
          throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
        }
        if (typeof replicas === 'number' && replicas < 0) {
          throw failure(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, {
            name,
            group: 'autoscaling',
            kind: 'Scale',
            causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' }],
          });
        }
        setPath(current, path, replicas ?? 0);
        if (scale?.metadata?.resourceVersion) current.metadata.resourceVersion = scale.metadata.resourceVersion;
        return current;
      },
      ctx,
    );
    return jsonResponse(200, this.toScale(served, result.object));
  }

  private deleteOptions(req: ApiRequest): DeleteOptions {
    const q = req.query;
    let body: Record<string, unknown> = {};
    if (req.body !== undefined || (req.rawBody && req.rawBody.length)) {
      const decoded = this.decodeBody(req, DELETE_OPTIONS);
      if (decoded && typeof decoded === 'object') body = decoded as Record<string, unknown>;
    }
    const opts: DeleteOptions = {};
    const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
    if (grace !== undefined && grace !== null) {
      const n = Number(grace);
      if (!Number.isInteger(n)) throw badRequest(`invalid gracePeriodSeconds: ${String(grace)}`);
      opts.gracePeriodSeconds = n;
    }
    const policy = (q.get('propagationPolicy') ?? body.propagationPolicy) as string | undefined;
    if (policy) {
      if (!['Orphan', 'Background', 'Foreground'].includes(policy)) {
        throw failure(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
      }
      opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
    }
    const orphan = q.get('orphanDependents') ?? body.orphanDependents;
    if (orphan !== undefined && orphan !== null) opts.orphanDependents = orphan === true || orphan === 'true';
    if (body.preconditions && typeof body.preconditions === 'object') opts.preconditions = body.preconditions as DeleteOptions['preconditions'];
    if (Array.isArray(body.dryRun) && !req.query.has('dryRun')) for (const d of body.dryRun) req.query.append('dryRun', String(d));
    return opts;
  }

  // ---- encoding ----

  private representation(req: ApiRequest): Representation {
    return negotiate(req.headers.accept, { allowTable: true });
  }

  private warningHeaders(ctx: RequestContext): Record<string, string> | undefined {
    if (!ctx.warnings.length) return undefined;
    return { warning: ctx.warnings.map(warningHeader).join(', ') };
  }

  private encodeWritten(req: ApiRequest, served: ServedResource, obj: KubeObject, status: number, ctx: RequestContext): ApiResponse {
    const written = ctx.written?.object === obj ? ctx.written : undefined;
    // Over HTTP, the JSON of what was just stored with its resourceVersion, instead of encoding the object again.
    const reuse = written && served.fromStored(obj) === obj && this.representation(req).kind === 'json';
    const res: ApiResponse = reuse ? { status, body: obj, encode: () => [servedJson(written.encoding, written.revision)] } : this.encodeObject(req, served, obj);
    res.status = status;
    const w = this.warningHeaders(ctx);
    if (w) res.headers = { ...res.headers, ...w };
    return res;
  }

  private encodeObject(req: ApiRequest, served: ServedResource, item: CachedObject | KubeObject): ApiResponse {
    const cached = 'json' in item && typeof item.json === 'function' ? (item as CachedObject) : undefined;
    const obj = cached ? cached.object : (item as KubeObject);
    const rep = this.representation(req);
    switch (rep.kind) {
      case 'table':
        return jsonResponse(200, this.table(req, served, [obj], { resourceVersion: obj.metadata?.resourceVersion }));
      case 'partial':
        return jsonResponse(200, { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}`, metadata: obj.metadata });
      case 'yaml':
        return { status: 200, encoded: encodeYaml(served.fromStored(obj)), headers: { 'content-type': 'application/yaml' } };
      default: {
        const external = served.fromStored(obj);
        if (cached && external === obj) return { status: 200, body: obj, encode: () => [cached.json()] };
        return jsonResponse(200, external);
      }
    }
  }

  private encodeList(req: ApiRequest, served: ServedResource, items: CachedObject[], listMeta: Record<string, unknown>): ApiResponse {
    const rep = this.representation(req);
    const def = served.def;
    const apiVersion = groupVersionString({ group: served.group, version: served.version });
    const kind = served.version === def.version && served.group === def.group ? (def.listKind ?? `${def.kind}List`) : `${served.kind}List`;
    switch (rep.kind) {
      case 'table':
        return jsonResponse(200, this.table(req, served, items.map((i) => i.object), listMeta));
      case 'partial':
        return jsonResponse(200, {
          kind: 'PartialObjectMetadataList',
          apiVersion: `meta.k8s.io/${rep.version}`,
          metadata: listMeta,
          items: items.map((i) => ({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}`, metadata: i.object.metadata })),
        });
      case 'yaml':
        return {
          status: 200,
          encoded: encodeYaml({ kind, apiVersion, metadata: listMeta, items: items.map((i) => served.fromStored(i.object)) }),
          headers: { 'content-type': 'application/yaml' },
        };
      default: {
        const converted = items.map((i) => served.fromStored(i.object));
        const body = { kind, apiVersion, metadata: listMeta, items: converted };
        if (!converted.every((c, i) => c === items[i].object)) return jsonResponse(200, body);
        // The same bytes every list and watcher shares, joined instead of re-encoded (and only for HTTP),
        // made as they are written.
        function* encode() {
          yield Buffer.from(`{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[`);
          yield* jsonPieces(items);
          yield CLOSE_LIST;
        }
        return { status: 200, body, encode };
      }
    }
  }

  /** A meta.k8s.io Table with the kind's columns; rows carry the object's metadata or the object. */
  private table(req: ApiRequest, served: ServedResource, objs: Readonly<KubeObject>[], listMeta: Record<string, unknown>, withColumns = true): object {
    const def = served.def;
    const t = def.table ?? defaultTable;
    const now = Date.now();
    const include = req.query.get('includeObject') ?? 'Metadata';
    const rows = objs.map((o) => {
      const row: Record<string, unknown> = { cells: t.cells(o as KubeObject, now) };
      if (include === 'Object') row.object = served.fromStored(o as KubeObject);
      else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      return row;
    });
    const columnDefinitions = withColumns
      ? t.columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 }))
      : [];
    return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions, rows };
  }

  private encodeWatch(req: ApiRequest, served: ServedResource, source: WatchSource): ApiResponse {
    const rep = this.representation(req);
    if (rep.kind === 'json' && served.version === served.def.version && served.group === served.def.group) {
      return { status: 200, watch: source };
    }
    let first = true;
    const convert = (e: ServedWatchEvent): WatchEvent => {
      if (e.type === 'ERROR' || e.type === 'BOOKMARK') return e;
      switch (rep.kind) {
        case 'table': {
          const t = this.table(req, served, [e.object], { resourceVersion: e.object.metadata?.resourceVersion }, first);
          first = false;
          return { type: e.type, object: t as KubeObject };
        }
        case 'partial':
          return { type: e.type, object: { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}`, metadata: e.object.metadata } };
        default: {
          const external = served.fromStored(e.object);
          return external === e.object ? e : { type: e.type, object: external };
        }
      }
    };
    const wrapped: WatchSource = {
      start: (onEvent, onEnd) => source.start((e) => onEvent(convert(e)), onEnd),
      stop: () => source.stop(),
    };
    return { status: 200, watch: wrapped };
  }
}

/** Scale.status.selector: a string as it is, a LabelSelector or a label map in selector syntax. */
function scaleSelector(selector: unknown): string | undefined {
  if (typeof selector === 'string') return selector || undefined;
  if (!selector || typeof selector !== 'object') return undefined;
  const ls = selector as Record<string, unknown>;
  const isLabelSelector = 'matchLabels' in ls || 'matchExpressions' in ls;
  const sel = isLabelSelector ? selectorFromLabelSelector(ls as LabelSelector) : selectorFromSet(ls as Record<string, string>);
  return sel.toString() || undefined;
}

/** As Go's JSON decoder, which kube-apiserver uses: nesting deeper than 10,000 levels is refused. */
const MAX_JSON_DEPTH = 10_000;

function checkNesting(json: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw badRequest('json: exceeded max depth');
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

function decodeSegment(seg: string): string {
  if (!seg.includes('%')) return seg;
  try {
    return decodeURIComponent(seg);
  } catch {
    throw badRequest(`invalid path segment: ${seg}`);
  }
}

const CLOSE_LIST = Buffer.from(']}');
