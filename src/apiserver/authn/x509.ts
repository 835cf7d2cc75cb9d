// Client certificate authentication: a certificate the TLS handshake verified against the cluster
// CA (for client use) names the user in its CN and the groups in its O values, as upstream's x509
// authenticator with CommonNameUserConversion. One verified certificate serves every request of
// a connection: the user is worked out once per socket.
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { EXTRA_CREDENTIAL_ID, withAuthenticatedGroup, type UserInfo } from '../../api/auth/user.js';

/** A connection's certificate: a user, none (no certificate, or one without a CN), or why it is refused. */
type CertificateResult = { user?: UserInfo; notAfter: number } | { error: string };

const bySocket = new WeakMap<TLSSocket, CertificateResult>();

function examine(socket: TLSSocket): CertificateResult {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.raw) return { notAfter: Infinity };
  if (!socket.authorized) return { error: `x509: ${String(socket.authorizationError ?? 'certificate not verified')}` };
  const notAfter = Date.parse(cert.valid_to);
  const cn = cert.subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return { notAfter };
  const o = cert.subject?.O;
  const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
  const id = `X509SHA256=${createHash('sha256').update(cert.raw).digest('hex')}`;
  // With system:authenticated already, as the authenticator chain adds it: made once per connection.
  return { user: withAuthenticatedGroup({ username: name, groups, extra: { [EXTRA_CREDENTIAL_ID]: [id] } }), notAfter };
}

/**
 * The user of the client certificate on `socket` (in system:authenticated): undefined when it
 * carries none (or one without a common name), a string saying why when it carries one that is not valid.
 */
export function clientCertificateUser(socket: TLSSocket): UserInfo | string | undefined {
  let result = bySocket.get(socket);
  if (!result) bySocket.set(socket, (result = examine(socket)));
  if ('error' in result) return result.error;
  // A long-lived connection outlives its certificate: expiry is checked on every request.
  if (Date.now() > result.notAfter) return 'x509: certificate has expired or is not yet valid';
  return result.user;
}
