// The apiserver as a whole: registry + Store + watch caches + REST storage + admission,
// served in-process (LocalApi) and over HTTP, with health, version, metrics and OpenAPI.
import type { ApiRequest, ApiResponse, LocalApi } from '../client/transport.js';
import { ResourceRegistry, type ResourceDefinition } from '../api/registry.js';
import { isStatusError, notFoundPath } from '../api/meta/status.js';
import { metaDefinitions } from '../api/schema/meta-definitions.js';
import type { Store } from '../storage/store.js';
import { AdmissionChain, type AdmissionPlugin } from './admission/types.js';
import { ApiHandler, type SubresourceHandler } from './handler.js';
import { ApiMetrics } from './metrics.js';
import { HttpServer, type TlsOptions } from './server.js';
import { ResourceStorage } from './rest.js';
import { CacheDispatcher } from './watchcache.js';
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPTS, openapiV2Document, openapiV2Protobuf, openapiV3DiscoveryDocument, openapiV3Document, type SerializedDocument } from './openapi/index.js';
import { negotiateOffer } from './negotiate.js';
import { CustomResourceController } from './customresources.js';
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../api/auth/user.js';
import type { ServiceAccountTokenVerifier } from '../api/auth/token.js';
import { RBAC_GROUP } from '../api/resources/rbac/role.js';
import { serviceAccountTokenVerifier } from './subresources/serviceaccounttoken.js';
import { authenticateRequest, loopbackUser, type TokenAuthenticator } from './authn/authenticator.js';
import { impersonate, wantsImpersonation } from './authn/impersonation.js';
import { selfSubjectReviewHandler } from './authn/selfsubjectreview.js';
import { tokenReviewHandler } from './authn/tokenreview.js';
import { alwaysAllow, authorizeRequest, rbacAuthorization, type Authorizer } from './authz/authorizer.js';
import { rbacEscalationCheck } from './authz/escalation.js';
import { cachedRbacObjects, RbacAuthorizer } from './authz/rbac.js';
import { localSubjectAccessReviewHandler, selfSubjectAccessReviewHandler, subjectAccessReviewHandler } from './authz/subjectaccessreview.js';
import { selfSubjectRulesReviewHandler } from './authz/selfsubjectrulesreview.js';

export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-k8ts' };

export interface ApiServerOptions {
  store: Store;
  resources: ResourceDefinition[];
  admission?: AdmissionPlugin[];
  /** Admission plugins to leave out, by upstream name (`--disable-admission-plugins`). */
  disabledAdmission?: string[];
  /** Subresource handlers (`sub` '' serves the create of a create-only kind); `bodySchema` decodes protobuf bodies. */
  subresources?: { group: string; plural: string; sub: string; handler: SubresourceHandler; bodySchema?: string }[];
  /**
   * `--authorization-mode`: RBAC (members of system:masters and the in-process clients allowed
   * everything, everyone else what their roles grant; the RBAC kinds must be served), or
   * AlwaysAllow (the default, as the generic API server's).
   */
  authorizationMode?: 'RBAC' | 'AlwaysAllow';
  /** The service account token verification key (sa.pub), read at the first token; without it bearer tokens are refused. */
  serviceAccountKey?: () => { publicKeyPem: string };
}

/**
 * Resources served from the store without a watch cache, as kube-apiserver's default watch cache
 * sizes leave events out: many, short-lived, seldom listed, they would hold much of the memory.
 */
const WITHOUT_WATCH_CACHE = new Set(['/registry/events/']);

const hasWatchCache = (def: ResourceDefinition) => !WITHOUT_WATCH_CACHE.has(ResourceStorage.prefixFor(def));

const COMPACTION_INTERVAL_MS = 5 * 60_000;
/** Revisions kept behind the newest at each compaction, so recent watches can resume. */
const COMPACTION_RETAIN = 10_000;

export class ApiServer implements LocalApi {
  readonly registry: ResourceRegistry;
  readonly handler: ApiHandler;
  readonly metrics = new ApiMetrics();
  private readonly dispatcher: CacheDispatcher;
  private http?: HttpServer;
  private address = '127.0.0.1:0';
  private compactionTimer?: NodeJS.Timeout;
  private readonly admission: AdmissionChain;
  private readonly customResources = new CustomResourceController(this);
  /** Decides every request; RBAC reads the watch caches, so it is set once they are loaded. */
  private authorizer: Authorizer = alwaysAllow;
  /** The identity of in-process requests. */
  private readonly loopback = loopbackUser();
  private tokenVerifier?: ServiceAccountTokenVerifier;

