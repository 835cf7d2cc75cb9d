import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState, NodeToStatus, Status } from '../../../src/scheduler/framework.js';
import { PodInfo } from '../../../src/scheduler/nodeinfo.js';
import { Snapshot } from '../../../src/scheduler/snapshot.js';
import { defaultPlugins } from '../../../src/scheduler/plugins/index.js';
import { DefaultPreemption, filterPodsWithPDBViolation, pickOneNodeForPreemption } from '../../../src/scheduler/plugins/defaultpreemption.js';
import { fakeHandle, makeNode, makePod, nodeInfos, type FakeWorld } from './fixtures.js';
import { Framework } from '../../../src/scheduler/framework.js';

function setup(pods: Pod[], extra: Partial<FakeWorld> = {}) {
  const world: FakeWorld = { snapshot: Snapshot.of(nodeInfos([makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '2' })], pods)), ...extra };
  const h = fakeHandle(world);
  h.framework = new Framework(defaultPlugins(h), h);
  return { world, h, fw: h.framework, preemption: new DefaultPreemption(h) };
}

test('victims: the fewest lower-priority pods whose removal lets the pod fit', () => {
  const pods = [
    makePod('low-a', { nodeName: 'n1', cpu: '1', priority: 10 }),
    makePod('low-b', { nodeName: 'n1', cpu: '1', priority: 20 }),
    makePod('equal', { nodeName: 'n2', cpu: '2', priority: 100 }),
  ];
  const { world, fw, preemption } = setup(pods);
  const pod = new PodInfo(makePod('hi', { cpu: '1', priority: 100 }));
  const state = new CycleState();
  fw.runPreFilterPlugins(state, pod, world.snapshot, { nodeToStatus: new NodeToStatus(), unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' });
  const n1 = preemption.selectVictimsOnNode(state.clone(), pod, world.snapshot.get('n1')!.clone(), []);
  assert.deepEqual(n1.victims.map((v) => v.name), ['low-a'], 'the lowest priority pod goes, the other is reprieved');
  const n2 = preemption.selectVictimsOnNode(state.clone(), pod, world.snapshot.get('n2')!.clone(), []);
  assert.equal(n2.status?.message(), 'No preemption victims found for incoming pod');
});

test('PodDisruptionBudgets: pods beyond disruptionsAllowed are violating; candidates without violations win', () => {
  const a = new PodInfo(makePod('a', { labels: { app: 'db' } }));
  const b = new PodInfo(makePod('b', { labels: { app: 'db' } }));
  const c = new PodInfo(makePod('c', { labels: { app: 'web' } }));
  const pdb = { metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 1 } };
  const { violating, nonViolating } = filterPodsWithPDBViolation([a, b, c], [pdb as never]);
  assert.deepEqual(violating.map((p) => p.name), ['b']);
  assert.deepEqual(nonViolating.map((p) => p.name), ['a', 'c']);
  const pick = pickOneNodeForPreemption([
    { nodeName: 'x', victims: [a], numPDBViolations: 1 },
    { nodeName: 'y', victims: [c, b], numPDBViolations: 0 },
  ]);
  assert.equal(pick?.nodeName, 'y');
  const lowest = pickOneNodeForPreemption([
    { nodeName: 'x', victims: [new PodInfo(makePod('p5', { priority: 5 }))], numPDBViolations: 0 },
    { nodeName: 'y', victims: [new PodInfo(makePod('p1', { priority: 1 })), new PodInfo(makePod('p0', { priority: 0 }))], numPDBViolations: 0 },
  ]);
  assert.equal(lowest?.nodeName, 'y', 'the node whose most important victim matters least');
});

test('PostFilter: nominates a node when victims exist; explains when preemption cannot help', async () => {
  const { world, fw, preemption } = setup([makePod('low', { nodeName: 'n1', cpu: '2', priority: 0 }), makePod('peer', { nodeName: 'n2', cpu: '2', priority: 100 })]);
  const pod = new PodInfo(makePod('hi', { cpu: '1', priority: 100 }));
  const state = new CycleState();
  const statuses = new NodeToStatus();
  fw.runPreFilterPlugins(state, pod, world.snapshot, { nodeToStatus: statuses, unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' });
  statuses.set('n1', Status.unschedulable('Insufficient cpu'));
  statuses.set('n2', Status.unschedulable('Insufficient cpu'));
  const r = await preemption.postFilter(state, pod, statuses);
  assert.ok(r.status.isSuccess());
  assert.equal(r.result?.nominatedNodeName, 'n1');

  const never = new PodInfo(makePod('never', { cpu: '1', priority: 100, spec: { preemptionPolicy: 'Never' } }));
  const refused = await preemption.postFilter(state, never, statuses);
  assert.equal(refused.status.message(), 'preemption: not eligible due to preemptionPolicy=Never.');

  const tainted = new NodeToStatus();
  tainted.set('n1', Status.unresolvable('node(s) had untolerated taint {x: }'));
  tainted.set('n2', Status.unschedulable('Insufficient cpu'));
  const low = new PodInfo(makePod('low-pod', { cpu: '1', priority: 0 }));
  const none = await preemption.postFilter(new CycleState(), low, tainted);
  assert.equal(none.status.message(), 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
});
