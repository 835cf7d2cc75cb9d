// batch/v1 CronJob: Jobs created on a schedule.
import type { CronJob, CronJobSpec, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, int64, kindSchema, list, objectMeta, object, ref, str, time } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { labelSelectorAsString, labelSelectorValue } from '../../meta/labels.js';
import { validateNonnegativeField } from '../../meta/validation.js';
import { containerCells, defaultEmbeddedMeta, defaultPodTemplateSpec } from '../core/podspec.js';
import { age, table } from '../table.js';
import { containersColumn, formatBoolPointer, imagesColumn, selectorColumn } from '../apps/printing.js';
import type { Writable } from '../apps/validation.js';
import { defaultPodFailurePolicy, validateJobSpecFields } from './job.js';
import { scheduleError, timeZoneError } from './schedule.js';

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** Job names get an 11-character `-<timestamp>` suffix and must stay within 63 characters. */
const MAX_CRONJOB_NAME_LENGTH = 52;
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.batch.v1.CronJob': kindSchema(
    { group: 'batch', version: 'v1', kind: 'CronJob' },
    {
      spec: ref('io.k8s.api.batch.v1.CronJobSpec', { default: {}, description: 'The schedule and the Job to run.' }),
      status: ref('io.k8s.api.batch.v1.CronJobStatus', { default: {}, description: 'The observed state of the CronJob.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'CronJob creates Jobs on a repeating schedule.' },
  ),
  'io.k8s.api.batch.v1.CronJobSpec': object(
    {
      schedule: str({ default: '', description: 'The schedule in cron format, such as `*/5 * * * *` or `@hourly`.' }),
      timeZone: str({ description: 'The IANA time zone the schedule is in; the controller’s zone when unset.' }),
      startingDeadlineSeconds: int64({ description: 'Seconds after a missed run during which it may still start.' }),
      concurrencyPolicy: enumOf(CONCURRENCY_POLICIES, { description: 'Allow (the default), Forbid or Replace concurrent runs.' }),
      suspend: bool({ description: 'When true, no new runs start.' }),
      jobTemplate: ref('io.k8s.api.batch.v1.JobTemplateSpec', { default: {}, description: 'The Job to create on each run.' }),
      successfulJobsHistoryLimit: int32({ description: 'Finished successful Jobs to keep; defaults to 3.' }),
      failedJobsHistoryLimit: int32({ description: 'Failed Jobs to keep; defaults to 1.' }),
    },
    {
      proto: {
        schedule: 1, timeZone: 8, startingDeadlineSeconds: 2, concurrencyPolicy: 3, suspend: 4, jobTemplate: 5, successfulJobsHistoryLimit: 6,
        failedJobsHistoryLimit: 7,
      },
      protoPointers: ['timeZone', 'startingDeadlineSeconds', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'],
      required: ['schedule', 'jobTemplate'],
      description: 'The schedule and the Job of a CronJob.',
    },
  ),
  'io.k8s.api.batch.v1.JobTemplateSpec': object(
    {
      metadata: objectMeta({ default: {}, description: 'Metadata given to the Jobs created from this template.' }),
      spec: ref('io.k8s.api.batch.v1.JobSpec', { default: {}, description: 'The spec of the Jobs created from this template.' }),
    },
    { proto: { metadata: 1, spec: 2 }, description: 'The Job a CronJob creates.' },
  ),
  'io.k8s.api.batch.v1.CronJobStatus': object(
    {
      active: list(ref('io.k8s.api.core.v1.ObjectReference', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'The Jobs running now.' }),
      lastScheduleTime: time({ description: 'When a Job was last scheduled.' }),
      lastSuccessfulTime: time({ description: 'When a Job last completed successfully.' }),
    },
    { proto: { active: 1, lastScheduleTime: 4, lastSuccessfulTime: 5 }, protoPointers: ['lastScheduleTime', 'lastSuccessfulTime'], description: 'The observed state of a CronJob.' },
  ),
});

function defaultCronJob(cj: CronJob): void {
  const spec = (cj.spec ??= {} as CronJobSpec);
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jobSpec = spec.jobTemplate?.spec;
  defaultPodFailurePolicy(jobSpec?.podFailurePolicy?.rules);
  defaultPodTemplateSpec(jobSpec?.template);
  if (spec.jobTemplate) defaultEmbeddedMeta(spec.jobTemplate);
}

function validateScheduleFormat(schedule: string, allowTZInSchedule: boolean, timeZone: string | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const parseError = scheduleError(schedule);
  if (parseError) errs.push(fieldErrors.invalid(path.path, schedule, parseError));
  if (schedule.includes('TZ')) {
    if (!allowTZInSchedule) errs.push(fieldErrors.invalid(path.path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else if (timeZone !== undefined) errs.push(fieldErrors.invalid(path.path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  return errs;
}

function validateTimeZone(timeZone: string | undefined, path: FieldPath): FieldError[] {
  if (timeZone === undefined) return [];
  if (timeZone === '') return [fieldErrors.invalid(path.path, timeZone, 'timeZone must be nil or non-empty string')];
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) {
      return [fieldErrors.invalid(path.path, timeZone, `unknown time zone ${timeZone}`)];
    }
  }
  const errs: FieldError[] = [];
  if (timeZone.toLowerCase() === 'local') {
    errs.push(fieldErrors.invalid(path.path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  }
  // Go loads `Local` (exactly) as the host's zone; other spellings are looked up and fail.
  const zoneError = timeZone === 'Local' ? undefined : timeZoneError(timeZone);
  if (zoneError) errs.push(fieldErrors.invalid(path.path, timeZone, zoneError));
  return errs;
}

function validateConcurrencyPolicy(policy: string | undefined, path: FieldPath): FieldError[] {
  if (!policy) return [fieldErrors.required(path.path)];
  return CONCURRENCY_POLICIES.includes(policy) ? [] : [fieldErrors.notSupported(path.path, policy, CONCURRENCY_POLICIES)];
}

/** ValidateJobTemplateSpec: a Job spec whose selector the CronJob controller generates. */
function validateJobTemplateSpec(spec: JobSpec, path: FieldPath): FieldError[] {
  const errs = validateJobSpecFields(spec, path);
  if (spec.selector) errs.push(fieldErrors.invalid(path.child('selector').path, labelSelectorValue(spec.selector), '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(fieldErrors.notSupported(path.child('manualSelector').path, true, ['nil', 'false']));
  return errs;
}

function validateCronJobSpec(spec: CronJobSpec | undefined, old: CronJobSpec | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? ({} as CronJobSpec);
  const errs: FieldError[] = [];
  if (!s.schedule) errs.push(fieldErrors.required(path.child('schedule').path));
  else errs.push(...validateScheduleFormat(s.schedule, old?.schedule?.includes('TZ') ?? false, s.timeZone, path.child('schedule')));
  if (s.startingDeadlineSeconds !== undefined) errs.push(...validateNonnegativeField(s.startingDeadlineSeconds, path.child('startingDeadlineSeconds')));
  // A zone that no longer exists must not block updates that leave it alone.
  if (!old || old.timeZone !== s.timeZone) errs.push(...validateTimeZone(s.timeZone, path.child('timeZone')));
  errs.push(...validateConcurrencyPolicy(s.concurrencyPolicy, path.child('concurrencyPolicy')));
  errs.push(...validateJobTemplateSpec(s.jobTemplate?.spec ?? ({} as JobSpec), path.child('jobTemplate').child('spec')));
  for (const f of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
    const v = s[f];
    if (v !== undefined) errs.push(...validateNonnegativeField(v, path.child(f)));
  }
  return errs;
}

export const cronJobs: ResourceDefinition<CronJob> = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  schemaName: 'io.k8s.api.batch.v1.CronJob',
  definitions,
  subresources: { status: true },
  tracksGeneration: true,
  defaults: defaultCronJob,
  prepareForCreate(cj) {
    (cj as Writable<CronJob>).status = {};
  },
  prepareForUpdate(cj, old) {
    (cj as Writable<CronJob>).status = old.status;
  },
  validate(cj, ctx) {
    const old = ctx.old as CronJob | undefined;
    const errs = validateCronJobSpec(cj.spec, old?.spec, new FieldPath('spec'));
    // Only on create: older CronJobs with longer names must stay updatable and deletable.
    const name = cj.metadata?.name ?? '';
    if (!old && name.length > MAX_CRONJOB_NAME_LENGTH) {
      errs.push(fieldErrors.invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
    }
    return errs;
  },
  table: table<CronJob>(
    [
      { name: 'Schedule', type: 'string', description: 'The schedule in cron format.' },
      { name: 'Timezone', type: 'string', description: 'The time zone of the schedule.' },
      { name: 'Suspend', type: 'boolean', description: 'Whether new runs are suspended.' },
      { name: 'Active', type: 'integer', description: 'Jobs running now.' },
      { name: 'Last Schedule', type: 'string', description: 'Time since a Job was last scheduled.' },
    ],
    (cj, now) => [
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      formatBoolPointer(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, now) : '<none>',
    ],
    {
      columns: [containersColumn, imagesColumn, selectorColumn],
      cells: (cj) => {
        const jobSpec = cj.spec?.jobTemplate?.spec;
        return [...containerCells(jobSpec?.template?.spec), labelSelectorAsString(jobSpec?.selector)];
      },
    },
  ),
};
