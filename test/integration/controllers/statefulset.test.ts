// The StatefulSet controller on simulated nodes, through real kubectl and the client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Event, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { resources } from '../../../src/client/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { statefulSetControllerFactory } from '../../../src/controllers/statefulset.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually, uniqueName } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;

before(async () => {
  cluster = await startCluster({ nodes: 3, controllers: [] });
  manager = new ControllerManager(cluster.client, { statefulset: statefulSetControllerFactory }, { log: (l) => process.stderr.write(l + '\n') });
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const sets = () => cluster.client.resource<StatefulSet>(resources.statefulSets).namespace('default');
const pods = () => cluster.client.resource<Pod>(resources.pods).namespace('default');
const claims = () => cluster.client.resource<PersistentVolumeClaim>(resources.persistentVolumeClaims).namespace('default');
const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });

function manifest(name: string, replicas: number, image: string, extraSpec = '', claimTemplate = false): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
spec:
  serviceName: ${name}-svc
  replicas: ${replicas}
${extraSpec}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: ${image}
${
  claimTemplate
    ? `  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`
    : ''
}`;
}

async function apply(text: string): Promise<void> {
  const res = await run(['apply', '-f', '-'], text);
  assert.equal(res.code, 0, res.stderr);
}

async function podsOf(name: string): Promise<Pod[]> {
  return (await pods().list({ labelSelector: `app=${name}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** The set's events of one reason, oldest first (event names end in the hex time they were made). */
async function eventsOf(name: string, reason: string): Promise<Event[]> {
  const list = await cluster.client.resource<Event>(resources.events).namespace('default').list({ fieldSelector: `involvedObject.name=${name},reason=${reason}` });
  return list.items.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
}

async function ready(name: string, replicas: number, timeoutMs = 10_000): Promise<StatefulSet> {
  return eventually(async () => {
    const s = await sets().get(name);
    const st = s.status;
    return st?.readyReplicas === replicas && st.replicas === replicas && st.updatedReplicas === replicas && st.currentRevision === st.updateRevision && st.observedGeneration === s.metadata?.generation ? s : undefined;
  }, timeoutMs);
}

test('OrderedReady creates <set>-0, -1, -2 one after another, each with its identity', { skip: kubectlSkip }, async () => {
  const name = uniqueName('web');
  await apply(manifest(name, 3, 'nginx:1.27'));
  // Each pod appears only once the ones before it exist and are Running and Ready.
  const violations: string[] = [];
  const set = await eventually(async () => {
    const current = await podsOf(name);
    const byOrdinal = new Map(current.map((p) => [Number(p.metadata!.name!.slice(name.length + 1)), p]));
    for (const ord of byOrdinal.keys()) {
      for (let before = 0; before < ord; before++) {
        const prev = byOrdinal.get(before);
        const prevReady = prev?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        if (!prevReady) violations.push(`${name}-${ord} exists while ${name}-${before} is not ready`);
      }
    }
    return ready(name, 3, 50).catch(() => undefined);
  }, 10_000, 10);
  assert.deepEqual(violations, []);
  const all = await podsOf(name);
  assert.deepEqual(all.map((p) => p.metadata!.name).sort(), [`${name}-0`, `${name}-1`, `${name}-2`]);
  for (const p of all) {
    const ord = p.metadata!.name!.slice(name.length + 1);
    assert.equal(p.spec!.hostname, p.metadata!.name);
    assert.equal(p.spec!.subdomain, `${name}-svc`);
    assert.equal(p.metadata!.labels!['statefulset.kubernetes.io/pod-name'], p.metadata!.name);
    assert.equal(p.metadata!.labels!['apps.kubernetes.io/pod-index'], ord);
    assert.equal(p.metadata!.labels!['controller-revision-hash'], set.status!.updateRevision);
    assert.equal(p.metadata!.ownerReferences?.[0].kind, 'StatefulSet');
  }
  const revisions = (await cluster.client.resource<ControllerRevision>(resources.controllerRevisions).namespace('default').list({ labelSelector: `app=${name}` })).items;
  assert.equal(revisions.length, 1);
  assert.equal(revisions[0].metadata!.name, set.status!.updateRevision);
  assert.equal(revisions[0].revision, 1);
  // Events are written in the background: wait for them.
  const wantCreates = [0, 1, 2].map((i) => `create Pod ${name}-${i} in StatefulSet ${name} successful`);
  await eventually(async () => {
    const creates = (await eventsOf(name, 'SuccessfulCreate')).map((e) => e.message);
    assert.deepEqual(creates, wantCreates);
    return true;
  });
  const get = await run(['get', 'statefulset', name]);
  assert.match(get.stdout, new RegExp(`${name}\\s+3/3\\s+`));
  // Scale down: highest ordinal first.
  assert.equal((await run(['scale', 'statefulset', name, '--replicas=1'])).code, 0);
  await eventually(async () => (await podsOf(name)).length === 1, 8000);
  assert.equal((await podsOf(name))[0].metadata!.name, `${name}-0`);
  await eventually(async () => {
    const deletes = (await eventsOf(name, 'SuccessfulDelete')).map((e) => e.message);
    assert.deepEqual(deletes, [`delete Pod ${name}-2 in StatefulSet ${name} successful`, `delete Pod ${name}-1 in StatefulSet ${name} successful`]);
    return true;
  });
});

