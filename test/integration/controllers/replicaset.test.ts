import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { eventually } from '../../support/cluster.js';
import { kubectlSkip } from '../../support/kubectl.js';
import { resources } from '../../../src/client/resource.js';
import { startWorkloadCluster, type WorkloadCluster } from './workloads-a-support.js';

let w: WorkloadCluster;
before(async () => {
  if (!kubectlSkip) w = await startWorkloadCluster();
});
after(async () => {
  await w?.stop();
});

function replicaSet(name: string, replicas: number, extra = ''): string {
  return `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${name}
spec:
  replicas: ${replicas}${extra}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: nginx
`;
}

async function getRS(name: string): Promise<ReplicaSet> {
  return w.cluster.client.resource<ReplicaSet>(resources.replicaSets).namespace('default').get(name);
}

test('a ReplicaSet creates its pods, replaces a deleted one and reports status', { skip: kubectlSkip }, async () => {
  await w.apply(replicaSet('heal', 3));
  const pods = await eventually(async () => {
    const ps = await w.livePods('app=heal');
    return ps.length === 3 && ps.every((p) => p.status?.phase === 'Running') && ps;
  }, 10_000);
  for (const p of pods) {
    assert.match(p.metadata!.name!, /^heal-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata!.ownerReferences?.map((r) => [r.kind, r.name, r.controller, r.blockOwnerDeletion]), [['ReplicaSet', 'heal', true, true]]);
  }
  const rs = await eventually(async () => {
    const r = await getRS('heal');
    return r.status?.readyReplicas === 3 && r.status.availableReplicas === 3 && r;
  }, 10_000);
  assert.equal(rs.status?.replicas, 3);
  assert.equal(rs.status?.fullyLabeledReplicas, 3);
  assert.equal(rs.status?.observedGeneration, rs.metadata?.generation);
  const get = await w.kubectl('get', 'rs', 'heal');
  assert.match(get.stdout, /^heal\s+3\s+3\s+3\s+/m);

  const victim = pods[0].metadata!.name!;
  const del = await w.kubectl('delete', 'pod', victim, '--wait=false');
  assert.equal(del.code, 0, del.stderr);
  await eventually(async () => {
    const ps = await w.livePods('app=heal');
    return ps.length === 3 && !ps.some((p) => p.metadata!.name === victim);
  }, 10_000);
  // Events are written asynchronously: the fourth may land just after its pod.
  const created = (events: string[]) => events.filter((e) => e.startsWith('SuccessfulCreate Created pod: heal-')).length;
  const events = await eventually(async () => {
    const es = await w.events('heal');
    return created(es) >= 4 ? es : undefined;
  }, 10_000);
  assert.equal(created(events), 4, events.join('\n'));
});

test('scaling up and down through kubectl scale; surplus pods are deleted', { skip: kubectlSkip }, async () => {
  await w.apply(replicaSet('scale', 1));
  await eventually(async () => (await w.livePods('app=scale')).length === 1, 10_000);
  assert.equal((await w.kubectl('scale', 'rs', 'scale', '--replicas=4')).code, 0);
  await eventually(async () => (await getRS('scale')).status?.readyReplicas === 4, 10_000);
  // Ready pods stay; the scale-down prefers the one that is still pending (unscheduled).
  assert.equal((await w.kubectl('scale', 'rs', 'scale', '--replicas=2')).code, 0);
  await eventually(async () => (await w.livePods('app=scale')).length === 2 && (await getRS('scale')).status?.replicas === 2, 10_000);
  const events = await w.events('scale');
  assert.equal(events.filter((e) => e.startsWith('SuccessfulDelete Deleted pod: scale-')).length, 2, events.join('\n'));
  // No more than asked for was ever created.
  assert.equal(events.filter((e) => e.startsWith('SuccessfulCreate')).length, 4, events.join('\n'));
});

test('a pod relabelled out is released and replaced; a matching bare pod is adopted', { skip: kubectlSkip }, async () => {
  await w.apply(replicaSet('own', 2));
  const pods = await eventually(async () => {
    const ps = await w.livePods('app=own');
    return ps.length === 2 && ps.every((p) => p.status?.phase === 'Running') && ps;
  }, 10_000);
  const released = pods[0].metadata!.name!;
  const label = await w.kubectl('label', 'pod', released, 'app=elsewhere', '--overwrite');
  assert.equal(label.code, 0, label.stderr);
  await eventually(async () => (await w.livePods('app=own')).length === 2, 10_000);
  const podClient = w.cluster.client.resource<Pod>(resources.pods).namespace('default');
  const loose = await eventually(async () => {
    const p = await podClient.get(released);
    return !p.metadata?.ownerReferences?.length && p;
  }, 10_000);
  assert.equal(loose.status?.phase, 'Running', 'the released pod keeps running');

  // Relabel it back: the ReplicaSet has one too many and adopts it, then deletes a surplus pod.
  assert.equal((await w.kubectl('label', 'pod', released, 'app=own', '--overwrite')).code, 0);
  await eventually(async () => {
    const ps = await w.livePods('app=own');
    return ps.length === 2 && ps.every((p) => p.metadata?.ownerReferences?.[0]?.name === 'own');
  }, 10_000);

  // A bare pod made by hand with the labels is adopted: the ReplicaSet does not create a third.
  await w.apply(`apiVersion: v1
kind: Pod
metadata:
  name: bare
  labels: {app: adopt}
spec:
  containers:
  - name: c
    image: nginx
`);
  await w.apply(replicaSet('adopt', 2));
  await eventually(async () => (await getRS('adopt')).status?.replicas === 2, 10_000);
  const bare = await podClient.get('bare');
  assert.equal(bare.metadata?.ownerReferences?.[0]?.name, 'adopt');
  assert.equal(bare.metadata?.ownerReferences?.[0]?.controller, true);
  assert.equal((await w.livePods('app=adopt')).length, 2);
});

test('a ReplicaSet deleted with --cascade=orphan leaves its pods to the next one', { skip: kubectlSkip }, async () => {
  await w.apply(replicaSet('orphan', 2));
  const before = await eventually(async () => {
    const ps = await w.livePods('app=orphan');
    return ps.length === 2 && ps;
  }, 10_000);
  const del = await w.kubectl('delete', 'rs', 'orphan', '--cascade=orphan', '--wait=false');
  assert.equal(del.code, 0, del.stderr);
  // Orphaning (dropping the owner references, then the orphan finalizer) is the garbage
  // collector's part, which these tests do not run: stand in for it, so that what is asserted
  // is the ReplicaSet controller's part, adoption by the next ReplicaSet.
  const podClient = w.cluster.client.resource<Pod>(resources.pods).namespace('default');
  for (const p of await w.livePods('app=orphan')) await podClient.patch(p.metadata!.name!, { metadata: { ownerReferences: null } }, 'merge');
  await w.cluster.client.resource(resources.replicaSets).namespace('default').patch('orphan', { metadata: { finalizers: null } }, 'merge');
  await eventually(async () => !(await getRS('orphan').catch(() => undefined)));
  await w.apply(replicaSet('orphan', 2));
  const rs = await eventually(async () => {
    const r = await getRS('orphan').catch(() => undefined);
    return r?.status?.replicas === 2 && r;
  }, 10_000);
  const after = await w.livePods('app=orphan');
  assert.deepEqual(after.map((p) => p.metadata!.name).sort(), before.map((p) => p.metadata!.name).sort());
  for (const p of after) assert.equal(p.metadata?.ownerReferences?.[0]?.uid, rs.metadata?.uid);
});
