import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { fieldErrorString, FieldPath } from '../../../../src/api/meta/status.js';
import { persistentVolumeClaims, validatePersistentVolumeClaimSpec } from '../../../../src/api/resources/core/persistentvolumeclaim.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function pvc(spec: PersistentVolumeClaim['spec'], status?: PersistentVolumeClaim['status']): PersistentVolumeClaim {
  const c: PersistentVolumeClaim = { metadata: { name: 'data', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' }, spec };
  if (status) Object.assign(c, { status });
  return c;
}

test('defaults: Filesystem; a new claim is Pending with dataSourceRef mirrored', () => {
  const c = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } });
  persistentVolumeClaims.defaults!(c);
  persistentVolumeClaims.prepareForCreate!(c);
  assert.equal(c.spec!.volumeMode, 'Filesystem');
  assert.deepEqual(c.status, { phase: 'Pending' });
  assert.deepEqual(c.spec!.dataSourceRef, { kind: 'PersistentVolumeClaim', name: 'src' });
  assert.deepEqual(persistentVolumeClaims.validate!(c, {}), []);
});

test('spec validation: access modes, storage request, data sources', () => {
  assert.deepEqual(validatePersistentVolumeClaimSpec({}, new FieldPath('spec')).map(fieldErrorString), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  assert.deepEqual(
    validatePersistentVolumeClaimSpec({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '-1' } }, dataSource: { kind: 'Pod', name: 'p' } }, new FieldPath('spec')).map(fieldErrorString),
    ['spec.resources[storage]: Invalid value: "-1": must be greater than zero', "spec.dataSource: Invalid value: \"Pod\": must be 'PersistentVolumeClaim' when referencing the default apiGroup"],
  );
});

test('the spec is immutable except a bound claim growing', () => {
  const old = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv-1', volumeMode: 'Filesystem' }, { phase: 'Bound', capacity: { storage: '1Gi' } });
  const grow = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, volumeName: 'pv-1', volumeMode: 'Filesystem' });
  persistentVolumeClaims.prepareForUpdate!(grow, old);
  assert.deepEqual(persistentVolumeClaims.validateUpdate!(grow, old), []);
  const modes = pvc({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv-1', volumeMode: 'Filesystem' });
  persistentVolumeClaims.prepareForUpdate!(modes, old);
  const [err] = persistentVolumeClaims.validateUpdate!(modes, old).map(fieldErrorString);
  assert.ok(err.startsWith('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n'), err);
  const shrink = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '512Mi' } }, volumeName: 'pv-1', volumeMode: 'Filesystem' });
  persistentVolumeClaims.prepareForUpdate!(shrink, old);
  assert.deepEqual(persistentVolumeClaims.validateUpdate!(shrink, old).map(fieldErrorString), [
    'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
  ]);
  const unbound = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' }, { phase: 'Pending' });
  const bind = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv-9', volumeMode: 'Filesystem' });
  persistentVolumeClaims.prepareForUpdate!(bind, unbound);
  assert.deepEqual(persistentVolumeClaims.validateUpdate!(bind, unbound), []);
});

test('table: capacity and modes once bound, Terminating while deleted', () => {
  assert.deepEqual(
    persistentVolumeClaims.table!.columns.map((c) => c.name),
    ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'],
  );
  const pending = pvc({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', volumeMode: 'Filesystem' }, { phase: 'Pending' });
  assert.deepEqual(persistentVolumeClaims.table!.cells(pending, NOW), ['data', 'Pending', '', '', '', 'standard', '<unset>', '60m', 'Filesystem']);
  const bound = pvc({ accessModes: ['ReadWriteOnce'], volumeName: 'pv-1' }, { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'] });
  Object.assign(bound.metadata!, { deletionTimestamp: '2024-05-01T11:59:00Z' });
  assert.deepEqual(persistentVolumeClaims.table!.cells(bound, NOW).slice(1, 5), ['Terminating', 'pv-1', '10Gi', 'RWO']);
});
