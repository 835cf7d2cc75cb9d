import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { priorityClasses, SYSTEM_PRIORITY_CLASSES } from '../../../../src/api/resources/scheduling/priorityclass.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from '../networking/fixture.js';

function pc(name: string, fields: Partial<PriorityClass> = {}): PriorityClass {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, creationTimestamp: CREATED }, value: 1000, ...fields };
}

test('a full priority class passes schema validation with no unknown fields', () => {
  const full = pc('high', { globalDefault: false, description: 'Customer-facing services.', preemptionPolicy: 'Never' });
  assert.deepEqual(schemaProblems(full, priorityClasses.schemaName), []);
});

test('preemptionPolicy defaults to PreemptLowerPriority', () => {
  assert.equal(created(priorityClasses, pc('high')).preemptionPolicy, 'PreemptLowerPriority');
});

test('the two built-in system classes are valid as they are', () => {
  for (const system of SYSTEM_PRIORITY_CLASSES) assert.deepEqual(createErrors(priorityClasses, system), []);
  assert.deepEqual(
    SYSTEM_PRIORITY_CLASSES.map((c) => [c.metadata?.name, c.value]),
    [
      ['system-node-critical', 2000001000],
      ['system-cluster-critical', 2000000000],
    ],
  );
});

test('system- names are reserved, and user values stop at one billion', () => {
  assert.deepEqual(createErrors(priorityClasses, pc('system-mine')), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
  ]);
  assert.deepEqual(createErrors(priorityClasses, pc('system-node-critical', { value: 5 })), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
  ]);
  assert.deepEqual(createErrors(priorityClasses, pc('system-cluster-critical', { value: 2000000000, globalDefault: true })), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false",
  ]);
  assert.deepEqual(createErrors(priorityClasses, pc('huge', { value: 1000000001 })), [
    'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
  ]);
  assert.deepEqual(createErrors(priorityClasses, pc('ok', { value: 1000000000 })), []);
});

test('preemptionPolicy must be known', () => {
  assert.deepEqual(createErrors(priorityClasses, pc('p', { preemptionPolicy: 'Always' })), [
    'preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"',
  ]);
});

test('value and preemptionPolicy cannot change', () => {
  const old = created(priorityClasses, pc('high'));
  assert.deepEqual(updateErrors(priorityClasses, pc('high', { value: 2000, preemptionPolicy: 'Never' }), old), [
    'value: Forbidden: may not be changed in an update.',
    'preemptionPolicy: Invalid value: "Never": field is immutable',
  ]);
  assert.deepEqual(updateErrors(priorityClasses, { ...old, description: 'changed', globalDefault: true }, old), []);
});

test('table: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY, all shown by default', () => {
  assert.deepEqual(columns(priorityClasses), ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy']);
  assert.deepEqual(cells(priorityClasses, created(priorityClasses, pc('high', { globalDefault: true }))), ['high', 1000, true, '5h', 'PreemptLowerPriority']);
  assert.deepEqual(cells(priorityClasses, pc('low')), ['low', 1000, false, '5h', '<unset>']);
});
