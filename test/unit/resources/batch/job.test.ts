import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { CONTROLLER_UID_LABEL, JOB_NAME_LABEL, jobs, parseIndexes } from '../../../../src/api/resources/batch/job.js';
import { createErrors, decoded, meta, NOW, podTemplate, row, UID, updateErrors } from '../apps/fixtures.js';

function job(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): any {
  const m = meta('pi', metadata);
  delete m.uid;
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: m, spec: { template: podTemplate({}, { restartPolicy: 'Never' }), ...spec } };
}

/** What create does before validation: the apiserver gives the object its uid first. */
function createdJob(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): any {
  const j = decoded(jobs, job(spec, metadata));
  j.metadata.uid = UID;
  jobs.prepareForCreate!(j);
  return j;
}

test('Job defaults: one completion and one pod at a time, six retries, NonIndexed, not suspended', () => {
  const j = decoded(jobs, job());
  assert.equal(j.spec.completions, 1);
  assert.equal(j.spec.parallelism, 1);
  assert.equal(j.spec.backoffLimit, 6);
  assert.equal(j.spec.completionMode, 'NonIndexed');
  assert.equal(j.spec.suspend, false);
  assert.equal(j.spec.manualSelector, false);
  assert.equal(j.spec.podReplacementPolicy, 'TerminatingOrFailed');
  const parallel = decoded(jobs, job({ parallelism: 3 }));
  assert.equal(parallel.spec.completions, undefined);
  const perIndex = decoded(jobs, job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 }));
  assert.equal(perIndex.spec.backoffLimit, 2147483647);
});

test('create generates the selector and the labels that tie pods to the Job', () => {
  const j = createdJob();
  assert.deepEqual(j.spec.selector, { matchLabels: { [CONTROLLER_UID_LABEL]: UID } });
  assert.deepEqual(j.spec.template.metadata.labels, { 'job-name': 'pi', [JOB_NAME_LABEL]: 'pi', 'controller-uid': UID, [CONTROLLER_UID_LABEL]: UID });
  assert.deepEqual(j.metadata.labels, j.spec.template.metadata.labels);
  assert.deepEqual(j.status, {});
  assert.deepEqual(createErrors(jobs, j), []);
});

