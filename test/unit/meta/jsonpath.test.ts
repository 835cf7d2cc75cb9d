// The simple JSON paths CRD printer columns and scale subresources name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonPath, isSimpleJsonPath } from '../../../src/api/meta/jsonpath.js';

const obj = {
  metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 0, ports: [{ port: 80 }, { port: 443 }] },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Progressing', status: 'False' },
    ],
  },
};

test('fields, quoted keys, indices, wildcards and filters', () => {
  assert.deepEqual(compileJsonPath('.spec.replicas')(obj), [0]);
  assert.deepEqual(compileJsonPath(".metadata.labels['app.kubernetes.io/name']")(obj), ['web']);
  assert.deepEqual(compileJsonPath('.spec.ports[1].port')(obj), [443]);
  assert.deepEqual(compileJsonPath('.spec.ports[-1].port')(obj), [443]);
  assert.deepEqual(compileJsonPath('.spec.ports[*].port')(obj), [80, 443]);
  assert.deepEqual(compileJsonPath('.status.conditions[?(@.type=="Ready")].status')(obj), ['True']);
  assert.deepEqual(compileJsonPath('.status.conditions[?(@.type!="Ready")].type')(obj), ['Progressing']);
  assert.deepEqual(compileJsonPath('{.metadata.name}')(obj), ['x']);
});

test('missing keys reach nothing; a non-path is refused', () => {
  assert.deepEqual(compileJsonPath('.spec.missing.deeper')(obj), []);
  assert.deepEqual(compileJsonPath('.spec.ports[5]')(obj), []);
  assert.deepEqual(compileJsonPath('.metadata.name[0]')(obj), []);
  for (const bad of ['spec.replicas', '.spec..replicas', '.spec[', '', '.a[?(@.x ~ 1)]']) assert.equal(isSimpleJsonPath(bad), false, bad);
  assert.throws(() => compileJsonPath('spec'), /unrecognized JSON path "spec"/);
});
