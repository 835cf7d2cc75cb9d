// The wire cases kubectl cannot be made to send: times, negative and 64-bit numbers, packed
// lists, int-or-string, quantities, durations, embedded JSON, Go zero values and malformed bodies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../../src/api/meta/status.js';
import { ResourceRegistry } from '../../../src/api/registry.js';
import { builtinResources } from '../../../src/api/resources/index.js';
import { anyObject, bool, define, int32, int64, intOrString, kindSchema, labelSelector, list, mapOf, num, object, quantity, ref, str } from '../../../src/api/schema/build.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import { decodeProtobufBody, decodeProtobufObject, goDuration } from '../../../src/api/schema/protobuf.js';
import { bytes, concat, double, envelope, int, mapEntry, message } from './encode.js';

const registry = new ResourceRegistry(metaDefinitions);
for (const r of builtinResources) registry.add(r);
const defs = registry.definitions;

// A kind with one field of every encoding the decoder knows.
const WIDGET = 'io.example.v1.Widget';
// policy/v1 Eviction, the body of pods/eviction.
const EVICTION = 'io.k8s.api.policy.v1.Eviction';
define(defs, {
  [WIDGET]: kindSchema(
    { group: 'example.io', version: 'v1', kind: 'Widget' },
    {
      spec: ref('io.example.v1.WidgetSpec'),
    },
    { proto: { metadata: 1, spec: 2 } },
  ),
  'io.example.v1.WidgetSpec': object(
    {
      offset: int64(),
      delta: int32(),
      big: int64(),
      ratio: num(),
      enabled: bool(),
      paused: bool(),
      port: intOrString(),
      target: intOrString(),
      memory: quantity(),
      timeout: ref('io.k8s.apimachinery.pkg.apis.meta.v1.Duration'),
      weights: list(int32()),
      names: list(str()),
      extra: mapOf(list(str())),
      payload: ref('io.k8s.apimachinery.pkg.runtime.RawExtension'),
      selector: labelSelector(),
      replicas: int32({ default: 1 }),
      containerPort: int32(),
      note: str(),
      settings: anyObject(),
    },
    {
      required: ['containerPort'],
      proto: {
        offset: 1,
        delta: 2,
        big: 3,
        ratio: 4,
        enabled: 5,
        paused: 6,
        port: 7,
        target: 8,
        memory: 9,
        timeout: 10,
        weights: 11,
        names: 12,
        extra: 13,
        payload: 14,
        selector: 15,
        replicas: 16,
        containerPort: 17,
        note: 18,
        settings: 19,
      },
    },
  ),
  'io.example.v1.Gadget': kindSchema({ group: 'example.io', version: 'v1', kind: 'Gadget' }, { size: int32() }),
});

function badRequestWith(fragment: string) {
  return (err: unknown) => isStatusError(err, 'BadRequest') && err.code === 400 && err.message.includes(fragment);
}

const meta = (...fields: Uint8Array[]) => message(1, ...fields);

test('specs: numbers of every width, int-or-string, quantity, duration, lists, maps and embedded JSON', () => {
  const spec = message(
    2,
    int(1, -5),
    int(2, -7),
    int(3, 2n ** 40n + 3n),
    double(4, 0.25),
    int(5, true),
    message(7, int(1, 1), bytes(3, 'web')),
    message(7, int(1, 0), int(2, 8080)), // the last occurrence wins, as in Go
    message(8, int(1, 1), bytes(3, 'http')),
    message(9, bytes(1, '512Mi')),
    message(10, int(1, 90_500_000_000n)),
    bytes(11, concat(Uint8Array.from([1]), Uint8Array.from([0x96, 0x01]))), // packed: 1, 150
    bytes(12, 'a'),
    bytes(12, 'b'),
    message(13, bytes(1, 'groups'), message(2, bytes(1, 'dev'), bytes(1, 'ops'))),
    message(14, bytes(1, '{"kind":"Note","text":"hi"}')),
    message(15, mapEntry(1, 'app', 'web'), message(2, bytes(1, 'tier'), bytes(2, 'In'), bytes(3, 'front'), bytes(3, 'back'))),
    message(19, bytes(1, '{"nested":{"deep":[1,2]}}')),
  );
  const body = envelope('example.io/v1', 'Widget', concat(meta(bytes(1, 'w1'), bytes(3, 'default')), spec));
  assert.deepEqual(decodeProtobufBody(body, defs, WIDGET), {
    apiVersion: 'example.io/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'default' },
    spec: {
      offset: -5,
      delta: -7,
      big: 2 ** 40 + 3,
      ratio: 0.25,
      enabled: true,
      port: 8080,
      target: 'http',
      memory: '512Mi',
      timeout: '1m30.5s',
      weights: [1, 150],
      names: ['a', 'b'],
      extra: { groups: ['dev', 'ops'] },
      payload: { kind: 'Note', text: 'hi' },
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
      settings: { nested: { deep: [1, 2] } },
    },
  });
});

