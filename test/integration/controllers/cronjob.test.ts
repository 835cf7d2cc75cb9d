// The CronJob controller with a controllable clock (and the Job controller running its Jobs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { resources } from '../../../src/client/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { cronJobControllerFactory } from '../../../src/controllers/cronjob.js';
import { newJobControllerFactory } from '../../../src/controllers/job.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually, uniqueName } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;
let now = Date.now();
const clock = { now: () => now };

before(async () => {
  cluster = await startCluster({ nodes: 3, controllers: [] });
  manager = new ControllerManager(cluster.client, { cronjob: cronJobControllerFactory, job: newJobControllerFactory({ syncBatchPeriodMs: 50 }) }, { clock, log: () => {} });
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const cronJobs = () => cluster.client.resource<CronJob>(resources.cronJobs).namespace('default');
const jobs = () => cluster.client.resource<Job>(resources.jobs).namespace('default');
const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });

/** Moves the controllers' clock to `seconds` past the next whole minute and has the CronJob looked at. */
function advanceToNextMinute(name: string, seconds = 1): number {
  now = (Math.floor(now / 60_000) + 1) * 60_000 + seconds * 1000;
  nudge(name);
  return Math.floor(now / 60_000) * 60_000;
}

function nudge(name: string): void {
  manager.controller('cronjob')!.queue.add(`default/${name}`);
}

async function create(name: string, extraSpec = '', duration = '200ms'): Promise<CronJob> {
  // Back to real time first, or a clock left in the future by an earlier test makes a schedule due at once.
  now = Date.now();
  const res = await run(
    ['apply', '-f', '-'],
    `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "*/1 * * * *"
${extraSpec}  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            k8ts.io/simulate-duration: "${duration}"
        spec:
          restartPolicy: Never
          containers:
          - name: tick
            image: busybox:1.36
`,
  );
  assert.equal(res.code, 0, res.stderr);
  return cronJobs().get(name);
}

async function ownedJobs(cj: CronJob): Promise<Job[]> {
  const all = await jobs().list();
  return all.items.filter((j) => j.metadata?.ownerReferences?.some((r) => r.uid === cj.metadata!.uid));
}

async function events(name: string): Promise<Event[]> {
  return (await cluster.client.resource<Event>(resources.events).namespace('default').list({ fieldSelector: `involvedObject.name=${name}` })).items;
}

function complete(job: Job): boolean {
  return job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;
}

test('a due schedule creates <cronjob>-<minutes since epoch> with the scheduled-timestamp annotation; its completion is recorded', { skip: kubectlSkip }, async () => {
  const name = uniqueName('tick');
  const cj = await create(name);
  const scheduled = advanceToNextMinute(name);
  const jobName = `${name}-${scheduled / 60_000}`;
  const job = await eventually(() => jobs().get(jobName), 15_000);
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(scheduled).toISOString().replace('.000Z', 'Z'));
  assert.equal(job.metadata?.ownerReferences?.[0].kind, 'CronJob');
  assert.equal(job.metadata?.ownerReferences?.[0].controller, true);
  const active = await eventually(async () => {
    const c = await cronJobs().get(name);
    return c.status?.active?.length === 1 ? c : undefined;
  });
  assert.equal(active.status?.active?.[0].name, jobName);
  assert.equal(active.status?.lastScheduleTime, new Date(scheduled).toISOString().replace('.000Z', 'Z'));
  const done = await eventually(async () => {
    const c = await cronJobs().get(name);
    return c.status?.lastSuccessfulTime && !c.status.active?.length ? c : undefined;
  }, 8000);
  assert.ok(done.status?.lastSuccessfulTime);
  // Events are written in the background: wait for them.
  await eventually(async () => {
    const evs = await events(name);
    return (
      evs.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created job ${jobName}` && e.source?.component === 'cronjob-controller') &&
      evs.some((e) => e.reason === 'SawCompletedJob' && e.message === `Saw completed job: ${jobName}, condition: Complete`)
    );
  });
  const get = await run(['get', 'cronjob', name]);
  assert.match(get.stdout, new RegExp(`${name}\\s+\\*/1 \\* \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+`));
  assert.equal((await ownedJobs(cj)).length, 1);
});

test('timeZone: the scheduled-timestamp annotation is in the CronJob zone', { skip: kubectlSkip }, async () => {
  const name = uniqueName('zone');
  await create(name, '  timeZone: Asia/Kolkata\n');
  const scheduled = advanceToNextMinute(name);
  const job = await eventually(() => jobs().get(`${name}-${scheduled / 60_000}`), 15_000);
  const local = new Date(scheduled + 330 * 60_000).toISOString().slice(0, 19);
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], `${local}+05:30`);
});

test('concurrencyPolicy Forbid skips a schedule while the previous Job runs', { skip: kubectlSkip }, async () => {
  const name = uniqueName('forbid');
  const cj = await create(name, '  concurrencyPolicy: Forbid\n', '1h');
  advanceToNextMinute(name);
  await eventually(async () => (await ownedJobs(cj)).length === 1, 15_000);
  advanceToNextMinute(name);
  await eventually(async () => (await events(name)).some((e) => e.reason === 'JobAlreadyActive' && e.message === 'Not starting job because prior execution is running and concurrency policy is Forbid'), 15_000);
  assert.equal((await ownedJobs(cj)).length, 1);
});

test('concurrencyPolicy Replace deletes the running Job and starts the new one', { skip: kubectlSkip }, async () => {
  const name = uniqueName('replace');
  const cj = await create(name, '  concurrencyPolicy: Replace\n', '1h');
  const first = advanceToNextMinute(name);
  await eventually(() => jobs().get(`${name}-${first / 60_000}`), 15_000);
  await eventually(async () => (await cronJobs().get(name)).status?.active?.length === 1);
  const second = advanceToNextMinute(name);
  await eventually(() => jobs().get(`${name}-${second / 60_000}`), 15_000);
  const c = await eventually(async () => {
    const x = await cronJobs().get(name);
    return x.status?.active?.length === 1 && x.status.active[0].name === `${name}-${second / 60_000}` ? x : undefined;
  });
  assert.ok(c);
  await eventually(async () => (await events(name)).some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted job ${name}-${first / 60_000}`));
  // Without a garbage collector the replaced Job may linger while being deleted: it must be going.
  const remaining = (await ownedJobs(cj)).filter((j) => !j.metadata?.deletionTimestamp);
  assert.deepEqual(remaining.map((j) => j.metadata!.name), [`${name}-${second / 60_000}`]);
});

