import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployments } from '../../../../src/api/resources/apps/deployment.js';
import { created, createErrors, decoded, meta, podTemplate, row, updateErrors } from './fixtures.js';

function deployment(spec: Record<string, unknown> = {}): any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), ...spec } };
}

test('a Deployment with no strategy gets RollingUpdate 25%/25% and upstream’s other defaults', () => {
  const d = decoded(deployments, deployment());
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.dnsPolicy, 'ClusterFirst');
});

test('a Recreate strategy gets no rolling update parameters', () => {
  const d = decoded(deployments, deployment({ strategy: { type: 'Recreate' } }));
  assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
});

test('a valid Deployment passes and create clears its status', () => {
  const d = created(deployments, { ...deployment(), status: { replicas: 9 } });
  assert.deepEqual(d.status, {});
  assert.deepEqual(createErrors(deployments, d), []);
});

test('the selector is required and must match the template labels', () => {
  const noSelector = decoded(deployments, deployment());
  delete (noSelector.spec as Record<string, unknown>).selector;
  assert.deepEqual(createErrors(deployments, noSelector), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  const other = decoded(deployments, deployment({ selector: { matchLabels: { app: 'db' } } }));
  assert.deepEqual(createErrors(deployments, other), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  const empty = decoded(deployments, deployment({ selector: {} }));
  assert.deepEqual(createErrors(deployments, empty), ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment']);
});

test('rolling update bounds are checked as upstream does', () => {
  const errs = (rollingUpdate: Record<string, unknown>) => createErrors(deployments, decoded(deployments, deployment({ strategy: { type: 'RollingUpdate', rollingUpdate } })));
  assert.deepEqual(errs({ maxUnavailable: 0, maxSurge: 0 }), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
  assert.deepEqual(errs({ maxUnavailable: '120%' }), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%']);
  assert.deepEqual(errs({ maxSurge: '5x' }), [
    "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"5x\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  ]);
  assert.deepEqual(errs({ maxSurge: -1 }), ['spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0']);
  const recreate = decoded(deployments, deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }));
  assert.deepEqual(createErrors(deployments, recreate), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
});

test('progressDeadlineSeconds must exceed minReadySeconds, and pods must restart Always', () => {
  const d = decoded(deployments, deployment({ minReadySeconds: 30, progressDeadlineSeconds: 30, template: podTemplate({ app: 'web' }, { restartPolicy: 'Never' }) }));
  assert.deepEqual(createErrors(deployments, d), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds',
  ]);
});

test('the selector cannot change; spec and annotation changes keep status and bump the generation', () => {
  const old = created(deployments, deployment());
  old.status = { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 };
  const changed = structuredClone(old);
  changed.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
  changed.spec.template.metadata.labels.tier = 'x';
  changed.status = {};
  assert.deepEqual(updateErrors(deployments, changed, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  assert.deepEqual(changed.status, old.status);

  const annotated = structuredClone(old);
  annotated.metadata.annotations = { note: 'x' };
  deployments.prepareForUpdate!(annotated, old);
  assert.equal(annotated.metadata.generation, 2);
});

test('status writes may not decrement collisionCount or overcount replicas', () => {
  const old = created(deployments, deployment());
  old.status = { collisionCount: 2 };
  const next = { ...structuredClone(old), status: { replicas: 1, readyReplicas: 2, collisionCount: 1 } };
  assert.deepEqual(deployments.validateUpdate!(next, old).map((e) => `${e.field}: ${e.detail}`), [
    'status.readyReplicas: cannot be greater than status.replicas',
    'status.collisionCount: cannot be decremented',
  ]);
});

test('kubectl get deployments columns', () => {
  const d = created(deployments, deployment({ replicas: 3 }));
  d.status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
  assert.deepEqual(
    deployments.table!.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`),
    ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*'],
  );
  assert.deepEqual(row(deployments, d), {
    Name: 'web',
    Ready: '2/3',
    'Up-to-date': 3,
    Available: 2,
    Age: '120m',
    Containers: 'web',
    Images: 'nginx:1.27',
    Selector: 'app=web',
  });
});

test('deployments are served as upstream registers them', () => {
  assert.deepEqual(deployments.shortNames, ['deploy']);
  assert.deepEqual(deployments.categories, ['all']);
  assert.deepEqual(deployments.subresources?.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' });
  assert.equal(deployments.tracksGeneration, true);
});
