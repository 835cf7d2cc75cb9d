// authentication.k8s.io/v1 TokenRequest: the body and answer of serviceaccounts/{name}/token
// (a subresource, not a kind of its own), with upstream's defaulting and validation.
import type { Definitions } from '../schema/types.js';
import { define, int64, kindSchema, list, object, ref, str, time } from '../schema/build.js';
import { fieldErrors, type FieldError } from '../meta/status.js';

export const TOKEN_REQUEST = 'io.k8s.api.authentication.v1.TokenRequest';
export const TOKEN_REQUEST_GROUP = 'authentication.k8s.io';
export const TOKEN_REQUEST_API_VERSION = 'authentication.k8s.io/v1';

/** SetDefaults_TokenRequestSpec: an hour. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 60 * 60;
/** ValidateTokenRequest's floor (MinTokenAgeSec). */
export const MIN_TOKEN_EXPIRATION_SECONDS = 10 * 60;
const MAX_TOKEN_EXPIRATION_SECONDS = 2 ** 32;

export interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

export interface TokenRequest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; creationTimestamp?: string | null; [k: string]: unknown };
  spec: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: BoundObjectReference | null };
  status?: { token: string; expirationTimestamp: string };
}

export const tokenRequestDefinitions: Definitions = new Map();
define(tokenRequestDefinitions, {
  [TOKEN_REQUEST]: kindSchema(
    { group: TOKEN_REQUEST_GROUP, version: 'v1', kind: 'TokenRequest' },
    {
      spec: ref('io.k8s.api.authentication.v1.TokenRequestSpec', { default: {}, description: 'Spec holds information about the request being evaluated' }),
      status: ref('io.k8s.api.authentication.v1.TokenRequestStatus', {
        default: {},
        description: 'Status is filled in by the server and indicates whether the token can be authenticated.',
      }),
    },
    { required: ['spec'], proto: { metadata: 1, spec: 2, status: 3 }, description: 'TokenRequest requests a token for a given service account.' },
  ),
  'io.k8s.api.authentication.v1.TokenRequestSpec': object(
    {
      audiences: list(str({ default: '' }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The identifiers a recipient of the token must identify itself with; defaults to the API server\'s own.',
      }),
      expirationSeconds: int64({ description: 'The requested lifetime of the token; the answer may differ, read status.expirationTimestamp.' }),
      boundObjectRef: ref('io.k8s.api.authentication.v1.BoundObjectReference', {
        description: 'An object the token is bound to: it is valid only as long as the object exists.',
      }),
    },
    {
      required: ['audiences'],
      proto: { audiences: 1, boundObjectRef: 3, expirationSeconds: 4 },
      protoPointers: ['expirationSeconds'],
      description: 'TokenRequestSpec contains client provided parameters of a token request.',
    },
  ),
  'io.k8s.api.authentication.v1.TokenRequestStatus': object(
    {
      token: str({ default: '', description: 'Token is the opaque bearer token.' }),
      expirationTimestamp: time({ description: 'ExpirationTimestamp is the time of expiration of the returned token.' }),
    },
    { required: ['token', 'expirationTimestamp'], proto: { token: 1, expirationTimestamp: 2 }, description: 'TokenRequestStatus is the result of a token request.' },
  ),
  'io.k8s.api.authentication.v1.BoundObjectReference': object(
    {
      kind: str({ description: "Kind of the referent. Valid kinds are 'Pod' and 'Secret'." }),
      apiVersion: str({ description: 'API version of the referent.' }),
      name: str({ description: 'Name of the referent.' }),
      uid: str({ description: 'UID of the referent.' }),
    },
    { proto: { kind: 1, apiVersion: 2, name: 3, uid: 4 }, description: 'BoundObjectReference is a reference to an object that a token is bound to.' },
  ),
});

/** SetDefaults_TokenRequestSpec. */
export function defaultTokenRequest(tr: TokenRequest): void {
  const spec = (tr.spec ??= {});
  spec.expirationSeconds ??= DEFAULT_TOKEN_EXPIRATION_SECONDS;
}

/** ValidateTokenRequest (authentication/validation). */
export function validateTokenRequest(tr: TokenRequest): FieldError[] {
  const errs: FieldError[] = [];
  const seconds = tr.spec?.expirationSeconds ?? 0;
  if (seconds < MIN_TOKEN_EXPIRATION_SECONDS) errs.push(fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes'));
  if (seconds > MAX_TOKEN_EXPIRATION_SECONDS) errs.push(fieldErrors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}
