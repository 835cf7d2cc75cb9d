import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { cronJobs } from '../../../../src/api/resources/batch/cronjob.js';
import { created, createErrors, decoded, meta, podTemplate, row, updateErrors } from '../apps/fixtures.js';

function cronJob(spec: Record<string, unknown> = {}, name = 'backup'): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(name),
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: podTemplate({}, { restartPolicy: 'OnFailure' }) } }, ...spec },
  };
}

const kindErrors = (cj: any, old?: any) => cronJobs.validate!(cj, { old }).map(fieldErrorString);

test('CronJob defaults: Allow, not suspended, 3 successful and 1 failed Jobs kept', () => {
  const cj = decoded(cronJobs, cronJob());
  assert.equal(cj.spec.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec.suspend, false);
  assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
  assert.deepEqual(createErrors(cronJobs, created(cronJobs, cronJob())), []);
});

test('the schedule is required and parsed as upstream does', () => {
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ schedule: '' }))), ['spec.schedule: Required value']);
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ schedule: 'bad' }))), ['spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]']);
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ schedule: '@hourly' }))), []);
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ schedule: 'TZ=UTC 0 * * * *' }))), [
    'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
});

test('time zones must be explicit IANA names; an unchanged one is not rechecked', () => {
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ timeZone: 'Europe/Paris' }))), []);
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ timeZone: 'Mars/Base' }))), ['spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base']);
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ timeZone: 'Local' }))), [
    'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
  ]);
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ timeZone: '' }))), ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']);
  assert.deepEqual(kindErrors(decoded(cronJobs, cronJob({ timeZone: '../etc' }))), ['spec.timeZone: Invalid value: "../etc": unknown time zone ../etc']);
  const old = created(cronJobs, cronJob());
  old.spec.timeZone = 'Mars/Base';
  const next = structuredClone(old);
  next.spec.suspend = true;
  assert.deepEqual(updateErrors(cronJobs, next, old), []);
});

test('the Job template gets its selector generated, and names stay short enough for Jobs', () => {
  const cj = decoded(cronJobs, cronJob({ concurrencyPolicy: 'Sometimes' }, 'a'.repeat(53)));
  cj.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } };
  cj.spec.jobTemplate.spec.manualSelector = true;
  assert.deepEqual(kindErrors(cj), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    `metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
  ]);
  // Only new CronJobs are held to the length.
  assert.equal(kindErrors(cj, cj).filter((m) => m.startsWith('metadata.name')).length, 0);
});

test('kubectl get cronjobs columns', () => {
  const cj = created(cronJobs, cronJob());
  assert.deepEqual(row(cronJobs, cj), {
    Name: 'backup',
    Schedule: '*/5 * * * *',
    Timezone: '<none>',
    Suspend: 'False',
    Active: 0,
    'Last Schedule': '<none>',
    Age: '120m',
    Containers: 'web',
    Images: 'nginx:1.27',
    Selector: '<none>',
  });
  cj.spec.timeZone = 'Europe/Paris';
  cj.status = { active: [{ kind: 'Job', name: 'backup-1' }], lastScheduleTime: '2024-05-01T11:55:00Z' };
  const r = row(cronJobs, cj);
  assert.deepEqual([r.Timezone, r.Active, r['Last Schedule']], ['Europe/Paris', 1, '5m']);
  assert.deepEqual(cronJobs.shortNames, ['cj']);
});
