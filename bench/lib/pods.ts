// Counting pods as a user would see them reach a stage (bound to a node, Running): one watch,
// each pod counted once, with the time the last one got there. The scheduling and simulation
// benchmarks time "until N pods are X" with it.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Client } from '../../src/client/client.js';
import { resources } from '../../src/client/resource.js';
import { progress } from './stats.js';

export const isBound = (pod: Pod): boolean => !!pod.spec?.nodeName;
export const isRunning = (pod: Pod): boolean => pod.status?.phase === 'Running';

export interface PodStageOptions {
  /** Watch one namespace only (default all). */
  namespace?: string;
  labelSelector?: string;
  /** What counts: a pod is counted the first time an event shows it so. */
  reached: (pod: Pod) => boolean;
  /** Name of the stage for progress lines ("bound", "Running"). */
  stage: string;
}

/**
 * Watches pods from the current revision (so start it before the pods are created) and counts
 * the distinct pods that reach the stage; `until(n)` resolves when n have, with the
 * performance.now() of the n-th.
 */
export class PodStageCounter {
  private readonly seen = new Set<string>();
  private lastAt = 0;
  private waiter?: { count: number; resolve: (at: number) => void; reject: (err: Error) => void };
  private failure?: Error;
  private stopWatch?: () => void;

  private constructor(private readonly opts: PodStageOptions) {}

  static async start(client: Client, opts: PodStageOptions): Promise<PodStageCounter> {
    const counter = new PodStageCounter(opts);
    const pods = opts.namespace ? client.resource<Pod>(resources.pods).namespace(opts.namespace) : client.resource<Pod>(resources.pods);
    const { resourceVersion } = (await pods.list({ labelSelector: opts.labelSelector, limit: 1 })).metadata;
    const watch = pods.watch(
      { resourceVersion, labelSelector: opts.labelSelector, timeoutSeconds: 3600 },
      (e) => {
        if (e.type === 'ADDED' || e.type === 'MODIFIED') counter.observe(e.object);
      },
      (err) => counter.fail(err ?? new Error('the pod watch ended')),
    );
    counter.stopWatch = () => watch.stop();
    return counter;
  }

  get count(): number {
    return this.seen.size;
  }

  private observe(pod: Pod): void {
    if (!this.opts.reached(pod)) return;
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.lastAt = performance.now();
    if (this.waiter && this.seen.size >= this.waiter.count) {
      this.waiter.resolve(this.lastAt);
      this.waiter = undefined;
    }
  }

  private fail(err: Error): void {
    this.failure = err;
    this.waiter?.reject(err);
    this.waiter = undefined;
  }

  /** Resolves with the time the `count`-th pod reached the stage; a progress line every 5 s meanwhile. */
  until(count: number, timeoutMs = 30 * 60_000): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.seen.size >= count) return Promise.resolve(this.lastAt);
    const ticker = setInterval(() => progress(`  ${this.seen.size}/${count} pods ${this.opts.stage}`), 5_000);
    const timeout = setTimeout(() => this.fail(new Error(`only ${this.seen.size}/${count} pods ${this.opts.stage} after ${timeoutMs / 1000} s`)), timeoutMs);
    return new Promise<number>((resolve, reject) => (this.waiter = { count, resolve, reject })).finally(() => {
      clearInterval(ticker);
      clearTimeout(timeout);
    });
  }

  stop(): void {
    this.stopWatch?.();
  }
}

/** Seconds from one performance.now() stamp to another, to two decimals. */
export function secondsBetween(from: number, to: number): number {
  return Math.round((to - from) / 10) / 100;
}

/**
 * Creates `total` objects with at most `concurrency` requests in flight (as a controller's burst or a
 * load test's clients would). Resolves with the performance.now() of the first send and the last answer.
 */
export async function createAll(total: number, concurrency: number, create: (i: number) => Promise<unknown>): Promise<{ firstAt: number; lastAt: number }> {
  let next = 0;
  const firstAt = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await create(next++);
    }),
  );
  return { firstAt, lastAt: performance.now() };
}
