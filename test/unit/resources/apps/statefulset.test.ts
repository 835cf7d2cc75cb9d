import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATEFULSET_SPEC_UPDATE_FORBIDDEN, statefulSets } from '../../../../src/api/resources/apps/statefulset.js';
import { created, createErrors, decoded, meta, podTemplate, row, updateErrors } from './fixtures.js';

function statefulSet(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('db'),
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: podTemplate({ app: 'db' }),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...spec,
    },
  };
}

test('StatefulSet defaults: OrderedReady, RollingUpdate partition 0, Retain/Retain, 10 revisions, claim templates', () => {
  const sts = decoded(statefulSets, statefulSet());
  assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(sts.spec.revisionHistoryLimit, 10);
  assert.equal(sts.spec.replicas, 1);
  assert.equal(sts.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  assert.equal(sts.spec.volumeClaimTemplates[0].status.phase, 'Pending');
});

test('an OnDelete strategy gets no partition; the alpha maxUnavailable is dropped on create', () => {
  assert.deepEqual(decoded(statefulSets, statefulSet({ updateStrategy: { type: 'OnDelete' } })).spec.updateStrategy, { type: 'OnDelete' });
  const sts = created(statefulSets, statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } }));
  assert.deepEqual(sts.spec.updateStrategy.rollingUpdate, { partition: 0 });
  assert.deepEqual(sts.status, { replicas: 0, availableReplicas: 0 });
  assert.deepEqual(createErrors(statefulSets, sts), []);
});

test('StatefulSet validation messages', () => {
  const sts = decoded(
    statefulSets,
    statefulSet({
      podManagementPolicy: 'Random',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Delete' },
      ordinals: { start: -1 },
      template: podTemplate({ app: 'web' }, { restartPolicy: 'OnFailure' }),
    }),
  );
  assert.deepEqual(statefulSets.validate!(sts, {}).map((e) => `${e.field}: ${e.detail ?? ''}`), [
    "spec.podManagementPolicy: must be 'OrderedReady' or 'Parallel'",
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: supported values: "Retain", "Delete"',
    'spec.ordinals.start: must be greater than or equal to 0',
    'spec.template.metadata.labels: `selector` does not match template `labels`',
    'spec.template.spec.restartPolicy: supported values: "Always"',
  ]);
});

test('updates may change only replicas, ordinals, template, updateStrategy, retention policy and minReadySeconds', () => {
  const old = created(statefulSets, statefulSet());
  const scaled = structuredClone(old);
  scaled.spec.replicas = 5;
  scaled.spec.minReadySeconds = 10;
  scaled.spec.template.spec.containers[0].image = 'postgres:17';
  assert.deepEqual(updateErrors(statefulSets, scaled, old), []);
  const renamed = structuredClone(old);
  renamed.spec.serviceName = 'other';
  assert.deepEqual(updateErrors(statefulSets, renamed, old), [`spec: Forbidden: ${STATEFULSET_SPEC_UPDATE_FORBIDDEN}`]);
  assert.match(STATEFULSET_SPEC_UPDATE_FORBIDDEN, /^updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden$/);
});

test('StatefulSet names are DNS labels and the table shows READY', () => {
  assert.equal(statefulSets.nameRule, 'label');
  const sts = created(statefulSets, statefulSet({ replicas: 3 }));
  sts.status = { replicas: 3, readyReplicas: 1 };
  assert.deepEqual(row(statefulSets, sts), { Name: 'db', Ready: '1/3', Age: '120m', Containers: 'web', Images: 'nginx:1.27' });
  assert.deepEqual(statefulSets.shortNames, ['sts']);
});