test('restartPolicy must be OnFailure or Never', () => {
  const always = createdJob({ template: podTemplate({}) });
  assert.deepEqual(createErrors(jobs, always), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  const manual = decoded(jobs, job({ manualSelector: true }));
  manual.metadata.uid = UID;
  jobs.prepareForCreate!(manual);
  // As upstream, a missing selector also selects nothing, so the template cannot match it.
  assert.deepEqual(createErrors(jobs, manual), ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`']);
});

test('Job spec validation messages', () => {
  const j = createdJob({ parallelism: -1, completionMode: 'NonIndexed', backoffLimitPerIndex: 1, managedBy: 'kueue' });
  assert.deepEqual(createErrors(jobs, j), [
    'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    'spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")',
    'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
  ]);
  const indexed = createdJob({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '0-5', succeededCount: 4 }] } });
  assert.deepEqual(createErrors(jobs, indexed), [
    'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-5": error parsing succeededIndexes: too large index: "5"',
    'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)',
    // Unparsable indexes count as none, as upstream reports too.
    'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
  ]);
});

test('pod failure policies are checked', () => {
  const j = createdJob({
    podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 0, 3] } }, { action: 'Ignore' }] },
  });
  assert.deepEqual(jobs.validate!(j, {}).map(fieldErrorString), [
    'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
    'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
    'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 0, 3}: must be ordered',
    'spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
  ]);
  assert.equal(j.spec.podReplacementPolicy, 'Failed');
});

test('the pod template is immutable, except scheduling directives of a suspended Job never started', () => {
  const old = createdJob();
  const next = structuredClone(old);
  next.spec.template.spec.containers[0].image = 'perl:5.40';
  assert.deepEqual(updateErrors(jobs, next, old).map((m) => m.replace(/: map\[string\]interface \{\}\{.*\}: /, ': …: ')), ['spec.template: Invalid value: …: field is immutable']);
  const suspended = createdJob({ suspend: true });
  const moved = structuredClone(suspended);
  moved.spec.template.spec.nodeSelector = { zone: 'a' };
  moved.spec.template.metadata.annotations = { note: 'x' };
  assert.deepEqual(updateErrors(jobs, moved, suspended), []);
  const started = structuredClone(suspended);
  started.status = { startTime: '2024-05-01T10:00:00Z' };
  const late = structuredClone(moved);
  assert.equal(updateErrors(jobs, late, started).length, 1);
});

test('indexed Jobs may change completions only together with parallelism', () => {
  const old = createdJob({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
  const both = structuredClone(old);
  both.spec.completions = 5;
  both.spec.parallelism = 5;
  assert.deepEqual(updateErrors(jobs, both, old), []);
  const one = structuredClone(old);
  one.spec.completions = 5;
  assert.deepEqual(updateErrors(jobs, one, old), ['spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism']);
});

test('status writes keep terminal conditions and sane counters', () => {
  const old = createdJob();
  old.status = { conditions: [{ type: 'Complete', status: 'True' }], succeeded: 1, startTime: '2024-05-01T10:00:00Z', completionTime: '2024-05-01T10:01:00Z' };
  const next = structuredClone(old);
  next.status = { conditions: [{ type: 'Failed', status: 'True' }], succeeded: 1, active: -1, startTime: old.status.startTime, completionTime: old.status.completionTime };
  assert.deepEqual(jobs.validateUpdate!(next, old).map((e) => `${e.field}: ${e.detail}`), [
    'status.active: must be greater than or equal to 0',
    'status.conditions: cannot disable the terminal Complete=True condition',
  ]);
});

test('indexes parse as upstream’s validateIndexesFormat', () => {
  assert.equal(parseIndexes('1,3-5', 6), 4);
  assert.equal(parseIndexes('', 6), 0);
  assert.equal((parseIndexes('3,1', 6) as Error).message, 'non-increasing order, previous: 3, current: 1');
  assert.equal((parseIndexes('a', 6) as Error).message, 'cannot convert string to integer for index: "a"');
});

test('kubectl get jobs: STATUS, COMPLETIONS and DURATION', () => {
  const j = createdJob();
  assert.deepEqual(row(jobs, j), { Name: 'pi', Status: 'Running', Completions: '0/1', Duration: '', Age: '120m', Containers: 'web', Images: 'nginx:1.27', Selector: `${CONTROLLER_UID_LABEL}=${UID}` });
  j.status = { succeeded: 1, startTime: '2024-05-01T10:00:00Z', completionTime: '2024-05-01T10:00:42Z', conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] };
  assert.deepEqual([row(jobs, j).Status, row(jobs, j).Completions, row(jobs, j).Duration], ['Complete', '1/1', '42s']);
  j.status = { startTime: '2024-05-01T11:55:00Z', conditions: [{ type: 'FailureTarget', status: 'True' }] };
  assert.deepEqual([row(jobs, j).Status, row(jobs, j).Duration], ['FailureTarget', '5m']);
  j.status.conditions.unshift({ type: 'Suspended', status: 'True' });
  assert.equal(row(jobs, j).Status, 'Suspended');
  j.metadata.deletionTimestamp = '2024-05-01T11:59:00Z';
  assert.equal(row(jobs, j).Status, 'Terminating');
  j.status.conditions.push({ type: 'Failed', status: 'True' });
  assert.equal(row(jobs, j).Status, 'Failed');
  const parallel = createdJob({ parallelism: 3 });
  assert.equal(row(jobs, parallel, NOW).Completions, '0/1 of 3');
  assert.equal(jobs.fieldSelectors!['status.successful']({ ...j, status: { succeeded: 2 } }), '2');
});
