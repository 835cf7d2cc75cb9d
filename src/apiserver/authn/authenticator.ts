// Request authentication in kube-apiserver's order: a client certificate, else a bearer token,
// else anonymous. A credential that is presented and fails (a certificate of another CA, an
// unknown, expired or revoked token) is a 401, never anonymous. Every authenticated user is also
// in system:authenticated. Requests from the in-process transport carry no credentials: they are
// the API server's loopback client, as upstream's privileged loopback connection.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { failure, type StatusError } from '../../api/meta/status.js';
import {
  ALL_UNAUTHENTICATED_GROUP,
  ANONYMOUS_USER,
  APISERVER_USER,
  SYSTEM_PRIVILEGED_GROUP,
  ALL_AUTHENTICATED_GROUP,
  withAuthenticatedGroup,
  type UserInfo,
} from '../../api/auth/user.js';
import type { TokenAuthentication } from '../../api/auth/token.js';
import { clientCertificateUser } from './x509.js';

/** Authenticates a bearer token for audiences (default: the API server's); undefined when no authenticator knows it. */
export type TokenAuthenticator = (token: string, audiences?: readonly string[]) => Promise<TokenAuthentication | undefined>;

export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

const ANONYMOUS: UserInfo = Object.freeze({ username: ANONYMOUS_USER, groups: Object.freeze([ALL_UNAUTHENTICATED_GROUP]) as string[] });

/** The in-process clients' identity: a new UID per API server, as upstream's loopback token. */
export function loopbackUser(): UserInfo {
  return { username: APISERVER_USER, uid: randomUUID(), groups: [SYSTEM_PRIVILEGED_GROUP, ALL_AUTHENTICATED_GROUP] };
}

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header (or none). */
export function bearerToken(header: string | undefined): string | undefined {
  const parts = (header ?? '').trim().split(' ', 3);
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

/** Authenticates `token` as a request would, and why not when it fails ("invalid bearer token" when no authenticator knows it). */
export async function authenticateToken(tokens: TokenAuthenticator | undefined, token: string, audiences?: readonly string[]): Promise<TokenAuthentication> {
  const result = tokens ? await tokens(token, audiences) : undefined;
  if (!result) return { error: 'invalid bearer token' };
  return 'user' in result ? { user: withAuthenticatedGroup(result.user), audiences: result.audiences } : result;
}

/** The user an HTTP request authenticates as; throws a 401 for a credential that does not hold. */
export async function authenticateRequest(req: IncomingMessage, tokens: TokenAuthenticator | undefined): Promise<UserInfo> {
  const socket = req.socket as TLSSocket;
  let certificateError: string | undefined;
  if (typeof socket.getPeerCertificate === 'function') {
    const fromCertificate = clientCertificateUser(socket);
    if (typeof fromCertificate === 'object') return fromCertificate;
    certificateError = fromCertificate;
  }
  const token = bearerToken(req.headers.authorization);
  if (token !== undefined) {
    const result = await authenticateToken(tokens, token);
    if ('user' in result) return result.user;
    throw unauthorized();
  }
  if (certificateError) throw unauthorized();
  return ANONYMOUS;
}
