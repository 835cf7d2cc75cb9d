import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, EventRecorder, resources, type EventType } from '../../../src/client/index.js';
import { FakeApi } from '../../support/fake-api.js';
import { sleep } from './helpers.js';

function setup(aggregationWindowMs?: number) {
  const api = new FakeApi();
  const client = Client.local(api);
  const recorder = new EventRecorder(client, { component: 'deployment-controller', host: 'node-1', aggregationWindowMs });
  const events = client.resource(resources.events);
  return { api, client, recorder, events };
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u-123', resourceVersion: '7' },
};

test('an event is written as a core/v1 Event about the object', async () => {
  const { recorder, events } = setup();
  recorder.event(pod, 'Normal', 'Scheduled', 'Successfully assigned shop/web-1 to node-1');
  await recorder.flush();
  const list = await events.list();
  assert.equal(list.items.length, 1);
  const e = list.items[0];
  assert.match(e.metadata.name, /^web-1\.[0-9a-f]{16,}$/);
  assert.equal(e.metadata.namespace, 'shop');
  assert.deepEqual(e.involvedObject, { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'u-123', apiVersion: 'v1', resourceVersion: '7' });
  assert.equal(e.reason, 'Scheduled');
  assert.equal(e.message, 'Successfully assigned shop/web-1 to node-1');
  assert.equal(e.type, 'Normal');
  assert.deepEqual(e.source, { component: 'deployment-controller', host: 'node-1' });
  assert.equal(e.reportingComponent, 'deployment-controller');
  assert.equal(e.reportingInstance, 'node-1');
  assert.equal(e.count, 1);
  assert.match(e.firstTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(e.lastTimestamp, e.firstTimestamp);
});

test('identical events are aggregated into one whose count grows', async () => {
  const { recorder, events } = setup();
  for (let i = 0; i < 4; i++) recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  recorder.event(pod, 'Warning', 'BackOff', 'a different message');
  await recorder.flush();
  const list = (await events.namespace('shop').list()).items;
  assert.equal(list.length, 2);
  const backoff = list.find((e) => e.message === 'Back-off restarting failed container')!;
  assert.equal(backoff.count, 4);
  assert.equal(list.find((e) => e.message === 'a different message')!.count, 1);
});

test('events of cluster-scoped objects go to the default namespace', async () => {
  const { recorder, events } = setup();
  recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n' } }, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady');
  await recorder.flush();
  const list = await events.namespace('default').list();
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].involvedObject.kind, 'Node');
  assert.equal(list.items[0].involvedObject.namespace, undefined);
});

test('two events in the same millisecond get different names', async () => {
  const { recorder, events } = setup();
  recorder.event(pod, 'Normal', 'A', 'one');
  recorder.event(pod, 'Normal', 'B', 'two');
  await recorder.flush();
  const names = (await events.list()).items.map((e) => e.metadata.name);
  assert.equal(new Set(names).size, 2);
});

test('outside the aggregation window a repeat creates a new event', async () => {
  const { recorder, events } = setup(1);
  recorder.event(pod, 'Normal', 'Pulled', 'pulled');
  await recorder.flush();
  await sleep(5);
  recorder.event(pod, 'Normal', 'Pulled', 'pulled');
  await recorder.flush();
  assert.equal((await events.list()).items.length, 2);
});

test('an aggregated event deleted meanwhile is written again with its count', async () => {
  const { recorder, events } = setup();
  recorder.event(pod, 'Normal', 'Killing', 'Stopping container');
  await recorder.flush();
  const [first] = (await events.list()).items;
  await events.namespace('shop').delete(first.metadata.name);
  recorder.event(pod, 'Normal', 'Killing', 'Stopping container');
  await recorder.flush();
  const [again] = (await events.list()).items;
  assert.equal(again.metadata.name, first.metadata.name);
  assert.equal(again.count, 2);
});

test('recording never throws, even with the server down or a bad type', async () => {
  const { api, recorder, events } = setup();
  api.down = true;
  assert.doesNotThrow(() => recorder.event(pod, 'Normal', 'Started', 'Started container'));
  recorder.event(pod, 'Bogus' as EventType, 'Started', 'ignored');
  await recorder.flush();
  api.down = false;
  assert.equal((await events.list()).items.length, 0);
});
