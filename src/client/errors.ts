// Errors as a client sees them: the server's Status when it sent one, otherwise one built
// from the HTTP code with client-go's wording (apimachinery's NewGenericServerResponse).
import { failure, StatusError, type Status } from '../api/meta/status.js';

function isStatus(body: unknown): body is Status {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { kind?: unknown }).kind === 'Status' &&
    typeof (body as { code?: unknown }).code === 'number'
  );
}

const genericResponses: Record<number, [reason: string, message: string | undefined]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  403: ['Forbidden', undefined],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  406: ['NotAcceptable', undefined],
  415: ['UnsupportedMediaType', undefined],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

/** The error for a response of `code` ≥ 400; `serverMessage` is the raw body text when it was not a Status. */
export function errorFromResponse(code: number, method: string, body: unknown, serverMessage = ''): StatusError {
  if (isStatus(body)) return new StatusError(body);
  if (code === 409) {
    return failure(409, method === 'POST' ? 'AlreadyExists' : 'Conflict', 'the server reported a conflict');
  }
  const known = genericResponses[code];
  if (known) return failure(code, known[0], known[1] ?? serverMessage);
  if (code >= 500) {
    return failure(code, 'InternalError', `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`);
  }
  return failure(code, '', `the server responded with the status code ${code} but did not return more information`);
}

/** The Status an ERROR watch event carries, as an error. */
export function errorFromWatchEvent(object: unknown): StatusError {
  return isStatus(object) ? new StatusError(object) : failure(500, 'InternalError', 'watch error event without a Status');
}

function reasonOf(err: unknown): string | undefined {
  return err instanceof StatusError ? err.status.reason : undefined;
}

export function isNotFound(err: unknown): boolean {
  return reasonOf(err) === 'NotFound';
}

export function isConflict(err: unknown): boolean {
  return reasonOf(err) === 'Conflict';
}

export function isAlreadyExists(err: unknown): boolean {
  return reasonOf(err) === 'AlreadyExists';
}

export function isInvalid(err: unknown): boolean {
  return reasonOf(err) === 'Invalid';
}

export function isForbidden(err: unknown): boolean {
  return reasonOf(err) === 'Forbidden';
}

/** 410: the requested resourceVersion was compacted (reason Expired, or Gone from older servers). */
export function isResourceExpired(err: unknown): boolean {
  return err instanceof StatusError && (err.status.code === 410 || err.status.reason === 'Expired' || err.status.reason === 'Gone');
}

export function isTooManyRequests(err: unknown): boolean {
  return err instanceof StatusError && (err.status.reason === 'TooManyRequests' || err.status.code === 429);
}
