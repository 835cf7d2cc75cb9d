// Pure rules of the Job, CronJob and StatefulSet controllers: indexes, back-off, failure
// policies, schedules and names, revision hashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  activePodsForRemoval,
  backoffRemainingMs,
  formatIndexes,
  matchPodFailurePolicy,
  matchSuccessPolicy,
  nextBackoffRecord,
  parseIndexes,
  pastBackoffLimitOnFailure,
} from '../../../src/controllers/job-util.js';
import { formatInZone, jobNameFor, mostRecentScheduleTime, nextScheduleDelayMs, parseSchedule } from '../../../src/controllers/cronjob-util.js';
import { controllerRevisionHash, fnv32, safeEncodeString } from '../../../src/controllers/util/revision.js';
import { claimName, parseOrdinal } from '../../../src/controllers/statefulset-util.js';

test('completed indexes print as upstream: ranges of three or more, pairs listed', () => {
  assert.equal(formatIndexes([0, 1, 2, 4, 6, 7]), '0-2,4,6,7');
  assert.equal(formatIndexes([]), '');
  assert.deepEqual([...parseIndexes('0-2,5,9', 6)].sort(), [0, 1, 2, 5]);
  assert.deepEqual([...parseIndexes('garbage,3', 6)], [3]);
});

function failedPod(name: string, finishedAt: string, exitCode = 1, conditions: { type: string; status: string }[] = []): Pod {
  return {
    metadata: { name, namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
    status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode, finishedAt } } }] },
  };
}

test('replacement back-off: 10 s × 2^(failures−1) from the last failure, capped, reset by a success', () => {
  const t0 = Date.parse('2024-01-01T00:00:10Z');
  const record = nextBackoffRecord({ failuresAfterLastSuccess: 0 }, [], [failedPod('a', '2024-01-01T00:00:05Z'), failedPod('b', '2024-01-01T00:00:10Z')]);
  assert.deepEqual(record, { failuresAfterLastSuccess: 2, lastFailureTime: t0 });
  assert.equal(backoffRemainingMs(record, t0 + 5000, 10_000, 600_000), 15_000);
  assert.equal(backoffRemainingMs({ failuresAfterLastSuccess: 10, lastFailureTime: t0 }, t0, 10_000, 600_000), 600_000);
  assert.equal(backoffRemainingMs(record, t0 + 60_000, 10_000, 600_000), 0);
  const succeeded: Pod = { ...failedPod('s', '2024-01-01T00:00:07Z', 0), status: { phase: 'Succeeded', containerStatuses: failedPod('s', '2024-01-01T00:00:07Z', 0).status!.containerStatuses } };
  assert.deepEqual(nextBackoffRecord(record, [succeeded], [failedPod('c', '2024-01-01T00:00:20Z')]), { failuresAfterLastSuccess: 1, lastFailureTime: Date.parse('2024-01-01T00:00:20Z') });
});

test('pod failure policy: the first matching rule decides, with upstream messages', () => {
  const policy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [42] } },
    ],
  };
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod('p', '2024-01-01T00:00:00Z', 1, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod('p', '2024-01-01T00:00:00Z', 42)), {
    failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1',
    countFailed: true,
    action: 'FailJob',
  });
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod('p', '2024-01-01T00:00:00Z', 3)), { countFailed: true, action: 'Count' });
  assert.deepEqual(matchPodFailurePolicy(undefined, failedPod('p', '2024-01-01T00:00:00Z', 3)), { countFailed: true });
});

test('restartPolicy OnFailure: container restarts count against backoffLimit', () => {
  const job = { spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } } };
  const running = (restarts: number): Pod => ({ status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: restarts, image: 'x', imageID: '' }] } });
  assert.equal(pastBackoffLimitOnFailure(job, [running(1)]), false);
  assert.equal(pastBackoffLimitOnFailure(job, [running(1), running(1)]), true);
});

