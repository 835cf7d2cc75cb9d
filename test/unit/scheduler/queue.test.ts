import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionType, Status } from '../../../src/scheduler/framework.js';
import { SchedulingQueue } from '../../../src/scheduler/queue.js';
import { SchedulingGates } from '../../../src/scheduler/plugins/schedulinggates.js';
import { NodeResourcesFit } from '../../../src/scheduler/plugins/noderesourcesfit.js';
import { TaintToleration } from '../../../src/scheduler/plugins/tainttoleration.js';
import { makePod } from './fixtures.js';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function newQueue(c = clock()) {
  const gates = new SchedulingGates();
  const events = new Map([
    [new NodeResourcesFit().name, new NodeResourcesFit().eventsToRegister()],
    [new TaintToleration().name, new TaintToleration().eventsToRegister()],
  ]);
  const q = new SchedulingQueue({ now: c.now, preEnqueue: (p) => gates.preEnqueue(p)?.withPlugin(gates.name), eventsByPlugin: events });
  return { q, c };
}

test('activeQ pops higher priority first, then the older pod', async () => {
  const { q, c } = newQueue();
  q.add(makePod('low', { priority: 0 }));
  c.advance(1);
  q.add(makePod('high', { priority: 1000 }));
  c.advance(1);
  q.add(makePod('low2', { priority: 0 }));
  const names = [];
  for (let i = 0; i < 3; i++) names.push((await q.pop())!.podInfo.name);
  assert.deepEqual(names, ['high', 'low', 'low2']);
});

test('pop waits for a pod; close releases the waiter', async () => {
  const { q } = newQueue();
  const waiting = q.pop();
  q.add(makePod('p'));
  assert.equal((await waiting)?.podInfo.name, 'p');
  const again = q.pop();
  q.close();
  assert.equal(await again, undefined);
});

test('failed attempts back off 1 s, 2 s, 4 s … up to 10 s', async () => {
  const { q, c } = newQueue();
  q.add(makePod('p'));
  const expected = [1000, 2000, 4000, 8000, 10_000, 10_000];
  for (const wait of expected) {
    const qp = (await q.pop())!;
    // An error (no rejecting plugin) goes to backoffQ.
    q.addUnschedulableIfNotPresent(qp, q.currentCycle);
    assert.equal(q.whereIs(qp.key), 'backoff');
    c.advance(wait - 1);
    q.flushBackoffQCompleted();
    assert.equal(q.whereIs(qp.key), 'backoff', `still backing off before ${wait} ms`);
    c.advance(1);
    q.flushBackoffQCompleted();
    assert.equal(q.whereIs(qp.key), 'active', `active after ${wait} ms`);
  }
});

test('an unschedulable pod waits for an event its rejecting plugin registered for', async () => {
  const { q, c } = newQueue();
  q.add(makePod('p', { cpu: '2' }));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  // Another pod's cycle starts after this one, so no move request is pending for it.
  q.addUnschedulableIfNotPresent(qp, q.currentCycle + 1);
  assert.equal(q.whereIs(qp.key), 'unschedulable');
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.UpdateNodeCondition });
  assert.equal(q.whereIs(qp.key), 'unschedulable', 'a condition change does not concern NodeResourcesFit');
  c.advance(5000);
  q.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Delete });
  assert.equal(q.whereIs(qp.key), 'active');
});

test('a pod re-activated while still backing off goes to backoffQ', async () => {
  const { q } = newQueue();
  q.add(makePod('p'));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['TaintToleration']);
  q.addUnschedulableIfNotPresent(qp, q.currentCycle + 1);
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add });
  assert.equal(q.whereIs(qp.key), 'backoff');
});

test('an event during the attempt sends the failed pod to backoff instead of the unschedulable map', async () => {
  const { q } = newQueue();
  q.add(makePod('p'));
  const qp = (await q.pop())!;
  const cycle = q.currentCycle;
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add });
  qp.unschedulablePlugins = new Set(['TaintToleration']);
  q.addUnschedulableIfNotPresent(qp, cycle);
  assert.equal(q.whereIs(qp.key), 'backoff');
});

test('unschedulable pods are retried after 5 minutes without events', async () => {
  const { q, c } = newQueue();
  q.add(makePod('p'));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(qp, q.currentCycle + 1);
  c.advance(4 * 60_000);
  q.flushUnschedulablePodsLeftover();
  assert.equal(q.whereIs(qp.key), 'unschedulable');
  c.advance(60_001);
  q.flushUnschedulablePodsLeftover();
  assert.equal(q.whereIs(qp.key), 'active');
});

test('scheduling gates hold a pod until an update removes them', () => {
  const { q } = newQueue();
  const gated = makePod('g', { spec: { schedulingGates: [{ name: 'example.com/wait' }] } });
  q.add(gated);
  assert.equal(q.whereIs(gated.metadata!.uid!), 'gated');
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add });
  assert.equal(q.whereIs(gated.metadata!.uid!), 'gated', 'cluster events do not release gated pods');
  const ungated = { ...gated, spec: { ...gated.spec!, schedulingGates: [] } };
  q.update(gated, ungated);
  assert.equal(q.whereIs(gated.metadata!.uid!), 'active');
});

test('SchedulingGates names the gates', () => {
  const s = new SchedulingGates().preEnqueue(new (class {
    pod = makePod('g', { spec: { schedulingGates: [{ name: 'a' }, { name: 'b' }] } });
  })() as never);
  assert.ok(s instanceof Status);
  assert.equal(s.message(), 'waiting for scheduling gates: [a b]');
});

test('deleting a pod removes it wherever it waits, nominations included', async () => {
  const { q } = newQueue();
  const pod = makePod('p');
  q.add(pod);
  const qp = (await q.pop())!;
  q.addNominatedPod(qp.podInfo, 'n1');
  assert.equal(q.nominatedPodsForNode('n1').length, 1);
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(qp, q.currentCycle + 1);
  q.delete(pod);
  assert.equal(q.whereIs(qp.key), undefined);
  assert.equal(q.nominatedPodsForNode('n1').length, 0);
});
