import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSets, TEMPLATE_GENERATION_ANNOTATION } from '../../../../src/api/resources/apps/daemonset.js';
import { created, createErrors, decoded, meta, podTemplate, row, updateErrors } from './fixtures.js';

function daemonSet(spec: Record<string, unknown> = {}): any {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent'), spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate({ app: 'agent' }), ...spec } };
}

test('a DaemonSet defaults to RollingUpdate with maxUnavailable 1 and maxSurge 0', () => {
  const ds = decoded(daemonSets, daemonSet());
  assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.spec.revisionHistoryLimit, 10);
});

test('create records template generation 1 and a zero status', () => {
  const ds = created(daemonSets, daemonSet());
  assert.equal(ds.metadata.annotations[TEMPLATE_GENERATION_ANNOTATION], '1');
  assert.deepEqual(ds.status, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  assert.deepEqual(createErrors(daemonSets, ds), []);
});

test('a template change bumps the template generation; other changes keep it', () => {
  const old = created(daemonSets, daemonSet());
  const retuned = structuredClone(old);
  retuned.spec.minReadySeconds = 5;
  daemonSets.prepareForUpdate!(retuned, old);
  assert.equal(retuned.metadata.annotations[TEMPLATE_GENERATION_ANNOTATION], '1');
  const reimaged = structuredClone(old);
  reimaged.spec.template.spec.containers[0].image = 'nginx:1.28';
  delete reimaged.metadata.annotations;
  assert.deepEqual(updateErrors(daemonSets, reimaged, old), []);
  assert.equal(reimaged.metadata.annotations[TEMPLATE_GENERATION_ANNOTATION], '2');
});

test('exactly one of maxUnavailable and maxSurge must be non-zero', () => {
  const errs = (rollingUpdate: Record<string, unknown>) => createErrors(daemonSets, created(daemonSets, daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate } })));
  assert.deepEqual(errs({ maxUnavailable: 1, maxSurge: 1 }), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']);
  assert.deepEqual(errs({ maxUnavailable: 0, maxSurge: '0%' }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  const empty = created(daemonSets, daemonSet({ selector: {} }));
  assert.deepEqual(createErrors(daemonSets, empty), ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset']);
});

test('kubectl get daemonsets columns', () => {
  const ds = created(daemonSets, daemonSet({ template: podTemplate({ app: 'agent' }, { nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } }) }));
  ds.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 };
  assert.deepEqual(daemonSets.table!.columns.map((c) => c.name), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(row(daemonSets, ds), {
    Name: 'agent',
    Desired: 3,
    Current: 3,
    Ready: 2,
    'Up-to-date': 3,
    Available: 2,
    'Node Selector': 'disk=ssd,kubernetes.io/os=linux',
    Age: '120m',
    Containers: 'web',
    Images: 'nginx:1.27',
    Selector: 'app=agent',
  });
  assert.equal(row(daemonSets, created(daemonSets, daemonSet()))['Node Selector'], '<none>');
});
