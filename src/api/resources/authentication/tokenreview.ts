// authentication.k8s.io/v1 TokenReview: authenticates a bearer token for another component
// (webhook token authentication, `system:auth-delegator`). Create only: never stored. Also the
// UserInfo shape TokenReview and SelfSubjectReview answer with.
import type { Definitions } from '../../schema/types.js';
import type { KubeObject, ResourceDefinition } from '../../registry.js';
import type { UserInfo } from '../../auth/user.js';
import { bool, define, kindSchema, list, mapOf, object, ref, str } from '../../schema/build.js';
import { deepCopy } from '../../patch/json.js';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';
export const AUTHENTICATION_V1 = 'io.k8s.api.authentication.v1';

/** authentication/v1 UserInfo as it is served: `uid` and `extra` spelled out. */
export interface ServedUserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export type TokenReview = KubeObject & {
  spec?: { token?: string; audiences?: string[] };
  status?: { authenticated?: boolean; user?: ServedUserInfo; audiences?: string[]; error?: string };
};

const strings = (description: string) => list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description });

/** The UserInfo definition both reviews answer with. */
export const userInfoDefinitions: Definitions = new Map();
define(userInfoDefinitions, {
  [`${AUTHENTICATION_V1}.UserInfo`]: object(
    {
      username: str({ description: 'The name that uniquely identifies this user among all active users.' }),
      uid: str({ description: 'A unique value that identifies this user across time.' }),
      groups: strings('The names of groups this user is a part of.'),
      extra: mapOf(list(str({ default: '' })), { description: 'Any additional information provided by the authenticator.' }),
    },
    { proto: { username: 1, uid: 2, groups: 3, extra: 4 }, description: 'The information about a user needed to decide on its requests.' },
  ),
});

/** The served UserInfo of an authenticated user. */
export function servedUserInfo(user: UserInfo): ServedUserInfo {
  const out: ServedUserInfo = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) out.extra = deepCopy(user.extra);
  return out;
}

const definitions: Definitions = new Map(userInfoDefinitions);
define(definitions, {
  [`${AUTHENTICATION_V1}.TokenReview`]: kindSchema(
    { group: AUTHENTICATION_GROUP, version: 'v1', kind: 'TokenReview' },
    {
      spec: ref(`${AUTHENTICATION_V1}.TokenReviewSpec`, { default: {}, description: 'The token to authenticate.' }),
      status: ref(`${AUTHENTICATION_V1}.TokenReviewStatus`, { default: {}, description: 'Whether the token is valid and whose it is, filled in by the server.' }),
    },
    { required: ['spec'], proto: { metadata: 1, spec: 2, status: 3 }, description: 'TokenReview authenticates a token for the component that asks.' },
  ),
  [`${AUTHENTICATION_V1}.TokenReviewSpec`]: object(
    {
      token: str({ description: 'The opaque bearer token.' }),
      audiences: strings('The identifiers the asker accepts tokens for; default: the API server\'s own.'),
    },
    { proto: { token: 1, audiences: 2 }, description: 'What a TokenReview asks about.' },
  ),
  [`${AUTHENTICATION_V1}.TokenReviewStatus`]: object(
    {
      authenticated: bool({ description: 'Whether the token is associated with a known user.' }),
      user: ref(`${AUTHENTICATION_V1}.UserInfo`, { default: {}, description: 'The user the token stands for.' }),
      audiences: strings('The asked audiences the token is valid for.'),
      error: str({ description: 'Why the token could not be checked.' }),
    },
    { proto: { authenticated: 1, user: 2, audiences: 4, error: 3 }, description: 'The answer of a TokenReview.' },
  ),
});

export const tokenReviews: ResourceDefinition<TokenReview> = {
  group: AUTHENTICATION_GROUP,
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  singular: 'tokenreview',
  namespaced: false,
  verbs: ['create'],
  schemaName: `${AUTHENTICATION_V1}.TokenReview`,
  definitions,
};
