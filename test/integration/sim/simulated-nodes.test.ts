// Simulated nodes against a real in-process cluster, seen through the client and real kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { isNotFound, resources } from '../../../src/client/index.js';
import { SimulatedNodes } from '../../../src/sim/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

let cluster: Cluster;
let sim: SimulatedNodes;
let tiny: SimulatedNodes;

before(async () => {
  cluster = await startCluster();
  sim = new SimulatedNodes(cluster.client, { count: 3, controlPlaneFirst: true, jobDurationMs: 300, startupMs: 50, nodeLeaseDurationSeconds: 2 });
  // A second set in the same cluster: one node with room for a single pod.
  tiny = new SimulatedNodes(cluster.client, { count: 1, names: ['tiny'], firstIndex: 10, capacity: { pods: '1' } });
  await Promise.all([sim.start(), tiny.start()]);
});

after(async () => {
  await sim?.stop();
  await tiny?.stop();
  await cluster?.stop();
});

const pods = () => cluster.client.resource<Pod>(resources.pods).namespace('default');
const leases = () => cluster.client.resource<Lease>(resources.leases).namespace('kube-node-lease');
const run = (args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath });

function podSpec(name: string, extra: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod {
  return {
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra } as Pod['spec'],
  };
}

async function phaseOf(name: string): Promise<string | undefined> {
  return (await pods().get(name)).status?.phase;
}

test('kubectl get nodes lists the simulated nodes Ready, with roles, version and addresses', { skip: kubectlSkip }, async () => {
  const res = await run(['get', 'nodes']);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.trim().split('\n');
  assert.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
  assert.match(res.stdout, /k8ts-node-1\s+Ready\s+control-plane\s+\S+\s+v1\.32\.0-k8ts/);
  assert.match(res.stdout, /k8ts-node-2\s+Ready\s+<none>\s+\S+\s+v1\.32\.0-k8ts/);
  assert.match(res.stdout, /tiny\s+Ready\s+<none>/);
  const wide = await run(['get', 'nodes', '-o', 'wide']);
  assert.match(wide.stdout, /k8ts-node-3\s+Ready\s+<none>\s+\S+\s+v1\.32\.0-k8ts\s+172\.18\.0\.4\s+<none>\s+k8ts simulated node\s+\S+\s+simulated:\/\/1\.0/);
  const cidrs = await run(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.podCIDR} {end}']);
  assert.equal(cidrs.stdout.trim(), 'k8ts-node-1=10.244.0.0/24 k8ts-node-2=10.244.1.0/24 k8ts-node-3=10.244.2.0/24 tiny=10.244.10.0/24');
});

test('kubectl describe node shows capacity, allocatable and the kubelet conditions', { skip: kubectlSkip }, async () => {
  const res = await run(['describe', 'node', 'k8ts-node-2']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /Ready\s+True\s.*KubeletReady\s+kubelet is posting ready status/);
  assert.match(res.stdout, /MemoryPressure\s+False\s.*KubeletHasSufficientMemory/);
  assert.match(res.stdout, /Capacity:\n\s+cpu:\s+8\n/);
  assert.match(res.stdout, /Allocatable:[\s\S]*pods:\s+110/);
  assert.match(res.stdout, /PodCIDR:\s+10\.244\.1\.0\/24/);
});

test('each node holds a lease in kube-node-lease and renews it', async () => {
  const first = await leases().get('k8ts-node-2');
  assert.equal(first.spec?.holderIdentity, 'k8ts-node-2');
  assert.equal(first.spec?.leaseDurationSeconds, 2);
  assert.equal(first.metadata?.ownerReferences?.[0]?.kind, 'Node');
  await eventually(async () => (await leases().get('k8ts-node-2')).spec?.renewTime !== first.spec?.renewTime, 3000, 100);
});

test('a pod bound at creation goes Pending → Running with an IP from its node', async () => {
  await pods().create(podSpec('web', { nodeName: 'k8ts-node-2' }));
  const seen = new Set<string>();
  const pod = await eventually(async () => {
    const p = await pods().get('web');
    seen.add(p.status?.phase ?? '');
    return p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
  }, 5000, 5);
  assert.ok(seen.has('Pending') || seen.has(''), 'seen Pending first');
  assert.match(pod.status!.podIP!, /^10\.244\.1\.\d+$/);
  assert.equal(pod.status!.hostIP, '172.18.0.3');
  assert.equal(pod.status!.qosClass, 'BestEffort');
  const c = pod.status!.containerStatuses![0];
  assert.equal(c.image, 'docker.io/library/nginx:1.27');
  assert.match(c.containerID!, /^simulated:\/\//);
  assert.deepEqual(
    pod.status!.conditions!.map((x) => x.type),
    ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'],
  );
});

test('a pod bound through pods/binding runs; kubectl shows it Running with IP and node', { skip: kubectlSkip }, async () => {
  // A scheduler name nobody serves keeps the cluster's scheduler off it: this test binds by hand.
  await pods().create(podSpec('bound', { schedulerName: 'by-hand' }));
  await pods().createSubresource('bound', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { kind: 'Node', name: 'k8ts-node-3' } });
  await eventually(async () => (await phaseOf('bound')) === 'Running', 5000, 20);
  const res = await run(['get', 'pod', 'bound', '-o', 'wide']);
  assert.match(res.stdout, /bound\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.2\.\d+\s+k8ts-node-3/);
});

