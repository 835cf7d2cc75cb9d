import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, decodePatch } from '../../../src/api/patch/index.js';
import { assertStatus, frozen } from './fixture.js';

const deployment = () =>
  frozen({
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis:7' }] } },
    },
  });

const invalidPatch = { code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' };

test('objects merge recursively and null deletes a key', () => {
  const out = applyPatch('merge', deployment(), { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 5 } }) as any;
  assert.deepEqual(out.metadata.labels, { app: 'web', env: 'prod' });
  assert.equal(out.spec.replicas, 5);
  assert.equal(out.spec.template.spec.containers.length, 2);
});

test('lists are replaced whole (kubectl scale, kubectl patch --type merge)', () => {
  const out = applyPatch('merge', deployment(), { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } }) as any;
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'c', image: 'busybox' }]);
});

test('nulls inside new values are dropped from objects, kept as list elements', () => {
  const out = applyPatch('merge', deployment(), { spec: { strategy: { type: 'Recreate', rollingUpdate: null }, list: [null, { a: null, b: 1 }] } }) as any;
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  assert.deepEqual(out.spec.list, [null, { b: 1 }]);
  // Upstream keeps a replacing non-object as it is when it replaces an object.
  const replaced = applyPatch('merge', deployment(), { metadata: { labels: [{ a: null }] } }) as any;
  assert.deepEqual(replaced.metadata.labels, [{ a: null }]);
});

test('the original and the patch are left as they were', () => {
  const original = deployment();
  const patch = { metadata: { annotations: { note: 'x' } } };
  const out = applyPatch('merge', original, patch) as any;
  out.metadata.annotations.note = 'changed';
  out.metadata.labels.app = 'changed';
  assert.equal(patch.metadata.annotations.note, 'x');
  assert.equal(original.metadata.labels.app, 'web');
});

test('a null or scalar patch is 400 Invalid JSON Patch; a list patch becomes the document', () => {
  assertStatus(() => applyPatch('merge', deployment(), null), invalidPatch);
  assertStatus(() => applyPatch('merge', deployment(), 'x'), invalidPatch);
  assert.deepEqual(applyPatch('merge', deployment(), [{ a: null }]), [{}]);
});

test('an undecodable merge patch is 400 Invalid JSON Patch', () => {
  assertStatus(() => decodePatch('merge', '{"metadata":'), invalidPatch);
  assert.deepEqual(decodePatch('merge', '{"spec":{"replicas":3}}'), { spec: { replicas: 3 } });
});
