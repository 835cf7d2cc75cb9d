import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { resourceQuotas, roundUpResourceList } from '../../../../src/api/resources/core/resourcequota.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const quota = (spec: ResourceQuota['spec'], status?: ResourceQuota['status']): ResourceQuota => {
  const q: ResourceQuota = { metadata: { name: 'quota', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' }, spec };
  if (status) Object.assign(q, { status });
  return q;
};
const errors = (q: ResourceQuota) => resourceQuotas.validate!(q, {}).map(fieldErrorString);

test('table: NAME AGE REQUEST LIMIT with used/hard per resource', () => {
  assert.deepEqual(resourceQuotas.table!.columns.map((c) => c.name), ['Name', 'Age', 'Request', 'Limit']);
  const q = quota({}, { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '2Gi' }, used: { pods: '1', 'limits.memory': '512Mi' } });
  assert.deepEqual(resourceQuotas.table!.cells(q, NOW), ['quota', '60m', 'pods: 1/10, requests.cpu: 0/1', 'limits.memory: 512Mi/2Gi']);
});

test('hard limits: quota resource names, whole counts, scopes that fit', () => {
  assert.deepEqual(errors(quota({ hard: { pods: '1500m', widgets: '1', 'example.com/gpu': '2' } })), [
    'spec.hard[pods]: Invalid value: "1500m": must be an integer',
    'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
    'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
  ]);
  assert.deepEqual(errors(quota({ hard: { secrets: '1' }, scopes: ['BestEffort', 'NotBestEffort'] })), [
    'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: unsupported scope applied to resource',
    'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: unsupported scope applied to resource',
    'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
  ]);
  assert.deepEqual(errors(quota({ scopeSelector: { matchExpressions: [{ scopeName: 'Terminating', operator: 'In', values: ['x'] }] } })), [
    "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
  ]);
});

test('status is the quota controller\'s; scopes are immutable', () => {
  const q = quota({ hard: { pods: '1' } }, { used: { pods: '5' } });
  resourceQuotas.prepareForCreate!(q);
  assert.deepEqual(q.status, {});
  assert.deepEqual(resourceQuotas.validateUpdate!(quota({ scopes: ['Terminating'] }), quota({})).map(fieldErrorString), [
    'spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating"}: field is immutable',
  ]);
});

test('resource lists round quantities finer than a thousandth up', () => {
  const list = { cpu: '0.0001', memory: '1.5Gi', storage: '10Gi' };
  roundUpResourceList(list);
  assert.deepEqual(list, { cpu: '1m', memory: '1.5Gi', storage: '10Gi' });
});