test('pods on one node get distinct IPs', async () => {
  for (const name of ['ip-a', 'ip-b', 'ip-c']) await pods().create(podSpec(name, { nodeName: 'k8ts-node-1' }));
  const ips = await eventually(async () => {
    const all = await Promise.all(['ip-a', 'ip-b', 'ip-c'].map((n) => pods().get(n)));
    return all.every((p) => p.status?.podIP) ? all.map((p) => p.status!.podIP!) : undefined;
  });
  assert.equal(new Set(ips).size, 3);
  assert.ok(ips.every((ip) => ip.startsWith('10.244.0.')));
});

test('a job-like pod completes; kubectl shows Completed', { skip: kubectlSkip }, async () => {
  await pods().create(podSpec('once', { nodeName: 'k8ts-node-2', restartPolicy: 'Never' }));
  await eventually(async () => (await phaseOf('once')) === 'Succeeded', 5000, 20);
  const pod = await pods().get('once');
  assert.equal(pod.status!.containerStatuses![0].state!.terminated!.reason, 'Completed');
  const res = await run(['get', 'pod', 'once']);
  assert.match(res.stdout, /once\s+0\/1\s+Completed\s+0/);
});

test('the exit-code annotation makes the pod fail; kubectl shows Error', { skip: kubectlSkip }, async () => {
  await pods().create(podSpec('broken', { nodeName: 'k8ts-node-2', restartPolicy: 'Never' }, { 'k8ts.io/simulate-exit-code': '3' }));
  await eventually(async () => (await phaseOf('broken')) === 'Failed', 5000, 20);
  const pod = await pods().get('broken');
  assert.equal(pod.status!.containerStatuses![0].state!.terminated!.exitCode, 3);
  const res = await run(['get', 'pod', 'broken']);
  assert.match(res.stdout, /broken\s+0\/1\s+Error\s+0/);
});

test('kubectl delete stops the pod gracefully and the kubelet removes it', { skip: kubectlSkip }, async () => {
  await pods().create(podSpec('doomed', { nodeName: 'k8ts-node-3' }));
  await eventually(async () => (await phaseOf('doomed')) === 'Running', 5000, 20);
  const res = await run(['delete', 'pod', 'doomed', '--timeout=10s']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /pod "doomed" deleted/);
  await assert.rejects(pods().get('doomed'), (err) => isNotFound(err));
});

test('the kubelet records container events', async () => {
  const events = cluster.client.resource<Event>(resources.events).namespace('default');
  const found = await eventually(async () => {
    const list = await events.list({ fieldSelector: 'involvedObject.name=web' });
    const reasons = list.items.map((e) => e.reason);
    return ['Pulled', 'Created', 'Started'].every((r) => reasons.includes(r)) ? list.items : undefined;
  });
  const started = found.find((e) => e.reason === 'Started')!;
  assert.equal(started.message, 'Started container app');
  assert.equal(started.source?.component, 'kubelet');
  assert.equal(started.source?.host, 'k8ts-node-2');
  assert.equal(started.involvedObject.fieldPath, 'spec.containers{app}');
});

test('a full node rejects another pod with OutOfpods', async () => {
  await pods().create(podSpec('first', { nodeName: 'tiny' }));
  await eventually(async () => (await phaseOf('first')) === 'Running', 5000, 20);
  await pods().create(podSpec('second', { nodeName: 'tiny' }));
  const pod = await eventually(async () => {
    const p = await pods().get('second');
    return p.status?.phase === 'Failed' ? p : undefined;
  });
  assert.equal(pod.status!.reason, 'OutOfpods');
  assert.equal(pod.status!.message, "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1");
});

test('stopped heartbeats leave the lease stale until they resume', async () => {
  sim.stopHeartbeats('k8ts-node-3');
  // Let a renewal that was in flight land.
  await new Promise((r) => setTimeout(r, 200));
  const frozen = (await leases().get('k8ts-node-3')).spec!.renewTime;
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal((await leases().get('k8ts-node-3')).spec!.renewTime, frozen, 'no renewal while stopped');
  // Meanwhile the node's pods are not looked after: a deletion waits.
  await pods().create(podSpec('orphan', { nodeName: 'k8ts-node-3' }));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await pods().get('orphan')).status?.phase, 'Pending');
  // The node lifecycle controller would mark the silent node Unknown.
  const nodes = cluster.client.resource<Node>(resources.nodes);
  const conditions = (await nodes.get('k8ts-node-3')).status!.conditions!;
  const unknown = conditions.map((c) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }));
  await nodes.patch('k8ts-node-3', { status: { conditions: unknown } }, 'strategic', { subresource: 'status' });
  sim.resumeHeartbeats('k8ts-node-3');
  await eventually(async () => (await leases().get('k8ts-node-3')).spec!.renewTime !== frozen, 3000, 50);
  await eventually(async () => (await phaseOf('orphan')) === 'Running', 5000, 20);
  const ready = await eventually(async () => (await nodes.get('k8ts-node-3')).status!.conditions!.find((c) => c.type === 'Ready' && c.status === 'True'));
  assert.equal(ready.reason, 'KubeletReady');
});

test('stopHeartbeats refuses a node of another set', () => {
  assert.throws(() => sim.stopHeartbeats('tiny'), /"tiny" is not a simulated node of this set/);
});
