// Service account tokens as JWTs: signed with the cluster's service-account key (ES256 for an
// EC P-256 key, RS256 for RSA, as upstream picks by key type), and verified the way
// kube-apiserver's service account authenticator does: issuer, signature, audience, time,
// then the account (and any bound pod, secret or node) must still exist with the same UID.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, compactVerify, decodeJwt, decodeProtectedHeader, errors } from 'jose';
import { goQuotedSlice } from '../meta/go.js';
import { ALL_AUTHENTICATED_GROUP, EXTRA_CREDENTIAL_ID, type UserInfo } from './user.js';
import {
  EXTRA_NODE_NAME,
  EXTRA_NODE_UID,
  EXTRA_POD_NAME,
  EXTRA_POD_UID,
  SERVICE_ACCOUNT_ISSUER,
  credentialIdForJti,
  makeGroupNames,
  makeUsername,
  type ClaimRef,
  type KubernetesClaim,
  type ServiceAccountClaims,
} from './serviceaccount.js';

type Algorithm = 'ES256' | 'RS256';

/** go-jose's DefaultLeeway: clocks may disagree by a minute. */
const LEEWAY_SECONDS = 60;

function algorithmFor(key: KeyObject): Algorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`unsupported service account signing key: ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trimEnd());
}

/** Upstream's keyIDFromPublicKey: the unpadded base64url SHA-256 of the key's PKIX (SPKI) DER. */
export function keyIdFor(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

/** Signs token claims with the private key of `<data-dir>/pki/sa.key`. */
export class ServiceAccountTokenSigner {
  readonly algorithm: Algorithm;
  readonly keyId: string;
  private readonly key: KeyObject;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    this.algorithm = algorithmFor(this.key);
    this.keyId = keyIdFor(createPublicKey(this.key));
  }

  sign(claims: ServiceAccountClaims): Promise<string> {
    return new SignJWT({ ...claims }).setProtectedHeader({ alg: this.algorithm, kid: this.keyId }).sign(this.key);
  }
}

/** Reads an object from the API server's caches ('' group and namespace for core and cluster scope). */
export type BoundObjectGetter = (
  group: string,
  plural: string,
  namespace: string,
  name: string,
) => Readonly<{ metadata?: { uid?: string; deletionTimestamp?: string } }> | undefined;

export interface ServiceAccountTokenVerifierOptions {
  /** The public keys tokens may be signed with (`--service-account-key-file`, PEM). */
  publicKeyPems: string[];
  getObject: BoundObjectGetter;
  /** Accepted `iss` values (default: the cluster's issuer). */
  issuers?: string[];
  /** The API server's audiences; a token must name one (default: the issuer). */
  audiences?: string[];
  /** Milliseconds since the epoch (tests move the clock). */
  now?: () => number;
}

interface VerificationKey {
  key: KeyObject;
  algorithm: Algorithm;
  keyId: string;
}

/** What a token of this issuer stands for: a user and the audiences it was accepted for, or why it is refused. */
export type TokenAuthentication = { user: UserInfo; audiences: string[] } | { error: string };

/** Tokens whose signature checked out, kept so that a client's every request does not verify it again. */
const VERIFIED_CACHE_SIZE = 4096;

export class ServiceAccountTokenVerifier {
  private readonly keys: VerificationKey[];
  private readonly issuers: string[];
  private readonly audiences: string[];
  private readonly now: () => number;
  /** Token → its claims, signature verified; times, audience and bound objects are checked on every use. */
  private readonly verified = new Map<string, ServiceAccountClaims>();

  constructor(private readonly opts: ServiceAccountTokenVerifierOptions) {
    this.keys = opts.publicKeyPems.map((pem) => {
      const key = createPublicKey(pem);
      return { key, algorithm: algorithmFor(key), keyId: keyIdFor(key) };
    });
    this.issuers = opts.issuers ?? [SERVICE_ACCOUNT_ISSUER];
    this.audiences = opts.audiences ?? this.issuers.slice(0, 1);
    this.now = opts.now ?? Date.now;
  }

  /**
   * The user a bearer token stands for, or undefined when it is not a valid service account
   * token of this cluster (not a JWT, another issuer, a bad signature, another audience,
   * expired, or the account or bound object gone or replaced).
   */
  async verifyServiceAccountToken(token: string): Promise<UserInfo | undefined> {
    const result = await this.authenticate(token);
    return result && 'user' in result ? result.user : undefined;
  }

  /**
   * Authenticates `token` for `audiences` (default: the API server's own), as upstream's service
   * account authenticator: undefined when the token is not a JWT of this issuer (another
   * authenticator's), else the user or the reason it is refused.
   */
  async authenticate(token: string, audiences: readonly string[] = this.audiences): Promise<TokenAuthentication | undefined> {
    let claims = this.verified.get(token);
    if (!claims) {
      // Tokens of other issuers belong to other authenticators: look before verifying.
      let iss: unknown;
      let kid: string | undefined;
      try {
        iss = decodeJwt(token).iss;
        kid = decodeProtectedHeader(token).kid;
      } catch {
        return undefined;
      }
      if (typeof iss !== 'string' || !this.issuers.includes(iss)) return undefined;
      const signed = await this.verifySignature(token, kid);
      if (!signed) return { error: 'invalid bearer token' };
      claims = signed;
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    const nowMs = this.now();
    const timeError = checkTimes(claims, nowMs / 1000);
    if (timeError) return { error: timeError };
    const tokenAudiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) && claims.aud.length ? claims.aud : this.audiences;
    const accepted = tokenAudiences.filter((a) => audiences.includes(a));
    if (!accepted.length) {
      return { error: `token audiences ${goQuotedSlice(tokenAudiences)} is invalid for the target audiences ${goQuotedSlice(audiences)}` };
    }
    const user = this.validate(claims, nowMs);
    return user ? { user, audiences: accepted } : { error: 'service account token has been invalidated' };
  }

  /** The claims of a token whose signature one of the keys verifies. */
  private async verifySignature(token: string, kid: string | undefined): Promise<ServiceAccountClaims | undefined> {
    // A token names its key; one without a (known) kid is tried against every key, as upstream does.
    const named = this.keys.filter((k) => k.keyId === kid);
    for (const k of named.length ? named : this.keys) {
      try {
        const { payload } = await compactVerify(token, k.key, { algorithms: [k.algorithm] });
        const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as unknown;
        return claims && typeof claims === 'object' ? (claims as ServiceAccountClaims) : undefined;
      } catch (err) {
        if (err instanceof errors.JWSSignatureVerificationFailed) continue;
        return undefined;
      }
    }
    return undefined;
  }

  /** The still-exists checks of upstream's validator, then the user info. */
  private validate(claims: ServiceAccountClaims, nowMs: number): UserInfo | undefined {
    const k8s = claims['kubernetes.io'] as KubernetesClaim | undefined;
    const namespace = k8s?.namespace;
    const sa = k8s?.serviceaccount;
    if (!namespace || !sa?.name) return undefined;
    // Objects whose deletion started more than the leeway ago no longer vouch for a token.
    const invalidIfDeletedBefore = nowMs - LEEWAY_SECONDS * 1000;
    const live = (group: string, plural: string, ns: string, ref: ClaimRef) => {
      const obj = this.opts.getObject(group, plural, ns, ref.name);
      if (!obj || (obj.metadata?.uid ?? '') !== (ref.uid ?? '')) return false;
      const deleted = obj.metadata?.deletionTimestamp;
      return !deleted || Date.parse(deleted) >= invalidIfDeletedBefore;
    };
    if (!live('', 'serviceaccounts', namespace, sa)) return undefined;
    if (k8s.secret && !live('', 'secrets', namespace, k8s.secret)) return undefined;
    if (k8s.pod && !live('', 'pods', namespace, k8s.pod)) return undefined;
    // A node beside a pod only says where the pod ran; a node alone is what the token is bound to.
    if (k8s.node && !k8s.pod && !live('', 'nodes', '', k8s.node)) return undefined;

    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      extra[EXTRA_POD_NAME] = [k8s.pod.name];
      extra[EXTRA_POD_UID] = [k8s.pod.uid ?? ''];
    }
    if (k8s.node) {
      extra[EXTRA_NODE_NAME] = [k8s.node.name];
      if (k8s.node.uid) extra[EXTRA_NODE_UID] = [k8s.node.uid];
    }
    if (claims.jti) extra[EXTRA_CREDENTIAL_ID] = [credentialIdForJti(claims.jti)];
    return {
      username: makeUsername(namespace, sa.name),
      uid: sa.uid,
      groups: [...makeGroupNames(namespace), ALL_AUTHENTICATED_GROUP],
      ...(Object.keys(extra).length ? { extra } : {}),
    };
  }
}

/** go-jose's ValidateWithLeeway, with the messages upstream's validator gives (`nowS` in seconds). */
function checkTimes(claims: ServiceAccountClaims, nowS: number): string | undefined {
  if (typeof claims.exp === 'number' && nowS > claims.exp + LEEWAY_SECONDS) return 'service account token has expired';
  if (typeof claims.nbf === 'number' && nowS + LEEWAY_SECONDS < claims.nbf) return 'service account token is not valid yet';
  if (typeof claims.iat === 'number' && nowS + LEEWAY_SECONDS < claims.iat) return 'service account token is issued in the future';
  return undefined;
}
