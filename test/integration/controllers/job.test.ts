// The Job and TTL-after-finished controllers on simulated nodes, through real kubectl and the client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { resources } from '../../../src/client/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { newJobControllerFactory } from '../../../src/controllers/job.js';
import { ttlAfterFinishedControllerFactory } from '../../../src/controllers/ttlafterfinished.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually, uniqueName } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;

// Upstream's 10 s back-off base and 1 s batching, shortened so the suite stays fast.
const factories = {
  job: newJobControllerFactory({ podFailureBackoffMs: 200, syncBatchPeriodMs: 50 }),
  'ttl-after-finished': ttlAfterFinishedControllerFactory,
};

before(async () => {
  cluster = await startCluster({ nodes: 3, controllers: [] });
  manager = new ControllerManager(cluster.client, factories, { log: () => {} });
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const jobs = () => cluster.client.resource<Job>(resources.jobs).namespace('default');
const pods = () => cluster.client.resource<Pod>(resources.pods).namespace('default');
const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });

interface JobOptions {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  duration?: string;
  exitCode?: number;
  extraSpec?: string;
  restartPolicy?: string;
}

function manifest(name: string, o: JobOptions = {}): string {
  const annotations = [`k8ts.io/simulate-duration: "${o.duration ?? '300ms'}"`];
  if (o.exitCode !== undefined) annotations.push(`k8ts.io/simulate-exit-code: "${o.exitCode}"`);
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${o.completions !== undefined ? `  completions: ${o.completions}\n` : ''}${o.parallelism !== undefined ? `  parallelism: ${o.parallelism}\n` : ''}${o.backoffLimit !== undefined ? `  backoffLimit: ${o.backoffLimit}\n` : ''}${o.extraSpec ?? ''}  template:
    metadata:
      annotations:
${annotations.map((a) => `        ${a}`).join('\n')}
    spec:
      restartPolicy: ${o.restartPolicy ?? 'Never'}
      containers:
      - name: work
        image: busybox:1.36
`;
}

async function apply(name: string, o: JobOptions = {}): Promise<void> {
  const res = await run(['apply', '-f', '-'], manifest(name, o));
  assert.equal(res.code, 0, res.stderr);
}

function condition(job: Job, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

async function finished(name: string, timeoutMs = 10_000): Promise<Job> {
  return eventually(async () => {
    const job = await jobs().get(name);
    return condition(job, 'Complete') || condition(job, 'Failed') ? job : undefined;
  }, timeoutMs);
}

async function podsOf(job: Job): Promise<Pod[]> {
  const list = await pods().list({ labelSelector: `batch.kubernetes.io/controller-uid=${job.metadata!.uid}` });
  return list.items;
}

async function eventsOf(name: string): Promise<Event[]> {
  const list = await cluster.client.resource<Event>(resources.events).namespace('default').list({ fieldSelector: `involvedObject.name=${name},involvedObject.kind=Job` });
  return list.items;
}

test('a Job runs its completions with the given parallelism: 0/4 … 4/4, then Complete', { skip: kubectlSkip }, async () => {
  const name = uniqueName('count');
  await apply(name, { completions: 4, parallelism: 2 });
  // Never more than parallelism pods at once.
  const seenActive = new Set<number>();
  const job = await eventually(async () => {
    const j = await jobs().get(name);
    seenActive.add(j.status?.active ?? 0);
    return condition(j, 'Complete') ? j : undefined;
  }, 15_000);
  assert.ok(Math.max(...seenActive) <= 2, `active went to ${Math.max(...seenActive)}`);
  assert.equal(job.status?.succeeded, 4);
  assert.equal(job.status?.active ?? 0, 0);
  assert.ok(job.status?.completionTime);
  assert.ok(condition(job, 'SuccessCriteriaMet'));
  assert.equal(condition(job, 'Complete')?.reason, 'CompletionsReached');
  assert.equal(condition(job, 'Complete')?.message, 'Reached expected number of succeeded pods');
  const all = await podsOf(job);
  assert.equal(all.length, 4, 'exactly one pod per completion');
  assert.ok(all.every((p) => !p.metadata?.finalizers?.includes('batch.kubernetes.io/job-tracking')), 'tracking finalizers removed');
  const get = await run(['get', 'job', name]);
  assert.match(get.stdout, new RegExp(`${name}\\s+Complete\\s+4/4\\s+`));
  // Events are written in the background: wait for them.
  await eventually(async () => {
    const events = await eventsOf(name);
    return (
      events.filter((e) => e.reason === 'SuccessfulCreate' && /^Created pod: /.test(e.message ?? '')).length === 4 &&
      events.some((e) => e.reason === 'Completed' && e.message === 'Job completed' && e.source?.component === 'job-controller')
    );
  });
});

test('failed pods are replaced until backoffLimit, then the Job fails with BackoffLimitExceeded', { skip: kubectlSkip }, async () => {
  const name = uniqueName('backoff');
  await apply(name, { backoffLimit: 1, exitCode: 1, duration: '100ms' });
  const job = await finished(name);
  assert.equal(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
  assert.equal(condition(job, 'Failed')?.message, 'Job has reached the specified backoff limit');
  assert.ok(condition(job, 'FailureTarget'), 'the interim FailureTarget condition came first');
  assert.equal(job.status?.failed, 2);
  assert.equal((await podsOf(job)).length, 2);
  const get = await run(['get', 'job', name]);
  assert.match(get.stdout, new RegExp(`${name}\\s+Failed\\s+0/1\\s+`));
  await eventually(async () => (await eventsOf(name)).some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded' && e.message === 'Job has reached the specified backoff limit'));
});

test('activeDeadlineSeconds fails the Job with DeadlineExceeded and stops its pods', { skip: kubectlSkip }, async () => {
  const name = uniqueName('deadline');
  await apply(name, { parallelism: 2, duration: '1h', extraSpec: '  activeDeadlineSeconds: 1\n' });
  const job = await finished(name, 8000);
  assert.equal(condition(job, 'Failed')?.reason, 'DeadlineExceeded');
  assert.equal(condition(job, 'Failed')?.message, 'Job was active longer than specified deadline');
  assert.equal(job.status?.active ?? 0, 0);
  assert.equal(job.status?.failed, 2, 'the pods stopped by the deadline count as failed');
  await eventually(async () => (await eventsOf(name)).some((e) => e.reason === 'DeadlineExceeded' && e.type === 'Warning'));
  await eventually(async () => (await podsOf(job)).length === 0, 15_000);
});

test('an Indexed Job gives each pod its index: annotation, label, hostname and JOB_COMPLETION_INDEX', { skip: kubectlSkip }, async () => {
  const name = uniqueName('indexed');
  await apply(name, { completions: 3, parallelism: 3, extraSpec: '  completionMode: Indexed\n' });
  const job = await finished(name);
  assert.ok(condition(job, 'Complete'));
  assert.equal(job.status?.completedIndexes, '0-2');
  const all = await podsOf(job);
  assert.deepEqual(all.map((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2']);
  for (const p of all) {
    const ix = p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'];
    assert.equal(p.metadata!.labels!['batch.kubernetes.io/job-completion-index'], ix);
    assert.equal(p.spec!.hostname, `${name}-${ix}`);
    assert.ok(p.metadata!.name!.startsWith(`${name}-${ix}-`));
    const env = p.spec!.containers[0].env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
    assert.equal(env?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
  }
});

test('podFailurePolicy FailJob on an exit code fails the Job at once with the rule in the message', { skip: kubectlSkip }, async () => {
  const name = uniqueName('policy');
  const extra = `  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        operator: In
        values: [42]
`;
  await apply(name, { backoffLimit: 6, exitCode: 42, duration: '100ms', extraSpec: extra });
  const job = await finished(name);
  const failed = condition(job, 'Failed');
  assert.equal(failed?.reason, 'PodFailurePolicy');
  assert.match(failed?.message ?? '', new RegExp(`^Container work for pod default/${name}-\\w+ failed with exit code 42 matching FailJob rule at index 0$`));
  assert.equal(job.status?.failed, 1);
});

test('a suspended Job starts no pods; resuming runs it', { skip: kubectlSkip }, async () => {
  const name = uniqueName('suspend');
  await apply(name, { completions: 1, extraSpec: '  suspend: true\n' });
  const suspended = await eventually(async () => {
    const j = await jobs().get(name);
    return condition(j, 'Suspended') ? j : undefined;
  });
  assert.equal(condition(suspended, 'Suspended')?.reason, 'JobSuspended');
  assert.equal((await podsOf(suspended)).length, 0);
  assert.equal(suspended.status?.startTime, undefined);
  const res = await run(['patch', 'job', name, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
  assert.equal(res.code, 0, res.stderr);
  const job = await finished(name);
  assert.ok(condition(job, 'Complete'));
  assert.equal(job.status?.conditions?.find((c) => c.type === 'Suspended')?.reason, 'JobResumed');
  await eventually(async () => {
    const events = await eventsOf(name);
    return events.some((e) => e.reason === 'Suspended') && events.some((e) => e.reason === 'Resumed');
  });
});

test('ttlSecondsAfterFinished deletes the finished Job', { skip: kubectlSkip }, async () => {
  const name = uniqueName('ttl');
  await apply(name, { extraSpec: '  ttlSecondsAfterFinished: 0\n' });
  await eventually(async () => {
    try {
      const j = await jobs().get(name);
      // Foreground deletion waits for the garbage collector; being deleted is what this controller does.
      return !!j.metadata?.deletionTimestamp;
    } catch {
      return true;
    }
  }, 10_000);
});

test('a controller restart in the middle of a Job loses no completion and creates no pod twice', { skip: kubectlSkip }, async () => {
  const name = uniqueName('restart');
  await apply(name, { completions: 6, parallelism: 2, duration: '400ms' });
  await eventually(async () => ((await jobs().get(name)).status?.succeeded ?? 0) >= 2, 10_000);
  await manager.stop();
  // Pods keep finishing while no controller runs.
  await new Promise((r) => setTimeout(r, 700));
  manager = new ControllerManager(cluster.client, factories, { log: () => {} });
  await manager.start();
  const job = await finished(name, 15_000);
  assert.ok(condition(job, 'Complete'));
  assert.equal(job.status?.succeeded, 6);
  assert.equal(job.status?.failed ?? 0, 0);
  assert.equal((await podsOf(job)).length, 6);
});
