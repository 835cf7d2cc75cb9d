// One timer for every simulated node and pod: a keyed min-heap of deadlines behind a single
// setTimeout, so ten thousand nodes renewing leases cost one armed timer, not ten thousand.

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
  index: number;
}

export class TimerQueue {
  private readonly heap: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private cancelArmed?: () => void;
  private armedAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly armTimer: ArmTimer = realTimer,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** When the key's timer fires, or undefined when none is scheduled. */
  when(key: string): number | undefined {
    return this.byKey.get(key)?.at;
  }

  /** Runs `fn` at `at` (clock time); a timer already scheduled under `key` is replaced. */
  schedule(key: string, at: number, fn: () => void): void {
    if (this.stopped) return;
    const existing = this.byKey.get(key);
    if (existing) {
      existing.fn = fn;
      const earlier = at < existing.at;
      existing.at = at;
      if (earlier) this.up(existing.index);
      else this.down(existing.index);
    } else {
      const e: Entry = { key, at, fn, index: this.heap.length };
      this.heap.push(e);
      this.byKey.set(key, e);
      this.up(e.index);
    }
    this.arm();
  }

  cancel(key: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    this.removeAt(e.index);
    this.byKey.delete(key);
  }

  /** Runs every timer that is due, earliest first; returns how many ran. */
  runDue(): number {
    const now = this.clock();
    let ran = 0;
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const e = this.heap[0];
      this.removeAt(0);
      this.byKey.delete(e.key);
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
    this.heap.length = 0;
    this.byKey.clear();
  }

  private arm(): void {
    const next = this.heap[0];
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

  private removeAt(i: number): void {
    const last = this.heap.pop()!;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    last.index = i;
    this.up(i);
    this.down(last.index);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i];
    const b = this.heap[j];
    this.heap[i] = b;
    this.heap[j] = a;
    a.index = j;
    b.index = i;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.heap[parent].at <= this.heap[i].at) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && this.heap[l].at < this.heap[min].at) min = l;
      if (r < n && this.heap[r].at < this.heap[min].at) min = r;
      if (min === i) return;
      this.swap(i, min);
      i = min;
    }
  }
}
