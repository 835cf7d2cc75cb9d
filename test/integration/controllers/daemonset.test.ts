import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1.js';
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

const NODES = ['k8ts-node-1', 'k8ts-node-2', 'k8ts-node-3'];

function daemonSet(name: string, o: { image?: string; strategy?: string; podSpec?: string } = {}): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  updateStrategy: ${o.strategy ?? '{}'}
  template:
    metadata:
      labels: {app: ${name}}
    spec:${o.podSpec ?? ''}
      containers:
      - name: c
        image: ${o.image ?? 'busybox:1'}
`;
}

const getDS = (name: string) => w.cluster.client.resource<DaemonSet>(resources.daemonSets).namespace('default').get(name);

/** Node name → images of the running (not deleting) pods of `app` there. */
async function placement(app: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const pods = (await w.livePods(`app=${app}`)).sort((a, b) => (a.spec?.nodeName ?? '').localeCompare(b.spec?.nodeName ?? ''));
  for (const p of pods) (out[p.spec?.nodeName ?? '<none>'] ??= []).push(p.spec!.containers[0].image!);
  return out;
}

test('a DaemonSet runs one pod on every node, pinned by node affinity, and records a revision', { skip: kubectlSkip }, async () => {
  await w.apply(daemonSet('agent'));
  const status = await w.kubectl('rollout', 'status', 'ds/agent', '--timeout=20s');
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /daemon set "agent" successfully rolled out/);
  const pods = await w.livePods('app=agent');
  assert.deepEqual(pods.map((p) => p.spec?.nodeName).sort(), NODES);
  for (const p of pods) {
    const term = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    assert.deepEqual(term, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec!.nodeName] }] }]);
    const tolerated = (p.spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
    for (const t of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']) {
      assert.ok(tolerated.includes(t), `${t} in ${tolerated}`);
    }
    assert.match(p.metadata!.name!, /^agent-\w{5}$/);
  }
  const ds = await getDS('agent');
  assert.deepEqual(
    [ds.status?.desiredNumberScheduled, ds.status?.currentNumberScheduled, ds.status?.numberReady, ds.status?.updatedNumberScheduled, ds.status?.numberAvailable, ds.status?.numberMisscheduled],
    [3, 3, 3, 3, 3, 0],
  );
  assert.equal(ds.status?.observedGeneration, ds.metadata?.generation);
  const revs = (await w.cluster.client.resource<ControllerRevision>(resources.controllerRevisions).namespace('default').list({ labelSelector: 'app=agent' })).items;
  assert.equal(revs.length, 1);
  const hash = revs[0].metadata!.labels!['controller-revision-hash'];
  assert.equal(revs[0].metadata!.name, `agent-${hash}`);
  assert.equal(revs[0].revision, 1);
  assert.ok(pods.every((p) => p.metadata?.labels?.['controller-revision-hash'] === hash));
  const get = await w.kubectl('get', 'ds', 'agent');
  assert.match(get.stdout, /^agent\s+3\s+3\s+3\s+3\s+3\s+/m);

  // Self-healing: a deleted daemon pod comes back on its node.
  const victim = pods[0];
  assert.equal((await w.kubectl('delete', 'pod', victim.metadata!.name!, '--wait=false')).code, 0);
  await eventually(async () => {
    const now = await w.livePods('app=agent');
    return now.length === 3 && !now.some((p) => p.metadata!.name === victim.metadata!.name) && now.some((p) => p.spec?.nodeName === victim.spec?.nodeName);
  }, 10_000);
});

test('a DaemonSet follows node labels and taints', { skip: kubectlSkip }, async () => {
  await w.apply(daemonSet('edge', { podSpec: '\n      nodeSelector: {role: edge}' }));
  await eventually(async () => (await getDS('edge')).status?.observedGeneration === 1);
  assert.deepEqual(await placement('edge'), {});
  assert.equal((await w.kubectl('label', 'node', 'k8ts-node-2', 'role=edge')).code, 0);
  await eventually(async () => JSON.stringify(await placement('edge')) === JSON.stringify({ 'k8ts-node-2': ['busybox:1'] }), 10_000);
  assert.equal((await w.kubectl('label', 'node', 'k8ts-node-2', 'role-')).code, 0);
  await eventually(async () => JSON.stringify(await placement('edge')) === '{}', 10_000);

  await w.apply(daemonSet('tainted'));
  await eventually(async () => (await w.livePods('app=tainted')).filter(podReady).length === 3, 10_000);
  // NoSchedule: the pod already there stays, a new DaemonSet does not go there.
  assert.equal((await w.kubectl('taint', 'node', 'k8ts-node-3', 'dedicated=db:NoSchedule')).code, 0);
  try {
    await w.apply(daemonSet('late'));
    await eventually(async () => (await getDS('late')).status?.desiredNumberScheduled === 2 && (await w.livePods('app=late')).length === 2, 10_000);
    assert.ok(!(await w.livePods('app=late')).some((p) => p.spec?.nodeName === 'k8ts-node-3'));
    assert.equal((await w.livePods('app=tainted')).length, 3);
    const tainted = await getDS('tainted');
    assert.equal(tainted.status?.desiredNumberScheduled, 2);
    assert.equal(tainted.status?.numberMisscheduled, 1);
    // NoExecute: the pod goes.
    assert.equal((await w.kubectl('taint', 'node', 'k8ts-node-3', 'evict=now:NoExecute')).code, 0);
    await eventually(async () => !(await w.livePods('app=tainted')).some((p) => p.spec?.nodeName === 'k8ts-node-3'), 10_000);
  } finally {
    await w.kubectl('taint', 'node', 'k8ts-node-3', 'dedicated-', 'evict-');
  }
  await eventually(async () => (await w.livePods('app=late')).length === 3, 10_000);

  // A cordoned node still runs daemons: they tolerate node.kubernetes.io/unschedulable.
  assert.equal((await w.kubectl('cordon', 'k8ts-node-1')).code, 0);
  try {
    await w.apply(daemonSet('cordoned'));
    await eventually(async () => (await w.livePods('app=cordoned')).filter((p) => p.spec?.nodeName).length === 3, 10_000);
  } finally {
    await w.kubectl('uncordon', 'k8ts-node-1');
  }
});

test('a rolling update replaces one node at a time; history and undo work through ControllerRevisions', { skip: kubectlSkip }, async () => {
  await w.apply(daemonSet('roll', { strategy: '{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}' }));
  assert.equal((await w.kubectl('rollout', 'status', 'ds/roll', '--timeout=20s')).code, 0);
  const informer = new Informer<Pod>(w.cluster.client, resources.pods, { namespace: 'default', labelSelector: 'app=roll' });
  const violations: string[] = [];
  const check = () => {
    const servingNodes = new Set(informer.store.list().filter((p) => !p.metadata?.deletionTimestamp && podReady(p)).map((p) => p.spec?.nodeName));
    if (servingNodes.size < 2) violations.push(`only ${servingNodes.size} nodes serving`);
  };
  informer.addEventHandler({ onUpdate: check, onDelete: check });
  informer.start();
  await informer.waitForSync();
  try {
    assert.equal((await w.kubectl('set', 'image', 'ds/roll', 'c=busybox:2')).code, 0);
    const status = await w.kubectl('rollout', 'status', 'ds/roll', '--timeout=20s');
    assert.equal(status.code, 0, status.stderr);
  } finally {
    informer.stop();
  }
  assert.deepEqual(violations, []);
  assert.deepEqual(await placement('roll'), Object.fromEntries(NODES.map((n) => [n, ['busybox:2']])));

  const history = await w.kubectl('rollout', 'history', 'ds/roll');
  assert.equal(history.code, 0, history.stderr);
  assert.match(history.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
  const undo = await w.kubectl('rollout', 'undo', 'ds/roll');
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /daemonset.apps\/roll rolled back/);
  assert.equal((await w.kubectl('rollout', 'status', 'ds/roll', '--timeout=20s')).code, 0);
  await eventually(async () => JSON.stringify(await placement('roll')) === JSON.stringify(Object.fromEntries(NODES.map((n) => [n, ['busybox:1']]))), 10_000);
  const after = await w.kubectl('rollout', 'history', 'ds/roll');
  assert.match(after.stdout, /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n/);
});

test('maxSurge starts the new pod before the old one goes', { skip: kubectlSkip }, async () => {
  await w.apply(daemonSet('surge', { strategy: '{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}' }));
  assert.equal((await w.kubectl('rollout', 'status', 'ds/surge', '--timeout=20s')).code, 0);
  const informer = new Informer<Pod>(w.cluster.client, resources.pods, { namespace: 'default', labelSelector: 'app=surge' });
  const violations: string[] = [];
  let doubled = 0;
  const check = () => {
    const live = informer.store.list().filter((p) => !p.metadata?.deletionTimestamp);
    if (new Set(live.filter(podReady).map((p) => p.spec?.nodeName)).size < 3) violations.push('a node without a ready pod');
    if (live.length > 4) violations.push(`${live.length} pods: more than one surging`);
    if (live.length === 4) doubled++;
  };
  informer.addEventHandler({ onUpdate: check, onDelete: check });
  informer.start();
  await informer.waitForSync();
  try {
    assert.equal((await w.kubectl('set', 'image', 'ds/surge', 'c=busybox:2')).code, 0);
    assert.equal((await w.kubectl('rollout', 'status', 'ds/surge', '--timeout=20s')).code, 0);
  } finally {
    informer.stop();
  }
  assert.deepEqual(violations, []);
  assert.ok(doubled > 0, 'a node ran an old and a new pod at once');
  await eventually(async () => JSON.stringify(await placement('surge')) === JSON.stringify(Object.fromEntries(NODES.map((n) => [n, ['busybox:2']]))), 10_000);
});

test('OnDelete replaces a pod only when it is deleted', { skip: kubectlSkip }, async () => {
  await w.apply(daemonSet('manual', { strategy: '{type: OnDelete}' }));
  await eventually(async () => (await w.livePods('app=manual')).filter(podReady).length === 3, 10_000);
  assert.equal((await w.kubectl('set', 'image', 'ds/manual', 'c=busybox:2')).code, 0);
  await eventually(async () => {
    const ds = await getDS('manual');
    return ds.status?.observedGeneration === ds.metadata?.generation && ds.status?.updatedNumberScheduled === undefined && ds.status?.numberReady === 3;
  }, 10_000);
  assert.deepEqual(await placement('manual'), Object.fromEntries(NODES.map((n) => [n, ['busybox:1']])));
  const onNode1 = (await w.livePods('app=manual')).find((p) => p.spec?.nodeName === 'k8ts-node-1')!;
  assert.equal((await w.kubectl('delete', 'pod', onNode1.metadata!.name!, '--wait=false')).code, 0);
  await eventually(async () => JSON.stringify((await placement('manual'))['k8ts-node-1']) === '["busybox:2"]', 10_000);
  const ds = await getDS('manual');
  assert.equal(ds.status?.updatedNumberScheduled, 1);
});
