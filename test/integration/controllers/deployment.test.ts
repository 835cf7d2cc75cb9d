import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { eventually } from '../../support/cluster.js';
import { kubectlSkip } from '../../support/kubectl.js';
import { resources } from '../../../src/client/resource.js';
import { Informer } from '../../../src/client/informer.js';
import { podReady, startWorkloadCluster, type WorkloadCluster } from './workloads-a-support.js';

let w: WorkloadCluster;
before(async () => {
  if (!kubectlSkip) w = await startWorkloadCluster();
});
after(async () => {
  await w?.stop();
});

interface DeploymentOptions {
  replicas?: number;
  image?: string;
  strategy?: string;
  extraSpec?: string;
  container?: string;
  annotations?: string;
}

function deployment(name: string, o: DeploymentOptions = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: {${o.annotations ?? ''}}
spec:
  replicas: ${o.replicas ?? 3}
  selector:
    matchLabels: {app: ${name}}
  strategy: ${o.strategy ?? '{}'}${o.extraSpec ?? ''}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: ${o.image ?? 'nginx:1.26'}${o.container ?? ''}
`;
}

const deployments = () => w.cluster.client.resource<Deployment>(resources.deployments).namespace('default');
const replicaSets = () => w.cluster.client.resource<ReplicaSet>(resources.replicaSets).namespace('default');

async function replicaSetsOf(app: string): Promise<ReplicaSet[]> {
  return (await replicaSets().list({ labelSelector: `app=${app}` })).items;
}

/** Watches the pods of `app` and checks `invariant` on every change, recording any violation. */
function watchPods(app: string, invariant: (pods: Pod[]) => string | undefined): { violations: string[]; seen: number; stop(): void } {
  const informer = new Informer<Pod>(w.cluster.client, resources.pods, { namespace: 'default', labelSelector: `app=${app}` });
  const state = { violations: [] as string[], seen: 0, stop: () => informer.stop() };
  const check = () => {
    state.seen++;
    const problem = invariant(informer.store.list());
    if (problem) state.violations.push(problem);
  };
  informer.addEventHandler({ onAdd: check, onUpdate: check, onDelete: check });
  informer.start();
  return state;
}

const live = (pods: Pod[]) => pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
const hashOf = (p: Pod) => p.metadata?.labels?.['pod-template-hash'];

async function rolloutStatus(name: string, timeout = '20s') {
  return w.kubectl('rollout', 'status', `deployment/${name}`, `--timeout=${timeout}`);
}

test('a Deployment creates its ReplicaSet and pods, and rollout status reports success', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('web', { annotations: '"kubernetes.io/change-cause": "first"' }));
  const status = await rolloutStatus('web');
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /deployment "web" successfully rolled out/);
  const [rs] = await replicaSetsOf('web');
  const hash = rs.metadata!.labels!['pod-template-hash'];
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(rs.metadata!.name, `web-${hash}`);
  assert.equal(rs.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
  assert.deepEqual(
    [rs.metadata!.annotations!['deployment.kubernetes.io/revision'], rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], rs.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], rs.metadata!.annotations!['kubernetes.io/change-cause']],
    ['1', '3', '4', 'first'],
  );
  assert.equal(rs.metadata!.ownerReferences?.[0]?.kind, 'Deployment');
  const pods = await w.livePods('app=web');
  assert.equal(pods.length, 3);
  for (const p of pods) assert.equal(hashOf(p), hash);
  const d = await deployments().get('web');
  assert.equal(d.metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
  const conditions = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason} ${c.message}`]));
  assert.deepEqual(conditions, {
    Available: 'True MinimumReplicasAvailable Deployment has minimum availability.',
    Progressing: `True NewReplicaSetAvailable ReplicaSet "web-${hash}" has successfully progressed.`,
  });
  const events = await w.events('web');
  assert.ok(events.includes(`ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`), events.join('\n'));
  const get = await w.kubectl('get', 'deployment', 'web');
  assert.match(get.stdout, /^web\s+3\/3\s+3\s+3\s+/m);
});

test('a rolling update keeps within maxSurge and maxUnavailable at every step', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('roll', { replicas: 4, strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}' }));
  assert.equal((await rolloutStatus('roll')).code, 0);
  const watcher = watchPods('roll', (pods) => {
    const alive = live(pods);
    if (alive.length > 5) return `${alive.length} pods exceed replicas + maxSurge`;
    return undefined;
  });
  const readyWatch = setInterval(() => {
    deployments().get('roll').then(
      (d) => {
        if ((d.status?.availableReplicas ?? 4) < 3) watcher.violations.push(`only ${d.status?.availableReplicas} available`);
      },
      () => {},
    );
  }, 20);
  try {
    const set = await w.kubectl('set', 'image', 'deployment/roll', 'c=nginx:1.27');
    assert.equal(set.code, 0, set.stderr);
    const status = await rolloutStatus('roll');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Waiting for deployment "roll" rollout to finish/);
  } finally {
    clearInterval(readyWatch);
    watcher.stop();
  }
  assert.deepEqual(watcher.violations, []);
  assert.ok(watcher.seen > 8);
  const rss = await replicaSetsOf('roll');
  assert.equal(rss.length, 2);
  const pods = await w.livePods('app=roll');
  assert.equal(pods.length, 4);
  assert.ok(pods.every((p) => p.spec?.containers[0].image === 'nginx:1.27'));
  const events = await w.events('roll');
  assert.ok(events.some((e) => /^ScalingReplicaSet Scaled down replica set roll-\w+ from 4 to 3$/.test(e)), events.join('\n'));
});

