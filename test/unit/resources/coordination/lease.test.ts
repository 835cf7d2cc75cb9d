import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leases } from '../../../../src/api/resources/coordination/lease.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from '../networking/fixture.js';

type Lease = Parameters<NonNullable<typeof leases.validate>>[0];

function lease(spec: NonNullable<Lease['spec']>): Lease {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease', creationTimestamp: CREATED }, spec };
}

test('a full lease passes schema validation with no unknown fields', () => {
  const full = lease({
    holderIdentity: 'node-1',
    leaseDurationSeconds: 40,
    acquireTime: '2024-05-01T10:00:00.000000Z',
    renewTime: '2024-05-01T10:05:00.123456Z',
    leaseTransitions: 2,
    strategy: 'OldestEmulationVersion',
    preferredHolder: 'node-2',
  });
  assert.deepEqual(schemaProblems(full, leases.schemaName), []);
});

test('leases may be created by PUT (heartbeats and leader election do so)', () => {
  assert.equal(leases.allowCreateOnUpdate, true);
  assert.equal(leases.namespaced, true);
});

test('duration must be positive and transitions not negative', () => {
  assert.deepEqual(createErrors(leases, lease({ leaseDurationSeconds: 0, leaseTransitions: -1 })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('coordinated leader election fields are dropped (feature off), but kept once stored', () => {
  const fresh = created(leases, lease({ holderIdentity: 'a', strategy: 'OldestEmulationVersion', preferredHolder: 'b' }));
  assert.deepEqual(fresh.spec, { holderIdentity: 'a' });
  const old = lease({ strategy: 'OldestEmulationVersion' });
  assert.deepEqual(updateErrors(leases, lease({ strategy: 'Newest' }), old), [
    'spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"',
  ]);
});

test('table: NAME HOLDER AGE', () => {
  assert.deepEqual(columns(leases), ['Name', 'Holder', 'Age']);
  assert.deepEqual(cells(leases, lease({ holderIdentity: 'node-1' })), ['node-1', 'node-1', '5h']);
  assert.deepEqual(cells(leases, lease({})), ['node-1', '', '5h']);
});
