// The authorization.k8s.io/v1 kinds: access reviews, all create-only.
import type { ResourceDefinition } from '../../registry.js';
import { localSubjectAccessReviews } from './localsubjectaccessreview.js';
import { selfSubjectAccessReviews } from './selfsubjectaccessreview.js';
import { selfSubjectRulesReviews } from './selfsubjectrulesreview.js';
import { subjectAccessReviews } from './subjectaccessreview.js';

export const authorizationResources: ResourceDefinition[] = [
  localSubjectAccessReviews,
  selfSubjectAccessReviews,
  selfSubjectRulesReviews,
  subjectAccessReviews,
] as ResourceDefinition[];
