// ControllerExpectations, as upstream: after a controller asks for N creations or deletions
// it waits until its informer has seen them before acting on the same key again, so a slow
// watch never makes it create or delete twice.

const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now) {}

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, at: this.now() });
  }

  expectDeletions(key: string, n: number): void {
    this.byKey.set(key, { add: 0, del: n, at: this.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.del--;
  }

  /** A creation that was expected but will never happen (the create call failed). */
  lowerExpectations(key: string, add: number, del: number): void {
    const e = this.byKey.get(key);
    if (e) {
      e.add -= add;
      e.del -= del;
    }
  }

  /** True when nothing is pending for `key` (or what was pending is too old to wait for). */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || this.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
