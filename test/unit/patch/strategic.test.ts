import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, applyStrategicMergePatch } from '../../../src/api/patch/index.js';
import { assertStatus, deploymentSchema, frozen, podSchema, revisionSchema } from './fixture.js';

const pod = () =>
  frozen({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a.io/x', 'b.io/y'] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1',
          ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
        { name: 'sidecar', image: 'envoy:1' },
      ],
      tolerations: [{ key: 'k1', operator: 'Exists' }, { key: 'k2', operator: 'Exists' }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  });

const smp = (patch: unknown, original: unknown = pod()) => applyStrategicMergePatch(original, patch, podSchema) as any;
const names = (list: { name: string }[]) => list.map((c) => c.name);

test('maps merge recursively; null deletes a key', () => {
  const out = smp({ metadata: { labels: { tier: null, env: 'prod' } } });
  assert.deepEqual(out.metadata.labels, { app: 'web', env: 'prod' });
  assert.equal(out.spec.containers.length, 2);
});

test('merge lists merge by key: changed items keep their place', () => {
  const out = smp({ spec: { containers: [{ name: 'sidecar', image: 'envoy:2' }] } });
  assert.deepEqual(names(out.spec.containers), ['app', 'sidecar']);
  assert.deepEqual(out.spec.containers[1], { name: 'sidecar', image: 'envoy:2' });
  assert.equal(out.spec.containers[0].image, 'nginx:1');
});

test('without $setElementOrder a new item goes before the server items that follow it (upstream order)', () => {
  // kubectl patch -p '{"spec":{"containers":[{"name":"new","image":"busybox"}]}}' puts it first.
  assert.deepEqual(names(smp({ spec: { containers: [{ name: 'new', image: 'busybox' }] } }).spec.containers), ['new', 'app', 'sidecar']);
  // A new item after a known one stays after it.
  assert.deepEqual(names(smp({ spec: { containers: [{ name: 'app' }, { name: 'new' }] } }).spec.containers), ['app', 'new', 'sidecar']);
  assert.deepEqual(names(smp({ spec: { containers: [{ name: 'sidecar' }, { name: 'new' }] } }).spec.containers), ['app', 'sidecar', 'new']);
});

test('nested merge lists: env by name, ports by containerPort', () => {
  const out = smp({
    spec: {
      containers: [{ name: 'app', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }], ports: [{ containerPort: 443, name: 'https' }] }],
    },
  });
  const app = out.spec.containers[0];
  assert.deepEqual(app.env, [
    { name: 'A', value: '1' },
    { name: 'B', value: 'two' },
    { name: 'C', value: '3' },
  ]);
  assert.deepEqual(app.ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP', name: 'https' }]);
});

test('lists of scalars with the merge strategy merge as sets (finalizers)', () => {
  assert.deepEqual(smp({ metadata: { finalizers: ['b.io/y', 'c.io/z', 'c.io/z'] } }).metadata.finalizers, ['a.io/x', 'b.io/y', 'c.io/z']);
  assert.deepEqual(smp({ metadata: { finalizers: ['c.io/z'] } }).metadata.finalizers, ['c.io/z', 'a.io/x', 'b.io/y']);
});

test('$deleteFromPrimitiveList removes scalars from a set list', () => {
  const out = smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x', 'absent'] } });
  assert.deepEqual(out.metadata.finalizers, ['b.io/y']);
  // A delete list for a list the object lacks adds nothing.
  assert.deepEqual(smp({ spec: { '$deleteFromPrimitiveList/args': ['x'] } }).spec.args, undefined);
});

test('lists without a strategy are replaced (tolerations)', () => {
  assert.deepEqual(smp({ spec: { tolerations: [{ key: 'k3', operator: 'Exists' }] } }).spec.tolerations, [{ key: 'k3', operator: 'Exists' }]);
});

test('$patch: delete removes list items by merge key', () => {
  const out = smp({ spec: { containers: [{ name: 'sidecar', $patch: 'delete' }, { name: 'app', env: [{ name: 'A', $patch: 'delete' }] }] } });
  assert.deepEqual(names(out.spec.containers), ['app']);
  assert.deepEqual(out.spec.containers[0].env, [{ name: 'B', value: '2' }]);
});

test('$patch: replace on a list makes the patch items the list', () => {
  const out = smp({ spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
  assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'x' }]);
});

test('$patch: replace and delete on a map', () => {
  assert.deepEqual(smp({ metadata: { labels: { $patch: 'replace', only: 'me' } } }).metadata.labels, { only: 'me' });
  assert.deepEqual(smp({ metadata: { labels: { $patch: 'delete' } } }).metadata.labels, {});
});

test('upstream has no $patch: merge, and says so', () => {
  assertStatus(() => smp({ metadata: { labels: { $patch: 'merge', x: 'y' } } }), {
    code: 500,
    message: 'unknown patch type: merge in map: map[$patch:merge x:y]',
  });
  assertStatus(() => smp({ spec: { containers: [{ name: 'app', $patch: 'merge' }] } }), {
    code: 500,
    message: 'merging lists cannot yet be specified in the patch',
  });
  assertStatus(() => smp({ spec: { containers: [{ name: 'app', $patch: 'nope' }] } }), {
    code: 500,
    message: 'unknown patch type: nope in map: map[$patch:nope name:app]',
  });
});

