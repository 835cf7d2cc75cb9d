// The garbage collector against a real cluster: cascading deletes through kubectl in all three
// modes over a three-level owner chain, dangling owners, invalid cross-scope owners, and
// ReplicaSet → Pod (with the ReplicaSet controller).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Pod } from 'kubernetes-types/core/v1.js';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { garbageCollectorFactory } from '../../../src/controllers/garbagecollector.js';
import { newReplicaSetController } from '../../../src/controllers/replicaset.js';
import { isNotFound, resources } from '../../../src/client/index.js';
import type { KubeObject } from '../../../src/api/registry.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;

before(async () => {
  cluster = await startCluster({ nodes: 1, controllers: [] });
  manager = new ControllerManager(cluster.client, { garbagecollector: garbageCollectorFactory, replicaset: newReplicaSetController }, { log: () => {} });
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const configMaps = () => cluster.client.resource<ConfigMap>(resources.configMaps).namespace('default');
const run = (...args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath });

function ownerRef(owner: KubeObject) {
  return { apiVersion: 'v1', kind: owner.kind ?? 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** root ← middle ← leaf, each owned by the one before. */
async function chain(prefix: string): Promise<ConfigMap[]> {
  const root = await configMaps().create({ metadata: { name: `${prefix}-root` }, data: { level: '1' } });
  const middle = await configMaps().create({ metadata: { name: `${prefix}-middle`, ownerReferences: [ownerRef(root)] }, data: { level: '2' } });
  const leaf = await configMaps().create({ metadata: { name: `${prefix}-leaf`, ownerReferences: [ownerRef(middle)] }, data: { level: '3' } });
  return [root, middle, leaf];
}

async function exists(name: string): Promise<boolean> {
  try {
    await configMaps().get(name);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

test('kubectl delete (background) removes the whole owner chain', { skip: kubectlSkip }, async () => {
  await chain('bg');
  const res = await run('delete', 'configmap', 'bg-root');
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /configmap "bg-root" deleted/);
  await eventually(async () => !(await exists('bg-middle')) && !(await exists('bg-leaf')), 10_000);
});

test('kubectl delete --cascade=foreground waits for the dependents before the owner goes', { skip: kubectlSkip }, async () => {
  await chain('fg');
  // While the chain is deleted the owner is visible with the foregroundDeletion finalizer.
  const seen: string[] = [];
  const watch = configMaps().watch(
    { fieldSelector: 'metadata.name=fg-root' },
    (e) => {
      if (e.object.metadata?.finalizers?.includes('foregroundDeletion')) seen.push(e.type);
    },
    () => {},
  );
  try {
    const res = await run('delete', 'configmap', 'fg-root', '--cascade=foreground');
    assert.equal(res.code, 0, res.stderr);
    await eventually(async () => !(await exists('fg-root')), 10_000);
    assert.equal(await exists('fg-middle'), false);
    assert.equal(await exists('fg-leaf'), false);
    assert.ok(seen.length > 0, 'the owner carried the foregroundDeletion finalizer while its dependents went');
  } finally {
    watch.stop();
  }
});

test('kubectl delete --cascade=orphan leaves the dependents without the owner reference', { skip: kubectlSkip }, async () => {
  const [, middle] = await chain('or');
  const res = await run('delete', 'configmap', 'or-root', '--cascade=orphan');
  assert.equal(res.code, 0, res.stderr);
  await eventually(async () => !(await exists('or-root')), 10_000);
  const orphan = await configMaps().get('or-middle');
  assert.equal(orphan.metadata?.ownerReferences, undefined);
  const leaf = await configMaps().get('or-leaf');
  assert.equal(leaf.metadata?.ownerReferences?.[0].uid, middle.metadata?.uid);
  // Nothing else is collected later.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await exists('or-leaf'), true);
});

test('an object whose only owner does not exist is deleted; one with a live owner stays', async () => {
  const owner = await configMaps().create({ metadata: { name: 'alive-owner' } });
  await configMaps().create({
    metadata: { name: 'dangling', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-was', uid: '0b2a6b4e-1111-4d6c-9c57-000000000000' }] },
  });
  await configMaps().create({
    metadata: {
      name: 'two-owners',
      ownerReferences: [ownerRef(owner), { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: '0b2a6b4e-2222-4d6c-9c57-000000000000' }],
    },
  });
  await eventually(async () => !(await exists('dangling')), 10_000);
  // The dangling reference is removed from an object that still has a live owner.
  await eventually(async () => (await configMaps().get('two-owners')).metadata?.ownerReferences?.length === 1, 10_000);
  assert.equal((await configMaps().get('two-owners')).metadata?.ownerReferences?.[0].uid, owner.metadata?.uid);
});

test('a cluster-scoped object naming a namespaced owner gets an OwnerRefInvalidNamespace event and stays', async () => {
  const owner = await configMaps().create({ metadata: { name: 'ns-owner' } });
  const roles = cluster.client.resource<ClusterRole>(resources.clusterRoles);
  const role = await roles.create({ metadata: { name: 'gc-invalid-owner', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ns-owner', uid: owner.metadata!.uid! }] }, rules: [] });
  const events = cluster.client.resource(resources.events).namespace('default');
  const event = await eventually(async () => {
    const list = await events.list({ fieldSelector: 'reason=OwnerRefInvalidNamespace' });
    return list.items.find((e: KubeObject) => e.involvedObject?.name === 'gc-invalid-owner');
  }, 10_000);
  assert.equal(event.type, 'Warning');
  assert.equal(event.message, `ownerRef [v1/ConfigMap, namespace: , name: ns-owner, uid: ${owner.metadata!.uid}] does not exist in namespace ""`);
  assert.equal(event.source?.component, 'garbage-collector-controller');
  assert.equal((await roles.get('gc-invalid-owner')).metadata?.uid, role.metadata?.uid);
});

test('deleting a ReplicaSet through kubectl takes its pods with it', { skip: kubectlSkip }, async () => {
  const manifest = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: gc-rs}
spec:
  replicas: 2
  selector: {matchLabels: {app: gc-rs}}
  template:
    metadata: {labels: {app: gc-rs}}
    spec: {containers: [{name: c, image: nginx}]}
`;
  const applied = await kubectl(['apply', '-f', '-'], { kubeconfig: cluster.kubeconfigPath, input: manifest });
  assert.equal(applied.code, 0, applied.stderr);
  const pods = cluster.client.resource<Pod>(resources.pods).namespace('default');
  await eventually(async () => (await pods.list({ labelSelector: 'app=gc-rs' })).items.length === 2, 10_000);
  const res = await run('delete', 'replicaset', 'gc-rs', '--cascade=foreground');
  assert.equal(res.code, 0, res.stderr);
  // Pods go before the ReplicaSet: kubectl returned only once both were gone.
  await eventually(async () => (await pods.list({ labelSelector: 'app=gc-rs' })).items.length === 0, 10_000);
});
