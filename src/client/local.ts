// The in-process transport: requests go straight to the apiserver's handler, objects
// travel without JSON. Bodies are deep-copied on the way in so the server never holds the
// caller's object; responses are the server's own objects (possibly frozen).
import { internalError, StatusError } from '../api/meta/status.js';
import { errorFromResponse } from './errors.js';
import type { ClientTransport } from './request.js';
import type { ApiRequest, ApiResponse, LocalApi, UserInfo } from './transport.js';
import { deepCopy } from '../api/patch/json.js';

export class LocalTransport implements ClientTransport {
  constructor(
    private readonly api: LocalApi,
    /** Who the requests come from (the component's identity), unless a request names its own user. */
    private readonly user?: UserInfo,
  ) {}

  async send(req: ApiRequest): Promise<ApiResponse> {
    // Objects, never Tables or YAML: the same representation the HTTP transport asks for.
    const headers = req.headers.accept ? req.headers : { ...req.headers, accept: 'application/json' };
    const inbound: ApiRequest = { ...req, headers, user: req.user ?? this.user };
    if (req.body !== undefined) inbound.body = deepCopy(req.body);
    let res: ApiResponse;
    try {
      res = await this.api.handle(inbound);
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw internalError(err instanceof Error ? err.message : String(err));
    }
    let body = res.body;
    if (body === undefined && res.encoded !== undefined && res.encoded.length > 0) body = JSON.parse(res.encoded.toString('utf8'));
    if (res.status >= 400) {
      res.watch?.stop();
      throw errorFromResponse(res.status, req.method, body, typeof body === 'string' ? body : '');
    }
    return res.body === body ? res : { ...res, body };
  }

  close(): void {}
}
