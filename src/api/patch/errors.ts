// The Status answers kube-apiserver gives for patches it cannot apply.
import { StatusError, badRequest, failure } from '../meta/status.js';

export { badRequest };

/**
 * 422 for a patch that does not apply to the object (a failed JSON patch op, lists of
 * lists). Upstream builds it with NewGenericServerResponse, which replaces the cause with
 * a generic message and leaves empty details; the cause is kept on the error for logs.
 */
export function patchNotApplicable(cause: string): StatusError {
  const err = failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  err.cause = new Error(cause);
  return err;
}

/** 500 with no reason: upstream hands strategic merge errors it does not classify to the handler as plain errors. */
export function patchFailed(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}
