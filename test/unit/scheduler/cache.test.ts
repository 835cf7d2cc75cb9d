import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cache } from '../../../src/scheduler/cache.js';
import { PodInfo } from '../../../src/scheduler/nodeinfo.js';
import { Snapshot } from '../../../src/scheduler/snapshot.js';
import { makeNode, makePod } from './fixtures.js';

test('the snapshot copies only NodeInfos changed since the last update', () => {
  const cache = new Cache();
  for (let i = 0; i < 5; i++) cache.addNode(makeNode(`n${i}`));
  const snap = new Snapshot();
  cache.updateSnapshot(snap);
  assert.equal(snap.numNodes, 5);
  const before = new Map(snap.nodeInfoList.map((ni) => [ni.name, ni.generation]));
  const list = snap.nodeInfoList;
  cache.assumePod(new PodInfo(makePod('p', { nodeName: 'n3', cpu: '1' })));
  cache.updateSnapshot(snap);
  assert.equal(snap.nodeInfoList, list, 'the node list is kept when no node came or went');
  for (const ni of snap.nodeInfoList) {
    if (ni.name === 'n3') assert.ok(ni.generation > before.get('n3')!);
    else assert.equal(ni.generation, before.get(ni.name), `${ni.name} untouched`);
  }
  assert.equal(snap.get('n3')!.requested.milliCPU, 1000);
  // The snapshot's copy is independent of the cache's NodeInfo.
  assert.notEqual(snap.get('n3'), cache.nodeInfo('n3'));
});

test('assumed pods: confirmed by the informer, or forgotten when binding fails', () => {
  const cache = new Cache();
  cache.addNode(makeNode('n1'));
  const pod = makePod('p', { cpu: '500m' });
  const assumed = new PodInfo(pod).withNodeName('n1');
  cache.assumePod(assumed);
  assert.ok(cache.isAssumedPod(assumed.key));
  assert.equal(cache.nodeInfo('n1')!.requested.milliCPU, 500);
  cache.forgetPod(assumed);
  assert.equal(cache.nodeInfo('n1')!.requested.milliCPU, 0);
  cache.assumePod(assumed);
  cache.finishBinding(assumed);
  cache.addPod({ ...pod, spec: { ...pod.spec!, nodeName: 'n1' } });
  assert.ok(!cache.isAssumedPod(assumed.key));
  assert.equal(cache.nodeInfo('n1')!.pods.length, 1);
  cache.removePod(pod);
  assert.equal(cache.nodeInfo('n1')!.pods.length, 0);
});

test('assumed pods whose binding finished expire after the TTL if never confirmed', () => {
  const cache = new Cache(1000);
  cache.addNode(makeNode('n1'));
  const assumed = new PodInfo(makePod('p', { cpu: '1' })).withNodeName('n1');
  cache.assumePod(assumed);
  cache.finishBinding(assumed, 0);
  assert.equal(cache.cleanupAssumedPods(999).length, 0);
  assert.deepEqual(cache.cleanupAssumedPods(1000).map((p) => p.name), ['p']);
  assert.equal(cache.nodeInfo('n1')!.requested.milliCPU, 0);
});

test('nodes are listed round-robin across zones; removed nodes leave the snapshot', () => {
  const cache = new Cache();
  const zoned = (name: string, zone: string) => makeNode(name, { labels: { 'topology.kubernetes.io/zone': zone } });
  for (const n of [zoned('a1', 'a'), zoned('a2', 'a'), zoned('a3', 'a'), zoned('b1', 'b'), zoned('b2', 'b')]) cache.addNode(n);
  const snap = new Snapshot();
  cache.updateSnapshot(snap);
  assert.deepEqual(snap.nodeInfoList.map((n) => n.name), ['a1', 'b1', 'a2', 'b2', 'a3']);
  cache.removeNode(zoned('b1', 'b'));
  cache.updateSnapshot(snap);
  assert.deepEqual(snap.nodeInfoList.map((n) => n.name), ['a1', 'b2', 'a2', 'a3']);
  assert.equal(snap.get('b1'), undefined);
});

test('the snapshot tracks nodes with affinity pods and used claims', () => {
  const cache = new Cache();
  cache.addNode(makeNode('n1'));
  cache.addNode(makeNode('n2'));
  const snap = new Snapshot();
  cache.updateSnapshot(snap);
  assert.equal(snap.havePodsWithRequiredAntiAffinityList.length, 0);
  cache.addPod(
    makePod('anti', {
      nodeName: 'n2',
      spec: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { a: 'b' } }, topologyKey: 'kubernetes.io/hostname' }] } },
        volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }],
      },
    }),
  );
  cache.updateSnapshot(snap);
  assert.deepEqual(snap.havePodsWithRequiredAntiAffinityList.map((n) => n.name), ['n2']);
  assert.deepEqual(snap.havePodsWithAffinityList.map((n) => n.name), ['n2']);
  assert.ok(snap.usedPVCSet.has('default/data'));
});
