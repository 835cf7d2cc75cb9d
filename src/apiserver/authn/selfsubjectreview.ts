// SelfSubjectReview (`kubectl auth whoami`): the requesting user as authentication (and any
// impersonation) made it.
import { badRequest } from '../../api/meta/status.js';
import { formatRFC3339 } from '../../api/meta/time.js';
import type { SelfSubjectReview } from '../../api/resources/authentication/selfsubjectreview.js';
import { servedUserInfo } from '../../api/resources/authentication/tokenreview.js';
import type { SubresourceHandler } from '../handler.js';
import { decodeReview, reviewCreated } from '../authz/review.js';

/** POST /apis/authentication.k8s.io/v1/selfsubjectreviews. */
export const selfSubjectReviewHandler: SubresourceHandler = async (r) => {
  const review = decodeReview<SelfSubjectReview>(r);
  if (!r.ctx.user) throw badRequest('no user present on request');
  review.metadata = { creationTimestamp: formatRFC3339(Date.now()) };
  review.status = { userInfo: servedUserInfo(r.ctx.user) };
  return reviewCreated(review);
};
