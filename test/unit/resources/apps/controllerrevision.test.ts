import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerRevisions } from '../../../../src/api/resources/apps/controllerrevision.js';
import { created, createErrors, meta, row, updateErrors, UID } from './fixtures.js';

function revision(extra: Record<string, unknown> = {}): any {
  const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: UID, controller: true, blockOwnerDeletion: true };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: meta('agent-6b7c9', { ownerReferences: [owner] }), data: { spec: { template: {} } }, revision: 3, ...extra };
}

test('data is mandatory and the revision non-negative', () => {
  assert.deepEqual(createErrors(controllerRevisions, created(controllerRevisions, revision())), []);
  const bad = created(controllerRevisions, revision({ revision: -1 }));
  delete bad.data;
  assert.deepEqual(createErrors(controllerRevisions, bad), ['data: Required value: data is mandatory', 'revision: Invalid value: -1: must be greater than or equal to 0']);
});

test('data can never change', () => {
  const old = created(controllerRevisions, revision());
  const next = { ...structuredClone(old), data: { spec: { template: { metadata: {} , x: 1 } } } };
  assert.deepEqual(updateErrors(controllerRevisions, next, old), ['data: Invalid value: map[string]interface {}{"spec":map[string]interface {}{"template":map[string]interface {}{"metadata":map[string]interface {}{}, "x":1}}}: field is immutable']);
});

test('the CONTROLLER column names the owner with its group', () => {
  assert.deepEqual(row(controllerRevisions, created(controllerRevisions, revision())), { Name: 'agent-6b7c9', Controller: 'daemonset.apps/agent', Revision: 3, Age: '120m' });
  const orphan = created(controllerRevisions, revision());
  delete orphan.metadata.ownerReferences;
  assert.equal(row(controllerRevisions, orphan).Controller, '<none>');
});