test('$setElementOrder orders the merged list, server-only items keep their place', () => {
  const reordered = smp({ spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } });
  assert.deepEqual(names(reordered.spec.containers), ['sidecar', 'app']);
  const withNew = smp({
    spec: {
      '$setElementOrder/containers': [{ name: 'app' }, { name: 'new' }],
      containers: [{ name: 'new', image: 'busybox' }],
    },
  });
  assert.deepEqual(names(withNew.spec.containers), ['app', 'new', 'sidecar']);
  const scalars = smp({ metadata: { '$setElementOrder/finalizers': ['b.io/y', 'c.io/z', 'a.io/x'], finalizers: ['c.io/z'] } });
  assert.deepEqual(scalars.metadata.finalizers, ['b.io/y', 'c.io/z', 'a.io/x']);
});

test('$setElementOrder that contradicts the patch list is refused', () => {
  assertStatus(() => smp({ spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'new' }] } }), {
    code: 500,
    message: "The order in patch list:\n[map[name:new]]\n doesn't match $setElementOrder list:\n[map[name:app]]\n",
  });
});

test('$retainKeys clears the keys it does not list', () => {
  const deployment = frozen({
    spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
  });
  const out = applyStrategicMergePatch(deployment, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema) as any;
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  assert.equal(out.spec.replicas, 1);
});

test('malformed directives are 400 with upstream messages', () => {
  const bad = (message: string) => ({ code: 400, reason: 'BadRequest', message });
  assertStatus(() => smp({ spec: { volumes: [{ name: 'data', $retainKeys: 'name' }] } }), bad('invalid patch format of retainKeys'));
  assertStatus(() => smp({ spec: { strategy: {}, $retainKeys: ['containers'] } }), bad('invalid patch format of retainKeys'));
  assertStatus(() => smp({ metadata: { $deleteFromPrimitiveList: ['a.io/x'] } }), bad('invalid patch format of primitive list'));
  assertStatus(() => smp({ spec: { $setElementOrder: [{ name: 'app' }] } }), bad('invalid patch format of setElementOrder list'));
  assertStatus(() => smp(['not', 'a', 'map']), bad('json: cannot unmarshal array into Go value of type map[string]interface {}'));
});

test('a merge list item without its merge key is upstream 500 with no reason', () => {
  // What `kubectl patch pod web -p '{"spec":{"containers":[{"image":"nginx"}]}}'` prints.
  assertStatus(() => smp({ spec: { containers: [{ image: 'nginx' }] } }), {
    code: 500,
    message: 'map: map[image:nginx] does not contain declared merge key: name',
  });
  assertStatus(() => smp({ spec: { containers: [{ $patch: 'delete' }] } }), {
    code: 500,
    message: 'map: map[$patch:delete] does not contain declared merge key: name',
  });
});

test('list element type errors', () => {
  assertStatus(() => smp({ metadata: { finalizers: [['x']] } }, frozen({ metadata: { finalizers: [] } })), {
    code: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
    details: {},
  });
  assertStatus(() => smp({ metadata: { finalizers: [1] } }), {
    code: 500,
    message: 'list element types are not identical: [[a.io/x b.io/y] [1]]',
  });
});

test('values new to the object lose their nulls and $patch maps', () => {
  const out = smp({ spec: { nodeSelector: { disk: 'ssd', zone: null }, initContainers: [{ name: 'init', env: null }] } });
  assert.deepEqual(out.spec.nodeSelector, { disk: 'ssd' });
  assert.deepEqual(out.spec.initContainers, [{ name: 'init' }]);
});

test('fields without patch metadata merge like a JSON merge patch, directives still apply', () => {
  const revision = frozen({
    data: { spec: { template: { metadata: { labels: { a: '1' } } }, list: [{ name: 'x', v: 1 }] } },
    revision: 3,
  });
  const out = applyStrategicMergePatch(
    revision,
    { data: { spec: { template: { metadata: { labels: { b: '2' } } }, list: [{ name: 'y' }], gone: { $patch: 'delete' } } } },
    revisionSchema,
  ) as any;
  assert.deepEqual(out.data.spec, { template: { metadata: { labels: { a: '1', b: '2' } } }, list: [{ name: 'y' }] });
  // With no schema at all, every list is replaced.
  const noSchema = applyPatch('strategic', pod(), { spec: { containers: [{ name: 'solo' }] } }) as any;
  assert.deepEqual(noSchema.spec.containers, [{ name: 'solo' }]);
});

test('the original is not written and the result shares nothing with the patch', () => {
  const original = pod();
  const patch = { metadata: { annotations: { note: 'x' } }, spec: { containers: [{ name: 'new', env: [{ name: 'E', value: 'e' }] }] } };
  const out = smp(patch, original);
  out.metadata.annotations.note = 'changed';
  out.spec.containers[0].env[0].value = 'changed';
  out.metadata.labels.app = 'changed';
  assert.equal(patch.metadata.annotations.note, 'x');
  assert.equal(patch.spec.containers[0].env[0].value, 'e');
  assert.equal(original.metadata.labels.app, 'web');
});

test('a schema whose root is not defined is a programming error, not a silent list replace', () => {
  assert.throws(() => applyStrategicMergePatch(pod(), {}, { definitions: podSchema.definitions, root: 'io.k8s.api.core.v1.Nope' }), {
    message: 'strategic merge patch: no schema definition named io.k8s.api.core.v1.Nope',
  });
});

test('a null patch changes nothing', () => {
  assert.deepEqual(smp(null), pod());
});
