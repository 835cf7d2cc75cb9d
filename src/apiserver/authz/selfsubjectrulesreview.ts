// SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules the requesting user holds in a
// namespace, as the authorizer enumerates them.
import { badRequest } from '../../api/meta/status.js';
import type { SelfSubjectRulesReview } from '../../api/resources/authorization/selfsubjectrulesreview.js';
import type { SubresourceHandler } from '../handler.js';
import type { Authorizer } from './authorizer.js';
import { decodeReview, reviewCreated } from './review.js';

/** POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews. */
export function selfSubjectRulesReviewHandler(authorizer: Authorizer): SubresourceHandler {
  return async (r) => {
    const review = decodeReview<SelfSubjectRulesReview>(r);
    if (!r.ctx.user) throw badRequest('no user present on request');
    const namespace = review.spec?.namespace ?? '';
    if (!namespace) throw badRequest('no namespace on request');
    review.status = authorizer.rulesFor(r.ctx.user, namespace);
    return reviewCreated(review);
  };
}
