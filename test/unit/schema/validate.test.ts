import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString, invalid, isStatusError } from '../../../src/api/meta/status.js';
import { decodeTyped, validateAgainstSchema } from '../../../src/api/schema/validate.js';
import { defs, deployment } from './fixture.js';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const CRONTAB = 'com.example.stable.v1.CronTab';

const messages = (obj: unknown, root: string) => validateAgainstSchema(obj, root, defs).map(fieldErrorString);

function cronTab(spec: Record<string, unknown>) {
  return { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec: { cronSpec: '* * * * */5', ...spec } };
}

test('a valid object has no errors', () => {
  assert.deepEqual(validateAgainstSchema(deployment(), DEPLOYMENT, defs), []);
  assert.deepEqual(validateAgainstSchema(cronTab({ image: 'nginx', replicas: 3, tags: ['a', 'b'], port: 'http', note: null }), CRONTAB, defs), []);
});

test('a wrong type reads as kube-apiserver reports it for custom resources', () => {
  const d = deployment();
  d.spec.replicas = 'three';
  assert.deepEqual(messages(d, DEPLOYMENT), ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"']);
  const err = invalid('Deployment', 'apps', 'web', validateAgainstSchema(d, DEPLOYMENT, defs));
  assert.equal(err.code, 422);
  assert.equal(err.status.details?.causes?.[0].reason, 'FieldValueTypeInvalid');
  assert.equal(err.status.details?.causes?.[0].field, 'spec.replicas');
});

test('type errors inside lists and maps carry index and key paths', () => {
  const d = deployment();
  d.spec.template.spec.containers[0].ports[0].containerPort = 80.5;
  d.metadata.labels.app = 5;
  assert.deepEqual(messages(d, DEPLOYMENT), [
    'metadata.labels.app: Invalid value: "integer": metadata.labels.app in body must be of type string: "integer"',
    'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "number": spec.template.spec.containers[0].ports[0].containerPort in body must be of type integer: "number"',
  ]);
});

test('required fields and enums', () => {
  const d = deployment();
  delete d.spec.selector;
  d.spec.strategy = { type: 'BlueGreen' };
  assert.deepEqual(messages(d, DEPLOYMENT), [
    'spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
    'spec.selector: Required value',
  ]);
});

test('string, number and list bounds', () => {
  assert.deepEqual(messages(cronTab({ image: 'ab', replicas: 0, hosts: [] }), CRONTAB), [
    'spec.image: Invalid value: "ab": spec.image in body should be at least 3 chars long',
    'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    'spec.hosts: Invalid value: 0: spec.hosts in body should have at least 1 items',
  ]);
  assert.deepEqual(messages(cronTab({ image: 'a-very-long-name', replicas: 11, tags: ['a', 'b', 'c', 'd'] }), CRONTAB), [
    'spec.image: Too long: may not be more than 10 bytes',
    'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    'spec.tags: Too many: 4: must have at most 3 items',
  ]);
  // Lengths count characters, not UTF-16 units.
  assert.deepEqual(messages(cronTab({ image: '😀😀😀' }), CRONTAB), []);
});

test('patterns and formats', () => {
  assert.deepEqual(messages(cronTab({ cronSpec: 'every minute', uid: 'nope' }), CRONTAB), [
    "spec.cronSpec: Invalid value: \"every minute\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
    'spec.uid: Invalid value: "nope": spec.uid in body must be of type uuid: "nope"',
  ]);
  assert.deepEqual(messages(cronTab({ uid: '0b6a8e5c-3f1e-4c8e-9a4e-2f6c1d7e8a90' }), CRONTAB), []);
});

test('int-or-string accepts both and names both types when neither fits', () => {
  assert.deepEqual(messages(cronTab({ port: 8080 }), CRONTAB), []);
  assert.deepEqual(messages(cronTab({ port: true }), CRONTAB), [
    'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
  ]);
  const d = deployment();
  d.spec.strategy = { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1.5 } };
  assert.deepEqual(messages(d, DEPLOYMENT), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "number": spec.strategy.rollingUpdate.maxUnavailable in body must be of type integer,string: "number"',
  ]);
});

test('null is accepted only where the schema is nullable', () => {
  assert.deepEqual(messages(cronTab({ note: null, mode: null }), CRONTAB), [
    'spec.mode: Invalid value: "null": spec.mode in body must be of type string: "null"',
  ]);
});

