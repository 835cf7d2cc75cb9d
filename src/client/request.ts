// What the typed client needs from a transport, whichever way requests travel.
import type { ApiRequest, ApiResponse } from './transport.js';

export interface ClientTransport {
  /**
   * Sends one request. Resolves with the decoded `body`, or with `watch` when the request
   * is a watch (`watch=true`); a status ≥ 400 rejects with a StatusError carrying the
   * server's Status. Network failures reject with the underlying error.
   */
  send(req: ApiRequest): Promise<ApiResponse>;
  /** Releases pooled connections; open watches are ended. */
  close(): void;
}

export function isWatchRequest(req: ApiRequest): boolean {
  const w = req.query.get('watch');
  return w === 'true' || w === '1';
}
