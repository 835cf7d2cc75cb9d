// POST serviceaccounts/{name}/token with an authentication.k8s.io/v1 TokenRequest: a signed JWT
// for the account, optionally bound to a Pod, Secret or Node, answered 201 with the request and
// its status {token, expirationTimestamp}, as upstream's TokenREST. Pod-bound tokens of the
// admission plugin's lifetime (3607 s) live a year and carry `warnafter`, as
// `--service-account-extend-token-expiration` (on by default) makes them.
import { randomUUID } from 'node:crypto';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { parseApiVersion } from '../../api/registry.js';
import { badRequest, conflict, fieldErrors, invalid } from '../../api/meta/status.js';
import { formatRFC3339 } from '../../api/meta/time.js';
import {
  EXPIRATION_EXTENSION_SECONDS,
  SERVICE_ACCOUNT_ISSUER,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
  serviceAccountClaims,
  type ClaimRef,
} from '../../api/auth/serviceaccount.js';
import { ServiceAccountTokenSigner, ServiceAccountTokenVerifier, type BoundObjectGetter } from '../../api/auth/token.js';
import {
  TOKEN_REQUEST_API_VERSION,
  TOKEN_REQUEST_GROUP,
  defaultTokenRequest,
  validateTokenRequest,
  type TokenRequest,
} from '../../api/auth/tokenrequest.js';
import type { ApiResponse } from '../../client/transport.js';
import { methodNotAllowed, type SubresourceHandler, type SubresourceRequest } from '../handler.js';
import type { ResourceStorage } from '../rest.js';
import { deepCopy } from '../../api/patch/json.js';

export interface ServiceAccountTokenOptions {
  /** The storage of another resource (pods, secrets, nodes). */
  storage(group: string, plural: string): ResourceStorage | undefined;
  /** The signing key (sa.key); read at the first request, since the PKI loads after the API server starts. */
  signingKey(): { keyPem: string };
  /** `--service-account-issuer` (default https://kubernetes.default.svc.cluster.local). */
  issuer?: string;
  /** `--api-audiences`: a request without audiences gets these (default: the issuer). */
  audiences?: string[];
  /** `--service-account-extend-token-expiration` (default true). */
  extendExpiration?: boolean;
}

/** A bound object's kind as upstream names it in errors (Go's GroupVersionKind.String()). */
function gvkString(apiVersion: string, kind: string): string {
  const gv = parseApiVersion(apiVersion);
  return `${gv.group}/${gv.version}, Kind=${kind}`;
}

function refOf(obj: Readonly<{ metadata?: { name?: string; uid?: string } }>): ClaimRef {
  return { name: obj.metadata?.name ?? '', uid: obj.metadata?.uid };
}

/** The bound objects a request names: the pod (with its node), the secret, or the node alone. */
async function boundObjects(
  opts: ServiceAccountTokenOptions,
  req: TokenRequest,
  namespace: string,
  accountName: string,
): Promise<{ pod?: ClaimRef; secret?: ClaimRef; node?: ClaimRef }> {
  const ref = req.spec.boundObjectRef;
  if (!ref) return {};
  const kind = ref.kind ?? '';
  const apiVersion = ref.apiVersion ?? '';
  const group = parseApiVersion(apiVersion).group;
  const get = async (plural: string, ns: string, name: string) => (await opts.storage('', plural)!.get(ns, name)).object;
  let bound: { pod?: ClaimRef; secret?: ClaimRef; node?: ClaimRef };
  let uid: string | undefined;
  if (group === '' && kind === 'Pod') {
    const pod = await get('pods', namespace, ref.name ?? '');
    if (pod.spec?.serviceAccountName !== accountName) {
      throw badRequest(`cannot bind token for serviceaccount "${accountName}" to pod running with different serviceaccount name.`);
    }
    bound = { pod: refOf(pod) };
    uid = pod.metadata?.uid;
    const nodeName: string | undefined = pod.spec?.nodeName;
    if (nodeName) {
      // A node that is gone still names where the pod was placed, without a UID.
      const node = cacheGetter(opts.storage)('', 'nodes', '', nodeName);
      bound.node = node ? refOf(node) : { name: nodeName };
    }
  } else if (group === '' && kind === 'Node') {
    const node = await get('nodes', '', ref.name ?? '');
    bound = { node: refOf(node) };
    uid = node.metadata?.uid;
  } else if (group === '' && kind === 'Secret') {
    const secret = await get('secrets', namespace, ref.name ?? '');
    bound = { secret: refOf(secret) };
    uid = secret.metadata?.uid;
  } else {
    throw badRequest(`cannot bind token to object of type ${gvkString(apiVersion, kind)}`);
  }
  if (ref.uid && ref.uid !== uid) {
    const why = `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`;
    throw conflict({ group, resource: kind }, ref.name ?? '', why);
  }
  return bound;
}

