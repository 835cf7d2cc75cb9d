import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimerQueue, type ArmTimer } from '../../../src/sim/timers.js';

/** A clock the test moves by hand, and a record of the single real timer the queue arms. */
function fakeTime() {
  let now = 1_000;
  const armed: { delay: number; wake: () => void; cancelled: boolean }[] = [];
  const arm: ArmTimer = (delay, wake) => {
    const t = { delay, wake, cancelled: false };
    armed.push(t);
    return () => (t.cancelled = true);
  };
  return {
    clock: () => now,
    arm,
    armed,
    live: () => armed.filter((t) => !t.cancelled),
    advance(ms: number) {
      now += ms;
    },
  };
}

test('timers fire in deadline order, each once', () => {
  const time = fakeTime();
  const q = new TimerQueue(time.clock, time.arm);
  const fired: string[] = [];
  q.schedule('c', 1_300, () => fired.push('c'));
  q.schedule('a', 1_100, () => fired.push('a'));
  q.schedule('b', 1_200, () => fired.push('b'));
  time.advance(250);
  assert.equal(q.runDue(), 2);
  assert.deepEqual(fired, ['a', 'b']);
  time.advance(1_000);
  q.runDue();
  assert.deepEqual(fired, ['a', 'b', 'c']);
  assert.equal(q.size, 0);
});

test('scheduling a key again replaces its timer, earlier or later', () => {
  const time = fakeTime();
  const q = new TimerQueue(time.clock, time.arm);
  const fired: string[] = [];
  q.schedule('lease', 1_500, () => fired.push('first'));
  q.schedule('lease', 1_100, () => fired.push('second'));
  assert.equal(q.size, 1);
  assert.equal(q.when('lease'), 1_100);
  q.schedule('lease', 1_900, () => fired.push('third'));
  time.advance(600);
  q.runDue();
  assert.deepEqual(fired, []);
  time.advance(400);
  q.runDue();
  assert.deepEqual(fired, ['third']);
});

test('cancelled timers never fire', () => {
  const time = fakeTime();
  const q = new TimerQueue(time.clock, time.arm);
  const fired: string[] = [];
  for (const k of ['x', 'y', 'z']) q.schedule(k, 1_010, () => fired.push(k));
  q.cancel('y');
  time.advance(10);
  q.runDue();
  assert.deepEqual(fired, ['x', 'z']);
});

test('one real timer is armed at a time, for the earliest deadline', () => {
  const time = fakeTime();
  const q = new TimerQueue(time.clock, time.arm);
  for (let i = 0; i < 1000; i++) q.schedule(`node-${i}`, 1_000 + 10_000 + i, () => {});
  assert.equal(time.live().length, 1);
  assert.equal(time.live()[0].delay, 10_000);
  q.schedule('soon', 1_050, () => {});
  assert.equal(time.live().length, 1);
  assert.equal(time.live()[0].delay, 50);
});

test('the armed timer runs what is due and re-arms for the next deadline', () => {
  const time = fakeTime();
  const q = new TimerQueue(time.clock, time.arm);
  const fired: string[] = [];
  q.schedule('a', 1_100, () => {
    fired.push('a');
    // A timer that schedules its successor, as lease renewals do.
    q.schedule('a', 1_300, () => fired.push('a again'));
  });
  q.schedule('b', 1_200, () => fired.push('b'));
  time.advance(100);
  time.live()[0].wake();
  assert.deepEqual(fired, ['a']);
  const next = time.live().at(-1)!;
  assert.equal(next.delay, 100);
  time.advance(250);
  next.wake();
  assert.deepEqual(fired, ['a', 'b', 'a again']);
  assert.equal(q.size, 0);
});

test('after stop nothing is scheduled or fired', () => {
  const time = fakeTime();
  const q = new TimerQueue(time.clock, time.arm);
  const fired: string[] = [];
  q.schedule('a', 1_001, () => fired.push('a'));
  q.stop();
  assert.equal(time.live().length, 0);
  q.schedule('b', 1_001, () => fired.push('b'));
  time.advance(5);
  q.runDue();
  assert.deepEqual(fired, []);
  assert.equal(q.size, 0);
});

test('the default timer fires on real time without keeping the process alive', async () => {
  const q = new TimerQueue();
  // The queue's timer is unref'd: this one keeps the test's event loop going meanwhile.
  const keepAlive = setTimeout(() => {}, 1_000);
  const fired = await new Promise<number>((resolve) => {
    const start = Date.now();
    q.schedule('real', start + 20, () => resolve(Date.now() - start));
  });
  clearTimeout(keepAlive);
  assert.ok(fired >= 15, `fired after ${fired} ms`);
  q.stop();
});
