// The authentication.k8s.io/v1 kinds: reviews of tokens and of the requesting user, create-only.
// (TokenRequest is the serviceaccounts/token subresource, not a kind of its own.)
import type { ResourceDefinition } from '../../registry.js';
import { selfSubjectReviews } from './selfsubjectreview.js';
import { tokenReviews } from './tokenreview.js';

export const authenticationResources: ResourceDefinition[] = [selfSubjectReviews, tokenReviews] as ResourceDefinition[];
