import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, decodePatch } from '../../../src/api/patch/index.js';
import { assertStatus, frozen } from './fixture.js';

const pod = () =>
  frozen({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web', 'example.com/tier': 'front' }, annotations: { 'a~b': 'x' } },
    spec: {
      containers: [
        { name: 'a', image: 'nginx:1', ports: [{ containerPort: 80 }] },
        { name: 'b', image: 'redis:7' },
      ],
    },
  });

const rejected = { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', details: {} };

test('add, remove, replace, move, copy and test apply in order', () => {
  const out = applyPatch('json', pod(), [
    { op: 'test', path: '/spec/containers/0/name', value: 'a' },
    { op: 'add', path: '/metadata/labels/env', value: 'prod' },
    { op: 'remove', path: '/metadata/labels/app' },
    { op: 'replace', path: '/spec/containers/1/image', value: 'redis:8' },
    { op: 'copy', from: '/spec/containers/0/ports', path: '/spec/containers/1/ports' },
    { op: 'move', from: '/metadata/labels/env', path: '/metadata/annotations/env' },
  ]) as any;
  assert.deepEqual(out.metadata, { name: 'web', labels: { 'example.com/tier': 'front' }, annotations: { 'a~b': 'x', env: 'prod' } });
  assert.equal(out.spec.containers[1].image, 'redis:8');
  assert.deepEqual(out.spec.containers[1].ports, [{ containerPort: 80 }]);
  // The copy is a copy: changing it leaves the source alone.
  out.spec.containers[1].ports[0].containerPort = 81;
  assert.equal(out.spec.containers[0].ports[0].containerPort, 80);
});

test('"-" appends, indices insert, negative indices count from the end', () => {
  const out = applyPatch('json', pod(), [
    { op: 'add', path: '/spec/containers/-', value: { name: 'c' } },
    { op: 'add', path: '/spec/containers/0', value: { name: 'first' } },
    { op: 'replace', path: '/spec/containers/-1/name', value: 'last' },
    { op: 'remove', path: '/spec/containers/-2' },
  ]) as any;
  assert.deepEqual(
    out.spec.containers.map((c: { name: string }) => c.name),
    ['first', 'a', 'last'],
  );
});

test('~1 and ~0 escape "/" and "~" in keys', () => {
  const out = applyPatch('json', pod(), [
    { op: 'replace', path: '/metadata/labels/example.com~1tier', value: 'back' },
    { op: 'remove', path: '/metadata/annotations/a~0b' },
  ]) as any;
  assert.equal(out.metadata.labels['example.com/tier'], 'back');
  assert.deepEqual(out.metadata.annotations, {});
});

test('the original and the patch are left as they were', () => {
  const original = pod();
  const patch = [{ op: 'add', path: '/metadata/labels/x', value: { nested: true } }, { op: 'add', path: '/metadata/labels/x/more', value: 1 }];
  const out = applyPatch('json', original, patch) as any;
  assert.deepEqual(out.metadata.labels.x, { nested: true, more: 1 });
  assert.deepEqual(patch[0].value, { nested: true });
  assert.equal((original.metadata.labels as Record<string, unknown>).x, undefined);
});

test('a failing op answers 422 Invalid with upstream generic message', () => {
  assertStatus(() => applyPatch('json', pod(), [{ op: 'test', path: '/spec/containers/0/image', value: 'nginx:2' }]), rejected);
  assertStatus(() => applyPatch('json', pod(), [{ op: 'remove', path: '/metadata/labels/missing' }]), rejected);
  assertStatus(() => applyPatch('json', pod(), [{ op: 'add', path: '/spec/missing/x', value: 1 }]), rejected);
  assertStatus(() => applyPatch('json', pod(), [{ op: 'replace', path: '/spec/containers/5/image', value: 'x' }]), rejected);
  assertStatus(() => applyPatch('json', pod(), [{ op: 'add', path: '/spec/containers/3', value: {} }]), rejected);
  assertStatus(() => applyPatch('json', pod(), [{ op: 'frobnicate', path: '/spec' }]), rejected);
  assertStatus(() => applyPatch('json', pod(), [{ op: 'add', value: 1 }]), rejected);
  assertStatus(() => applyPatch('json', pod(), [{ op: 'move', from: '/spec', path: '/spec/containers' }]), rejected);
});

test('a failed patch changes nothing, even after earlier ops succeeded', () => {
  const original = pod();
  assertStatus(
    () =>
      applyPatch('json', original, [
        { op: 'add', path: '/metadata/labels/x', value: '1' },
        { op: 'test', path: '/metadata/name', value: 'other' },
      ]),
    rejected,
  );
  assert.equal((original.metadata.labels as Record<string, unknown>).x, undefined);
});

test('evanphx/json-patch v4 quirks kube-apiserver users see', () => {
  // replace of a missing key adds it
  assert.equal((applyPatch('json', pod(), [{ op: 'replace', path: '/metadata/namespace', value: 'ns' }]) as any).metadata.namespace, 'ns');
  // test with a null value matches a missing key
  assert.ok(applyPatch('json', pod(), [{ op: 'test', path: '/metadata/namespace', value: null }]));
  // add without a value writes null
  assert.equal((applyPatch('json', pod(), [{ op: 'add', path: '/spec/nodeName' }]) as any).spec.nodeName, null);
  // replace and test at the root act on the whole document
  assert.deepEqual(applyPatch('json', pod(), [{ op: 'replace', path: '', value: { kind: 'Pod' } }]), { kind: 'Pod' });
  assert.ok(applyPatch('json', { a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }]));
  // text before the first "/" is ignored; a path without "/" does not apply
  assert.equal((applyPatch('json', pod(), [{ op: 'add', path: 'x/metadata/labels/q', value: 'r' }]) as any).metadata.labels.q, 'r');
  assertStatus(() => applyPatch('json', pod(), [{ op: 'add', path: 'metadata', value: {} }]), rejected);
});

test('a null patch changes nothing; a patch that is not a list of objects is a 400', () => {
  assert.deepEqual(applyPatch('json', pod(), null), pod());
  assertStatus(() => applyPatch('json', pod(), { op: 'add' }), {
    code: 400,
    reason: 'BadRequest',
    message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
  });
  assertStatus(() => applyPatch('json', pod(), [1]), {
    code: 400,
    reason: 'BadRequest',
    message: 'json: cannot unmarshal number into Go value of type jsonpatch.Operation',
  });
});

test('more than 10000 operations is 413', () => {
  const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
  assertStatus(() => applyPatch('json', pod(), ops), {
    code: 413,
    reason: 'RequestEntityTooLarge',
    message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  });
});

test('undecodable JSON patch bodies get Go decoder messages', () => {
  assert.deepEqual(decodePatch('json', Buffer.from('[{"op":"remove","path":"/a"}]')), [{ op: 'remove', path: '/a' }]);
  assertStatus(() => decodePatch('json', '[{"op":"add",}]'), {
    code: 400,
    reason: 'BadRequest',
    message: `invalid character '}' looking for beginning of object key string`,
  });
  assertStatus(() => decodePatch('json', '[{"op":"add"'), { code: 400, reason: 'BadRequest', message: 'unexpected end of JSON input' });
  assertStatus(() => decodePatch('strategic', "{'a': 1}"), {
    code: 400,
    reason: 'BadRequest',
    message: `invalid character '\\'' looking for beginning of object key string`,
  });
  assertStatus(() => decodePatch('json', '[] x'), { code: 400, reason: 'BadRequest', message: `invalid character 'x' after top-level value` });
});
