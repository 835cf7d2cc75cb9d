// client-go's rate-limited work queue: an item is queued at most once, never handed to two
// workers at once (one added while being processed is queued again on `done`), can be
// delayed, and is retried with per-item exponential back-off under an overall token bucket.
import { KeyedHeap } from '../util/heap.js';

export interface RateLimiter<K> {
  /** How long to wait before the item may be processed again; counts a failure. */
  when(item: K): number;
  /** Stops tracking the item: its next failure starts from the base delay. */
  forget(item: K): void;
  numRequeues(item: K): number;
}

/** base · 2^failures, capped at max (milliseconds). */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();

  constructor(
    private readonly baseDelayMs = 5,
    private readonly maxDelayMs = 1000_000,
  ) {}

  when(item: K): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    return Math.min(this.baseDelayMs * 2 ** exp, this.maxDelayMs);
  }

  forget(item: K): void {
    this.failures.delete(item);
  }

  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }
}

/** A token bucket over all items (golang.org/x/time/rate reservations): `qps` refill, `burst` capacity. */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
  ) {
    this.tokens = burst;
  }

  when(_item: K): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: K): void {}

  numRequeues(_item: K): number {
    return 0;
  }
}

/** The longest delay of all its limiters. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(item: K): number {
    let delay = 0;
    for (const l of this.limiters) delay = Math.max(delay, l.when(item));
    return delay;
  }

  forget(item: K): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: K): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(item));
    return n;
  }
}

/** client-go's DefaultControllerRateLimiter: 5 ms → 1000 s per item, 10 qps with a burst of 100 overall. */
export function defaultControllerRateLimiter<K>(): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(new ItemExponentialFailureRateLimiter<K>(5, 1000_000), new BucketRateLimiter<K>(10, 100));
}

interface Delayed<K> {
  item: K;
  readyAt: number;
}

/** Items waiting for their time, earliest first, behind a single unref'd timer. */
class DelayHeap<K> {
  private readonly heap = new KeyedHeap<Delayed<K>, K>(
    (d) => d.item,
    (a, b) => a.readyAt < b.readyAt,
  );
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;

  constructor(private readonly onReady: (item: K) => void) {}

  /** Schedules the item; one already waiting keeps the earlier of the two times, as client-go does. */
  schedule(item: K, readyAt: number): void {
    const existing = this.heap.get(item);
    if (existing && readyAt >= existing.readyAt) return;
    this.heap.addOrUpdate({ item, readyAt });
    this.arm();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.heap.clear();
  }

  private arm(): void {
    const next = this.heap.peek();
    if (!next || next.readyAt >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next.readyAt;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next.readyAt - performance.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    for (let next = this.heap.peek(); next && next.readyAt <= now; next = this.heap.peek()) {
      this.heap.pop();
      this.onReady(next.item);
    }
    this.arm();
  }
}

export interface QueueOptions<K> {
  rateLimiter?: RateLimiter<K>;
}

export class RateLimitingQueue<K = string> {
  /** FIFO order of items ready to hand out, read from `head`. */
  private items: K[] = [];
  private head = 0;
  /** Items that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiters: ((item: K | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private readonly delayed: DelayHeap<K>;
  private readonly rateLimiter: RateLimiter<K>;
  private shuttingDownFlag = false;
  private draining = false;

  constructor(opts: QueueOptions<K> = {}) {
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>();
    this.delayed = new DelayHeap<K>((item) => this.add(item));
  }

  get shuttingDown(): boolean {
    return this.shuttingDownFlag;
  }

  add(item: K): void {
    if (this.shuttingDownFlag || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.items.push(item);
    this.dispatch();
  }

  /** Items ready to be handed out (not counting those being processed or still delayed). */
  len(): number {
    return this.items.length - this.head;
  }

  /** The next item, once one is ready; `undefined` when the queue is shut down and empty. */
  get(): Promise<K | undefined> {
    if (this.len() > 0) return Promise.resolve(this.take());
    if (this.shuttingDownFlag) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks the item processed; if it was added meanwhile it is queued again. */
  done(item: K): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.items.push(item);
      this.dispatch();
    }
    if (this.draining && this.processing.size === 0) {
      for (const w of this.drainWaiters.splice(0)) w();
    }
  }

  addAfter(item: K, delayMs: number): void {
    if (this.shuttingDownFlag) return;
    if (delayMs <= 0) this.add(item);
    else this.delayed.schedule(item, performance.now() + delayMs);
  }

  addRateLimited(item: K): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: K): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: K): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Ignores new items from now on; items already queued are still handed out, then `get` yields undefined. */
  shutDown(): void {
    this.shuttingDownFlag = true;
    this.delayed.clear();
    if (this.len() === 0) for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Shuts down and resolves once every item handed out has been marked done. */
  shutDownWithDrain(): Promise<void> {
    this.draining = true;
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private take(): K {
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    this.processing.add(item);
    return item;
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.len() > 0) this.waiters.shift()!(this.take());
    if (this.shuttingDownFlag && this.len() === 0) for (const w of this.waiters.splice(0)) w(undefined);
  }
}

export interface WorkerOptions<K> {
  /** Called when a reconcile fails (the key is then re-queued with back-off). */
  onError?(key: K, err: unknown): void;
}

/**
 * Runs `n` workers taking keys from the queue until it shuts down: a reconcile that
 * succeeds forgets the key's back-off, one that fails re-queues it rate-limited.
 */
export async function runWorkers<K>(
  queue: RateLimitingQueue<K>,
  n: number,
  reconcile: (key: K) => Promise<void>,
  opts: WorkerOptions<K> = {},
): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      try {
        await reconcile(key);
        queue.forget(key);
      } catch (err) {
        opts.onError?.(key, err);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
}
