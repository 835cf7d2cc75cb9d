import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { persistentVolumes } from '../../../../src/api/resources/core/persistentvolume.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function pv(spec: PersistentVolume['spec']): PersistentVolume {
  return { metadata: { name: 'pv-1', creationTimestamp: '2024-05-01T11:59:00Z' }, spec };
}

const errors = (v: PersistentVolume) => persistentVolumes.validate!(v, {}).map(fieldErrorString);

test('defaults: Retain, Filesystem; new volumes start Pending', () => {
  const v = pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } });
  persistentVolumes.defaults!(v);
  assert.equal(v.spec!.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(v.spec!.volumeMode, 'Filesystem');
  persistentVolumes.prepareForCreate!(v);
  assert.equal(v.status!.phase, 'Pending');
  assert.ok(v.status!.lastPhaseTransitionTime);
  assert.deepEqual(errors(v), []);
});

test('validation: one source, storage capacity, access modes', () => {
  assert.deepEqual(errors(pv({})), [
    'spec.accessModes: Required value',
    'spec.capacity: Required value',
    'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"',
    'spec: Required value: must specify a volume type',
  ]);
  assert.deepEqual(
    errors(pv({ capacity: { storage: '0' }, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'], hostPath: { path: '/a' }, nfs: { server: 'nfs', path: 'rel' } })),
    [
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
      'spec.nfs: Forbidden: may not specify more than 1 volume type',
    ],
  );
  assert.deepEqual(errors(pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disk' } })), [
    'spec.nodeAffinity: Required value: Local volume requires node affinity',
  ]);
  assert.deepEqual(errors(pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany'], nfs: { server: 'nfs', path: 'rel' } })), [
    'spec.nfs.path: Invalid value: "rel": must be an absolute path',
  ]);
});

test('the volume source is immutable after creation', () => {
  const old = pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/a' }, volumeMode: 'Filesystem' });
  const changed = pv({ capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/b' }, volumeMode: 'Filesystem' });
  assert.deepEqual(persistentVolumes.validateUpdate!(changed, old).map(fieldErrorString), [
    'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
  ]);
});

test('table: capacity, modes as RWO,ROX,RWX,RWOP, claim, class and unset classes', () => {
  assert.deepEqual(
    persistentVolumes.table!.columns.map((c) => c.name),
    ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode'],
  );
  const v = pv({
    capacity: { storage: '5Gi' },
    accessModes: ['ReadWriteOncePod', 'ReadWriteMany', 'ReadWriteOnce', 'ReadOnlyMany'],
    persistentVolumeReclaimPolicy: 'Delete',
    claimRef: { namespace: 'default', name: 'data' },
    storageClassName: 'standard',
  });
  Object.assign(v, { status: { phase: 'Bound' } });
  assert.deepEqual(persistentVolumes.table!.cells(v, NOW), ['pv-1', '5Gi', 'RWO,ROX,RWX,RWOP', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '60s', '<unset>']);
  assert.equal(persistentVolumes.fieldSelectors!.name(v), 'pv-1');
});
