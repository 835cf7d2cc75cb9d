// authorization.k8s.io/v1 SelfSubjectAccessReview: asks whether the requesting user may do
// something (`kubectl auth can-i`). Create only: the answer is computed, never stored.
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, object, ref } from '../../schema/build.js';
import { AUTHORIZATION_GROUP, AUTHORIZATION_V1, accessReviewDefinitions, type AccessReview } from './subjectaccessreview.js';

const definitions: Definitions = new Map(accessReviewDefinitions);
define(definitions, {
  [`${AUTHORIZATION_V1}.SelfSubjectAccessReview`]: kindSchema(
    { group: AUTHORIZATION_GROUP, version: 'v1', kind: 'SelfSubjectAccessReview' },
    {
      spec: ref(`${AUTHORIZATION_V1}.SelfSubjectAccessReviewSpec`, { default: {}, description: 'What is being asked.' }),
      status: ref(`${AUTHORIZATION_V1}.SubjectAccessReviewStatus`, { default: {}, description: 'The answer, filled in by the server.' }),
    },
    {
      required: ['spec'],
      proto: { metadata: 1, spec: 2, status: 3 },
      description: 'SelfSubjectAccessReview asks whether the requesting user may perform an action.',
    },
  ),
  [`${AUTHORIZATION_V1}.SelfSubjectAccessReviewSpec`]: object(
    {
      resourceAttributes: ref(`${AUTHORIZATION_V1}.ResourceAttributes`, { description: 'For a resource request; exclusive with nonResourceAttributes.' }),
      nonResourceAttributes: ref(`${AUTHORIZATION_V1}.NonResourceAttributes`, { description: 'For a non-resource request; exclusive with resourceAttributes.' }),
    },
    {
      proto: { resourceAttributes: 1, nonResourceAttributes: 2 },
      description: 'The action asked about: exactly one of resourceAttributes and nonResourceAttributes.',
    },
  ),
});

export const selfSubjectAccessReviews: ResourceDefinition<AccessReview> = {
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  schemaName: `${AUTHORIZATION_V1}.SelfSubjectAccessReview`,
  definitions,
};
