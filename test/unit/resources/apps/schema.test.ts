import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import { controllerRevisions } from '../../../../src/api/resources/apps/controllerrevision.js';
import { daemonSets } from '../../../../src/api/resources/apps/daemonset.js';
import { deployments } from '../../../../src/api/resources/apps/deployment.js';
import { replicaSets } from '../../../../src/api/resources/apps/replicaset.js';
import { statefulSets } from '../../../../src/api/resources/apps/statefulset.js';
import type { ResourceDefinition } from '../../../../src/api/registry.js';
import { meta, registry, UID, unknownFields } from './fixtures.js';

const T = '2024-05-01T10:00:00Z';
const owner = (kind: string, name: string) => ({ apiVersion: 'apps/v1', kind, name, uid: UID, controller: true, blockOwnerDeletion: true });
const condition = (type: string, reason: string) => ({ type, status: 'True', lastTransitionTime: T, reason, message: `${type} message` });

const template = {
  metadata: { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': T } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'MODE', value: 'prod' }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, periodSeconds: 5 },
        volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    volumes: [{ name: 'cache', emptyDir: {} }],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  },
};

const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cache'] }] };

/** Objects as a 1.32 cluster returns them, with most fields set. */
const examples: [ResourceDefinition<any>, Record<string, unknown>][] = [
  [
    deployments,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web', { annotations: { 'deployment.kubernetes.io/revision': '2' } }),
      spec: {
        replicas: 3,
        selector,
        template,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
        minReadySeconds: 5,
        revisionHistoryLimit: 10,
        paused: false,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        unavailableReplicas: 0,
        conditions: [
          { ...condition('Available', 'MinimumReplicasAvailable'), lastUpdateTime: T },
          { ...condition('Progressing', 'NewReplicaSetAvailable'), lastUpdateTime: T },
        ],
        collisionCount: 1,
      },
    },
  ],
  [
    replicaSets,
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta('web-6b7c9', { ownerReferences: [owner('Deployment', 'web')] }),
      spec: { replicas: 3, minReadySeconds: 5, selector, template },
      status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1, conditions: [condition('ReplicaFailure', 'FailedCreate')] },
    },
  ],
  [
    statefulSets,
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('web'),
      spec: {
        replicas: 2,
        selector,
        template,
        volumeClaimTemplates: [
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem' },
            status: { phase: 'Pending' },
          },
        ],
        serviceName: 'web',
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
        revisionHistoryLimit: 10,
        minReadySeconds: 0,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        ordinals: { start: 0 },
      },
      status: {
        observedGeneration: 1,
        replicas: 2,
        readyReplicas: 2,
        currentReplicas: 2,
        updatedReplicas: 2,
        currentRevision: 'web-6b7c9',
        updateRevision: 'web-6b7c9',
        collisionCount: 0,
        conditions: [condition('Ready', 'AllReady')],
        availableReplicas: 2,
      },
    },
  ],
  [
    daemonSets,
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta('web', { annotations: { 'deprecated.daemonset.template.generation': '1' } }),
      spec: {
        selector,
        template,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: 3,
        numberMisscheduled: 0,
        desiredNumberScheduled: 3,
        numberReady: 3,
        observedGeneration: 1,
        updatedNumberScheduled: 3,
        numberAvailable: 3,
        numberUnavailable: 0,
        collisionCount: 0,
        conditions: [condition('Ready', 'AllReady')],
      },
    },
  ],
  [
    controllerRevisions,
    {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: meta('web-6b7c9', { ownerReferences: [owner('StatefulSet', 'web')] }),
      data: { spec: { template: { $patch: 'replace', ...template } } },
      revision: 1,
    },
  ],
];

for (const [def, obj] of examples) {
  test(`a full ${def.kind} has no unknown fields and passes schema validation`, () => {
    assert.deepEqual(unknownFields(def, obj), []);
    assert.deepEqual(validateAgainstSchema(obj, def.schemaName, registry.definitions).map(fieldErrorString), []);
    assert.deepEqual((def.validate?.(obj, {}) ?? []).map(fieldErrorString), []);
  });
}
