import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { serviceAccounts } from '../../../../src/api/resources/core/serviceaccount.js';

test('secret references keep only their names; the table counts them', () => {
  const sa: ServiceAccount = { metadata: { name: 'builder', creationTimestamp: '2024-05-01T11:00:00Z' }, secrets: [{ name: 'tok', namespace: 'x', uid: 'u' }] };
  serviceAccounts.prepareForCreate!(sa);
  assert.deepEqual(sa.secrets, [{ name: 'tok' }]);
  assert.deepEqual(serviceAccounts.table!.columns.map((c) => c.name), ['Name', 'Secrets', 'Age']);
  assert.deepEqual(serviceAccounts.table!.cells(sa, Date.parse('2024-05-01T12:00:00Z')), ['builder', 1, '60m']);
  assert.deepEqual(serviceAccounts.shortNames, ['sa']);
});