test('Go zero values: dropped for optional fields as JSON omits them, kept for required and defaulted ones', () => {
  // Go writes every non-pointer field; these are what an empty WidgetSpec and ObjectMeta look like.
  const spec = message(2, int(6, false), int(16, 0), int(17, 0), bytes(18, ''), message(7, int(1, 0), int(2, 0)));
  const metadata = meta(bytes(1, 'zero'), bytes(2, ''), bytes(3, ''), bytes(5, ''), int(7, 0), message(8));
  const obj = decodeProtobufBody(envelope('example.io/v1', 'Widget', concat(metadata, spec)), defs, WIDGET);
  assert.deepEqual(obj, {
    apiVersion: 'example.io/v1',
    kind: 'Widget',
    metadata: { name: 'zero' },
    // replicas defaults to 1, so a zero on the wire is Go's unset; containerPort is required; an int-or-string 0 is a value.
    spec: { containerPort: 0, port: 0 },
  });
});

test('events: Time drops nanoseconds, MicroTime keeps microseconds, zero times are absent', () => {
  const raw = concat(
    meta(bytes(1, 'web.17a'), bytes(3, 'default'), message(8, int(1, 1714557600))),
    message(2, bytes(1, 'Pod'), bytes(2, 'default'), bytes(3, 'web'), bytes(5, 'v1'), bytes(7, 'spec.containers{app}')),
    bytes(3, 'Pulled'),
    bytes(4, 'Successfully pulled image'),
    message(5, bytes(1, 'kubelet'), bytes(2, 'node-1')),
    message(6, int(1, 1714557600), int(2, 999_000_000)),
    message(7),
    int(8, 3),
    bytes(9, 'Normal'),
    message(10, int(1, 1714557601), int(2, 123_456_789)),
    message(11, int(1, 4), message(2, int(1, 1714557602), int(2, 5_000))),
    bytes(14, 'kubelet'),
  );
  assert.deepEqual(decodeProtobufBody(envelope('v1', 'Event', raw), defs, 'io.k8s.api.core.v1.Event'), {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17a', namespace: 'default', creationTimestamp: '2024-05-01T10:00:00Z' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled',
    message: 'Successfully pulled image',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2024-05-01T10:00:00Z',
    count: 3,
    type: 'Normal',
    eventTime: '2024-05-01T10:00:01.123456Z',
    series: { count: 4, lastObservedTime: '2024-05-01T10:00:02.000005Z' },
    reportingComponent: 'kubelet',
  });
});

