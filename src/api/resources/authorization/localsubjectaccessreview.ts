// authorization.k8s.io/v1 LocalSubjectAccessReview: a SubjectAccessReview within one namespace,
// so that a namespace admin may ask it. Create only: the answer is computed, never stored.
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, ref } from '../../schema/build.js';
import { fieldErrors, type FieldError } from '../../meta/status.js';
import {
  AUTHORIZATION_GROUP,
  AUTHORIZATION_V1,
  accessReviewDefinitions,
  goNonResourceAttributes,
  validateAccessReviewSpec,
  validateReviewMetadata,
  type AccessReview,
} from './subjectaccessreview.js';

const definitions: Definitions = new Map(accessReviewDefinitions);
define(definitions, {
  [`${AUTHORIZATION_V1}.LocalSubjectAccessReview`]: kindSchema(
    { group: AUTHORIZATION_GROUP, version: 'v1', kind: 'LocalSubjectAccessReview' },
    {
      spec: ref(`${AUTHORIZATION_V1}.SubjectAccessReviewSpec`, { default: {}, description: 'What is being asked; resourceAttributes.namespace must be the namespace of the review.' }),
      status: ref(`${AUTHORIZATION_V1}.SubjectAccessReviewStatus`, { default: {}, description: 'The answer, filled in by the server.' }),
    },
    {
      required: ['spec'],
      proto: { metadata: 1, spec: 2, status: 3 },
      description: 'LocalSubjectAccessReview asks whether a user or group may perform an action in one namespace.',
    },
  ),
});

/** ValidateLocalSubjectAccessReview. */
export function validateLocalSubjectAccessReview(review: AccessReview): FieldError[] {
  const spec = review.spec ?? {};
  const errs = [...validateAccessReviewSpec(spec, true), ...validateReviewMetadata(review, true)];
  const namespace = review.metadata?.namespace ?? '';
  if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== namespace) {
    errs.push(fieldErrors.invalid('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
  }
  if (spec.nonResourceAttributes) {
    errs.push(fieldErrors.invalid('spec.nonResourceAttributes', goNonResourceAttributes(spec.nonResourceAttributes), 'disallowed on this kind of request'));
  }
  return errs;
}

export const localSubjectAccessReviews: ResourceDefinition<AccessReview> = {
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'LocalSubjectAccessReview',
  plural: 'localsubjectaccessreviews',
  singular: 'localsubjectaccessreview',
  namespaced: true,
  verbs: ['create'],
  schemaName: `${AUTHORIZATION_V1}.LocalSubjectAccessReview`,
  definitions,
};
