import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  RateLimitingQueue,
  runWorkers,
} from '../../../src/client/index.js';
import { eventually, holdOpen, sleep } from './helpers.js';

test('an item is queued once however often it is added', async () => {
  const q = new RateLimitingQueue();
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(q.len(), 0);
});

test('an item added while being processed is handed out again only after done', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue();
  q.add('a');
  const a = await q.get();
  q.add('a');
  assert.equal(q.len(), 0, 'not queued while processing');
  let second: string | undefined;
  void q.get().then((k) => (second = k));
  await sleep(5);
  assert.equal(second, undefined);
  q.done(a!);
  await eventually(() => second === 'a', 'a to come back after done');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('workers never process one key at the same time', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue();
  const running = new Set<string>();
  let overlaps = 0;
  let runs = 0;
  const workers = runWorkers(q, 4, async (key) => {
    if (running.has(key)) overlaps++;
    running.add(key);
    runs++;
    await sleep(2);
    running.delete(key);
  });
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 30; i++) q.add(`k${i % 3}`);
    await sleep(1);
  }
  await eventually(() => q.len() === 0 && running.size === 0, 'the queue to empty');
  q.shutDown();
  await workers;
  assert.equal(overlaps, 0);
  assert.ok(runs >= 3 && runs <= 30, `de-duplicated: ${runs} runs for 150 adds`);
});

test('addAfter makes the item ready after the delay; a second addAfter keeps the earlier time', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue();
  q.addAfter('late', 40);
  q.addAfter('late', 2000);
  q.addAfter('now', 0);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'now');
  const t0 = performance.now();
  assert.equal(await q.get(), 'late');
  const waited = performance.now() - t0;
  assert.ok(waited >= 30 && waited < 1500, `waited ${waited} ms`);
});

test('delayed items come out in time order', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue();
  q.addAfter('c', 30);
  q.addAfter('a', 10);
  q.addAfter('b', 20);
  const order = [await q.get(), await q.get(), await q.get()];
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('per-item back-off doubles from 5 ms up to 1000 s and forget resets it', () => {
  const rl = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
  assert.deepEqual([rl.when('x'), rl.when('x'), rl.when('x'), rl.when('x')], [5, 10, 20, 40]);
  assert.equal(rl.when('y'), 5, 'independent per item');
  assert.equal(rl.numRequeues('x'), 4);
  for (let i = 0; i < 40; i++) rl.when('x');
  assert.equal(rl.when('x'), 1000_000);
  rl.forget('x');
  assert.equal(rl.numRequeues('x'), 0);
  assert.equal(rl.when('x'), 5);
});

test('the overall bucket allows a burst of 100 and then 10 per second', () => {
  const rl = new BucketRateLimiter<string>(10, 100);
  for (let i = 0; i < 100; i++) assert.equal(rl.when(`i${i}`), 0);
  const next = rl.when('one more');
  assert.ok(next > 90 && next <= 100, `${next}`);
  const after = rl.when('and another');
  assert.ok(after > 190 && after <= 200, `${after}`);
});

test('the default controller limiter takes the larger of both delays', () => {
  const rl = defaultControllerRateLimiter<string>();
  assert.equal(rl.when('a'), 5);
  for (let i = 0; i < 100; i++) rl.when(`burst${i}`);
  assert.ok(rl.when('b') > 90, 'the bucket dominates once the burst is spent');
  assert.equal(rl.numRequeues('a'), 1);
});

test('addRateLimited counts requeues and delays by the back-off', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(20, 1000) });
  q.addRateLimited('x');
  assert.equal(q.len(), 0);
  assert.equal(q.numRequeues('x'), 1);
  await eventually(() => q.len() === 1, 'x after its back-off');
  q.forget('x');
  assert.equal(q.numRequeues('x'), 0);
});

test('shutDown: waiting gets return undefined, queued items still drain, adds are ignored', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue();
  const waiting = q.get();
  q.shutDown();
  assert.equal(await waiting, undefined);

  const q2 = new RateLimitingQueue();
  q2.add('queued');
  q2.addAfter('delayed', 10);
  q2.shutDown();
  q2.add('ignored');
  assert.equal(q2.shuttingDown, true);
  assert.equal(await q2.get(), 'queued');
  assert.equal(await q2.get(), undefined);
  await sleep(20);
  assert.equal(q2.len(), 0, 'delayed items are dropped at shutdown');
});

test('shutDownWithDrain waits for items in flight to be done', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue();
  q.add('a');
  const a = await q.get();
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  await sleep(10);
  assert.equal(drained, false);
  q.done(a!);
  await drain;
  assert.equal(drained, true);
});

test('runWorkers re-queues failures with back-off and forgets on success', async (t) => {
  holdOpen(t);
  const q = new RateLimitingQueue({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(1, 100) });
  let calls = 0;
  const requeuesSeen: number[] = [];
  const errors: string[] = [];
  const workers = runWorkers(
    q,
    2,
    async (key) => {
      calls++;
      requeuesSeen.push(q.numRequeues(key));
      if (calls < 3) throw new Error(`fail ${calls}`);
    },
    { onError: (key, err) => errors.push(`${key}: ${(err as Error).message}`) },
  );
  q.add('k');
  await eventually(() => calls === 3, 'two retries');
  assert.deepEqual(requeuesSeen, [0, 1, 2]);
  assert.deepEqual(errors, ['k: fail 1', 'k: fail 2']);
  assert.equal(q.numRequeues('k'), 0, 'forgotten after success');
  q.shutDown();
  await workers;
});
