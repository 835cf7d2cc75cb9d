// authentication.k8s.io/v1 SelfSubjectReview: who the requesting user is, as the server
// authenticated it (`kubectl auth whoami`). Create only: the answer is computed, never stored.
import type { Definitions } from '../../schema/types.js';
import type { KubeObject, ResourceDefinition } from '../../registry.js';
import { define, kindSchema, object, ref } from '../../schema/build.js';
import { AUTHENTICATION_GROUP, AUTHENTICATION_V1, userInfoDefinitions, type ServedUserInfo } from './tokenreview.js';

export type SelfSubjectReview = KubeObject & { status?: { userInfo?: ServedUserInfo } };

const definitions: Definitions = new Map(userInfoDefinitions);
define(definitions, {
  [`${AUTHENTICATION_V1}.SelfSubjectReview`]: kindSchema(
    { group: AUTHENTICATION_GROUP, version: 'v1', kind: 'SelfSubjectReview' },
    { status: ref(`${AUTHENTICATION_V1}.SelfSubjectReviewStatus`, { default: {}, description: 'The user, filled in by the server.' }) },
    { proto: { metadata: 1, status: 2 }, description: 'SelfSubjectReview tells the requesting user who the server takes it for.' },
  ),
  [`${AUTHENTICATION_V1}.SelfSubjectReviewStatus`]: object(
    { userInfo: ref(`${AUTHENTICATION_V1}.UserInfo`, { default: {}, description: 'The requesting user.' }) },
    { proto: { userInfo: 1 }, description: 'The answer of a SelfSubjectReview.' },
  ),
});

export const selfSubjectReviews: ResourceDefinition<SelfSubjectReview> = {
  group: AUTHENTICATION_GROUP,
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  verbs: ['create'],
  schemaName: `${AUTHENTICATION_V1}.SelfSubjectReview`,
  definitions,
};
