import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import {
  deploymentTimedOut,
  findNewReplicaSet,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  replicaSetProportion,
  resolveFenceposts,
  setCondition,
  setNewReplicaSetAnnotations,
} from '../../../src/controllers/deployment-util.js';

function deployment(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', type = 'RollingUpdate'): Deployment {
  return {
    metadata: { name: 'web', generation: 1, annotations: { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: type === 'Recreate' ? { type } : { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } },
      progressDeadlineSeconds: 600,
    },
  };
}

function rs(name: string, replicas: number, annotations: Record<string, string> = {}, image = 'nginx:1', created = '2026-01-01T00:00:00Z'): ReplicaSet {
  return {
    metadata: { name, annotations, creationTimestamp: created },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

test('fenceposts: surge rounds up, unavailability rounds down, and both zero allow one unavailable', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts('25%', '25%', 1), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts(0, 0, 5), { surge: 0, unavailable: 1 });
  assert.deepEqual(resolveFenceposts('0%', '0%', 5), { surge: 0, unavailable: 1 });
  assert.equal(maxUnavailable(deployment(2, 0, 5)), 2, 'never more than the replicas');
  assert.equal(maxUnavailable(deployment(3, 1, 1, 'Recreate')), 0);
  assert.equal(maxSurge(deployment(4, '50%', 0)), 2);
});

test('the new ReplicaSet grows by at most maxSurge above the desired total', () => {
  const d = deployment(10, 3, 0);
  const old = rs('old', 10);
  const fresh = rs('new', 0, {}, 'nginx:2');
  assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 3);
  assert.equal(newRSNewReplicas(d, [rs('old', 7), rs('new', 3)], rs('new', 3)), 6);
  assert.equal(newRSNewReplicas(d, [rs('old', 13), fresh], fresh), 0, 'already at replicas + surge');
  assert.equal(newRSNewReplicas(deployment(4, 1, 1, 'Recreate'), [fresh], fresh), 4);
});

test('proportional scaling shares new replicas by each ReplicaSet\'s part of max-replicas', () => {
  // 8 desired + 2 surge = 10, previously 4 + 2 = 6 → 4·10/6 = 6.67 → 7 (+3), then 2·10/6 = 3.33 → 3 (+1 of the 1 left).
  const d = deployment(8, 2, 0);
  const big = rs('big', 4, { 'deployment.kubernetes.io/max-replicas': '6' });
  const small = rs('small', 2, { 'deployment.kubernetes.io/max-replicas': '6' });
  const first = replicaSetProportion(big, d, 4, 0);
  assert.equal(first, 3);
  assert.equal(replicaSetProportion(small, d, 4, first), 1);
  // Scaling to zero takes everything away.
  assert.equal(replicaSetProportion(big, deployment(0, 2, 0), -6, 0), -4);
});

test('a rolled-back ReplicaSet gets the next revision and remembers its old ones', () => {
  const d = deployment(3);
  const back = rs('web-2', 0, { 'deployment.kubernetes.io/revision': '2' });
  assert.equal(setNewReplicaSetAnnotations(d, back, 4, true), true);
  assert.equal(back.metadata!.annotations!['deployment.kubernetes.io/revision'], '4');
  assert.equal(back.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '2');
  assert.equal(back.metadata!.annotations!['kubernetes.io/change-cause'], 'v2');
  assert.equal(back.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration'], undefined);
  setNewReplicaSetAnnotations(d, back, 6, true);
  assert.equal(back.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '2,4');
  assert.equal(setNewReplicaSetAnnotations(d, back, 5, true), false, 'a smaller revision changes nothing');

  const fresh = rs('web-3', 0);
  setNewReplicaSetAnnotations(d, fresh, 1, false);
  assert.deepEqual(
    [fresh.metadata!.annotations!['deployment.kubernetes.io/revision'], fresh.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], fresh.metadata!.annotations!['deployment.kubernetes.io/max-replicas']],
    ['1', '3', '4'],
  );
});

test('the new ReplicaSet is the oldest whose template matches, ignoring pod-template-hash', () => {
  const d = deployment(3);
  const a = rs('a', 1, {}, 'nginx:2', '2026-01-02T00:00:00Z');
  const b = rs('b', 1, {}, 'nginx:2', '2026-01-01T00:00:00Z');
  assert.equal(findNewReplicaSet(d, [a, b, rs('c', 1)])?.metadata?.name, 'b');
  assert.equal(findNewReplicaSet(d, [rs('c', 1)]), undefined);
});

test('conditions keep their transition time while the status stays; the deadline counts from the last update', () => {
  const status = {};
  setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'Created new replica set "web-1"', Date.parse('2026-01-01T00:00:00Z')));
  setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "web-1" is progressing.', Date.parse('2026-01-01T00:05:00Z')));
  const [c] = (status as { conditions: { lastTransitionTime: string; lastUpdateTime: string; reason: string }[] }).conditions;
  assert.equal(c.reason, 'ReplicaSetUpdated');
  assert.equal(c.lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(c.lastUpdateTime, '2026-01-01T00:05:00Z');
  const d = deployment(3);
  assert.equal(deploymentTimedOut(d, status, Date.parse('2026-01-01T00:14:59Z')), false);
  assert.equal(deploymentTimedOut(d, status, Date.parse('2026-01-01T00:15:01Z')), true);
});
