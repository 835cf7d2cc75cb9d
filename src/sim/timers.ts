// One timer for every simulated node and pod: a keyed min-heap of deadlines behind a single
// setTimeout, so ten thousand nodes renewing leases cost one armed timer, not ten thousand.
import { KeyedHeap } from '../util/heap.js';

/** Arms a one-shot wake-up after `delayMs`; returns how to cancel it. */
export type ArmTimer = (delayMs: number, wake: () => void) => () => void;

const realTimer: ArmTimer = (delayMs, wake) => {
  const t = setTimeout(wake, delayMs);
  // The simulation never keeps a process alive by itself.
  t.unref();
  return () => clearTimeout(t);
};

interface Entry {
  key: string;
  at: number;
  fn: () => void;
}

export class TimerQueue {
  private readonly heap = new KeyedHeap<Entry>(
    (e) => e.key,
    (a, b) => a.at < b.at,
  );
  private cancelArmed?: () => void;
  private armedAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly armTimer: ArmTimer = realTimer,
  ) {}

  get size(): number {
    return this.heap.size;
  }

  /** When the key's timer fires, or undefined when none is scheduled. */
  when(key: string): number | undefined {
    return this.heap.get(key)?.at;
  }

  /** Runs `fn` at `at` (clock time); a timer already scheduled under `key` is replaced. */
  schedule(key: string, at: number, fn: () => void): void {
    if (this.stopped) return;
    this.heap.addOrUpdate({ key, at, fn });
    this.arm();
  }

  cancel(key: string): void {
    this.heap.delete(key);
  }

  /** Runs every timer that is due, earliest first; returns how many ran. */
  runDue(): number {
    const now = this.clock();
    let ran = 0;
    for (let e = this.heap.peek(); e && e.at <= now; e = this.heap.peek()) {
      this.heap.pop();
      ran++;
      e.fn();
    }
    return ran;
  }

  /** Cancels everything; schedule() is ignored from now on. */
  stop(): void {
    this.stopped = true;
    this.cancelArmed?.();
    this.cancelArmed = undefined;
    this.heap.clear();
  }

  private arm(): void {
    const next = this.heap.peek();
    if (!next || next.at >= this.armedAt) return;
    this.cancelArmed?.();
    this.armedAt = next.at;
    this.cancelArmed = this.armTimer(Math.max(0, next.at - this.clock()), () => this.wake());
  }

  private wake(): void {
    this.cancelArmed = undefined;
    this.armedAt = Infinity;
    this.runDue();
    this.arm();
  }
}