test('volumeClaimTemplates make <template>-<set>-<ordinal> claims, kept on scale-down and reused on scale-up', { skip: kubectlSkip }, async () => {
  const name = uniqueName('db');
  await apply(manifest(name, 2, 'postgres:16', '  podManagementPolicy: Parallel\n', true));
  const created = await eventually(async () => {
    const list = (await claims().list({ labelSelector: `app=${name}` })).items;
    return list.length === 2 ? list : undefined;
  }, 15_000);
  assert.deepEqual(created.map((c) => c.metadata!.name).sort(), [`data-${name}-0`, `data-${name}-1`]);
  const pod1 = await eventually(() => pods().get(`${name}-1`));
  assert.deepEqual(pod1.spec!.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName: `data-${name}-1` });
  const uid1 = created.find((c) => c.metadata!.name === `data-${name}-1`)!.metadata!.uid;
  assert.equal((await run(['scale', 'statefulset', name, '--replicas=1'])).code, 0);
  await eventually(async () => (await podsOf(name)).length === 1, 8000);
  assert.equal((await claims().get(`data-${name}-1`)).metadata!.uid, uid1, 'the claim outlives its pod (whenScaled: Retain)');
  assert.equal((await run(['scale', 'statefulset', name, '--replicas=2'])).code, 0);
  const back = await eventually(() => pods().get(`${name}-1`), 15_000);
  assert.equal(back.spec!.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, `data-${name}-1`);
  assert.equal((await claims().get(`data-${name}-1`)).metadata!.uid, uid1, 'the same claim, not a new one');
});

test('persistentVolumeClaimRetentionPolicy whenDeleted: Delete makes the set own its claims', { skip: kubectlSkip }, async () => {
  const name = uniqueName('ret');
  const policy = '  podManagementPolicy: Parallel\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n    whenScaled: Retain\n';
  await apply(manifest(name, 1, 'nginx:1.27', policy, true));
  const set = await sets().get(name);
  const claim = await eventually(() => claims().get(`data-${name}-0`), 15_000);
  assert.deepEqual(
    claim.metadata!.ownerReferences?.map((r) => [r.kind, r.uid]),
    [['StatefulSet', set.metadata!.uid]],
  );
});

test('RollingUpdate replaces pods from the highest ordinal down to the partition; rollout status, history and undo', { skip: kubectlSkip }, async () => {
  const name = uniqueName('roll');
  await apply(manifest(name, 3, 'nginx:1.26', '  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 1\n'));
  const first = await ready(name, 3);
  const oldRevision = first.status!.updateRevision!;
  await apply(manifest(name, 3, 'nginx:1.27', '  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 1\n'));
  const partial = await eventually(async () => {
    const s = await sets().get(name);
    return s.status?.updatedReplicas === 2 && s.status.readyReplicas === 3 ? s : undefined;
  }, 10_000);
  assert.notEqual(partial.status!.updateRevision, oldRevision);
  assert.equal(partial.status!.currentRevision, oldRevision, 'the partition keeps the old revision current');
  const images = async () => Object.fromEntries((await podsOf(name)).map((p) => [p.metadata!.name, p.spec!.containers[0].image]));
  assert.deepEqual(await images(), { [`${name}-0`]: 'nginx:1.26', [`${name}-1`]: 'nginx:1.27', [`${name}-2`]: 'nginx:1.27' });

  // Partition 0 finishes the rollout; kubectl follows it.
  assert.equal((await run(['patch', 'statefulset', name, '--type=merge', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}'])).code, 0);
  const status = await run(['rollout', 'status', `statefulset/${name}`, '--timeout=15s']);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /partitioned roll out complete: 3 new pods have been updated\.\.\.|roll out complete/);
  const done = await ready(name, 3);
  assert.equal(done.status!.currentRevision, done.status!.updateRevision);
  assert.deepEqual(Object.values(await images()), ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);

  const history = await run(['rollout', 'history', `statefulset/${name}`]);
  assert.equal(history.code, 0, history.stderr);
  assert.match(history.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);

  const undo = await run(['rollout', 'undo', `statefulset/${name}`]);
  assert.equal(undo.code, 0, undo.stderr);
  await eventually(async () => {
    const s = await sets().get(name);
    return s.status?.updateRevision === oldRevision && s.status.currentRevision === oldRevision && s.status.readyReplicas === 3;
  }, 15_000);
  assert.deepEqual(Object.values(await images()), ['nginx:1.26', 'nginx:1.26', 'nginx:1.26']);
  const rev = await cluster.client.resource<ControllerRevision>(resources.controllerRevisions).namespace('default').get(oldRevision);
  assert.equal(rev.revision, 3, 'the rolled-back revision becomes the newest');
});

test('OnDelete keeps old pods until they are deleted', { skip: kubectlSkip }, async () => {
  const name = uniqueName('ondel');
  await apply(manifest(name, 2, 'nginx:1.26', '  updateStrategy:\n    type: OnDelete\n'));
  await ready(name, 2);
  await apply(manifest(name, 2, 'nginx:1.27', '  updateStrategy:\n    type: OnDelete\n'));
  await eventually(async () => (await sets().get(name)).status?.observedGeneration === 2);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok((await podsOf(name)).every((p) => p.spec!.containers[0].image === 'nginx:1.26'));
  const del = await run(['delete', 'pod', `${name}-1`, '--wait=false']);
  assert.equal(del.code, 0, del.stderr);
  await eventually(async () => (await podsOf(name)).find((p) => p.metadata!.name === `${name}-1`)?.spec!.containers[0].image === 'nginx:1.27', 8000);
});
