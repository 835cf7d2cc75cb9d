// The access reviews: SubjectAccessReview (any user), LocalSubjectAccessReview (any user, in one
// namespace) and SelfSubjectAccessReview (the requesting user, `kubectl auth can-i`), answered by
// the API server's authorizer as it would decide the request described.
import type { UserInfo } from '../../api/auth/user.js';
import { badRequest } from '../../api/meta/status.js';
import {
  validateAccessReviewSpec,
  validateReviewMetadata,
  type AccessReview,
  type SubjectAccessReviewSpec,
  type SubjectAccessReviewStatus,
} from '../../api/resources/authorization/subjectaccessreview.js';
import { validateLocalSubjectAccessReview } from '../../api/resources/authorization/localsubjectaccessreview.js';
import type { SubresourceHandler } from '../handler.js';
import type { Attributes } from './attributes.js';
import type { Authorizer } from './authorizer.js';
import { checkReview, decodeReview, reviewCreated } from './review.js';
import { deepCopy } from '../../api/patch/json.js';

/** AuthorizationAttributesFrom: the request a review describes, made by `user`. */
function reviewAttributes(spec: SubjectAccessReviewSpec, user: UserInfo): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      resourceRequest: true,
      path: '',
      namespace: r.namespace ?? '',
      apiGroup: r.group ?? '',
      apiVersion: r.version || '*',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      name: r.name ?? '',
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', resourceRequest: false, path: n.path ?? '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

function answer(authorizer: Authorizer, review: AccessReview, user: UserInfo) {
  const d = authorizer.authorize(reviewAttributes(review.spec ?? {}, user));
  const status: SubjectAccessReviewStatus = { allowed: d.decision === 'Allow' };
  if (d.decision === 'Deny') status.denied = true;
  if (d.reason) status.reason = d.reason;
  if (d.error) status.evaluationError = d.error;
  review.status = status;
  return reviewCreated(review);
}

/** The user a SubjectAccessReview names. */
function specUser(spec: SubjectAccessReviewSpec): UserInfo {
  const user: UserInfo = { username: spec.user ?? '', groups: [...(spec.groups ?? [])] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = deepCopy(spec.extra);
  return user;
}

/** POST /apis/authorization.k8s.io/v1/subjectaccessreviews. */
export function subjectAccessReviewHandler(authorizer: Authorizer): SubresourceHandler {
  return async (r) => {
    const review = decodeReview<AccessReview>(r);
    checkReview(review, [...validateAccessReviewSpec(review.spec ?? {}, true), ...validateReviewMetadata(review, false)]);
    return answer(authorizer, review, specUser(review.spec ?? {}));
  };
}

/** POST /apis/authorization.k8s.io/v1/namespaces/{ns}/localsubjectaccessreviews. */
export function localSubjectAccessReviewHandler(authorizer: Authorizer): SubresourceHandler {
  return async (r) => {
    if (!r.namespace) throw badRequest(`namespace is required on this type: ${r.namespace}`);
    const review = decodeReview<AccessReview>(r);
    checkReview(review, validateLocalSubjectAccessReview(review));
    return answer(authorizer, review, specUser(review.spec ?? {}));
  };
}

/** POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews: the question asked of the requesting user. */
export function selfSubjectAccessReviewHandler(authorizer: Authorizer): SubresourceHandler {
  return async (r) => {
    const review = decodeReview<AccessReview>(r);
    checkReview(review, [...validateAccessReviewSpec(review.spec ?? {}, false), ...validateReviewMetadata(review, false)]);
    if (!r.ctx.user) throw badRequest('no user present on request');
    return answer(authorizer, review, r.ctx.user);
  };
}