test('Recreate removes every old pod before the first new one is created', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('recreate', { replicas: 3, strategy: '{type: Recreate}' }));
  assert.equal((await rolloutStatus('recreate')).code, 0);
  const oldHash = (await replicaSetsOf('recreate'))[0].metadata!.labels!['pod-template-hash'];
  const watcher = watchPods('recreate', (pods) => {
    const running = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const hashes = new Set(running.map(hashOf));
    return hashes.size > 1 ? `old and new pods together: ${running.map((p) => p.metadata?.name).join(' ')}` : undefined;
  });
  try {
    assert.equal((await w.kubectl('set', 'image', 'deployment/recreate', 'c=nginx:1.27')).code, 0);
    assert.equal((await rolloutStatus('recreate')).code, 0);
  } finally {
    watcher.stop();
  }
  assert.deepEqual(watcher.violations, []);
  const pods = await w.livePods('app=recreate');
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => hashOf(p) !== oldHash));
});

test('rollout history, undo and undo --to-revision renumber revisions through the ReplicaSets', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('hist', { replicas: 2, image: 'nginx:1', annotations: '"kubernetes.io/change-cause": "v1"' }));
  assert.equal((await rolloutStatus('hist')).code, 0);
  await w.apply(deployment('hist', { replicas: 2, image: 'nginx:2', annotations: '"kubernetes.io/change-cause": "v2"' }));
  assert.equal((await rolloutStatus('hist')).code, 0);
  await w.apply(deployment('hist', { replicas: 2, image: 'nginx:3', annotations: '"kubernetes.io/change-cause": "v3"' }));
  assert.equal((await rolloutStatus('hist')).code, 0);
  const history = await w.kubectl('rollout', 'history', 'deployment/hist');
  assert.equal(history.code, 0, history.stderr);
  assert.match(history.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+v1\n2\s+v2\n3\s+v3\n/);

  const undo = await w.kubectl('rollout', 'undo', 'deployment/hist');
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /deployment.apps\/hist rolled back/);
  assert.equal((await rolloutStatus('hist')).code, 0);
  // Revision 2's ReplicaSet is brought back as revision 4, remembering it was 2.
  const rss = await replicaSetsOf('hist');
  assert.equal(rss.length, 3, 'the rollback reuses the ReplicaSet of revision 2');
  const byImage = Object.fromEntries(rss.map((rs) => [rs.spec!.template!.spec!.containers[0].image, rs.metadata!.annotations!]));
  assert.equal(byImage['nginx:2']['deployment.kubernetes.io/revision'], '4');
  assert.equal(byImage['nginx:2']['deployment.kubernetes.io/revision-history'], '2');
  assert.ok((await w.livePods('app=hist')).every((p) => p.spec?.containers[0].image === 'nginx:2'));
  const after = await w.kubectl('rollout', 'history', 'deployment/hist');
  assert.match(after.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+v1\n3\s+v3\n4\s+v2\n/);

  const toOne = await w.kubectl('rollout', 'undo', 'deployment/hist', '--to-revision=1');
  assert.equal(toOne.code, 0, toOne.stderr);
  assert.equal((await rolloutStatus('hist')).code, 0);
  assert.ok((await w.livePods('app=hist')).every((p) => p.spec?.containers[0].image === 'nginx:1'));
  const d = await deployments().get('hist');
  assert.equal(d.metadata!.annotations!['deployment.kubernetes.io/revision'], '5');
});

test('a paused Deployment does not roll out until resumed; restart rolls every pod', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('pause', { replicas: 2 }));
  assert.equal((await rolloutStatus('pause')).code, 0);
  assert.equal((await w.kubectl('rollout', 'pause', 'deployment/pause')).code, 0);
  await eventually(async () => (await deployments().get('pause')).status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'DeploymentPaused'));
  assert.equal((await w.kubectl('set', 'image', 'deployment/pause', 'c=nginx:1.27')).code, 0);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await replicaSetsOf('pause')).length, 1, 'no new ReplicaSet while paused');
  assert.equal((await w.kubectl('rollout', 'resume', 'deployment/pause')).code, 0);
  assert.equal((await rolloutStatus('pause')).code, 0);
  assert.ok((await w.livePods('app=pause')).every((p) => p.spec?.containers[0].image === 'nginx:1.27'));

  const before = new Set((await w.livePods('app=pause')).map((p) => p.metadata!.name));
  assert.equal((await w.kubectl('rollout', 'restart', 'deployment/pause')).code, 0);
  assert.equal((await rolloutStatus('pause')).code, 0);
  const restarted = await w.livePods('app=pause');
  assert.equal(restarted.length, 2);
  assert.ok(restarted.every((p) => !before.has(p.metadata!.name)));
});

