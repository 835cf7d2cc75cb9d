import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { storageClasses } from '../../../../src/api/resources/storage/storageclass.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from '../networking/fixture.js';

function storageClass(fields: Partial<StorageClass>, annotations?: Record<string, string>): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', creationTimestamp: CREATED, ...(annotations ? { annotations } : {}) },
    provisioner: 'rancher.io/local-path',
    ...fields,
  };
}

test('a full storage class passes schema validation with no unknown fields', () => {
  const full = storageClass({
    parameters: { type: 'gp3', fsType: 'ext4' },
    reclaimPolicy: 'Retain',
    mountOptions: ['debug'],
    allowVolumeExpansion: true,
    volumeBindingMode: 'WaitForFirstConsumer',
    allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['us-east-1a', 'us-east-1b'] }] }],
  });
  assert.deepEqual(schemaProblems(full, storageClasses.schemaName), []);
  assert.deepEqual(createErrors(storageClasses, full), []);
});

test('reclaimPolicy defaults to Delete and volumeBindingMode to Immediate', () => {
  const sc = created(storageClasses, storageClass({}));
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
});

test('provisioner is a qualified name; reclaim policy Delete or Retain; binding mode known', () => {
  assert.deepEqual(createErrors(storageClasses, storageClass({ provisioner: '' })), ['provisioner: Required value']);
  assert.match(createErrors(storageClasses, storageClass({ provisioner: 'a/b/c' }))[0], /^provisioner: Invalid value: "a\/b\/c": a qualified name must consist of/);
  assert.deepEqual(createErrors(storageClasses, storageClass({ reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' })), [
    'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
    'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
  ]);
});

test('allowed topologies: values required and unique, keys and terms not repeated', () => {
  const term = { matchLabelExpressions: [{ key: 'zone', values: ['a', 'a'] }, { key: 'zone', values: [] }] };
  assert.deepEqual(createErrors(storageClasses, storageClass({ allowedTopologies: [term] })), [
    'allowedTopologies[0].matchLabelExpressions[0].values[1]: Duplicate value: "a"',
    'allowedTopologies[0].matchLabelExpressions[1].values: Required value',
    'allowedTopologies[0].matchLabelExpressions[1].key: Duplicate value: "zone"',
  ]);
  const same = { matchLabelExpressions: [{ key: 'zone', values: ['a', 'b'] }] };
  const reordered = { matchLabelExpressions: [{ key: 'zone', values: ['b', 'a'] }] };
  assert.deepEqual(createErrors(storageClasses, storageClass({ allowedTopologies: [same, reordered] })), [
    'allowedTopologies[1].matchLabelExpressions: Duplicate value: ""',
  ]);
});

test('provisioner, parameters, reclaimPolicy and volumeBindingMode cannot change', () => {
  const old = created(storageClasses, storageClass({ parameters: { type: 'ssd' } }));
  const changed = storageClass({
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'hdd' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  assert.deepEqual(updateErrors(storageClasses, changed, old), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
  assert.deepEqual(updateErrors(storageClasses, { ...old, allowVolumeExpansion: true, mountOptions: ['ro'] }, old), []);
});

test('table: NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE, the default class marked', () => {
  assert.deepEqual(columns(storageClasses), ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
  const sc = created(storageClasses, storageClass({}, { 'storageclass.kubernetes.io/is-default-class': 'true' }));
  assert.deepEqual(cells(storageClasses, sc), ['standard (default)', 'rancher.io/local-path', 'Delete', 'Immediate', false, '5h']);
  const beta = storageClass({ allowVolumeExpansion: true, reclaimPolicy: 'Retain' }, { 'storageclass.beta.kubernetes.io/is-default-class': 'true' });
  assert.deepEqual(cells(storageClasses, beta).slice(0, 5), ['standard (default)', 'rancher.io/local-path', 'Retain', 'Immediate', true]);
  assert.equal(cells(storageClasses, storageClass({}, { 'storageclass.kubernetes.io/is-default-class': 'false' }))[0], 'standard');
});
