// Node lifecycle, taint eviction and pod GC on simulated nodes: a silent node goes Unknown and
// is tainted unreachable, its pods are marked not ready and evicted after their
// tolerationSeconds (the ReplicaSet puts them elsewhere); cordoning taints; the pods of a
// deleted node are collected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { nodeLifecycleControllerFactory } from '../../../src/controllers/nodelifecycle.js';
import { taintEvictionControllerFactory } from '../../../src/controllers/tainteviction.js';
import { podGCControllerFactory } from '../../../src/controllers/podgc.js';
import { newReplicaSetController } from '../../../src/controllers/replicaset.js';
import { resources } from '../../../src/client/index.js';
import type { KubeObject } from '../../../src/api/registry.js';
import { SimulatedNodes } from '../../../src/sim/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

let cluster: Cluster;
let sim: SimulatedNodes;
let manager: ControllerManager;

before(async () => {
  cluster = await startCluster({ controllers: [] });
  sim = new SimulatedNodes(cluster.client, { count: 3, nodeLeaseDurationSeconds: 2, startupMs: 50 });
  await sim.start();
  manager = new ControllerManager(
    cluster.client,
    {
      nodelifecycle: nodeLifecycleControllerFactory({ nodeMonitorGracePeriodMs: 3000, nodeMonitorPeriodMs: 500 }),
      'taint-eviction-controller': taintEvictionControllerFactory,
      podgc: podGCControllerFactory({ gcCheckPeriodMs: 300, quarantineMs: 500 }),
      replicaset: newReplicaSetController,
    },
    { log: () => {} },
  );
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await sim?.stop();
  await cluster?.stop();
});

const run = (...args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath });
const nodes = () => cluster.client.resource<Node>(resources.nodes);
const pods = () => cluster.client.resource<Pod>(resources.pods).namespace('default');

function taintsOf(node: Node): string[] {
  return (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
}

test('cordoning a node taints it unschedulable; uncordoning removes the taint', { skip: kubectlSkip }, async () => {
  assert.equal((await run('cordon', 'k8ts-node-3')).code, 0);
  await eventually(async () => taintsOf(await nodes().get('k8ts-node-3')).includes('node.kubernetes.io/unschedulable:NoSchedule'), 15_000);
  const described = await run('describe', 'node', 'k8ts-node-3');
  assert.match(described.stdout, /Taints:\s+node\.kubernetes\.io\/unschedulable:NoSchedule/);
  assert.equal((await run('uncordon', 'k8ts-node-3')).code, 0);
  await eventually(async () => taintsOf(await nodes().get('k8ts-node-3')).length === 0, 15_000);
});

test('a silent node goes NotReady and its pods are evicted after tolerationSeconds, then replaced elsewhere', { skip: kubectlSkip }, async () => {
  const manifest = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: survivor}
spec:
  replicas: 3
  selector: {matchLabels: {app: survivor}}
  template:
    metadata: {labels: {app: survivor}}
    spec:
      terminationGracePeriodSeconds: 1
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      containers: [{name: c, image: nginx}]
`;
  const applied = await kubectl(['apply', '-f', '-'], { kubeconfig: cluster.kubeconfigPath, input: manifest });
  assert.equal(applied.code, 0, applied.stderr);
  const running = await eventually(async () => {
    const list = (await pods().list({ labelSelector: 'app=survivor' })).items.filter((p) => p.status?.phase === 'Running');
    return list.length === 3 ? list : undefined;
  }, 10_000);
  const victim = running[0];
  const down = victim.spec!.nodeName!;

  sim.stopHeartbeats(down);
  const silent = await eventually(async () => {
    const n = await nodes().get(down);
    return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' ? n : undefined;
  }, 10_000);
  const ready = silent.status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.reason, 'NodeStatusUnknown');
  assert.equal(ready.message, 'Kubelet stopped posting node status.');
  await eventually(async () => {
    const t = taintsOf(await nodes().get(down));
    return t.includes('node.kubernetes.io/unreachable:NoExecute') && t.includes('node.kubernetes.io/unreachable:NoSchedule');
  }, 15_000);
  const listed = await run('get', 'node', down);
  assert.match(listed.stdout, new RegExp(`^${down}\\s+NotReady\\s`, 'm'));

  // The pod on it is marked not ready at once, and evicted once its 2 s toleration runs out.
  await eventually(async () => (await pods().get(victim.metadata!.name!)).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False', 15_000);
  const evicted = await eventually(async () => {
    const p = await pods().get(victim.metadata!.name!).catch(() => undefined);
    return p?.metadata?.deletionTimestamp ? p : undefined;
  }, 10_000);
  assert.deepEqual(
    evicted.status?.conditions?.filter((c) => c.type === 'DisruptionTarget').map((c) => `${c.reason}: ${c.message}`),
    ['DeletionByTaintManager: Taint manager: deleting due to NoExecute taint'],
  );
  const events = await cluster.client.resource(resources.events).namespace('default').list({ fieldSelector: `involvedObject.name=${victim.metadata!.name}` });
  const reasons = events.items.map((e: KubeObject) => `${e.reason} ${e.message}`);
  assert.ok(reasons.includes('NodeNotReady Node is not ready'), reasons.join('\n'));
  assert.ok(reasons.includes(`TaintManagerEviction Marking for deletion Pod default/${victim.metadata!.name}`), reasons.join('\n'));

  // The ReplicaSet replaces it on a node that is still up.
  await eventually(async () => {
    const list = (await pods().list({ labelSelector: 'app=survivor' })).items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running');
    return list.length === 3 && list.every((p) => p.spec?.nodeName !== down);
  }, 10_000);

  // The kubelet comes back: Ready again, taints gone.
  sim.resumeHeartbeats(down);
  await eventually(async () => {
    const n = await nodes().get(down);
    return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && taintsOf(n).length === 0;
  }, 10_000);
});

test('pods of a deleted node are garbage collected', { skip: kubectlSkip }, async () => {
  await pods().create({ metadata: { name: 'lost' }, spec: { nodeName: 'k8ts-node-1', containers: [{ name: 'c', image: 'nginx' }] } });
  await eventually(async () => (await pods().get('lost')).status?.phase === 'Running', 15_000);
  sim.stopHeartbeats('k8ts-node-1');
  assert.equal((await run('delete', 'node', 'k8ts-node-1')).code, 0);
  await eventually(async () => (await pods().list({ fieldSelector: 'metadata.name=lost' })).items.length === 0, 10_000);
});
