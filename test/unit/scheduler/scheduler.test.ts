// The scheduler against a real in-process apiserver: bindings, events and conditions as users see them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { resources } from '../../../src/client/resource.js';
import { Scheduler } from '../../../src/scheduler/index.js';
import { makeNode, makePod } from './fixtures.js';

async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function withCluster(fn: (c: Cluster, s: Scheduler) => Promise<void>): Promise<void> {
  const c = await startCluster();
  const s = new Scheduler(c.client, { podInitialBackoffSeconds: 0.05, podMaxBackoffSeconds: 0.2 });
  try {
    await s.start();
    await fn(c, s);
  } finally {
    await s.stop();
    await c.stop();
  }
}

function strip(pod: Pod): Pod {
  const { uid: _uid, ...metadata } = pod.metadata!;
  return { ...pod, metadata };
}

const pods = (c: Cluster) => c.client.resource<Pod & { metadata: any }>(resources.pods).namespace('default');

async function boundNode(c: Cluster, name: string): Promise<string> {
  return eventually(async () => (await pods(c).get(name)).spec?.nodeName || undefined, `${name} to be bound`);
}

async function eventsFor(c: Cluster, name: string, reason: string): Promise<Event[]> {
  const list = await c.client.resource<Event & { metadata: any }>(resources.events).namespace('default').list();
  return list.items.filter((e) => e.involvedObject.name === name && e.reason === reason);
}

test('binds pods, records Scheduled events, and explains pods that fit nowhere', async () => {
  await withCluster(async (c, s) => {
    const nodes = c.client.resource(resources.nodes);
    await nodes.create(makeNode('cp', { cpu: '4', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }) as never);
    await nodes.create(makeNode('w1', { cpu: '1' }) as never);
    await nodes.create(makeNode('w2', { cpu: '1' }) as never);

    await pods(c).create(strip(makePod('small', { cpu: '500m' })) as never);
    const node = await boundNode(c, 'small');
    assert.ok(node === 'w1' || node === 'w2', node);
    const scheduled = await eventually(async () => (await eventsFor(c, 'small', 'Scheduled'))[0], 'the Scheduled event');
    assert.equal(scheduled.message, `Successfully assigned default/small to ${node}`);
    assert.equal(scheduled.type, 'Normal');
    assert.equal(scheduled.source?.component, 'default-scheduler');

    await pods(c).create(strip(makePod('huge', { cpu: '2' })) as never);
    const expected =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    const failed = await eventually(async () => (await eventsFor(c, 'huge', 'FailedScheduling'))[0], 'the FailedScheduling event');
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, expected);
    const condition = await eventually(async () => (await pods(c).get('huge')).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'the PodScheduled condition');
    assert.equal(condition.status, 'False');
    assert.equal(condition.reason, 'Unschedulable');
    assert.equal(condition.message, expected);
    assert.equal((await pods(c).get('huge')).spec?.nodeName, undefined);

    // A pod for another scheduler is left alone.
    await pods(c).create(strip(makePod('other', { spec: { schedulerName: 'my-scheduler' } })) as never);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await pods(c).get('other')).spec?.nodeName, undefined);
    assert.equal(s.queue.has((await pods(c).get('other')).metadata!.uid), false);
  });
});

test('an unschedulable pod is placed once a node it fits joins', async () => {
  await withCluster(async (c) => {
    const nodes = c.client.resource(resources.nodes);
    await nodes.create(makeNode('a', { labels: { disk: 'hdd' } }) as never);
    await pods(c).create(strip(makePod('ssd', { spec: { nodeSelector: { disk: 'ssd' } } })) as never);
    const failed = await eventually(async () => (await eventsFor(c, 'ssd', 'FailedScheduling'))[0], 'FailedScheduling');
    assert.equal(failed.message, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    await nodes.create(makeNode('b', { labels: { disk: 'ssd' } }) as never);
    assert.equal(await boundNode(c, 'ssd'), 'b');
  });
});

test('anti-affinity on hostname with more replicas than nodes leaves the extra one Pending', async () => {
  await withCluster(async (c) => {
    const nodes = c.client.resource(resources.nodes);
    await nodes.create(makeNode('n1') as never);
    await nodes.create(makeNode('n2') as never);
    const replica = (name: string) =>
      strip(
        makePod(name, {
          labels: { app: 'web' },
          spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } },
        }),
      );
    for (const n of ['r1', 'r2', 'r3']) await pods(c).create(replica(n) as never);
    const placed = new Set<string>();
    const failedName = await eventually(async () => {
      const list = (await pods(c).list()).items;
      const pending = list.filter((p) => !p.spec?.nodeName);
      for (const p of list) if (p.spec?.nodeName) placed.add(p.spec.nodeName);
      if (placed.size < 2 || pending.length !== 1) return undefined;
      return (await eventsFor(c, pending[0].metadata!.name!, 'FailedScheduling')).length ? pending[0].metadata!.name! : undefined;
    }, 'two placed replicas and one pending');
    const [failed] = await eventsFor(c, failedName, 'FailedScheduling');
    assert.match(failed.message!, /^0\/2 nodes are available: 2 node\(s\) didn't match pod anti-affinity rules\./);
    assert.deepEqual([...placed].sort(), ['n1', 'n2']);
  });
});

test('a high-priority pod preempts a lower-priority one when nothing fits', async () => {
  await withCluster(async (c) => {
    await c.client.resource(resources.nodes).create(makeNode('only', { cpu: '1' }) as never);
    // Priority comes from a PriorityClass: the Priority admission plugin refuses a spec.priority of its own.
    await c.client.resource(resources.priorityClasses).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as never);
    await pods(c).create(strip(makePod('low', { cpu: '800m' })) as never);
    assert.equal(await boundNode(c, 'low'), 'only');
    const high = strip(makePod('high', { cpu: '800m' })) as { spec: { priorityClassName?: string } };
    high.spec.priorityClassName = 'high';
    await pods(c).create(high as never);
    const preempted = await eventually(async () => (await eventsFor(c, 'low', 'Preempted'))[0], 'the Preempted event');
    assert.match(preempted.message!, /^Preempted by pod .+ on node only$/);
    const victim = await eventually(async () => {
      const low = (await pods(c).list()).items.find((p) => p.metadata?.name === 'low');
      return !low || low.metadata?.deletionTimestamp ? (low ?? null) : undefined;
    }, 'the victim to be deleted');
    if (victim) {
      assert.equal(victim.status?.conditions?.find((x) => x.type === 'DisruptionTarget')?.reason, 'PreemptionByScheduler');
      // No kubelet runs here to finish the graceful deletion: finish it as one would.
      await pods(c).delete('low', { gracePeriodSeconds: 0 });
    }
    assert.equal((await pods(c).get('high')).status?.nominatedNodeName, 'only');
    assert.equal(await boundNode(c, 'high'), 'only');
  });
});
