import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ActivePodTally } from '../../../src/controllers/util/pod-tally.js';

function pod(name: string, opts: { owner?: string; kind?: string; labels?: Record<string, string>; ready?: boolean; phase?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: opts.labels ?? { app: 'web' },
      ownerReferences: opts.owner ? [{ apiVersion: 'apps/v1', kind: opts.kind ?? 'ReplicaSet', name: 'web', uid: opts.owner, controller: true }] : undefined,
      deletionTimestamp: opts.deleting ? '2025-01-01T00:00:00Z' : undefined,
    },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False' }] },
  };
}

function totals(tally: ActivePodTally, uid: string) {
  let active = 0;
  let ready = 0;
  let groups = 0;
  for (const g of tally.groupsOf(uid)) {
    active += g.active;
    ready += g.ready;
    groups++;
  }
  return { active, ready, groups };
}

test('the tally counts active and ready pods per controller as pods come, change and go', () => {
  const tally = new ActivePodTally('ReplicaSet');
  tally.observe('default/a', pod('a', { owner: 'rs-1' }));
  tally.observe('default/b', pod('b', { owner: 'rs-1', ready: true }));
  tally.observe('default/c', pod('c', { owner: 'rs-2', ready: true }));
  assert.deepEqual(totals(tally, 'rs-1'), { active: 2, ready: 1, groups: 1 });
  assert.deepEqual(totals(tally, 'rs-2'), { active: 1, ready: 1, groups: 1 });

  // Readiness arrives; the same version seen again (a resync) changes nothing.
  tally.observe('default/a', pod('a', { owner: 'rs-1', ready: true }));
  tally.observe('default/a', pod('a', { owner: 'rs-1', ready: true }));
  assert.deepEqual(totals(tally, 'rs-1'), { active: 2, ready: 2, groups: 1 });

  // Terminating and finished pods are no longer active; a deleted one is gone.
  tally.observe('default/a', pod('a', { owner: 'rs-1', ready: true, deleting: true }));
  tally.observe('default/b', pod('b', { owner: 'rs-1', phase: 'Succeeded' }));
  assert.deepEqual(totals(tally, 'rs-1'), { active: 0, ready: 0, groups: 0 });
  tally.observe('default/c', undefined);
  assert.deepEqual(totals(tally, 'rs-2'), { active: 0, ready: 0, groups: 0 });
});

test('pods are grouped by their labels, move with their controller reference, and other kinds are ignored', () => {
  const tally = new ActivePodTally('ReplicaSet');
  tally.observe('default/a', pod('a', { owner: 'rs-1', labels: { app: 'web', tier: 'front' } }));
  tally.observe('default/b', pod('b', { owner: 'rs-1', labels: { app: 'web' } }));
  tally.observe('default/c', pod('c', { owner: 'rc-1', kind: 'ReplicationController' }));
  tally.observe('default/d', pod('d'));
  const groups = [...tally.groupsOf('rs-1')].map((g) => ({ labels: g.labels, active: g.active }));
  assert.deepEqual(groups, [
    { labels: { app: 'web', tier: 'front' }, active: 1 },
    { labels: { app: 'web' }, active: 1 },
  ]);
  assert.deepEqual(totals(tally, 'rc-1'), { active: 0, ready: 0, groups: 0 });

  // Released (orphaned), then adopted by another ReplicaSet.
  tally.observe('default/b', pod('b'));
  assert.deepEqual(totals(tally, 'rs-1'), { active: 1, ready: 0, groups: 1 });
  tally.observe('default/b', pod('b', { owner: 'rs-2', ready: true }));
  assert.deepEqual(totals(tally, 'rs-2'), { active: 1, ready: 1, groups: 1 });
});
