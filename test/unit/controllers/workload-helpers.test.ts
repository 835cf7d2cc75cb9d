import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { computeHash, safeEncodeString } from '../../../src/controllers/util/hash.js';
import { podsToDelete } from '../../../src/controllers/util/pod-ranking.js';
import { slowStartBatch } from '../../../src/controllers/util/slow-start.js';
import { UIDTrackingExpectations } from '../../../src/controllers/util/expectations-uid.js';
import { daemonPodTolerations, nodeShouldRunDaemonPod } from '../../../src/controllers/daemonset.js';

test('computeHash is stable for a template whatever its key order, and changes with the collision count', () => {
  const a = computeHash({ metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const b = computeHash({ spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { tier: 'x', app: 'web' } } });
  assert.equal(a, b);
  assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.notEqual(computeHash({ spec: {} }, 1), computeHash({ spec: {} }, 2));
  assert.notEqual(computeHash({ spec: {} }), computeHash({ spec: { x: 1 } }));
  // Decimal digits map into the vowel-free alphabet, as upstream renders the FNV sum.
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; created?: string; cost?: string; restarts?: number } = {}): Pod {
  return {
    metadata: { name, uid: name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z', annotations: o.cost ? { 'controller.kubernetes.io/pod-deletion-cost': o.cost } : {} },
    spec: { nodeName: o.node, containers: [] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.created ?? '2026-01-01T00:00:00Z' }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: o.restarts ?? 0 }],
    },
  };
}

test('surplus pods go unscheduled first, then pending, not ready, cheap, doubled-up, newer', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  const names = (ps: Pod[]) => ps.map((p) => p.metadata!.name);
  const pods = [
    pod('running', { node: 'n1' }),
    pod('unscheduled', { phase: 'Pending' }),
    pod('pending', { node: 'n2', phase: 'Pending' }),
    pod('unready', { node: 'n3', ready: false }),
  ];
  assert.deepEqual(names(podsToDelete(pods, pods, 3, now)), ['unscheduled', 'pending', 'unready']);
  const costly = [pod('expensive', { node: 'n1', cost: '100' }), pod('cheap', { node: 'n2', cost: '-5' })];
  assert.deepEqual(names(podsToDelete(costly, costly, 1, now)), ['cheap']);
  const doubled = [pod('alone', { node: 'n1' }), pod('shared', { node: 'n2' })];
  assert.deepEqual(names(podsToDelete(doubled, [...doubled, pod('other', { node: 'n2' })], 1, now)), ['shared']);
  const ages = [pod('old', { node: 'n1', created: '2025-01-01T00:00:00Z' }), pod('young', { node: 'n2', created: '2026-01-01T23:59:00Z' })];
  assert.deepEqual(names(podsToDelete(ages, ages, 1, now)), ['young']);
  const restarts = [pod('steady', { node: 'n1' }), pod('crashy', { node: 'n2', restarts: 4 })];
  assert.deepEqual(names(podsToDelete(restarts, restarts, 1, now)), ['crashy']);
});

test('slowStartBatch sends 1, 2, 4 … and stops after the first failing batch', async () => {
  const calls: number[] = [];
  const all = await slowStartBatch(10, 1, async (i) => {
    calls.push(i);
  });
  assert.deepEqual(all, { successes: 10 });
  assert.equal(calls.length, 10);
  let sent = 0;
  const failing = await slowStartBatch(10, 1, async (i) => {
    sent++;
    if (i === 2) throw new Error('quota exceeded');
  });
  // Batches of 1 and 2 (the second fails): 3 sent, 2 succeeded, nothing more.
  assert.equal(sent, 3);
  assert.equal(failing.successes, 2);
  assert.equal((failing.error as Error).message, 'quota exceeded');
});

test('a pod seen twice on its way out counts as one deletion', () => {
  const e = new UIDTrackingExpectations();
  e.expectDeletionsOf('ns/rs', ['a', 'b']);
  e.deletionObservedOf('ns/rs', 'a');
  e.deletionObservedOf('ns/rs', 'a');
  assert.equal(e.satisfied('ns/rs'), false);
  e.deletionObservedOf('ns/rs', 'c');
  assert.equal(e.satisfied('ns/rs'), false);
  e.deletionFailed('ns/rs', 'b');
  assert.equal(e.satisfied('ns/rs'), true);
});

function node(name: string, o: { labels?: Record<string, string>; taints?: { key: string; value?: string; effect: string }[] } = {}): Node {
  return { metadata: { name, labels: o.labels ?? {} }, spec: { taints: o.taints } };
}

function ds(spec: Record<string, unknown> = {}): DaemonSet {
  return { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c' }], ...spec } } } };
}

test('which nodes a daemon runs on: selectors, affinity and taints with the automatic tolerations', () => {
  assert.deepEqual(nodeShouldRunDaemonPod(node('n'), ds()), { shouldRun: true, shouldContinueRunning: true });
  assert.equal(nodeShouldRunDaemonPod(node('n'), ds({ nodeSelector: { disk: 'ssd' } })).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('n', { labels: { disk: 'ssd' } }), ds({ nodeSelector: { disk: 'ssd' } })).shouldRun, true);
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } };
  assert.equal(nodeShouldRunDaemonPod(node('n', { labels: { zone: 'b' } }), ds({ affinity })).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('n', { labels: { zone: 'c' } }), ds({ affinity })).shouldRun, false);
  assert.deepEqual(nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), ds()), { shouldRun: false, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'evict', effect: 'NoExecute' }] }), ds()), { shouldRun: false, shouldContinueRunning: false });
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    assert.equal(nodeShouldRunDaemonPod(node('n', { taints: [{ key, effect: 'NoExecute' }] }), ds()).shouldRun, true, key);
  }
  for (const key of ['node.kubernetes.io/unschedulable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure']) {
    assert.equal(nodeShouldRunDaemonPod(node('n', { taints: [{ key, effect: 'NoSchedule' }] }), ds()).shouldRun, true, key);
  }
  const network = node('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] });
  assert.equal(nodeShouldRunDaemonPod(network, ds()).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(network, ds({ hostNetwork: true })).shouldRun, true);
  const tolerated = ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] });
  assert.equal(nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), tolerated).shouldRun, true);
  assert.equal(daemonPodTolerations(tolerated.spec!.template).length, 7);
});
