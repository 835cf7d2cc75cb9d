// TokenReview: authenticates a bearer token for another component (a webhook authenticator, an
// aggregated API server), for the audiences it accepts or the API server's own.
import { badRequest } from '../../api/meta/status.js';
import { servedUserInfo, type TokenReview } from '../../api/resources/authentication/tokenreview.js';
import type { SubresourceHandler } from '../handler.js';
import { decodeReview, reviewCreated } from '../authz/review.js';
import { authenticateToken, type TokenAuthenticator } from './authenticator.js';

/** POST /apis/authentication.k8s.io/v1/tokenreviews. */
export function tokenReviewHandler(tokens: TokenAuthenticator | undefined): SubresourceHandler {
  return async (r) => {
    const review = decodeReview<TokenReview>(r);
    const token = review.spec?.token ?? '';
    if (!token) throw badRequest('token is required for TokenReview in authentication');
    const audiences = review.spec?.audiences?.length ? review.spec.audiences : undefined;
    const result = await authenticateToken(tokens, token, audiences);
    review.status = 'user' in result ? { authenticated: true, user: servedUserInfo(result.user), audiences: result.audiences } : { user: {}, error: result.error };
    return reviewCreated(review);
  };
}
