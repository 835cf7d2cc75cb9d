// Service account identities and the claims of their tokens, as upstream's
// k8s.io/apiserver/pkg/authentication/serviceaccount and pkg/serviceaccount/claims.go.

/** kube-apiserver's `--service-account-issuer` as kubeadm sets it; also the default audience. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/** The lifetime the ServiceAccount admission plugin asks for: a token this old is stale, yet accepted. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;
/** How long such a token really lives (`--service-account-extend-token-expiration`, on by default). */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

/** The `user.Info` extra keys a service account token carries. */
export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';

export function makeUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccount:<ns>:<name>` → its parts; undefined for any other user name. */
export function splitUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The groups every service account of a namespace belongs to (without system:authenticated). */
export function makeGroupNames(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${namespace}`];
}

/** An object a token names; `uid` is left out when unknown (a pod's node that does not exist). */
export interface ClaimRef {
  name: string;
  uid?: string;
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ClaimRef;
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
  /** Seconds since the epoch after which the token counts as stale (extended pod tokens). */
  warnafter?: number;
}

export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti?: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

export interface ClaimsInput {
  serviceAccount: { namespace: string; name: string; uid: string };
  /** At most one of pod, secret and node-alone; a pod may carry the node it runs on. */
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
  audiences: string[];
  expirationSeconds: number;
  /** Non-zero for extended pod tokens: the lifetime asked for. */
  warnAfterSeconds?: number;
  /** Seconds since the epoch. */
  now: number;
  jti?: string;
  issuer?: string;
}

function ref(r: ClaimRef): ClaimRef {
  return r.uid ? { name: r.name, uid: r.uid } : { name: r.name };
}

/** The claims of a token, keys in the order upstream's encoder writes them (sorted, as Go maps are). */
export function serviceAccountClaims(input: ClaimsInput): ServiceAccountClaims {
  const { serviceAccount: sa, now } = input;
  if (input.secret && (input.pod || input.node)) throw new Error('internal error, token can only be bound to one object type');
  const k8s: KubernetesClaim = { namespace: sa.namespace, serviceaccount: ref(sa) };
  if (input.node) k8s.node = ref(input.node);
  if (input.pod) k8s.pod = ref(input.pod);
  if (input.secret) k8s.secret = ref(input.secret);
  if (input.warnAfterSeconds) k8s.warnafter = now + input.warnAfterSeconds;
  return {
    aud: [...input.audiences],
    exp: now + input.expirationSeconds,
    iat: now,
    iss: input.issuer ?? SERVICE_ACCOUNT_ISSUER,
    ...(input.jti ? { jti: input.jti } : {}),
    'kubernetes.io': sortedKeys(k8s),
    nbf: now,
    sub: makeUsername(sa.namespace, sa.name),
  };
}

function sortedKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}

/** The credential id a token's jti stands for in audit logs and user extra. */
export function credentialIdForJti(jti: string): string {
  return `JTI=${jti}`;
}