test('Indexed Jobs remove pods with repeated or out-of-range indexes first', () => {
  const job = { spec: { completionMode: 'Indexed', completions: 2, template: { spec: { containers: [] } } } };
  const pod = (name: string, index: string, ready: boolean): Pod => ({
    metadata: { name, annotations: { 'batch.kubernetes.io/job-completion-index': index }, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { containers: [], nodeName: 'n' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  const removed = activePodsForRemoval(job, [pod('a', '0', true), pod('b', '0', false), pod('c', '5', true), pod('d', '1', true)], 0);
  assert.deepEqual(removed.map((p) => p.metadata!.name).sort(), ['b', 'c']);
});

test('success policy rules match on indexes and counts', () => {
  const policy = { rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] };
  assert.equal(matchSuccessPolicy(policy, 5, new Set([0, 4])), undefined);
  assert.equal(matchSuccessPolicy(policy, 5, new Set([0, 2])), 'Matched rules at index 0');
});

test('schedules: the next activation is strictly later; macros; time zones', () => {
  const every5 = parseSchedule('*/5 * * * *');
  const at = Date.parse('2024-01-01T10:05:00Z');
  assert.equal(every5.next(at), Date.parse('2024-01-01T10:10:00Z'));
  assert.equal(every5.next(at - 1), at);
  assert.equal(parseSchedule('@hourly').next(at), Date.parse('2024-01-01T11:00:00Z'));
  assert.equal(parseSchedule('0 9 * * *', 'America/New_York').next(at), Date.parse('2024-01-01T14:00:00Z'));
  assert.throws(() => parseSchedule('61 * * * *'));
});

test('the most recent unmet schedule after downtime, and how many were missed', () => {
  const cj: CronJob = { metadata: { name: 'report', creationTimestamp: '2024-01-01T10:00:30Z' }, spec: { schedule: '*/1 * * * *', jobTemplate: {} } };
  const sched = parseSchedule(cj.spec!.schedule);
  const few = mostRecentScheduleTime(cj, Date.parse('2024-01-01T10:03:10Z'), sched, true);
  assert.equal(few.mostRecent, Date.parse('2024-01-01T10:03:00Z'));
  assert.equal(few.missed, 'few');
  const many = mostRecentScheduleTime(cj, Date.parse('2024-01-01T12:30:10Z'), sched, true);
  assert.equal(many.mostRecent, Date.parse('2024-01-01T12:30:00Z'));
  assert.equal(many.missed, 'many');
  const none = mostRecentScheduleTime(cj, Date.parse('2024-01-01T10:00:50Z'), sched, true);
  assert.equal(none.mostRecent, undefined);
  // startingDeadlineSeconds moves the earliest time considered up to now − deadline.
  const late = mostRecentScheduleTime({ ...cj, spec: { ...cj.spec!, startingDeadlineSeconds: 10 } }, Date.parse('2024-01-01T10:05:30Z'), sched, true);
  assert.equal(late.mostRecent, undefined);
  assert.equal(nextScheduleDelayMs(cj, Date.parse('2024-01-01T10:00:50Z'), sched), 10_100);
});

test('Job names and scheduled timestamps', () => {
  const cj: CronJob = { metadata: { name: 'hello' }, spec: { schedule: '* * * * *', jobTemplate: {} } };
  assert.equal(jobNameFor(cj, Date.parse('2024-01-01T00:01:00Z')), `hello-${Date.parse('2024-01-01T00:01:00Z') / 60_000}`);
  assert.equal(formatInZone(Date.parse('2024-01-01T14:00:00Z'), 'America/New_York'), '2024-01-01T09:00:00-05:00');
  assert.equal(formatInZone(Date.parse('2024-07-01T14:00:00Z'), 'America/New_York'), '2024-07-01T10:00:00-04:00');
  assert.equal(formatInZone(Date.parse('2024-01-01T14:00:00Z')), '2024-01-01T14:00:00Z');
});

test('ControllerRevision hashes: FNV-1 32, safe alphabet, salted by the collision count', () => {
  assert.equal(fnv32(''), 0x811c9dc5);
  assert.equal(fnv32('a'), 0x050c5d7e);
  assert.equal(safeEncodeString('0123'), '4567');
  const data = { spec: { template: { metadata: { labels: { app: 'x' } }, $patch: 'replace' } } };
  const h = controllerRevisionHash(data);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(controllerRevisionHash({ spec: { template: { $patch: 'replace', metadata: { labels: { app: 'x' } } } } }), h, 'key order does not matter');
  assert.notEqual(controllerRevisionHash(data, 1), h);
});

test('StatefulSet names: ordinals and claims', () => {
  assert.deepEqual(parseOrdinal('web-12'), { parent: 'web', ordinal: 12 });
  assert.deepEqual(parseOrdinal('my-db-0'), { parent: 'my-db', ordinal: 0 });
  assert.equal(parseOrdinal('web').ordinal, -1);
  assert.equal(claimName({ metadata: { name: 'web' } }, 'data', 2), 'data-web-2');
});