  private constructor(readonly store: Store, private readonly opts: ApiServerOptions) {
    this.registry = new ResourceRegistry(metaDefinitions);
    this.dispatcher = new CacheDispatcher(store);
    const disabled = new Set(opts.disabledAdmission ?? []);
    const plugins = (opts.admission ?? []).filter((p) => !disabled.has(p.name));
    // Not an admission plugin upstream (the RBAC storage checks it): it cannot be switched off.
    if (opts.authorizationMode === 'RBAC') plugins.push(rbacEscalationCheck(() => this.authorizer));
    this.admission = new AdmissionChain(plugins);
    this.handler = new ApiHandler(this.registry, () => this.address, {
      ...KUBERNETES_VERSION,
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2026-11-22T00:00:00Z',
      goVersion: `node${process.versions.node}`,
      compiler: 'tsc',
      platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    });
    this.handler.onRequestDone = (info, code, seconds) => this.metrics.observe(info, code, seconds);
    this.handler.authorize = (req) => authorizeRequest(this.authorizer, req, (req.user ??= this.loopback));
    this.serveNonResourcePaths();
  }

  static async start(opts: ApiServerOptions): Promise<ApiServer> {
    const server = new ApiServer(opts.store, opts);
    for (const def of opts.resources) server.registry.add(def);
    await server.dispatcher.start(opts.resources.filter(hasWatchCache).map((d) => ResourceStorage.prefixFor(d)));
    for (const def of opts.resources) server.addStorageFor(def);
    for (const s of opts.subresources ?? []) server.handler.addSubresource(s.group, s.plural, s.sub, s.handler, s.bodySchema);
    if (server.registry.get('apiextensions.k8s.io', 'customresourcedefinitions')) await server.customResources.start();
    if (opts.authorizationMode === 'RBAC') {
      server.authorizer = rbacAuthorization(new RbacAuthorizer(cachedRbacObjects((plural) => server.requireStorage(RBAC_GROUP, plural).cache)));
    }
    server.serveReviews();
    server.compactionTimer = setInterval(() => void server.compact(), COMPACTION_INTERVAL_MS);
    server.compactionTimer.unref();
    return server;
  }

  private addStorageFor(def: ResourceDefinition): ResourceStorage {
    const cache = this.dispatcher.cache(ResourceStorage.prefixFor(def));
    if (!cache && hasWatchCache(def)) throw new Error(`no watch cache for ${def.plural}`);
    const storage = new ResourceStorage(def, this.store, cache, this.dispatcher, this.registry, this.admission, this.lookup, this.lookupConsistent);
    this.handler.addStorage(storage);
    return storage;
  }

  /** Serves a resource added at run time (a CRD). */
  async addResource(def: ResourceDefinition): Promise<void> {
    await this.dispatcher.addPrefix(ResourceStorage.prefixFor(def));
    this.addStorageFor(def);
    this.registry.add(def);
  }

  removeResource(group: string, plural: string): void {
    const def = this.registry.get(group, plural);
    if (!def) return;
    this.registry.remove(group, plural);
    this.handler.removeStorage(group, plural);
    this.dispatcher.removePrefix(ResourceStorage.prefixFor(def));
  }

  /** Reads an object from the watch caches, for admission plugins. */
  private readonly lookup = (group: string, plural: string, namespace: string, name: string) => {
    const s = this.handler.storage(group, plural);
    return s?.cache.objects.get(s.key(namespace, name))?.object;
  };

  /** The same, after the caches have caught up with the store (a consistent read). */
  private readonly lookupConsistent = async (group: string, plural: string, namespace: string, name: string) => {
    const s = this.handler.storage(group, plural);
    if (!s) return undefined;
    try {
      return (await s.get(namespace, name)).object;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }
  };

  storage(group: string, plural: string): ResourceStorage | undefined {
    return this.handler.storage(group, plural);
  }

  private requireStorage(group: string, plural: string): ResourceStorage {
    const s = this.storage(group, plural);
    if (!s) throw new Error(`authorization mode RBAC needs ${plural}.${group} served`);
    return s;
  }

  /** Service account tokens, verified against the objects in the watch caches. */
  private readonly tokens: TokenAuthenticator = (token, audiences) => {
    const key = this.opts.serviceAccountKey?.();
    if (!key) return Promise.resolve(undefined);
    this.tokenVerifier ??= serviceAccountTokenVerifier((g, p) => this.storage(g, p), key.publicKeyPem);
    return this.tokenVerifier.authenticate(token, audiences);
  };

