import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../../../src/api/schema/defaults.js';
import { defs, deployment } from './fixture.js';

test('absent fields get their defaults, recursing into objects and list items', () => {
  const d = deployment();
  applyDefaults(d, 'io.k8s.api.apps.v1.Deployment', defs);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate' });
  assert.deepEqual(d.status, {});
  assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.equal(d.spec.template.spec.containers[0].name, 'nginx');
});

test('present values are kept, and defaults are copies', () => {
  const a = deployment();
  const b = deployment();
  a.spec.strategy = { type: 'Recreate' };
  applyDefaults(a, 'io.k8s.api.apps.v1.Deployment', defs);
  applyDefaults(b, 'io.k8s.api.apps.v1.Deployment', defs);
  assert.deepEqual(a.spec.strategy, { type: 'Recreate' });
  b.status.replicas = 3;
  const c = deployment();
  applyDefaults(c, 'io.k8s.api.apps.v1.Deployment', defs);
  assert.deepEqual(c.status, {});
});

test('map values and nulls follow structural defaulting', () => {
  const c = { metadata: { name: 'c' }, spec: { cronSpec: '* * * * *', replicas: null, mode: null, note: null, labels: { a: null, b: 'y' } } };
  applyDefaults(c, 'com.example.stable.v1.CronTab', defs);
  // null with a default gets the default; null without one in a non-nullable field is dropped; nullable keeps null.
  assert.deepEqual(c.spec, { cronSpec: '* * * * *', replicas: 1, note: null, labels: { a: 'x', b: 'y' } });
});

test('defaults declared where a definition is referred to apply to that field', () => {
  const d: Record<string, any> = { spec: { template: {} } };
  applyDefaults(d, 'io.k8s.api.apps.v1.Deployment', defs);
  // ObjectMeta's creationTimestamp is a metav1.Time, no pointer: Go writes its zero as null.
  assert.deepEqual(d.spec.template, { metadata: { creationTimestamp: null }, spec: {} });
  assert.deepEqual(d.metadata, { creationTimestamp: null });
});
