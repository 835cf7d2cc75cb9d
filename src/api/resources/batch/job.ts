// batch/v1 Job: pods that run to completion.
import type { Job, JobSpec, JobStatus, PodFailurePolicyRule } from 'kubernetes-types/batch/v1.js';
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, int64, kindSchema, labelSelector, list, object, ref, setList, str, time } from '../../schema/build.js';
import { goSlice } from '../../meta/go.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';
import { labelSelectorAsString, labelSelectorValue } from '../../meta/labels.js';
import { humanDuration } from '../../meta/time.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  regexError,
  validateLabelSelector,
  validateNonnegativeField,
} from '../../meta/validation.js';
import { containerCells, defaultPodTemplateSpec, semanticEqual, validatePodTemplateSpec } from '../core/podspec.js';
import { table } from '../table.js';
import { containersColumn, imagesColumn, selectorColumn } from '../apps/printing.js';
import { labelSelectorHasInvalidLabelValue, parsedSelector, validateNonnegativeCounters, validateSelectorMatchesTemplate, type Writable } from '../apps/validation.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_EXIT_CODES_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES = 20;
const MAX_INT32 = 2 ** 31 - 1;

const POD_FAILURE_POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const ON_EXIT_CODES_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.batch.v1.Job': kindSchema(
    { group: 'batch', version: 'v1', kind: 'Job' },
    {
      spec: ref('io.k8s.api.batch.v1.JobSpec', { default: {}, description: 'The desired behaviour of the Job.' }),
      status: ref('io.k8s.api.batch.v1.JobStatus', { default: {}, description: 'The observed state of the Job.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'Job runs pods until a number of them complete successfully.' },
  ),
  'io.k8s.api.batch.v1.JobSpec': object(
    {
      parallelism: int32({ description: 'How many pods may run at once; defaults to 1.' }),
      completions: int32({ description: 'How many pods must succeed; unset means any one success finishes the Job.' }),
      activeDeadlineSeconds: int64({ description: 'Seconds the Job may run before it is failed.' }),
      podFailurePolicy: ref('io.k8s.api.batch.v1.PodFailurePolicy', { description: 'How pod failures count towards backoffLimit.' }),
      successPolicy: ref('io.k8s.api.batch.v1.SuccessPolicy', { description: 'When an Indexed Job may be declared successful early.' }),
      backoffLimit: int32({ description: 'Retries before the Job is failed; defaults to 6.' }),
      backoffLimitPerIndex: int32({ description: 'Retries of each index of an Indexed Job.' }),
      maxFailedIndexes: int32({ description: 'Failed indexes tolerated before the Job is failed.' }),
      selector: labelSelector({ description: 'The pods of the Job; generated unless manualSelector is true.' }),
      manualSelector: bool({ description: 'When true, the selector is the user’s, not generated.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { default: {}, description: 'The pods to run; restartPolicy must be OnFailure or Never.' }),
      ttlSecondsAfterFinished: int32({ description: 'Seconds after finishing when the Job is deleted.' }),
      completionMode: enumOf(['Indexed', 'NonIndexed'], { description: 'NonIndexed (the default) or Indexed: each pod gets a completion index.' }),
      suspend: bool({ description: 'When true, no pods are created and running ones are deleted.' }),
      podReplacementPolicy: enumOf(['Failed', 'TerminatingOrFailed'], { description: 'When replacement pods are created.' }),
      managedBy: str({ description: 'The controller that syncs the Job; empty means the built-in one.' }),
    },
    {
      proto: {
        parallelism: 1, completions: 2, activeDeadlineSeconds: 3, podFailurePolicy: 11, successPolicy: 16, backoffLimit: 7, backoffLimitPerIndex: 12,
        maxFailedIndexes: 13, selector: 4, manualSelector: 5, template: 6, ttlSecondsAfterFinished: 8, completionMode: 9, suspend: 10,
        podReplacementPolicy: 14, managedBy: 15,
      },
      protoPointers: [
        'parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'backoffLimitPerIndex', 'maxFailedIndexes', 'manualSelector',
        'ttlSecondsAfterFinished', 'completionMode', 'suspend', 'podReplacementPolicy', 'managedBy',
      ],
      required: ['template'],
      description: 'The desired behaviour of a Job.',
    },
  ),
  'io.k8s.api.batch.v1.PodFailurePolicy': object(
    {
      rules: list(ref('io.k8s.api.batch.v1.PodFailurePolicyRule', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Rules tried in order; the first that matches a failed pod decides.',
      }),
    },
    { proto: { rules: 1 }, required: ['rules'], description: 'How failed pods are handled.' },
  ),
  'io.k8s.api.batch.v1.PodFailurePolicyRule': object(
    {
      action: enumOf(POD_FAILURE_POLICY_ACTIONS, { default: '', description: 'FailJob, FailIndex, Ignore or Count.' }),
      onExitCodes: ref('io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement', { description: 'Matches on container exit codes.' }),
      onPodConditions: list(ref('io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Matches on pod conditions.',
      }),
    },
    { proto: { action: 1, onExitCodes: 2, onPodConditions: 3 }, required: ['action'], description: 'An action and the failed pods it applies to.' },
  ),
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': object(
    {
      containerName: str({ description: 'The container whose exit code counts; any container when unset.' }),
      operator: enumOf(ON_EXIT_CODES_OPERATORS, { default: '', description: 'In or NotIn.' }),
      values: setList(int32({ default: 0 }), { description: 'Exit codes, in increasing order.' }),
    },
    {
      proto: { containerName: 1, operator: 2, values: 3 },
      protoPointers: ['containerName'],
      required: ['operator', 'values'],
      description: 'A match on container exit codes.',
    },
  ),
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern': object(
    {
      type: str({ default: '', description: 'The pod condition type.' }),
      status: str({ default: '', description: 'The condition status to match; defaults to True.' }),
    },
    { proto: { type: 1, status: 2 }, required: ['type', 'status'], description: 'A match on a pod condition.' },
  ),
  'io.k8s.api.batch.v1.SuccessPolicy': object(
    {
      rules: list(ref('io.k8s.api.batch.v1.SuccessPolicyRule', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Any matching rule makes the Job succeed.',
      }),
    },
    { proto: { rules: 1 }, required: ['rules'], description: 'When an Indexed Job succeeds.' },
  ),
  'io.k8s.api.batch.v1.SuccessPolicyRule': object(
    {
      succeededIndexes: str({ description: 'Indexes that must succeed, as `1,3-5`.' }),
      succeededCount: int32({ description: 'How many (of succeededIndexes, if set) must succeed.' }),
    },
    { proto: { succeededIndexes: 1, succeededCount: 2 }, protoPointers: ['succeededIndexes', 'succeededCount'], description: 'One way a Job may succeed.' },
  ),
  'io.k8s.api.batch.v1.JobStatus': object(
    {
      conditions: {
        ...list(ref('io.k8s.api.batch.v1.JobCondition', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'type',
        description: 'The latest observations of the Job: Suspended, Complete, Failed …',
      },
      startTime: time({ description: 'When the controller started the Job.' }),
      completionTime: time({ description: 'When the Job completed.' }),
      active: int32({ description: 'Pods pending or running.' }),
      succeeded: int32({ description: 'Pods that succeeded.' }),
      failed: int32({ description: 'Pods that failed.' }),
      terminating: int32({ description: 'Pods terminating.' }),
      completedIndexes: str({ description: 'Completed indexes of an Indexed Job, as `1,3-5`.' }),
      failedIndexes: str({ description: 'Failed indexes of an Indexed Job with backoffLimitPerIndex.' }),
      uncountedTerminatedPods: ref('io.k8s.api.batch.v1.UncountedTerminatedPods', { description: 'Finished pods not yet counted.' }),
      ready: int32({ description: 'Active pods with a Ready condition.' }),
    },
    {
      proto: {
        conditions: 1, startTime: 2, completionTime: 3, active: 4, succeeded: 5, failed: 6, terminating: 11, completedIndexes: 7, failedIndexes: 10,
        uncountedTerminatedPods: 8, ready: 9,
      },
      protoPointers: ['terminating', 'failedIndexes', 'ready', 'startTime', 'completionTime'],
      description: 'The observed state of a Job.',
    },
  ),
  'io.k8s.api.batch.v1.UncountedTerminatedPods': object(
    {
      succeeded: setList(str({ default: '' }), { description: 'UIDs of succeeded pods.' }),
      failed: setList(str({ default: '' }), { description: 'UIDs of failed pods.' }),
    },
    { proto: { succeeded: 1, failed: 2 }, description: 'Finished pods the controller has yet to count.' },
  ),
  'io.k8s.api.batch.v1.JobCondition': object(
    {
      type: str({ default: '', description: 'The type of the condition.' }),
      status: str({ default: '', description: 'True, False or Unknown.' }),
      lastProbeTime: time({ description: 'When the condition was last checked.' }),
      lastTransitionTime: time({ description: 'When the condition last changed status.' }),
      reason: str({ description: 'A machine-readable reason for the last transition.' }),
      message: str({ description: 'A human-readable message about the last transition.' }),
    },
    {
      proto: { type: 1, status: 2, lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6 },
      required: ['type', 'status'],
      description: 'An observation of a Job at a point in time.',
    },
  ),
});

/** SetDefaults_PodFailurePolicyOnPodConditionsPattern: an unset status means True (Jobs and CronJob templates). */
export function defaultPodFailurePolicy(rules: readonly PodFailurePolicyRule[] | undefined): void {
  for (const rule of rules ?? []) for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
}

function defaultJob(job: Job): void {
  const spec = (job.spec ??= {} as JobSpec);
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  const meta = (job.metadata ??= {});
  if (templateLabels && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...templateLabels };
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodFailurePolicy(spec.podFailurePolicy?.rules);
  defaultPodTemplateSpec(spec.template);
}

/** The job strategy's generateSelector: labels naming the Job on its pods, and a selector on its uid. */
function generateSelector(job: Job): void {
  const spec = job.spec!;
  const template = (spec.template ??= {});
  const labels = ((template.metadata ??= {}).labels ??= {});
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  // Labels the user set are kept; a conflict is reported by validation.
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  const matchLabels = ((spec.selector ??= {}).matchLabels ??= {});
  matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}

function validateHasLabel(meta: ObjectMeta | undefined, path: FieldPath, key: string, expected: string): FieldError[] {
  const labels = meta?.labels ?? {};
  const p = path.child('labels').key(key).path;
  if (!Object.hasOwn(labels, key)) return [fieldErrors.required(p, expected)];
  return labels[key] === expected ? [] : [fieldErrors.invalid(p, labels, `must be '${expected}'`)];
}

/** validateGeneratedSelector: a generated selector must select exactly this Job's pods. */
function validateGeneratedSelector(job: Job, requirePrefixedLabels: boolean): FieldError[] {
  const spec = job.spec;
  if (spec?.manualSelector === true || !spec?.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (!uid) errs.push(fieldErrors.required('metadata.uid'));
  const templateMeta = spec.template?.metadata;
  const metaPath = new FieldPath('spec.template.metadata');
  errs.push(...validateHasLabel(templateMeta, metaPath, LEGACY_CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(templateMeta, metaPath, LEGACY_JOB_NAME_LABEL, name));
  const expected: Record<string, string> = {};
  if (requirePrefixedLabels) {
    errs.push(...validateHasLabel(templateMeta, metaPath, CONTROLLER_UID_LABEL, uid));
    errs.push(...validateHasLabel(templateMeta, metaPath, JOB_NAME_LABEL, name));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  expected[LEGACY_CONTROLLER_UID_LABEL] = uid;
  expected[LEGACY_JOB_NAME_LABEL] = name;
  const selector = parsedSelector(spec.selector);
  if (selector && !selector.matches(expected)) errs.push(fieldErrors.invalid('spec.selector', labelSelectorValue(spec.selector), '`selector` not auto-generated'));
  return errs;
}

/**
 * validateIndexesFormat: `1,3-5` with indexes below completions, increasing.
 * Returns how many indexes it names, or the parse error.
 */
export function parseIndexes(indexes: string, completions: number): number | Error {
  if (indexes === '') return 0;
  let last: number | undefined;
  let total = 0;
  const toIndex = (s: string): number | Error => {
    if (!/^[+-]?[0-9]+$/.test(s)) return new Error(`cannot convert string to integer for index: ${JSON.stringify(s)}`);
    const n = Number(s);
    return n >= completions ? new Error(`too large index: ${JSON.stringify(s)}`) : n;
  };
  for (const interval of indexes.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) {
      return new Error(`the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`);
    }
    const x = toIndex(limits[0]);
    if (x instanceof Error) return x;
    if (last !== undefined && last >= x) return new Error(`non-increasing order, previous: ${last}, current: ${x}`);
    total++;
    last = x;
    if (limits.length > 1) {
      const y = toIndex(limits[1]);
      if (y instanceof Error) return y;
      if (last >= y) return new Error(`non-increasing order, previous: ${last}, current: ${y}`);
      total += y - x;
      last = y;
    }
  }
  return total;
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPath = new RegExp(`^${HTTP_PATH_FMT}$`);

/** IsDomainPrefixedPath: `acme.io/foo`. */
function validateDomainPrefixedPath(value: string, path: FieldPath): FieldError[] {
  if (value === '') return [fieldErrors.required(path.path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? '' : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (!host || !rest) return [fieldErrors.invalid(path.path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => fieldErrors.invalid(path.path, host, msg));
  if (!httpPath.test(rest)) errs.push(fieldErrors.invalid(path.path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}

function validatePodFailurePolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const rulesPath = path.child('rules');
  const errs: FieldError[] = [];
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errs.push(fieldErrors.tooMany(rulesPath.path, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const podSpec = spec.template?.spec;
  const containerNames = new Set([...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])].map((c) => c.name));
  rules.forEach((rule, i) => {
    const rulePath = rulesPath.index(i);
    const actionPath = rulePath.child('action').path;
    if (!rule.action) errs.push(fieldErrors.required(actionPath, `valid values: ${goQuotedList(POD_FAILURE_POLICY_ACTIONS)}`));
    else if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined) errs.push(fieldErrors.invalid(actionPath, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!POD_FAILURE_POLICY_ACTIONS.includes(rule.action)) errs.push(fieldErrors.notSupported(actionPath, rule.action, POD_FAILURE_POLICY_ACTIONS));
    const onExitCodes = rule.onExitCodes;
    if (onExitCodes) {
      const p = rulePath.child('onExitCodes');
      const opPath = p.child('operator').path;
      if (!onExitCodes.operator) errs.push(fieldErrors.required(opPath, `valid values: ${goQuotedList(ON_EXIT_CODES_OPERATORS)}`));
      else if (!ON_EXIT_CODES_OPERATORS.includes(onExitCodes.operator)) errs.push(fieldErrors.notSupported(opPath, onExitCodes.operator, ON_EXIT_CODES_OPERATORS));
      if (onExitCodes.containerName !== undefined && !containerNames.has(onExitCodes.containerName)) {
        errs.push(fieldErrors.invalid(p.child('containerName').path, onExitCodes.containerName, 'must be one of the container or initContainer names in the pod template'));
      }
      const values = onExitCodes.values ?? [];
      const valuesPath = p.child('values');
      if (values.length === 0) errs.push(fieldErrors.invalid(valuesPath.path, int32Slice(onExitCodes.values), 'at least one value is required'));
      else if (values.length > MAX_ON_EXIT_CODES_VALUES) errs.push(fieldErrors.tooMany(valuesPath.path, values.length, MAX_ON_EXIT_CODES_VALUES));
      const seen = new Set<number>();
      let ordered = true;
      values.forEach((v, j) => {
        const valuePath = valuesPath.index(j).path;
        if (onExitCodes.operator === 'In' && v === 0) errs.push(fieldErrors.invalid(valuePath, v, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push(fieldErrors.duplicate(valuePath, v));
        else seen.add(v);
        if (j > 0 && values[j - 1] > v) ordered = false;
      });
      if (!ordered) errs.push(fieldErrors.invalid(valuesPath.path, int32Slice(values), 'must be ordered'));
    }
    const patterns = rule.onPodConditions ?? [];
    if (patterns.length > 0) {
      const p = rulePath.child('onPodConditions');
      if (patterns.length > MAX_ON_POD_CONDITIONS_PATTERNS) errs.push(fieldErrors.tooMany(p.path, patterns.length, MAX_ON_POD_CONDITIONS_PATTERNS));
      patterns.forEach((pattern, j) => {
        const patternPath = p.index(j);
        for (const msg of isQualifiedName(pattern.type ?? '')) errs.push(fieldErrors.invalid(patternPath.child('type').path, pattern.type ?? '', msg));
        const statusPath = patternPath.child('status').path;
        if (!pattern.status) errs.push(fieldErrors.required(statusPath, `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
        else if (!CONDITION_STATUSES.includes(pattern.status)) errs.push(fieldErrors.notSupported(statusPath, pattern.status, CONDITION_STATUSES));
      });
    }
    if (onExitCodes && patterns.length > 0) errs.push(omitted(rulePath, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExitCodes && patterns.length === 0) errs.push(omitted(rulePath, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errs;
}

/** An Invalid error whose value upstream leaves out (field.OmitValueType). */
function omitted(path: FieldPath, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path.path, detail };
}

/** Go's %q of a []string: `["a" "b"]`. */
/** Exit codes as upstream's messages print them: a []int32. */
function int32Slice(values: readonly number[] | undefined): GoValue {
  return new GoValue(goSlice('int32', values?.map(String)));
}

function goQuotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

function validateSuccessPolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const rules = spec.successPolicy?.rules ?? [];
  const rulesPath = path.child('rules');
  const errs: FieldError[] = [];
  if (rules.length === 0) errs.push(fieldErrors.required(rulesPath.path, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errs.push(fieldErrors.tooMany(rulesPath.path, rules.length, MAX_SUCCESS_POLICY_RULES));
  const completions = spec.completions ?? 0;
  rules.forEach((rule, i) => {
    const rulePath = rulesPath.index(i);
    if (rule.succeededCount === undefined && rule.succeededIndexes === undefined) {
      errs.push(fieldErrors.required(rulePath.path, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let totalIndexes = 0;
    if (rule.succeededIndexes !== undefined) {
      const p = rulePath.child('succeededIndexes').path;
      if (rule.succeededIndexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) errs.push(fieldErrors.tooLong(p, MAX_SUCCEEDED_INDEXES_LENGTH));
      const parsed = parseIndexes(rule.succeededIndexes, completions);
      if (parsed instanceof Error) errs.push(fieldErrors.invalid(p, rule.succeededIndexes, `error parsing succeededIndexes: ${parsed.message}`));
      else totalIndexes = parsed;
    }
    if (rule.succeededCount !== undefined) {
      const countPath = rulePath.child('succeededCount');
      errs.push(...validateNonnegativeField(rule.succeededCount, countPath));
      if (rule.succeededCount > completions) {
        errs.push(fieldErrors.invalid(countPath.path, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
      if (rule.succeededIndexes !== undefined && rule.succeededCount > totalIndexes) {
        errs.push(
          fieldErrors.invalid(countPath.path, rule.succeededCount, `must be less than or equal to ${totalIndexes} (the number of indexes in the specified succeededIndexes field)`),
        );
      }
    }
  });
  return errs;
}

/** validateJobSpec: what Jobs and CronJob job templates share. */
export function validateJobSpecFields(spec: JobSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex'] as const) {
    const v = spec[f];
    if (v !== undefined) errs.push(...validateNonnegativeField(v, path.child(f)));
  }
  if (spec.maxFailedIndexes !== undefined) {
    errs.push(...validateNonnegativeField(spec.maxFailedIndexes, path.child('maxFailedIndexes')));
    if (spec.backoffLimitPerIndex === undefined) errs.push(fieldErrors.required(path.child('backoffLimitPerIndex').path, 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy !== undefined) {
    const p = path.child('managedBy');
    errs.push(...validateDomainPrefixedPath(spec.managedBy, p));
    if (spec.managedBy.length > MAX_MANAGED_BY_LENGTH) errs.push(fieldErrors.tooLong(p.path, MAX_MANAGED_BY_LENGTH));
  }
  const mode = spec.completionMode;
  if (mode !== undefined) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(fieldErrors.notSupported(path.child('completionMode').path, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') errs.push(...validateIndexedSpec(spec, path));
  }
  if (mode === undefined || mode === 'NonIndexed') {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(fieldErrors.invalid(path.child('backoffLimitPerIndex').path, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) errs.push(fieldErrors.invalid(path.child('maxFailedIndexes').path, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, path.child('podFailurePolicy')));
  if (spec.successPolicy) {
    if (mode !== 'Indexed') errs.push(fieldErrors.invalid(path.child('successPolicy').path, spec.successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, path.child('successPolicy')));
  }
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined) {
    const p = path.child('podReplacementPolicy').path;
    if (spec.podFailurePolicy) {
      if (replacement !== 'Failed') errs.push(fieldErrors.notSupported(p, replacement, ['Failed']));
    } else if (!POD_REPLACEMENT_POLICIES.includes(replacement)) errs.push(fieldErrors.notSupported(p, replacement, POD_REPLACEMENT_POLICIES));
  }
  const templatePath = path.child('template');
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, templatePath));
  // restartPolicy defaults to Always, so an unset one reads as Always here.
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  const restartPath = templatePath.child('spec').child('restartPolicy').path;
  if (restartPolicy === 'Always' || restartPolicy === '') errs.push(fieldErrors.required(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') errs.push(fieldErrors.notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && restartPolicy !== 'Never') {
    errs.push(fieldErrors.invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

function validateIndexedSpec(spec: JobSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const { completions, parallelism, maxFailedIndexes, backoffLimitPerIndex } = spec;
  if (completions === undefined) errs.push(fieldErrors.required(path.child('completions').path, 'when completion mode is Indexed'));
  if (parallelism !== undefined && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
    errs.push(fieldErrors.invalid(path.child('parallelism').path, parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
  }
  if (completions !== undefined && maxFailedIndexes !== undefined && maxFailedIndexes > completions) {
    errs.push(fieldErrors.invalid(path.child('maxFailedIndexes').path, maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
    errs.push(fieldErrors.invalid(path.child('maxFailedIndexes').path, maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`));
  }
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && backoffLimitPerIndex !== undefined) {
    const suffix = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailedIndexes === undefined) errs.push(fieldErrors.required(path.child('maxFailedIndexes').path, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
      errs.push(fieldErrors.invalid(path.child('parallelism').path, parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} ${suffix}`));
    }
    if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS) {
      errs.push(fieldErrors.invalid(path.child('maxFailedIndexes').path, maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} ${suffix}`));
    }
  }
  return errs;
}

/** ValidateJobSpec: the shared rules plus the selector, which a Job (unlike a template) must have. */
function validateJobSpec(spec: JobSpec, path: FieldPath, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const errs = validateJobSpecFields(spec, path);
  if (!spec.selector) errs.push(fieldErrors.required(path.child('selector').path));
  else errs.push(...validateLabelSelector(spec.selector, { allowInvalidLabelValueInSelector }, path.child('selector')));
  const selector = parsedSelector(spec.selector);
  if (selector) errs.push(...validateSelectorMatchesTemplate(selector, spec.template, path.child('template')));
  return errs;
}

function hasBatchLabels(job: Job): boolean {
  const labels = job.spec?.template?.metadata?.labels ?? {};
  return Object.hasOwn(labels, JOB_NAME_LABEL) && Object.hasOwn(labels, CONTROLLER_UID_LABEL);
}

function validateJob(job: Job, old: Job | undefined): FieldError[] {
  // Jobs created before the prefixed labels existed keep passing validation without them.
  const requirePrefixedLabels = old ? hasBatchLabels(old) : true;
  const errs = validateGeneratedSelector(job, requirePrefixedLabels);
  errs.push(...validateJobSpec(job.spec ?? ({} as JobSpec), new FieldPath('spec'), labelSelectorHasInvalidLabelValue(old?.spec?.selector)));
  const completions = job.spec?.completions;
  if (job.spec?.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    // Pod hostnames get a `-<index>` suffix and must stay DNS labels.
    const name = job.metadata?.name ?? '';
    const hostname = `${name}-${completions - 1}`;
    if (isDNS1123Label(hostname).length) {
      errs.push(fieldErrors.invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

/**
 * The old template with the scheduling directives of the new one: what the new template must
 * equal when only those may change (a suspended Job that never started).
 */
function withNewSchedulingDirectives(old: PodTemplateSpec | undefined, next: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!old) return old;
  const oldPod = old.spec;
  const newPod = next?.spec;
  let affinity = oldPod?.affinity;
  if (oldPod?.affinity && !newPod?.affinity) {
    const { nodeAffinity: _dropped, ...rest } = oldPod.affinity;
    affinity = Object.keys(rest).length ? rest : undefined;
  } else if (newPod?.affinity) {
    affinity = { ...oldPod?.affinity, nodeAffinity: newPod.affinity.nodeAffinity };
  }
  return {
    ...old,
    metadata: { ...old.metadata, labels: next?.metadata?.labels, annotations: next?.metadata?.annotations },
    spec: {
      ...(oldPod as PodSpec),
      affinity,
      nodeSelector: newPod?.nodeSelector,
      tolerations: newPod?.tolerations,
      schedulingGates: newPod?.schedulingGates,
    },
  };
}

function validateJobSpecUpdate(job: Job, old: Job): FieldError[] {
  const spec = job.spec ?? ({} as JobSpec);
  const oldSpec = old.spec ?? ({} as JobSpec);
  const path = new FieldPath('spec');
  const errs: FieldError[] = [];
  const immutable = (field: keyof JobSpec, value: unknown, oldValue: unknown): void => {
    if (!semanticEqual(value, oldValue)) errs.push(fieldErrors.invalid(path.child(field).path, value ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  };
  // Indexed Jobs are elastic: completions may change together with parallelism.
  if (spec.completionMode === 'Indexed') {
    if (spec.completions !== oldSpec.completions && spec.completions !== undefined && spec.completions !== spec.parallelism) {
      errs.push(fieldErrors.invalid(path.child('completions').path, spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else immutable('completions', spec.completions, oldSpec.completions);
  immutable('selector', spec.selector, oldSpec.selector);
  const allowScheduling = oldSpec.suspend === true && !old.status?.startTime;
  const oldTemplate = allowScheduling ? withNewSchedulingDirectives(oldSpec.template, spec.template) : oldSpec.template;
  if (!semanticEqual(spec.template, oldTemplate)) {
    errs.push(fieldErrors.invalid(path.child('template').path, spec.template ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  immutable('completionMode', spec.completionMode, oldSpec.completionMode);
  immutable('podFailurePolicy', spec.podFailurePolicy, oldSpec.podFailurePolicy);
  immutable('backoffLimitPerIndex', spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex);
  immutable('managedBy', spec.managedBy, oldSpec.managedBy);
  immutable('successPolicy', spec.successPolicy, oldSpec.successPolicy);
  return errs;
}

function conditionTrue(status: JobStatus | undefined, type: string): boolean {
  return (status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

const TERMINAL_CONDITIONS = ['Failed', 'Complete', 'FailureTarget'];

/** The status rules a Job controller's writes must keep (a subset of upstream's strengthened checks). */
function validateJobStatusUpdate(job: Job, old: Job): FieldError[] {
  const status: JobStatus = job.status ?? {};
  const oldStatus: JobStatus = old.status ?? {};
  const path = new FieldPath('status');
  const errs = validateNonnegativeCounters(status, ['active', 'succeeded', 'failed', 'ready', 'terminating'], path);
  const seen = new Set<string>();
  const uncounted = status.uncountedTerminatedPods;
  for (const kind of ['succeeded', 'failed'] as const) {
    (uncounted?.[kind] ?? []).forEach((uid, i) => {
      const p = path.child('uncountedTerminatedPods').child(kind).index(i).path;
      if (uid === '') errs.push(fieldErrors.invalid(p, uid, 'must not be empty'));
      else if (seen.has(uid)) errs.push(fieldErrors.duplicate(p, uid));
      else seen.add(uid);
    });
  }
  const complete = conditionTrue(status, 'Complete');
  const failed = conditionTrue(status, 'Failed');
  const finished = complete || failed;
  const changed = (type: string) => conditionTrue(status, type) !== conditionTrue(oldStatus, type);
  const conditionsPath = path.child('conditions').path;
  if (complete && failed && (changed('Complete') || changed('Failed'))) errs.push(omittedAt(conditionsPath, 'cannot set Complete=True and Failed=true conditions'));
  if (finished && (status.active ?? 0) > 0 && (changed('Complete') || changed('Failed') || status.active !== oldStatus.active)) {
    errs.push(fieldErrors.invalid(path.child('active').path, status.active, 'active>0 is invalid for finished job'));
  }
  const start = status.startTime;
  const completion = status.completionTime;
  if (start && completion && Date.parse(completion) < Date.parse(start) && (start !== oldStatus.startTime || completion !== oldStatus.completionTime)) {
    errs.push(fieldErrors.invalid(path.child('completionTime').path, completion, 'completionTime cannot be set before startTime'));
  }
  for (const type of TERMINAL_CONDITIONS) {
    if (conditionTrue(oldStatus, type) && !conditionTrue(status, type)) errs.push(omittedAt(conditionsPath, `cannot disable the terminal ${type}=True condition`));
  }
  if (completion && oldStatus.completionTime && Date.parse(completion) !== Date.parse(oldStatus.completionTime)) {
    errs.push(fieldErrors.invalid(path.child('completionTime').path, completion, 'completionTime cannot be mutated'));
  }
  return errs;
}

function omittedAt(field: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail };
}

function hasCondition(job: Job, type: string): boolean {
  // The first condition of the type decides, as the printer reads it.
  return job.status?.conditions?.find((c) => c.type === type)?.status === 'True';
}

/** The STATUS column of `kubectl get jobs` (1.32). */
function jobStatusCell(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completionsCell(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

export const jobs: ResourceDefinition<Job> = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  schemaName: 'io.k8s.api.batch.v1.Job',
  definitions,
  subresources: { status: true },
  tracksGeneration: true,
  defaults: defaultJob,
  prepareForCreate(job) {
    if (job.spec?.manualSelector !== true) generateSelector(job);
    (job as Writable<Job>).status = {};
    // Upstream's read-time defaulting gives an unlabelled Job its (now generated) template labels.
    const meta = job.metadata!;
    const templateLabels = job.spec?.template?.metadata?.labels;
    if (templateLabels && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...templateLabels };
  },
  prepareForUpdate(job, old) {
    (job as Writable<Job>).status = old.status;
  },
  validate(job, ctx) {
    return validateJob(job, ctx.old as Job | undefined);
  },
  validateUpdate(job, old) {
    return [...validateJobSpecUpdate(job, old), ...validateJobStatusUpdate(job, old)];
  },
  table: table<Job>(
    [
      { name: 'Status', type: 'string', description: 'Complete, Failed, Running, Suspended, FailureTarget or Terminating.' },
      { name: 'Completions', type: 'string', description: 'Succeeded pods out of the completions wanted.' },
      { name: 'Duration', type: 'string', description: 'How long the Job ran, or has been running.' },
    ],
    (job, now) => [jobStatusCell(job), completionsCell(job), durationCell(job, now)],
    {
      columns: [containersColumn, imagesColumn, selectorColumn],
      cells: (job) => [...containerCells(job.spec?.template?.spec), labelSelectorAsString(job.spec?.selector)],
    },
  ),
  fieldSelectors: { 'status.successful': (job) => String(job.status?.succeeded ?? 0) },
};
