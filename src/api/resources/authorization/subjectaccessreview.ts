// authorization.k8s.io/v1 SubjectAccessReview: asks whether a given user may do something. Create
// only: the answer is computed, never stored. Also the request and answer shapes the other
// access reviews share, and upstream's validation of them.
import type { Definitions } from '../../schema/types.js';
import type { KubeObject, ResourceDefinition } from '../../registry.js';
import { bool, define, kindSchema, list, mapOf, object, ref, str } from '../../schema/build.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHORIZATION_V1 = 'io.k8s.api.authorization.v1';
const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: { rawSelector?: string; requirements?: unknown[] };
  labelSelector?: { rawSelector?: string; requirements?: unknown[] };
}

export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

export interface SubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}

export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** Any of the three access reviews: what is asked in spec, the answer in status. */
export type AccessReview = KubeObject & { spec?: SubjectAccessReviewSpec; status?: SubjectAccessReviewStatus };

const strings = (description: string) => list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description });

/** The spec and status every access review shares, and the selector attributes of the spec. */
export const accessReviewDefinitions: Definitions = new Map();
define(accessReviewDefinitions, {
  [`${AUTHORIZATION_V1}.ResourceAttributes`]: object(
    {
      namespace: str({ description: 'The namespace of the action; "" for cluster-scoped resources or all namespaces.' }),
      verb: str({ description: 'A Kubernetes resource API verb (get, list, watch, create …), or "*" for all.' }),
      group: str({ description: 'The API group of the resource; "*" means all.' }),
      version: str({ description: 'The API version of the resource; "*" means all.' }),
      resource: str({ description: 'One of the existing resource types; "*" means all.' }),
      subresource: str({ description: 'One of the existing subresources; "" means none.' }),
      name: str({ description: 'The name of the resource acted on; "" means all.' }),
      fieldSelector: ref(`${AUTHORIZATION_V1}.FieldSelectorAttributes`, { description: 'The field selector the request is limited to.' }),
      labelSelector: ref(`${AUTHORIZATION_V1}.LabelSelectorAttributes`, { description: 'The label selector the request is limited to.' }),
    },
    {
      proto: { namespace: 1, verb: 2, group: 3, version: 4, resource: 5, subresource: 6, name: 7, fieldSelector: 8, labelSelector: 9 },
      description: 'The attributes of a resource request an authorizer decides on.',
    },
  ),
  [`${AUTHORIZATION_V1}.FieldSelectorAttributes`]: object(
    {
      rawSelector: str({ description: 'The serialization of a field selector, as in a query parameter.' }),
      requirements: list(ref(`${META_V1}.FieldSelectorRequirement`, { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The parsed form of the field selector.',
      }),
    },
    { proto: { rawSelector: 1, requirements: 2 }, description: 'A field selector limiting a request.' },
  ),
  [`${AUTHORIZATION_V1}.LabelSelectorAttributes`]: object(
    {
      rawSelector: str({ description: 'The serialization of a label selector, as in a query parameter.' }),
      requirements: list(ref(`${META_V1}.LabelSelectorRequirement`, { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The parsed form of the label selector.',
      }),
    },
    { proto: { rawSelector: 1, requirements: 2 }, description: 'A label selector limiting a request.' },
  ),
  [`${META_V1}.FieldSelectorRequirement`]: object(
    {
      key: str({ default: '', description: 'The field selector key that the requirement applies to.' }),
      operator: str({ default: '', description: 'In, NotIn, Exists or DoesNotExist.' }),
      values: strings('The values for In and NotIn; empty for Exists and DoesNotExist.'),
    },
    { proto: { key: 1, operator: 2, values: 3 }, required: ['key', 'operator'], description: 'One requirement of a field selector: a key, an operator and values.' },
  ),
  [`${AUTHORIZATION_V1}.NonResourceAttributes`]: object(
    {
      path: str({ description: 'The URL path of the request.' }),
      verb: str({ description: 'The standard HTTP verb.' }),
    },
    { proto: { path: 1, verb: 2 }, description: 'The attributes of a non-resource request an authorizer decides on.' },
  ),
  [`${AUTHORIZATION_V1}.SubjectAccessReviewSpec`]: object(
    {
      resourceAttributes: ref(`${AUTHORIZATION_V1}.ResourceAttributes`, { description: 'For a resource request; exclusive with nonResourceAttributes.' }),
      nonResourceAttributes: ref(`${AUTHORIZATION_V1}.NonResourceAttributes`, { description: 'For a non-resource request; exclusive with resourceAttributes.' }),
      user: str({ description: 'The user to test for; user or groups (or both) must be given.' }),
      groups: strings('The groups to test for.'),
      extra: mapOf(list(str({ default: '' })), { description: 'The extra attributes of the user (user.Info.GetExtra()).' }),
      uid: str({ description: 'Information about the requesting user.' }),
    },
    {
      proto: { resourceAttributes: 1, nonResourceAttributes: 2, user: 3, groups: 4, extra: 5, uid: 6 },
      description: 'The subject and the action asked about: exactly one of resourceAttributes and nonResourceAttributes.',
    },
  ),
  [`${AUTHORIZATION_V1}.SubjectAccessReviewStatus`]: object(
    {
      allowed: bool({ default: false, description: 'Whether the action is allowed.' }),
      denied: bool({ description: 'Whether the action is explicitly denied (allowed is then false).' }),
      reason: str({ description: 'Why the action is allowed or denied.' }),
      evaluationError: str({ description: 'An error met checking authorization; the decision may still be made.' }),
    },
    { proto: { allowed: 1, denied: 4, reason: 2, evaluationError: 3 }, required: ['allowed'], description: 'Whether the action is allowed, and why.' },
  ),
});

const definitions: Definitions = new Map(accessReviewDefinitions);
define(definitions, {
  [`${AUTHORIZATION_V1}.SubjectAccessReview`]: kindSchema(
    { group: AUTHORIZATION_GROUP, version: 'v1', kind: 'SubjectAccessReview' },
    {
      spec: ref(`${AUTHORIZATION_V1}.SubjectAccessReviewSpec`, { default: {}, description: 'What is being asked.' }),
      status: ref(`${AUTHORIZATION_V1}.SubjectAccessReviewStatus`, { default: {}, description: 'The answer, filled in by the server.' }),
    },
    { required: ['spec'], proto: { metadata: 1, spec: 2, status: 3 }, description: 'SubjectAccessReview asks whether a user or group may perform an action.' },
  ),
});

/** %#v of the internal NonResourceAttributes, as upstream's field errors print it. */
export function goNonResourceAttributes(n: NonResourceAttributes): GoValue {
  return new GoValue(`authorization.NonResourceAttributes{Path:${JSON.stringify(n.path ?? '')}, Verb:${JSON.stringify(n.verb ?? '')}}`);
}

function validateSelector(selector: ResourceAttributes['fieldSelector'], path: FieldPath): FieldError[] {
  if (!selector) return [];
  const raw = selector.rawSelector ?? '';
  const requirements = selector.requirements ?? [];
  if (raw && requirements.length) return [fieldErrors.invalid(path.child('rawSelector').path, raw, 'may not specified at the same time as requirements')];
  if (!raw && !requirements.length) return [fieldErrors.required(path.child('requirements').path, `when ${path.path} is specified, requirements or rawSelector is required`)];
  return [];
}

/** ValidateSubjectAccessReviewSpec (`requireSubject`: user or groups must be named, as for SubjectAccessReview). */
export function validateAccessReviewSpec(spec: SubjectAccessReviewSpec, requireSubject: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errs.push(fieldErrors.invalid('spec.nonResourceAttributes', goNonResourceAttributes(spec.nonResourceAttributes), 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    // Upstream names the (nil) nonResourceAttributes here, which its field errors print as "null".
    errs.push(fieldErrors.invalid('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  if (requireSubject && !spec.user && !spec.groups?.length) errs.push(fieldErrors.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  const attrs = spec.resourceAttributes;
  if (attrs) {
    const path = new FieldPath('spec.resourceAttributes');
    errs.push(...validateSelector(attrs.fieldSelector, path.child('fieldSelector')), ...validateSelector(attrs.labelSelector, path.child('labelSelector')));
  }
  return errs;
}

/** The metadata of a review must be empty (LocalSubjectAccessReview's may name its namespace). */
export function validateReviewMetadata(review: KubeObject, allowNamespace: boolean): FieldError[] {
  const meta = { ...(review.metadata ?? {}) } as Record<string, unknown>;
  delete meta.managedFields;
  if (allowNamespace) delete meta.namespace;
  // A null creationTimestamp is how clients write an empty one.
  if (meta.creationTimestamp === null) delete meta.creationTimestamp;
  if (!Object.keys(meta).length) return [];
  return [fieldErrors.invalid('metadata', review.metadata, allowNamespace ? 'must be empty except for namespace' : 'must be empty')];
}

export const subjectAccessReviews: ResourceDefinition<AccessReview> = {
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  singular: 'subjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  schemaName: `${AUTHORIZATION_V1}.SubjectAccessReview`,
  definitions,
};
