import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState, FitError, NodeToStatus, numFeasibleNodesToFind, fitErrorMessage, Status } from '../../../src/scheduler/framework.js';
import { PodInfo } from '../../../src/scheduler/nodeinfo.js';
import { Snapshot } from '../../../src/scheduler/snapshot.js';
import { defaultPlugins } from '../../../src/scheduler/plugins/index.js';
import { frameworkFor, makeNode, makePod, nodeInfos } from './fixtures.js';

test('numFeasibleNodesToFind: all below 100 nodes, adaptive 50% − n/125 (min 5%), at least 100', () => {
  assert.equal(numFeasibleNodesToFind(0, 50), 50);
  assert.equal(numFeasibleNodesToFind(0, 1000), 420);
  assert.equal(numFeasibleNodesToFind(0, 5000), 500);
  assert.equal(numFeasibleNodesToFind(0, 100_000), 5000);
  assert.equal(numFeasibleNodesToFind(0, 150), 100);
  assert.equal(numFeasibleNodesToFind(30, 5000), 1500);
  assert.equal(numFeasibleNodesToFind(100, 5000), 5000);
});

test('FitError message: reasons counted and sorted as strings, PostFilter message appended', () => {
  const m = new NodeToStatus();
  m.set('cp', Status.unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'));
  m.set('w1', Status.unschedulable('Insufficient cpu'));
  m.set('w2', Status.unschedulable('Insufficient cpu'));
  const d = { nodeToStatus: m, unschedulablePlugins: new Set<string>(), preFilterMsg: '', postFilterMsg: 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.' };
  assert.equal(
    fitErrorMessage(3, d),
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  const pre = { nodeToStatus: new NodeToStatus(), unschedulablePlugins: new Set<string>(), preFilterMsg: 'pod has unbound immediate PersistentVolumeClaims', postFilterMsg: '' };
  assert.equal(fitErrorMessage(2, pre), '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
});

test('schedulePod: picks the node that fits and scores best; a pod that fits nowhere gets a FitError', () => {
  const nodes = [makeNode('small', { cpu: '1' }), makeNode('big', { cpu: '8' }), makeNode('tainted', { cpu: '16', taints: [{ key: 'x', effect: 'NoSchedule' }] })];
  const world = { snapshot: Snapshot.of(nodeInfos(nodes)) };
  const fw = frameworkFor(world, defaultPlugins);
  const r = fw.schedulePod(new CycleState(), new PodInfo(makePod('p', { cpu: '2' })), world.snapshot);
  assert.equal(r.suggestedHost, 'big');
  assert.throws(
    () => fw.schedulePod(new CycleState(), new PodInfo(makePod('huge', { cpu: '10' })), world.snapshot),
    (err: unknown) => err instanceof FitError && err.message === '0/3 nodes are available: 1 node(s) had untolerated taint {x: }, 2 Insufficient cpu.',
  );
});

test('schedulePod: filtering samples nodes and resumes from where the last cycle stopped', () => {
  const nodes = Array.from({ length: 300 }, (_, i) => makeNode(`n${i}`));
  const world = { snapshot: Snapshot.of(nodeInfos(nodes)) };
  const fw = frameworkFor(world, defaultPlugins);
  const first = fw.schedulePod(new CycleState(), new PodInfo(makePod('a', { cpu: '100m' })), world.snapshot);
  // 300 nodes: 50 − 300/125 = 48% → 144 feasible nodes are enough.
  assert.equal(first.evaluatedNodes, 144);
  assert.equal(first.feasibleNodes, 144);
  const second = fw.schedulePod(new CycleState(), new PodInfo(makePod('b', { cpu: '100m' })), world.snapshot);
  assert.equal(second.evaluatedNodes, 144);
  const index = (name: string) => Number(name.slice(1));
  assert.ok(index(second.suggestedHost) >= 144 && index(second.suggestedHost) < 288, second.suggestedHost);
});