test('object metadata: owner references, finalizers, managed fields with their FieldsV1 JSON', () => {
  const metadata = meta(
    bytes(1, 'child'),
    mapEntry(11, 'app', 'web'),
    mapEntry(12, 'note', ''),
    message(13, bytes(1, 'ReplicaSet'), bytes(3, 'web-1'), bytes(4, 'uid-1'), bytes(5, 'apps/v1'), int(6, true), int(7, true)),
    bytes(14, 'example.io/cleanup'),
    message(17, bytes(1, 'kubectl'), bytes(2, 'Update'), bytes(3, 'v1'), message(4, int(1, 0)), bytes(6, 'FieldsV1'), message(7, bytes(1, '{"f:data":{"f:a":{}}}'))),
    int(10, 30),
  );
  const obj = decodeProtobufBody(envelope('v1', 'ConfigMap', metadata), defs, 'io.k8s.api.core.v1.ConfigMap') as { metadata: unknown };
  assert.deepEqual(obj.metadata, {
    name: 'child',
    labels: { app: 'web' },
    annotations: { note: '' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', uid: 'uid-1', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: true }],
    finalizers: ['example.io/cleanup'],
    managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '1970-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }],
    deletionGracePeriodSeconds: 30,
  });
});

test('map entries without a value get the zero value, as Go decodes them', () => {
  const raw = concat(meta(bytes(1, 'k')), mapEntry(2, 'token'), mapEntry(4, 'plain'));
  const secret = decodeProtobufBody(envelope('v1', 'Secret', raw), defs, 'io.k8s.api.core.v1.Secret');
  assert.deepEqual(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' }, data: { token: '' }, stringData: { plain: '' } });
});

test('DeleteOptions bodies, tagged with any group-version, and subresource bodies embedding them', () => {
  const opts = concat(int(1, 30), message(2, bytes(1, 'uid-1'), bytes(2, '42')), bytes(4, 'Foreground'), bytes(5, 'All'));
  for (const apiVersion of ['v1', 'apps/v1', 'meta.k8s.io/v1']) {
    assert.deepEqual(decodeProtobufBody(envelope(apiVersion, 'DeleteOptions', opts), defs, 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'), {
      apiVersion,
      kind: 'DeleteOptions',
      gracePeriodSeconds: 30,
      preconditions: { uid: 'uid-1', resourceVersion: '42' },
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  }
  const eviction = concat(meta(bytes(1, 'web-0'), bytes(3, 'default')), message(2, opts));
  assert.deepEqual(decodeProtobufBody(envelope('policy/v1', 'Eviction', eviction), defs, EVICTION), {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'web-0', namespace: 'default' },
    deleteOptions: { gracePeriodSeconds: 30, preconditions: { uid: 'uid-1', resourceVersion: '42' }, propagationPolicy: 'Foreground', dryRun: ['All'] },
  });
  assert.throws(
    () => decodeProtobufBody(envelope('v1', 'Status', opts), defs, 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'),
    badRequestWith('Status in version "v1" cannot be handled as a DeleteOptions'),
  );
});

test('an apiVersion other than the kind is served in is a 400', () => {
  assert.throws(
    () => decodeProtobufBody(envelope('v2', 'ConfigMap', meta(bytes(1, 'x'))), defs, 'io.k8s.api.core.v1.ConfigMap'),
    badRequestWith('the API version in the data (v2) does not match the expected API version (v1)'),
  );
});

test('unknown field numbers are a 400 naming the field and where it is', () => {
  assert.throws(
    () => decodeProtobufObject(envelope('v1', 'ConfigMap', concat(meta(bytes(1, 'x')), bytes(9, 'junk'))), defs),
    badRequestWith('unknown field 9 (wire type 2) in ConfigMap'),
  );
  assert.throws(
    () => decodeProtobufObject(envelope('v1', 'ConfigMap', meta(bytes(1, 'x'), int(15, 1))), defs),
    badRequestWith('unknown field 15 (wire type 0) in ObjectMeta at metadata'),
  );
});

test('malformed bodies are a 400', () => {
  const good = envelope('v1', 'ConfigMap', meta(bytes(1, 'x')));
  assert.throws(() => decodeProtobufObject(good.subarray(0, good.length - 6), defs), badRequestWith('unexpected EOF'));
  assert.throws(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}'), defs), badRequestWith('expected prefix [107 56 115 0]'));
  assert.throws(() => decodeProtobufObject(new Uint8Array(0), defs), badRequestWith('empty data'));
  assert.throws(() => decodeProtobufObject(envelope('v1', 'ConfigMap', int(1, 5)), defs), badRequestWith('wrong wire type 0 for field metadata'));
  assert.throws(() => decodeProtobufObject(envelope('v1', 'ConfigMap', meta(), 'gzip'), defs), badRequestWith('unsupported content encoding "gzip"'));
  assert.throws(() => decodeProtobufObject(envelope('v9', 'Nothing', meta()), defs), badRequestWith('no kind "Nothing" is registered for version "v9"'));
  assert.throws(
    () => decodeProtobufObject(envelope('example.io/v1', 'Widget', message(2, message(14, bytes(1, '{not json')))), defs),
    badRequestWith('spec.payload'),
  );
});

test('kinds without field numbers answer 415 rather than guessing', () => {
  assert.throws(
    () => decodeProtobufObject(envelope('example.io/v1', 'Gadget', int(2, 3)), defs),
    (err: unknown) => isStatusError(err, 'UnsupportedMediaType') && err.code === 415 && err.message === 'protobuf is not supported for Gadget yet',
  );
});

test('durations print as Go prints them', () => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [999n, '999ns'],
    [1_500n, '1.5µs'],
    [250_000_000n, '250ms'],
    [1_500_000_000n, '1.5s'],
    [60_000_000_000n, '1m0s'],
    [3_600_000_000_000n, '1h0m0s'],
    [5_430_001_000_000n, '1h30m30.001s'],
    [-2_000_000_000n, '-2s'],
    [2n ** 63n - 1n, '2562047h47m16.854775807s'],
  ];
  for (const [ns, text] of cases) assert.equal(goDuration(ns), text, `${ns}ns`);
});

test('an embedded object in protobuf form is decoded by the kind its envelope names', () => {
  const inner = envelope('v1', 'ConfigMap', concat(meta(bytes(1, 'inner')), mapEntry(2, 'k', 'v')));
  const obj = decodeProtobufBody(envelope('example.io/v1', 'Widget', message(2, message(14, bytes(1, inner)))), defs, WIDGET) as { spec: unknown };
  assert.deepEqual(obj.spec, { payload: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, data: { k: 'v' } } });
});
