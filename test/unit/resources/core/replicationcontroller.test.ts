import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { replicationControllers as rcs } from '../../../../src/api/resources/core/replicationcontroller.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function rc(spec: ReplicationController['spec'] = {}, labels?: Record<string, string>): ReplicationController {
  const obj = {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z', ...(labels ? { labels } : {}) },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } }, ...spec },
  } as ReplicationController;
  rcs.defaults!(obj);
  return obj;
}

const messages = (o: ReplicationController) => rcs.validate!(o, {}).map(fieldErrorString);

test('defaults: selector and labels from the template, one replica, template pod spec defaults', () => {
  const o = rc();
  assert.deepEqual(o.spec!.selector, { app: 'web' });
  assert.deepEqual(o.metadata!.labels, { app: 'web' });
  assert.equal(o.spec!.replicas, 1);
  assert.equal(o.spec!.template!.spec!.restartPolicy, 'Always');
  assert.equal(o.spec!.template!.spec!.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(o.spec!.template!.spec!.enableServiceLinks, undefined);
  const own = rc({ selector: { tier: 'x' } }, { team: 'a' });
  assert.deepEqual(own.spec!.selector, { tier: 'x' });
  assert.deepEqual(own.metadata!.labels, { team: 'a' });
});

test('definition: short name rc, category all, status and scale subresources, generation', () => {
  assert.deepEqual(rcs.shortNames, ['rc']);
  assert.deepEqual(rcs.categories, ['all']);
  assert.equal(rcs.subresources!.status, true);
  assert.equal(rcs.subresources!.scale!.specReplicasPath, '.spec.replicas');
  assert.equal(rcs.tracksGeneration, true);
});

test('validation: the selector must match the template labels; pods restart Always', () => {
  assert.deepEqual(messages(rc()), []);
  const mismatch = rc({ selector: { app: 'db' } });
  assert.deepEqual(messages(mismatch), ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']);
  const never = rc();
  never.spec!.template!.spec!.restartPolicy = 'Never';
  never.spec!.template!.spec!.activeDeadlineSeconds = 10;
  never.spec!.replicas = -1;
  assert.deepEqual(messages(never), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported',
  ]);
  const noSelector = rc();
  noSelector.spec!.selector = {};
  assert.deepEqual(messages(noSelector), ['spec.selector: Required value']);
});

test('status counts must be consistent', () => {
  const o = rc();
  (o as { status?: unknown }).status = { replicas: 1, readyReplicas: 2, availableReplicas: 3 };
  assert.deepEqual(rcs.validateUpdate!(o, o).map(fieldErrorString), [
    'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas',
  ]);
});

test('create starts with an empty status', () => {
  const o = rc();
  rcs.prepareForCreate!(o);
  assert.deepEqual(o.status, { replicas: 0 });
});

test('table: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR', () => {
  const o = { ...rc({ replicas: 3 }), status: { replicas: 2, readyReplicas: 1 } } as ReplicationController;
  assert.deepEqual(
    rcs.table!.columns.map((c) => c.name),
    ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
  );
  assert.deepEqual(rcs.table!.cells(o, NOW), ['web', 3, 2, 1, '60m', 'web', 'nginx:1.25', 'app=web']);
  assert.equal(rcs.fieldSelectors!['status.replicas'](o), '2');
});
