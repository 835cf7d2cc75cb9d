import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import {
  locateRun,
  normalizeImage,
  parseDuration,
  rejectedPodStatus,
  restartBackoffMs,
  runPlan,
  simulatedImageID,
  simulatedLogs,
  simulatePod,
  type PodSimulationInput,
} from '../../../src/sim/podstatus.js';

const T0 = Date.parse('2025-03-01T10:00:00Z');
/** metav1.Time of T0 + ms: whole seconds. */
const at = (ms: number) => `${new Date(T0 + ms).toISOString().slice(0, 19)}Z`;

function pod(spec: Partial<Pod['spec']> & { containers?: Container[] } = {}, annotations?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', ...(annotations ? { annotations } : {}) },
    spec: { nodeName: 'k8ts-node-1', containers: [{ name: 'nginx', image: 'nginx' }], ...spec } as Pod['spec'],
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

/** The pod as the API shows it once a delete with this grace period was asked for. */
function deleting(p: Pod, gracePeriodSeconds: number): Pod {
  return { ...p, metadata: { ...p.metadata, deletionTimestamp: at(gracePeriodSeconds * 1000), deletionGracePeriodSeconds: gracePeriodSeconds } };
}

function input(p: Pod, extra: Partial<PodSimulationInput> = {}): PodSimulationInput {
  return { pod: p, hostIP: '172.18.0.2', podIP: '10.244.0.2', admittedAt: T0, startupMs: 100, jobDurationMs: 1000, ...extra };
}

const conditionOf = (s: ReturnType<typeof simulatePod>, type: string) => s.status.conditions!.find((c) => c.type === type)!;

test('a just-admitted pod is Pending with ContainerCreating and no pod IP yet', () => {
  const s = simulatePod(input(pod()), T0);
  assert.equal(s.status.phase, 'Pending');
  assert.equal(s.status.hostIP, '172.18.0.2');
  assert.deepEqual(s.status.hostIPs, [{ ip: '172.18.0.2' }]);
  assert.equal(s.status.startTime, at(0));
  assert.equal(s.status.podIP, undefined);
  const c = s.status.containerStatuses![0];
  assert.deepEqual(c.state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(c.image, 'nginx');
  assert.equal(c.imageID, '');
  assert.equal(c.containerID, undefined);
  assert.equal(c.ready, false);
  assert.equal(c.started, false);
  assert.equal(conditionOf(s, 'PodReadyToStartContainers').status, 'False');
  assert.equal(conditionOf(s, 'Initialized').status, 'True');
  assert.deepEqual(
    { ...conditionOf(s, 'Ready'), lastTransitionTime: undefined },
    { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [nginx]', lastTransitionTime: undefined },
  );
  assert.equal(s.nextAt, T0 + 100);
  assert.equal(s.finished, false);
});

test('after start-up the pod runs with an IP, ready, conditions in the kubelet order', () => {
  const s = simulatePod(input(pod()), T0 + 150);
  assert.equal(s.status.phase, 'Running');
  assert.equal(s.status.podIP, '10.244.0.2');
  assert.deepEqual(s.status.podIPs, [{ ip: '10.244.0.2' }]);
  assert.deepEqual(
    s.status.conditions!.map((c) => [c.type, c.status]),
    [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ],
  );
  assert.ok(s.status.conditions!.every((c) => c.status === 'False' || (!c.reason && !c.message)));
  const c = s.status.containerStatuses![0];
  assert.deepEqual(c.state, { running: { startedAt: at(100) } });
  assert.equal(c.ready, true);
  assert.equal(c.started, true);
  assert.equal(c.restartCount, 0);
  assert.deepEqual(c.lastState, {});
  assert.equal(c.image, 'docker.io/library/nginx:latest');
  assert.match(c.imageID!, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(c.containerID!, /^simulated:\/\/[0-9a-f]{64}$/);
  assert.equal(s.nextAt, undefined, 'a server runs until stopped');
});

test('the stage changes only when the status says something new', () => {
  const p = pod();
  assert.equal(simulatePod(input(p), T0 + 10).stage, simulatePod(input(p), T0 + 90).stage);
  assert.notEqual(simulatePod(input(p), T0 + 90).stage, simulatePod(input(p), T0 + 110).stage);
  assert.equal(simulatePod(input(p), T0 + 110).stage, simulatePod(input(p), T0 + 3_600_000).stage);
});

test('the scheduler’s PodScheduled time is kept; conditions the kubelet does not own come first', () => {
  const p = pod();
  p.status!.conditions = [
    { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-03-01T09:59:58Z' },
    { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', lastTransitionTime: '2025-03-01T09:59:59Z' },
  ];
  const s = simulatePod(input(p), T0 + 500);
  assert.deepEqual(
    s.status.conditions!.map((c) => c.type),
    ['DisruptionTarget', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'],
  );
  assert.equal(conditionOf(s, 'PodScheduled').lastTransitionTime, '2025-03-01T09:59:58Z');
});

test('a readiness probe holds Ready back for its initialDelaySeconds; a startup probe holds started', () => {
  const p = pod({
    containers: [
      { name: 'app', image: 'hello:1.0', readinessProbe: { httpGet: { path: '/', port: 8080 }, initialDelaySeconds: 5 } },
      { name: 'side', image: 'ghcr.io/acme/side:2', startupProbe: { exec: { command: ['true'] }, initialDelaySeconds: 2 } },
    ],
  });
  const early = simulatePod(input(p), T0 + 1_000);
  assert.equal(early.status.phase, 'Running');
  assert.deepEqual(early.status.containerStatuses!.map((c) => [c.name, c.started, c.ready]), [['app', true, false], ['side', false, false]]);
  assert.equal(conditionOf(early, 'Ready').message, 'containers with unready status: [app side]');
  assert.equal(early.nextAt, T0 + 100 + 2_000);
  const mid = simulatePod(input(p), T0 + 2_100);
  assert.deepEqual(mid.status.containerStatuses!.map((c) => [c.started, c.ready]), [[true, false], [true, true]]);
  assert.equal(conditionOf(mid, 'ContainersReady').message, 'containers with unready status: [app]');
  assert.equal(mid.nextAt, T0 + 5_100);
  const ready = simulatePod(input(p), T0 + 5_100);
  assert.equal(conditionOf(ready, 'Ready').status, 'True');
  assert.equal(conditionOf(ready, 'Ready').lastTransitionTime, at(5_100));
  assert.equal(ready.status.containerStatuses![0].image, 'docker.io/library/hello:1.0');
  assert.equal(ready.status.containerStatuses![1].image, 'ghcr.io/acme/side:2');
});

test('init containers run one after another and complete before the main containers start', () => {
  const p = pod({
    initContainers: [
      { name: 'init-a', image: 'busybox' },
      { name: 'init-b', image: 'busybox' },
    ],
  });
  const creating = simulatePod(input(p), T0 + 50);
  assert.deepEqual(creating.status.initContainerStatuses!.map((c) => c.state), [{ waiting: { reason: 'PodInitializing' } }, { waiting: { reason: 'PodInitializing' } }]);
  assert.deepEqual(creating.status.containerStatuses![0].state, { waiting: { reason: 'PodInitializing' } });
  const first = simulatePod(input(p), T0 + 150);
  assert.equal(first.status.phase, 'Pending');
  assert.ok(first.status.initContainerStatuses![0].state!.running);
  assert.deepEqual(
    { ...conditionOf(first, 'Initialized'), lastTransitionTime: undefined },
    { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-a init-b]', lastTransitionTime: undefined },
  );
  assert.equal(first.progress.initStarted, 1);
  const second = simulatePod(input(p), T0 + 250);
  const done = second.status.initContainerStatuses![0].state!.terminated!;
  assert.equal(done.exitCode, 0);
  assert.equal(done.reason, 'Completed');
  assert.equal(conditionOf(second, 'Initialized').message, 'containers with incomplete status: [init-b]');
  const running = simulatePod(input(p), T0 + 300);
  assert.equal(running.status.phase, 'Running');
  assert.equal(conditionOf(running, 'Initialized').status, 'True');
  assert.equal(conditionOf(running, 'Initialized').lastTransitionTime, at(300));
  assert.deepEqual(running.status.containerStatuses![0].state, { running: { startedAt: at(300) } });
  assert.equal(running.progress.run, 0);
});

test('a sidecar (restartable init container) keeps running beside the main container', () => {
  const p = pod({ initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] });
  const s = simulatePod(input(p), T0 + 200);
  assert.equal(s.status.phase, 'Running');
  assert.ok(s.status.initContainerStatuses![0].state!.running);
  assert.equal(s.status.initContainerStatuses![0].ready, true);
  assert.equal(conditionOf(s, 'Ready').status, 'True');
});

test('a Never pod runs for the job duration, then Succeeded with Completed containers', () => {
  const p = pod({ restartPolicy: 'Never' });
  const running = simulatePod(input(p), T0 + 500);
  assert.equal(running.status.phase, 'Running');
  assert.equal(running.nextAt, T0 + 1_100);
  const s = simulatePod(input(p), T0 + 1_100);
  assert.equal(s.status.phase, 'Succeeded');
  const term = s.status.containerStatuses![0].state!.terminated!;
  assert.deepEqual({ exitCode: term.exitCode, reason: term.reason, startedAt: term.startedAt, finishedAt: term.finishedAt }, { exitCode: 0, reason: 'Completed', startedAt: at(100), finishedAt: at(1_100) });
  assert.equal(term.containerID, running.status.containerStatuses![0].containerID);
  assert.equal(s.status.containerStatuses![0].ready, false);
  assert.equal(s.status.containerStatuses![0].started, false);
  assert.deepEqual(
    s.status.conditions!.map((c) => [c.type, c.status, c.reason ?? '']),
    [
      ['PodReadyToStartContainers', 'False', ''],
      ['Initialized', 'True', ''],
      ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'],
      ['PodScheduled', 'True', ''],
    ],
  );
  assert.equal(s.status.podIP, '10.244.0.2', 'a finished pod keeps showing its IP');
  assert.equal(s.finished, true);
  assert.equal(s.nextAt, undefined);
  assert.equal(s.deletable, false);
});

test('the exit-code annotation fails the pod; the duration annotation sets when', () => {
  const p = pod({ restartPolicy: 'Never' }, { 'k8ts.io/simulate-exit-code': '1', 'k8ts.io/simulate-duration': '5s' });
  assert.equal(simulatePod(input(p), T0 + 5_000).status.phase, 'Running');
  const s = simulatePod(input(p), T0 + 5_100);
  assert.equal(s.status.phase, 'Failed');
  assert.equal(s.status.containerStatuses![0].state!.terminated!.exitCode, 1);
  assert.equal(s.status.containerStatuses![0].state!.terminated!.reason, 'Error');
  assert.equal(conditionOf(s, 'Ready').reason, 'PodFailed');
});

test('OnFailure and crashing Always pods restart with the kubelet back-off', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(restartBackoffMs), [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  const p = pod({ restartPolicy: 'OnFailure' }, { 'k8ts.io/simulate-exit-code': '2' });
  // Run 0 ends at 1.1 s and restarts at once; run 1 ends at 2.1 s; back-off 10 s.
  const second = simulatePod(input(p), T0 + 1_500);
  assert.equal(second.status.containerStatuses![0].restartCount, 1);
  assert.equal(second.status.containerStatuses![0].lastState!.terminated!.exitCode, 2);
  assert.equal(second.status.containerStatuses![0].lastState!.terminated!.finishedAt, at(1_100));
  const loop = simulatePod(input(p), T0 + 3_000);
  assert.equal(loop.status.phase, 'Running');
  const c = loop.status.containerStatuses![0];
  assert.deepEqual(c.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=nginx pod=web_default(uid-1)' } });
  assert.equal(c.restartCount, 1);
  assert.equal(c.lastState!.terminated!.reason, 'Error');
  assert.equal(loop.nextAt, T0 + 12_100);
  assert.equal(loop.progress.backingOff, true);
  assert.equal(conditionOf(loop, 'Ready').status, 'False');
  const third = simulatePod(input(p), T0 + 12_200);
  assert.equal(third.status.containerStatuses![0].restartCount, 2);
  assert.ok(third.status.containerStatuses![0].state!.running);

  const always = pod({}, { 'k8ts.io/simulate-duration': '1s' });
  const plan = runPlan(always, 1000);
  assert.deepEqual(plan, { durationMs: 1000, exitCode: 0, restarts: true });
  assert.equal(locateRun(plan, T0, T0 + 1_000 + 1_000 + 10_000 + 1_000 + 20_000 + 500).k, 3);
  assert.equal(simulatePod(input(always), T0 + 2_500).status.containerStatuses![0].lastState!.terminated!.reason, 'Completed');
  assert.deepEqual(runPlan(pod(), 1000), { durationMs: Infinity, exitCode: 0, restarts: true });
});

test('a deleted pod stops: containers exit, the pod ends Succeeded, and may then be deleted', () => {
  const p = deleting(pod(), 30);
  const s = simulatePod(input(p, { stoppingAt: T0 + 2_000 }), T0 + 2_000);
  const term = s.status.containerStatuses![0].state!.terminated!;
  assert.equal(term.exitCode, 0);
  assert.equal(term.reason, 'Completed');
  assert.equal(term.finishedAt, at(2_000));
  assert.equal(s.status.phase, 'Succeeded');
  assert.equal(s.deletable, true);
  assert.equal(s.progress.stopping, true);
});

test('a container slower to stop than the grace period is killed (137) and the pod Failed', () => {
  const p = deleting(pod({}, { 'k8ts.io/simulate-stop-duration': '1m' }), 2);
  const stopping = simulatePod(input(p, { stoppingAt: T0 + 1_000 }), T0 + 2_000);
  assert.equal(stopping.status.phase, 'Running', 'still running through the grace period');
  assert.equal(stopping.deletable, false);
  assert.equal(stopping.nextAt, T0 + 3_000);
  const s = simulatePod(input(p, { stoppingAt: T0 + 1_000 }), T0 + 3_000);
  assert.equal(s.status.containerStatuses![0].state!.terminated!.exitCode, 137);
  assert.equal(s.status.containerStatuses![0].state!.terminated!.reason, 'Error');
  assert.equal(s.status.phase, 'Failed');
  assert.equal(s.deletable, true);
});

test('a pod deleted before its containers started ends Failed with ContainerStatusUnknown', () => {
  const p = deleting(pod(), 30);
  const s = simulatePod(input(p, { stoppingAt: T0 + 10 }), T0 + 20);
  assert.deepEqual(s.status.containerStatuses![0].state, {
    terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' },
  });
  assert.equal(s.status.phase, 'Failed');
  assert.equal(s.deletable, true);
});

test('readiness gates hold Ready back with upstream’s messages', () => {
  const p = pod({ readinessGates: [{ conditionType: 'example.com/lb' }] });
  const s = simulatePod(input(p), T0 + 200);
  assert.deepEqual([conditionOf(s, 'ContainersReady').status, conditionOf(s, 'Ready').status], ['True', 'False']);
  assert.equal(conditionOf(s, 'Ready').reason, 'ReadinessGatesNotReady');
  assert.equal(conditionOf(s, 'Ready').message, 'corresponding condition of pod readiness gate "example.com/lb" does not exist.');
  p.status!.conditions = [{ type: 'example.com/lb', status: 'True' }];
  assert.equal(conditionOf(simulatePod(input(p), T0 + 200), 'Ready').status, 'True');
});

test('mounted volumes are reported in container statuses', () => {
  const p = pod({ containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'data', mountPath: '/data' }] }] });
  assert.deepEqual(simulatePod(input(p), T0 + 200).status.containerStatuses![0].volumeMounts, [
    { name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' },
    { name: 'data', mountPath: '/data' },
  ]);
});

test('durations, image references and the other helpers', () => {
  assert.equal(parseDuration('5s'), 5_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('5'), undefined);
  assert.equal(parseDuration('soon'), undefined);
  assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(normalizeImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
  assert.equal(normalizeImage('bitnami/redis'), 'docker.io/bitnami/redis:latest');
  assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
  const digest = 'sha256:' + 'a'.repeat(64);
  assert.equal(simulatedImageID(`busybox@${digest}`), `docker.io/library/busybox@${digest}`);
  assert.equal(simulatedImageID('nginx'), simulatedImageID('nginx'));
  assert.notEqual(simulatedImageID('nginx'), simulatedImageID('nginx:1.27'));
  assert.deepEqual(rejectedPodStatus('OutOfpods', 'Node didn\'t have enough resource: pods, requested: 1, used: 110, capacity: 110', T0), {
    phase: 'Failed',
    reason: 'OutOfpods',
    message: "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110",
    startTime: at(0),
  });
  const line = simulatedLogs(pod(), 'nginx');
  assert.match(line, /^k8ts: container "nginx" of pod "default\/web" runs on simulated node "k8ts-node-1"/);
  assert.equal(line.split('\n').length, 2, 'one line');
});
