// slowStartBatch: many creations are sent in batches of 1, 2, 4 … so that a pod spec the API
// rejects fails once, not hundreds of times; the first failing batch stops the rest.

export interface SlowStartResult {
  successes: number;
  /** The first error, when a batch failed. */
  error?: unknown;
}

export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export async function slowStartBatch(count: number, initialBatchSize: number, fn: (i: number) => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    let error: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else error ??= r.reason;
    }
    if (error !== undefined) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}