test('a rollout whose pods never become ready exceeds its progress deadline', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('stuck', { replicas: 2, extraSpec: '\n  progressDeadlineSeconds: 2' }));
  assert.equal((await rolloutStatus('stuck')).code, 0);
  // The simulated kubelet holds readiness back for the probe's initial delay: an hour.
  await w.apply(deployment('stuck', {
    replicas: 2,
    extraSpec: '\n  progressDeadlineSeconds: 2',
    image: 'nginx:1.27',
    container: '\n        readinessProbe: {initialDelaySeconds: 3600, exec: {command: ["true"]}}',
  }));
  const status = await rolloutStatus('stuck', '15s');
  assert.notEqual(status.code, 0);
  assert.match(status.stderr, /deployment "stuck" exceeded its progress deadline/);
  const d = await deployments().get('stuck');
  const progressing = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
  assert.equal(progressing.status, 'False');
  assert.equal(progressing.reason, 'ProgressDeadlineExceeded');
  assert.match(progressing.message!, /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
  // maxUnavailable 25% of 2 rounds down to 0: the old pods all stay, one new pod surges.
  assert.equal(d.status?.availableReplicas, 2);
  assert.equal(d.status?.updatedReplicas, 1);
});

test('revisionHistoryLimit deletes the oldest ReplicaSets', { skip: kubectlSkip }, async () => {
  for (const v of [1, 2, 3, 4]) {
    await w.apply(deployment('limit', { replicas: 1, image: `nginx:${v}`, extraSpec: '\n  revisionHistoryLimit: 1' }));
    assert.equal((await rolloutStatus('limit')).code, 0);
  }
  const rss = await eventually(async () => {
    const list = await replicaSetsOf('limit');
    return list.length === 2 && list;
  }, 10_000);
  assert.deepEqual(rss.map((rs) => rs.metadata!.annotations!['deployment.kubernetes.io/revision']).sort(), ['3', '4']);
});

test('scaling a Deployment mid-rollout scales its ReplicaSets proportionally', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('prop', { replicas: 4, strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}' }));
  assert.equal((await rolloutStatus('prop')).code, 0);
  // New pods never become ready, so the rollout stays half-way: 4 old, 2 new.
  await w.apply(deployment('prop', {
    replicas: 4,
    strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}',
    image: 'nginx:1.27',
    container: '\n        readinessProbe: {initialDelaySeconds: 3600, exec: {command: ["true"]}}',
  }));
  await eventually(async () => {
    const sizes = (await replicaSetsOf('prop')).map((rs) => rs.spec?.replicas).sort();
    return sizes.join() === '2,4';
  }, 10_000);
  assert.equal((await w.kubectl('scale', 'deployment/prop', '--replicas=8')).code, 0);
  // 8 + maxSurge 2 = 10 pods, shared 4:2 → 6.67:3.33 → 7 and 3.
  const rss = await eventually(async () => {
    const list = await replicaSetsOf('prop');
    return list.map((rs) => rs.spec?.replicas).sort().join() === '3,7' && list;
  }, 10_000);
  const wanted = rss.map((rs) => `ScalingReplicaSet Scaled up replica set ${rs.metadata!.name} from ${rs.spec?.replicas === 7 ? 4 : 2} to ${rs.spec?.replicas}`);
  await eventually(async () => {
    const events = await w.events('prop');
    return wanted.every((e) => events.includes(e));
  });
  for (const rs of rss) {
    assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '8');
    assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '10');
  }
});

test('a controller restart mid-rollout loses nothing and creates nothing twice', { skip: kubectlSkip }, async () => {
  await w.apply(deployment('restart', { replicas: 4, strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}', extraSpec: '\n  minReadySeconds: 1' }));
  assert.equal((await rolloutStatus('restart')).code, 0);
  const watcher = watchPods('restart', (pods) => {
    const alive = live(pods);
    return alive.length > 5 ? `${alive.length} pods exceed replicas + maxSurge` : undefined;
  });
  try {
    assert.equal((await w.kubectl('set', 'image', 'deployment/restart', 'c=nginx:1.27')).code, 0);
    // Stop the controllers once the new ReplicaSet has its first pod, and start new ones.
    await eventually(async () => (await replicaSetsOf('restart')).length === 2 && (await w.livePods('app=restart')).length === 5, 10_000);
    await w.restartControllers();
    const status = await rolloutStatus('restart', '30s');
    assert.equal(status.code, 0, status.stderr);
  } finally {
    watcher.stop();
  }
  assert.deepEqual(watcher.violations, []);
  const pods = await w.livePods('app=restart');
  assert.equal(pods.length, 4);
  assert.ok(pods.every(podReady));
  const rss = await replicaSetsOf('restart');
  assert.equal(rss.length, 2);
  const created = (await Promise.all(rss.map((rs) => w.events(rs.metadata!.name!)))).flat().filter((e) => e.startsWith('SuccessfulCreate'));
  assert.equal(created.length, 8, 'four old and four new pods, each created once');
});
