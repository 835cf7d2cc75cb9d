import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  duplicateFieldWarning,
  findDuplicateFields,
  findUnknownFields,
  prune,
  strictDecodingError,
  unknownFieldWarning,
  warningHeader,
} from '../../../src/api/schema/prune.js';
import { defs, deployment } from './fixture.js';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const CRONTAB = 'com.example.stable.v1.CronTab';

test('unknown fields are reported with dotted paths and list indexes, in document order', () => {
  const d = deployment();
  d.spec.foo = 1;
  d.spec.template.spec.containers[0].bar = { x: 1 };
  d.metadata.nickname = 'w';
  d.spec.template.spec.containers[0].ports[0].hostPortz = 1;
  // foo, bar and hostPortz were added last to their objects, so they come last there.
  assert.deepEqual(findUnknownFields(d, DEPLOYMENT, defs), [
    'metadata.nickname',
    'spec.template.spec.containers[0].ports[0].hostPortz',
    'spec.template.spec.containers[0].bar',
    'spec.foo',
  ]);
  assert.equal(d.spec.foo, 1, 'finding does not change the object');
});

test('prune removes unknown fields and returns their paths', () => {
  const d = deployment();
  d.spec.foo = 1;
  d.spec.template.spec.containers[0].bar = 2;
  assert.deepEqual(prune(d, DEPLOYMENT, defs), ['spec.template.spec.containers[0].bar', 'spec.foo']);
  assert.deepEqual(d, deployment());
  assert.deepEqual(prune(d, DEPLOYMENT, defs), []);
});

test('map keys are never unknown, and names like constructor are not taken from Object.prototype', () => {
  const d = deployment();
  d.metadata.labels = { anything: 'goes', constructor: 'x' };
  d.spec.constructor = 1;
  assert.deepEqual(findUnknownFields(d, DEPLOYMENT, defs), ['spec.constructor']);
});

test('preserve-unknown-fields keeps everything below it; embedded resources keep apiVersion, kind and metadata', () => {
  const c = {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'c', bogus: true },
    spec: {
      cronSpec: '* * * * *',
      extra: { a: { b: 1 } },
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 } },
      surplus: 1,
    },
    status: {},
  };
  assert.deepEqual(prune(c, CRONTAB, defs), ['metadata.bogus', 'spec.surplus', 'status']);
  assert.deepEqual(c.spec.extra, { a: { b: 1 } });
  assert.deepEqual(c.spec.template, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 } });
  assert.equal(c.apiVersion, 'stable.example.com/v1');
});

test('duplicate keys are found in one pass over the JSON text', () => {
  const json = `{"apiVersion":"apps/v1","kind":"Deployment",
    "metadata": {"name": "a", "labels": {"x": "1", "x": "2"}, "name": "b"},
    "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i", "image": "j"}, {"name": "d", "args": ["{\\"name\\":1,\\"name\\":2}", "a,b"]}]}}},
    "kind": "Deployment"}`;
  assert.deepEqual(findDuplicateFields(json), ['metadata.labels.x', 'metadata.name', 'spec.template.spec.containers[0].image', 'kind']);
  assert.deepEqual(findDuplicateFields(JSON.stringify(deployment())), []);
});

test('duplicate detection reads escaped keys and nested arrays', () => {
  assert.deepEqual(findDuplicateFields('{"a\\u0062":1,"ab":2,"l":[[{"k":1}],[{"k":1,"k":2}]]}'), ['ab', 'l[1][0].k']);
  assert.deepEqual(findDuplicateFields('[{"a":1},{"a":1,"a":2}]'), ['[1].a']);
});

test('strict and warning texts are the ones kube-apiserver sends', () => {
  assert.equal(unknownFieldWarning('spec.foo'), 'unknown field "spec.foo"');
  assert.equal(duplicateFieldWarning('metadata.name'), 'duplicate field "metadata.name"');
  assert.equal(
    strictDecodingError(['spec.foo', 'spec.bar'], ['metadata.name']),
    'strict decoding error: duplicate field "metadata.name", unknown field "spec.foo", unknown field "spec.bar"',
  );
  assert.equal(
    strictDecodingError(['spec.foo'], [], 'Deployment', 'v1'),
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
  );
  assert.equal(warningHeader(unknownFieldWarning('spec.foo')), '299 - "unknown field \\"spec.foo\\""');
});