test('successfulJobsHistoryLimit keeps only the newest finished Jobs', { skip: kubectlSkip }, async () => {
  const name = uniqueName('history');
  const cj = await create(name, '  successfulJobsHistoryLimit: 1\n');
  for (let i = 0; i < 3; i++) {
    const scheduled = advanceToNextMinute(name);
    const job = await eventually(() => jobs().get(`${name}-${scheduled / 60_000}`), 15_000);
    await eventually(async () => complete(await jobs().get(job.metadata!.name!)), 8000);
    await eventually(async () => !(await cronJobs().get(name)).status?.active?.length, 15_000);
  }
  nudge(name);
  const kept = await eventually(async () => {
    const live = (await ownedJobs(cj)).filter((j) => !j.metadata?.deletionTimestamp);
    return live.length === 1 ? live : undefined;
  }, 15_000);
  assert.equal(kept[0].metadata!.name, `${name}-${Math.floor(now / 60_000)}`);
});

test('after downtime only the most recent missed schedule runs, with TooManyMissedTimes past 100', { skip: kubectlSkip }, async () => {
  const name = uniqueName('missed');
  const cj = await create(name);
  now += 150 * 60_000;
  nudge(name);
  const latest = Math.floor(now / 60_000);
  await eventually(() => jobs().get(`${name}-${latest}`), 15_000);
  await eventually(async () => (await events(name)).some((e) => e.type === 'Warning' && e.reason === 'TooManyMissedTimes' && e.message === 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'), 15_000);
  assert.equal((await ownedJobs(cj)).length, 1, 'one catch-up Job, not one per missed minute');
});

test('startingDeadlineSeconds: a schedule missed by more than the deadline is not started', { skip: kubectlSkip }, async () => {
  const name = uniqueName('late');
  const cj = await create(name, '  startingDeadlineSeconds: 10\n');
  advanceToNextMinute(name, 30);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await ownedJobs(cj)).length, 0);
  advanceToNextMinute(name, 5);
  await eventually(async () => (await ownedJobs(cj)).length === 1, 15_000);
});

test('suspend: no Jobs while the CronJob is suspended', { skip: kubectlSkip }, async () => {
  const name = uniqueName('paused');
  const cj = await create(name, '  suspend: true\n');
  advanceToNextMinute(name);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await ownedJobs(cj)).length, 0);
  const get = await run(['get', 'cronjob', name]);
  assert.match(get.stdout, new RegExp(`${name}\\s+\\S+ \\S+ \\S+ \\S+ \\S+\\s+<none>\\s+True\\s+`));
});

test('kubectl create job --from=cronjob/x makes a Job the Job controller runs', { skip: kubectlSkip }, async () => {
  const name = uniqueName('manual');
  await create(name, '  suspend: true\n');
  const res = await run(['create', 'job', `${name}-now`, `--from=cronjob/${name}`]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, new RegExp(`job.batch/${name}-now created`));
  const job = await eventually(async () => {
    const j = await jobs().get(`${name}-now`);
    return complete(j) ? j : undefined;
  }, 8000);
  assert.equal(job.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
  assert.equal(job.status?.succeeded, 1);
});
