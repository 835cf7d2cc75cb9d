import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import { cronJobs } from '../../../../src/api/resources/batch/cronjob.js';
import { jobs } from '../../../../src/api/resources/batch/job.js';
import type { ResourceDefinition } from '../../../../src/api/registry.js';
import { meta, registry, UID, unknownFields } from '../apps/fixtures.js';

const T = '2024-05-01T10:00:00Z';
const labels = { 'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'job-name': 'pi' };
const template = {
  metadata: { labels },
  spec: {
    containers: [{ name: 'pi', image: 'perl:5.34', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'], resources: {}, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
    restartPolicy: 'Never',
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    securityContext: {},
    schedulerName: 'default-scheduler',
  },
};

const jobSpec = {
  parallelism: 2,
  completions: 4,
  activeDeadlineSeconds: 600,
  podFailurePolicy: {
    rules: [
      { action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [42] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ],
  },
  successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] },
  backoffLimit: 6,
  backoffLimitPerIndex: 1,
  maxFailedIndexes: 2,
  ttlSecondsAfterFinished: 100,
  completionMode: 'Indexed',
  suspend: false,
  podReplacementPolicy: 'Failed',
  managedBy: 'kubernetes.io/job-controller',
};

const examples: [ResourceDefinition<any>, Record<string, unknown>][] = [
  [
    jobs,
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('pi', { labels }),
      spec: { ...jobSpec, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } }, manualSelector: false, template },
      status: {
        conditions: [{ type: 'Complete', status: 'True', lastProbeTime: T, lastTransitionTime: T, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }],
        startTime: T,
        completionTime: T,
        active: 0,
        succeeded: 4,
        failed: 0,
        terminating: 0,
        completedIndexes: '0-3',
        failedIndexes: '',
        uncountedTerminatedPods: { succeeded: ['u1'], failed: ['u2'] },
        ready: 0,
      },
    },
  ],
  [
    cronJobs,
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('backup'),
      spec: {
        schedule: '0 3 * * *',
        timeZone: 'Europe/Paris',
        startingDeadlineSeconds: 200,
        concurrencyPolicy: 'Forbid',
        suspend: false,
        jobTemplate: { metadata: { labels: { app: 'backup' } }, spec: { ...jobSpec, template: { ...template, metadata: {} } } },
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
      status: { active: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'backup-28592460', namespace: 'default', uid: UID, resourceVersion: '9' }], lastScheduleTime: T, lastSuccessfulTime: T },
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