test('list-type map and set items must be unique', () => {
  const d = deployment();
  d.spec.template.spec.containers.push({ name: 'nginx', image: 'other' }, { name: 'nginx' });
  d.spec.template.spec.containers[0].ports.push({ containerPort: 80, protocol: 'UDP' }, { containerPort: 80 });
  // The list-map keys of the item, printed as upstream holds them: a map[string]interface {}.
  assert.deepEqual(messages(d, DEPLOYMENT), [
    'spec.template.spec.containers[0].ports[2]: Duplicate value: map[string]interface {}{"containerPort":80}',
    'spec.template.spec.containers[1]: Duplicate value: map[string]interface {}{"name":"nginx"}',
  ]);
  assert.deepEqual(
    validateAgainstSchema(cronTab({ tags: ['a', 'b', 'a'] }), CRONTAB, defs).map((e) => [e.type, e.field, e.badValue]),
    [['FieldValueDuplicate', 'spec.tags[2]', 'a']],
  );
});

test('a missing definition is a programming error', () => {
  assert.throws(() => validateAgainstSchema({}, 'io.k8s.api.nope.v1.Nope', defs), /schema io\.k8s\.api\.nope\.v1\.Nope is not defined/);
});

// ---- decode errors of built-in kinds ----

function decodeMessage(obj: unknown): string | undefined {
  try {
    decodeTyped(obj, DEPLOYMENT, defs, 'Deployment', 'v1');
    return undefined;
  } catch (err) {
    assert.ok(isStatusError(err, 'BadRequest'));
    assert.equal(err.code, 400);
    return err.status.message;
  }
}

test('a wrong JSON type in a built-in kind is a 400 decode error naming the Go field', () => {
  const d = deployment();
  d.spec.replicas = '3';
  assert.equal(
    decodeMessage(d),
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  assert.equal(decodeMessage(deployment()), undefined);
});

test('decode errors name the innermost struct and the JSON path without list indexes', () => {
  const d = deployment();
  d.spec.template.spec.containers[0].ports[0].containerPort = '80';
  assert.match(decodeMessage(d)!, /json: cannot unmarshal string into Go struct field ContainerPort\.spec\.template\.spec\.containers\.ports\.containerPort of type int32$/);

  const lists = deployment();
  lists.spec.template.spec.containers = { name: 'x' };
  assert.match(decodeMessage(lists)!, /cannot unmarshal object into Go struct field PodSpec\.spec\.template\.spec\.containers of type \[\]v1\.Container$/);

  const maps = deployment();
  maps.metadata.labels = { app: 1 };
  assert.match(decodeMessage(maps)!, /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type string$/);

  const structs = deployment();
  structs.spec = 'x';
  assert.match(decodeMessage(structs)!, /cannot unmarshal string into Go struct field Deployment\.spec of type v1\.DeploymentSpec$/);
});

test('numbers that are no int32 are quoted with their value', () => {
  const d = deployment();
  d.spec.replicas = 1.5;
  assert.match(decodeMessage(d)!, /json: cannot unmarshal number 1\.5 into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
  d.spec.replicas = 3000000000;
  assert.match(decodeMessage(d)!, /cannot unmarshal number 3000000000 into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
});

test('the first mismatch in document order is reported', () => {
  const d = deployment();
  d.metadata.name = 5;
  d.spec.replicas = 'x';
  assert.match(decodeMessage(d)!, /Go struct field ObjectMeta\.metadata\.name of type string$/);
});

test('custom Go types: IntOrString, Quantity and Time', () => {
  const d = deployment();
  d.spec.strategy = { rollingUpdate: { maxSurge: true } };
  assert.match(decodeMessage(d)!, /cannot unmarshal bool into Go struct field RollingUpdateDeployment\.spec\.strategy\.rollingUpdate\.maxSurge of type int32$/);
  d.spec.strategy = { rollingUpdate: { maxSurge: '25%', maxUnavailable: 2 } };
  assert.equal(decodeMessage(d), undefined);

  const q = deployment();
  q.spec.template.spec.containers[0].resources = { limits: { cpu: 'lots' } };
  assert.equal(
    decodeMessage(q),
    "Deployment in version \"v1\" cannot be handled as a Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
  q.spec.template.spec.containers[0].resources = { limits: { cpu: '1ii' } };
  assert.match(decodeMessage(q)!, /unable to parse quantity's suffix$/);
  q.spec.template.spec.containers[0].resources = { limits: { cpu: 2, memory: '1Gi', storage: '1e3', gpu: ' 100m ' } };
  assert.equal(decodeMessage(q), undefined);

  const t = deployment();
  t.metadata.creationTimestamp = 12;
  assert.match(decodeMessage(t)!, /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.creationTimestamp of type string$/);
});

test('unknown fields and nulls are no decode errors', () => {
  const d = deployment();
  d.spec.unknown = { anything: [1, 2] };
  d.spec.replicas = null;
  assert.equal(decodeMessage(d), undefined);
});
