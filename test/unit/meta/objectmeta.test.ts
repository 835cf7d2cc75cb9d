import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addFinalizer,
  getControllerOf,
  hasFinalizer,
  isBeingDeleted,
  isControlledBy,
  namespacedName,
  newControllerRef,
  removeFinalizer,
  splitNamespacedName,
  type MetaObject,
} from '../../../src/api/meta/objectmeta.js';

const rs: MetaObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default', uid: 'u-rs' } };

test('controller references: create, find, compare by UID', () => {
  const ref = newControllerRef(rs);
  assert.deepEqual(ref, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u-rs', blockOwnerDeletion: true, controller: true });
  const pod: MetaObject = { metadata: { name: 'p', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u-x' }, ref] } };
  assert.equal(getControllerOf(pod), ref);
  assert.ok(isControlledBy(pod, rs));
  assert.ok(!isControlledBy(pod, { metadata: { name: 'web-1', uid: 'other' } }));
  assert.equal(getControllerOf({ metadata: {} }), undefined);
  assert.ok(!isControlledBy({}, { metadata: {} }));
});

test('finalizers are added once and removed entirely', () => {
  const obj: MetaObject = {};
  assert.ok(!hasFinalizer(obj, 'k8ts.io/x'));
  assert.ok(addFinalizer(obj, 'k8ts.io/x'));
  assert.ok(!addFinalizer(obj, 'k8ts.io/x'));
  assert.deepEqual(obj.metadata?.finalizers, ['k8ts.io/x']);
  assert.ok(hasFinalizer(obj, 'k8ts.io/x'));
  obj.metadata!.finalizers!.push('k8ts.io/x', 'other');
  assert.ok(removeFinalizer(obj, 'k8ts.io/x'));
  assert.deepEqual(obj.metadata?.finalizers, ['other']);
  assert.ok(!removeFinalizer(obj, 'k8ts.io/x'));
});

test('namespace/name keys', () => {
  assert.equal(namespacedName(rs), 'default/web-1');
  assert.equal(namespacedName({ metadata: { name: 'node-1' } }), 'node-1');
  assert.deepEqual(splitNamespacedName('default/web-1'), { namespace: 'default', name: 'web-1' });
  assert.deepEqual(splitNamespacedName('node-1'), { namespace: '', name: 'node-1' });
  assert.throws(() => splitNamespacedName('a/b/c'), { message: 'unexpected key format: "a/b/c"' });
});

test('isBeingDeleted follows deletionTimestamp', () => {
  assert.ok(!isBeingDeleted(rs));
  assert.ok(isBeingDeleted({ metadata: { deletionTimestamp: '2024-05-01T10:00:00Z' } }));
});
