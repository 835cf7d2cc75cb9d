// authorization.k8s.io/v1 SelfSubjectRulesReview: every rule the requesting user holds in a
// namespace (`kubectl auth can-i --list`). Create only: the answer is computed, never stored.
import type { Definitions } from '../../schema/types.js';
import type { KubeObject, ResourceDefinition } from '../../registry.js';
import { bool, define, kindSchema, list, object, ref, str } from '../../schema/build.js';
import { AUTHORIZATION_GROUP, AUTHORIZATION_V1 } from './subjectaccessreview.js';

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export type SelfSubjectRulesReview = KubeObject & { spec?: { namespace?: string }; status?: SubjectRulesReviewStatus };

const strings = (description: string) => list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description });

const definitions: Definitions = new Map();
define(definitions, {
  [`${AUTHORIZATION_V1}.SelfSubjectRulesReview`]: kindSchema(
    { group: AUTHORIZATION_GROUP, version: 'v1', kind: 'SelfSubjectRulesReview' },
    {
      spec: ref(`${AUTHORIZATION_V1}.SelfSubjectRulesReviewSpec`, { default: {}, description: 'The namespace asked about.' }),
      status: ref(`${AUTHORIZATION_V1}.SubjectRulesReviewStatus`, { default: {}, description: 'The rules, filled in by the server.' }),
    },
    {
      required: ['spec'],
      proto: { metadata: 1, spec: 2, status: 3 },
      description: 'SelfSubjectRulesReview lists what the requesting user may do in a namespace.',
    },
  ),
  [`${AUTHORIZATION_V1}.SelfSubjectRulesReviewSpec`]: object(
    { namespace: str({ description: 'The namespace to evaluate rules for. Required.' }) },
    { proto: { namespace: 1 }, description: 'The namespace a rules review asks about.' },
  ),
  [`${AUTHORIZATION_V1}.SubjectRulesReviewStatus`]: object(
    {
      resourceRules: list(ref(`${AUTHORIZATION_V1}.ResourceRule`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'What the subject may do with resources.' }),
      nonResourceRules: list(ref(`${AUTHORIZATION_V1}.NonResourceRule`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'What the subject may do with non-resource URLs.' }),
      incomplete: bool({ default: false, description: 'True when an authorizer could not enumerate its rules.' }),
      evaluationError: str({ description: 'An error met enumerating the rules; the list may then be incomplete.' }),
    },
    {
      proto: { resourceRules: 1, nonResourceRules: 2, incomplete: 3, evaluationError: 4 },
      required: ['resourceRules', 'nonResourceRules', 'incomplete'],
      description: 'The rules a subject holds.',
    },
  ),
  [`${AUTHORIZATION_V1}.ResourceRule`]: object(
    {
      verbs: strings('The verbs allowed; "*" means all.'),
      apiGroups: strings('The API groups of the resources; "*" means all.'),
      resources: strings('The resources; "*" means all, "*/foo" subresource foo of all.'),
      resourceNames: strings('When set, only objects of these names.'),
    },
    { proto: { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4 }, required: ['verbs'], description: 'What a subject may do with resources.' },
  ),
  [`${AUTHORIZATION_V1}.NonResourceRule`]: object(
    {
      verbs: strings('The verbs allowed; "*" means all.'),
      nonResourceURLs: strings('The URL paths; a trailing "*" matches a prefix.'),
    },
    { proto: { verbs: 1, nonResourceURLs: 2 }, required: ['verbs'], description: 'What a subject may do with non-resource URLs.' },
  ),
});

export const selfSubjectRulesReviews: ResourceDefinition<SelfSubjectRulesReview> = {
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  namespaced: false,
  verbs: ['create'],
  schemaName: `${AUTHORIZATION_V1}.SelfSubjectRulesReview`,
  definitions,
};