async function createToken(opts: ServiceAccountTokenOptions, signer: () => ServiceAccountTokenSigner, r: SubresourceRequest): Promise<ApiResponse> {
  if (r.req.method !== 'POST') throw methodNotAllowed();
  const req = deepCopy(r.body ?? {}) as TokenRequest;
  if (req.kind !== undefined && req.kind !== 'TokenRequest') {
    throw badRequest(`${req.kind} in version "${req.apiVersion ?? ''}" cannot be handled as a TokenRequest: the kind in the data does not match the expected kind`);
  }
  req.spec ??= {};
  defaultTokenRequest(req);
  const meta = (req.metadata ??= {});
  // Name and namespace in the body, when given, must be those of the URL.
  for (const [field, given, wanted] of [['name', meta.name, r.name], ['namespace', meta.namespace, r.namespace]] as const) {
    if (given && given !== wanted) {
      throw invalid('TokenRequest', TOKEN_REQUEST_GROUP, r.name, [fieldErrors.invalid(`metadata.${field}`, given, `must match the service account ${field} if specified`)]);
    }
  }
  const sa = (await r.storage.get(r.namespace, r.name)).object as ServiceAccount;
  const issuer = opts.issuer ?? SERVICE_ACCOUNT_ISSUER;
  const apiAudiences = opts.audiences ?? [issuer];
  if (!req.spec.audiences?.length) req.spec.audiences = [...apiAudiences];
  // The expiration reported is never later than the token's exp: take the time first.
  const now = Math.floor(Date.now() / 1000);
  const out: TokenRequest = {
    apiVersion: TOKEN_REQUEST_API_VERSION,
    kind: 'TokenRequest',
    metadata: { ...meta, name: sa.metadata!.name, namespace: sa.metadata!.namespace, creationTimestamp: formatRFC3339(now * 1000) },
    spec: { audiences: req.spec.audiences, expirationSeconds: req.spec.expirationSeconds, boundObjectRef: req.spec.boundObjectRef ?? null },
  };
  const errs = validateTokenRequest(out);
  if (errs.length) throw invalid('TokenRequest', TOKEN_REQUEST_GROUP, '', errs);

  const bound = await boundObjects(opts, out, r.namespace, r.name);
  const requested = out.spec.expirationSeconds!;
  let expirationSeconds = requested;
  let warnAfterSeconds = 0;
  // Only tokens for the API server itself get the extension: other audiences see the real lifetime.
  const forApiServer = out.spec.audiences!.every((a) => apiAudiences.includes(a));
  if ((opts.extendExpiration ?? true) && bound.pod && requested === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && forApiServer) {
    warnAfterSeconds = requested;
    expirationSeconds = EXPIRATION_EXTENSION_SECONDS;
  }
  const claims = serviceAccountClaims({
    serviceAccount: { namespace: sa.metadata!.namespace!, name: sa.metadata!.name!, uid: sa.metadata!.uid! },
    ...bound,
    audiences: out.spec.audiences!,
    expirationSeconds,
    warnAfterSeconds,
    now,
    jti: randomUUID(),
    issuer,
  });
  const token = await signer().sign(claims);
  out.status = { token, expirationTimestamp: formatRFC3339((now + requested) * 1000) };
  return { status: 201, body: out };
}

/** The serviceaccounts/token handler. */
export function serviceAccountToken(opts: ServiceAccountTokenOptions): SubresourceHandler {
  let signer: ServiceAccountTokenSigner | undefined;
  const getSigner = () => (signer ??= new ServiceAccountTokenSigner(opts.signingKey().keyPem));
  return (r) => createToken(opts, getSigner, r);
}

/** Reads objects for the verifier from the API server's watch caches. */
export function cacheGetter(storage: (group: string, plural: string) => ResourceStorage | undefined): BoundObjectGetter {
  return (group, plural, namespace, name) => {
    const s = storage(group, plural);
    return s?.cache.objects.get(s.key(namespace, name))?.object;
  };
}

/** The verifier for tokens this API server issues (for the authentication chain). */
export function serviceAccountTokenVerifier(
  storage: (group: string, plural: string) => ResourceStorage | undefined,
  publicKeyPem: string,
  opts: { issuer?: string; audiences?: string[] } = {},
): ServiceAccountTokenVerifier {
  const issuers = [opts.issuer ?? SERVICE_ACCOUNT_ISSUER];
  return new ServiceAccountTokenVerifier({ publicKeyPems: [publicKeyPem], getObject: cacheGetter(storage), issuers, audiences: opts.audiences ?? issuers });
}
