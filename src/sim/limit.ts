// A transport that keeps at most `limit` requests of its callers in flight, queueing the rest in
// order. Simulated kubelets send their events through one, so that a burst of thousands of
// Pulled/Created/Started events trails behind the status writes instead of crowding them out.
import type { ClientTransport } from '../client/request.js';
import type { ApiRequest, ApiResponse } from '../client/transport.js';

export class LimitedTransport implements ClientTransport {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: ClientTransport,
    private readonly limit: number,
  ) {}

  async send(req: ApiRequest): Promise<ApiResponse> {
    if (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
    try {
      return await this.inner.send(req);
    } finally {
      // A waiter takes over this slot directly, so the count never exceeds the limit.
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  /** The inner transport belongs to whoever made it. */
  close(): void {}
}
