import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replicaSets } from '../../../../src/api/resources/apps/replicaset.js';
import { created, createErrors, decoded, meta, podTemplate, row, updateErrors } from './fixtures.js';

function replicaSet(spec: Record<string, unknown> = {}): any {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-5d4f'), spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), ...spec } };
}

test('a ReplicaSet defaults to one replica and starts with a zero status', () => {
  const rs = created(replicaSets, { ...replicaSet(), status: { replicas: 4 } });
  assert.equal(rs.spec.replicas, 1);
  assert.deepEqual(rs.status, { replicas: 0 });
  assert.deepEqual(createErrors(replicaSets, rs), []);
});

test('ReplicaSet validation: replicas, empty selector (named “deployment” upstream), active deadline', () => {
  const rs = decoded(replicaSets, replicaSet({ replicas: -1, selector: {}, template: podTemplate({ app: 'web' }, { activeDeadlineSeconds: 5 }) }));
  assert.deepEqual(createErrors(replicaSets, rs), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
  ]);
});

test('the selector is immutable and status counters must be consistent', () => {
  const old = created(replicaSets, replicaSet());
  const next = structuredClone(old);
  next.spec.selector.matchLabels.app = 'db';
  next.spec.template.metadata.labels.app = 'db';
  assert.deepEqual(updateErrors(replicaSets, next, old), ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"db"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable']);
  const status = { ...structuredClone(old), status: { replicas: 1, readyReplicas: 1, availableReplicas: 2 } };
  assert.deepEqual(replicaSets.validateUpdate!(status, old).map((e) => `${e.field}: ${e.detail}`), [
    'status.availableReplicas: cannot be greater than status.replicas',
    'status.availableReplicas: cannot be greater than readyReplicas',
  ]);
});

test('kubectl get replicasets columns and the status.replicas field selector', () => {
  const rs = created(replicaSets, replicaSet({ replicas: 3 }));
  rs.status = { replicas: 2, readyReplicas: 1 };
  assert.deepEqual(row(replicaSets, rs), { Name: 'web-5d4f', Desired: 3, Current: 2, Ready: 1, Age: '120m', Containers: 'web', Images: 'nginx:1.27', Selector: 'app=web' });
  assert.equal(replicaSets.fieldSelectors!['status.replicas'](rs), '2');
  assert.deepEqual(replicaSets.shortNames, ['rs']);
});
