import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import { podDisruptionBudgets as pdbs } from '../../../../src/api/resources/policy/poddisruptionbudget.js';
import { created, createErrors, meta, registry, row, unknownFields } from '../apps/fixtures.js';

function pdb(spec: Record<string, unknown> = {}): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'), spec: { selector: { matchLabels: { app: 'web' } }, ...spec } };
}

test('create starts from a zero status', () => {
  const p = created(pdbs, { ...pdb({ minAvailable: 2 }), status: { disruptionsAllowed: 5 } });
  assert.deepEqual(p.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  assert.deepEqual(createErrors(pdbs, p), []);
});

test('minAvailable and maxUnavailable may not both be set, and are ints or percentages up to 100%', () => {
  const both = created(pdbs, pdb({ minAvailable: 1, maxUnavailable: '150%' }));
  assert.deepEqual(createErrors(pdbs, both), [
    'spec: Invalid value: map[string]interface {}{"maxUnavailable":"150%", "minAvailable":1, "selector":map[string]interface {}{"matchLabels":map[string]interface {}{"app":"web"}}}: minAvailable and maxUnavailable cannot be both set',
    'spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
  ]);
  assert.deepEqual(createErrors(pdbs, created(pdbs, pdb({ minAvailable: -1 }))), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(pdbs.validate!(created(pdbs, pdb({ unhealthyPodEvictionPolicy: 'Never' })), {}).map(fieldErrorString), [
    'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
  ]);
});

test('status writes are checked: counters and conditions', () => {
  const old = created(pdbs, pdb({ minAvailable: 1 }));
  const next = structuredClone(old);
  next.status = { ...old.status, disruptionsAllowed: -1, conditions: [{ type: 'DisruptionAllowed', status: 'Maybe', reason: 'bad reason!' }] };
  assert.deepEqual(pdbs.validateUpdate!(next, old).map(fieldErrorString), [
    'status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
    'status.conditions[0].lastTransitionTime: Required value: must be set',
    "status.conditions[0].reason: Invalid value: \"bad reason!\": a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')",
    'status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('kubectl get pdb columns', () => {
  const p = created(pdbs, pdb({ minAvailable: '50%' }));
  p.status.disruptionsAllowed = 1;
  assert.deepEqual(row(pdbs, p), { Name: 'web', 'Min Available': '50%', 'Max Unavailable': 'N/A', 'Allowed Disruptions': 1, Age: '120m' });
  assert.deepEqual(pdbs.shortNames, ['pdb']);
});

test('a full PodDisruptionBudget has no unknown fields and passes schema validation', () => {
  const t = '2024-05-01T10:00:00Z';
  const full = {
    ...pdb({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
    status: {
      observedGeneration: 1,
      disruptedPods: { 'web-0': t },
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: t, reason: 'SufficientPods', message: '' }],
    },
  };
  assert.deepEqual(unknownFields(pdbs, full), []);
  assert.deepEqual(validateAgainstSchema(full, pdbs.schemaName, registry.definitions).map(fieldErrorString), []);
  assert.deepEqual([...pdbs.validate!(full, {}), ...pdbs.validateUpdate!(full, full)].map(fieldErrorString), []);
});