  /** The create-only review kinds among the served resources, answered by authentication and authorization. */
  private serveReviews(): void {
    const handlers: Record<string, SubresourceHandler> = {
      'authentication.k8s.io/selfsubjectreviews': selfSubjectReviewHandler,
      'authentication.k8s.io/tokenreviews': tokenReviewHandler(this.tokens),
      'authorization.k8s.io/subjectaccessreviews': subjectAccessReviewHandler(this.authorizer),
      'authorization.k8s.io/localsubjectaccessreviews': localSubjectAccessReviewHandler(this.authorizer),
      'authorization.k8s.io/selfsubjectaccessreviews': selfSubjectAccessReviewHandler(this.authorizer),
      'authorization.k8s.io/selfsubjectrulesreviews': selfSubjectRulesReviewHandler(this.authorizer),
    };
    for (const [key, handler] of Object.entries(handlers)) {
      const [group, plural] = key.split('/');
      const def = this.registry.get(group, plural);
      if (def) this.handler.addSubresource(group, plural, '', handler, def.schemaName);
    }
  }

  /** The user an HTTP request comes from: its credentials, then any impersonation they are allowed. */
  private async authenticate(req: IncomingMessage): Promise<UserInfo> {
    const user = await authenticateRequest(req, this.tokens);
    return wantsImpersonation(req.headers) ? impersonate(this.authorizer, user, req.headersDistinct) : user;
  }

  handle(req: ApiRequest): Promise<ApiResponse> {
    return this.handler.handle(req);
  }

  async listen(port: number, host = '127.0.0.1', tls?: TlsOptions): Promise<number> {
    this.http = new HttpServer(this.handler, (req) => this.authenticate(req));
    const bound = await this.http.listen(port, host, tls);
    this.address = `${host}:${bound}`;
    return bound;
  }

  private async compact(): Promise<void> {
    const rev = await this.store.currentRevision();
    const target = rev - COMPACTION_RETAIN;
    if (target > (await this.store.compactedRevision())) await this.store.compact(target);
  }

  private serveNonResourcePaths(): void {
    const text = (status: number, body: string, type = 'text/plain; charset=utf-8'): ApiResponse => ({
      status,
      encoded: Buffer.from(body),
      headers: { 'content-type': type, 'x-content-type-options': 'nosniff' },
    });
    const health = (name: string) => async (req: ApiRequest) => {
      const checks = ['ping', 'log', 'etcd', 'poststarthook/start-apiextensions-controllers', 'poststarthook/bootstrap-controller'];
      if (req.query.has('verbose')) return text(200, `${checks.map((c) => `[+]${c} ok`).join('\n')}\n${name} check passed\n`);
      return text(200, 'ok');
    };
    for (const name of ['healthz', 'livez', 'readyz']) this.handler.extraPaths.set(`/${name}`, health(name));
    this.handler.extraPaths.set('/metrics', async () => text(200, await this.metrics.text(), this.metrics.registry.contentType));
    const document = (doc: SerializedDocument): ApiResponse => ({
      status: 200,
      encoded: Buffer.from(doc.json),
      headers: { etag: `"${doc.hash}"`, 'content-type': 'application/json' },
    });
    this.handler.extraPaths.set('/openapi/v2', async (req) => {
      const doc = openapiV2Document(this.registry);
      const vary = { vary: 'Accept' };
      if (negotiateOffer(req.headers.accept, ['application/json', ...OPENAPI_V2_PROTOBUF_ACCEPTS]) === 'application/json') {
        const json = document(doc);
        return { ...json, headers: { ...json.headers, ...vary } };
      }
      doc.protobuf ??= openapiV2Protobuf(doc.document);
      return { status: 200, encoded: doc.protobuf, headers: { etag: `"${doc.hash}"`, 'content-type': OPENAPI_V2_PROTOBUF, ...vary } };
    });
    this.handler.extraPaths.set('/openapi/v3', async () => document(openapiV3DiscoveryDocument(this.registry)));
    this.handler.extraPaths.set('/openapi/v3/', async (req) => {
      const doc = openapiV3Document(this.registry, req.path.slice('/openapi/v3/'.length));
      if (!doc) throw notFoundPath();
      return document(doc);
    });
  }

  async stop(): Promise<void> {
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    this.customResources.stop();
    await this.http?.close();
    this.dispatcher.stop();
  }
}
