// Scenario 50: a node whose kubelet stops reporting goes NotReady; once the pods' toleration
// of node.kubernetes.io/unreachable runs out they are evicted and their Deployment recreates
// them on the other nodes, while the DaemonSet's pod stays where it is.
//
// The node monitor grace period is shortened from 40 s (kube-controller-manager's
// --node-monitor-grace-period, as a cluster admin can set it). It must stay longer than the
// simulated kubelet's lease renewal interval (10 s, a quarter of nodeLeaseDurationSeconds), or
// healthy nodes would flap; the pods tolerate the unreachable taint for 2 s instead of 300 s,
// as the books' manifests do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectlSkip } from '../support/kubectl.js';
import { eventually, kubectlFor, tableRows, type Kubectl, type Row } from './support.js';

// The kubelets renew their leases every second (a 4 s lease), so a 5 s grace period is safe and quick.
const LEASE_SECONDS = 4;
const GRACE_PERIOD_MS = 5_000;

let cluster: Cluster;
let k: Kubectl;

before(async () => {
  cluster = await startCluster({ nodes: 3, nodeMonitorGracePeriodMs: GRACE_PERIOD_MS, nodeLeaseDurationSeconds: LEASE_SECONDS });
  k = kubectlFor(cluster.kubeconfigPath);
});

after(async () => {
  await cluster?.stop();
});

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels: {app: web}
      containers:
      - name: app
        image: hello
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: hello
`;

async function podsUntil(check: (rows: Row[]) => boolean, timeoutMs: number): Promise<Row[]> {
  let last: Row[] = [];
  try {
    return await eventually(async () => {
      last = tableRows(await k.ok('get', 'pods', '-o', 'wide'));
      return check(last) ? last : undefined;
    }, timeoutMs, 200);
  } catch {
    assert.fail(`kubectl get pods -o wide never showed what the test waits for:\n${JSON.stringify(last, null, 1)}`);
  }
}

const ofApp = (rows: Row[], app: string) => rows.filter((r) => r.NAME.startsWith(`${app}-`));

test('50: a node that stops reporting goes NotReady, its pods are evicted and recreated elsewhere, DaemonSet pods stay', { skip: kubectlSkip }, async () => {
  assert.equal(await k.apply(manifests), 'deployment.apps/web created\ndaemonset.apps/agent created\n');
  const initial = await podsUntil((r) => r.length === 6 && r.every((p) => p.STATUS === 'Running' && p.READY === '1/1'), 10_000);
  const failing = ofApp(initial, 'web')[0].NODE;
  const webOnNode = ofApp(initial, 'web').filter((r) => r.NODE === failing).map((r) => r.NAME);
  const agentOnNode = ofApp(initial, 'agent').find((r) => r.NODE === failing)!.NAME;

  cluster.nodes!.stopHeartbeats(failing);
  const silentSince = Date.now();
  await eventually(async () => tableRows(await k.ok('get', 'nodes')).find((n) => n.NAME === failing)?.STATUS === 'NotReady', GRACE_PERIOD_MS + 10_000, 250);
  assert.ok(Date.now() - silentSince >= GRACE_PERIOD_MS - 10_500, 'NotReady only after the grace period since the last heartbeat');
  const others = tableRows(await k.ok('get', 'nodes')).filter((n) => n.NAME !== failing);
  assert.deepEqual(others.map((n) => n.STATUS), ['Ready', 'Ready'], 'the nodes still reporting stay Ready');

  const described = await eventually(async () => {
    const out = await k.ok('describe', 'node', failing);
    return /node\.kubernetes\.io\/unreachable:NoSchedule/.test(out) ? out : undefined;
  }, 10_000);
  assert.match(described, /^Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule$/m);
  assert.match(described, /^\s+Ready\s+Unknown\s+.+\s+NodeStatusUnknown\s+Kubelet stopped posting node status\.$/m);
  assert.match(described, /^\s+MemoryPressure\s+Unknown\s+.+\s+NodeStatusUnknown\s+Kubelet stopped posting node status\.$/m);
  assert.match(described, new RegExp(`^\\s+Normal\\s+NodeNotReady\\s+\\S+\\s+node-controller\\s+Node ${failing} status is now: NodeNotReady$`, 'm'));

  // After the 2 s toleration the web pods there are evicted; with the kubelet gone they stay
  // Terminating, and the Deployment's replacements run on the other nodes.
  const evicted = await podsUntil((r) => {
    const web = ofApp(r, 'web');
    const replacements = web.filter((p) => p.STATUS === 'Running' && p.NODE !== failing);
    return replacements.length === 3 && webOnNode.every((name) => web.find((p) => p.NAME === name)?.STATUS === 'Terminating');
  }, 15_000);
  for (const name of webOnNode) {
    const eviction = new RegExp(`Normal\\s+TaintManagerEviction\\s+pod/${name}\\s+Marking for deletion Pod default/${name}$`, 'm');
    await eventually(async () => eviction.test(await k.ok('get', 'events', '--field-selector', `involvedObject.name=${name}`)), 15_000, 100);
  }
  // The DaemonSet's pod is neither evicted nor moved. Its Ready condition goes False, though
  // READY still counts the containers' last reported state, as kubectl prints it upstream.
  const agents = ofApp(evicted, 'agent');
  assert.equal(agents.length, 3);
  const stranded = agents.find((r) => r.NAME === agentOnNode)!;
  assert.deepEqual([stranded.NODE, stranded.READY, stranded.STATUS], [failing, '1/1', 'Running']);
  assert.equal(await k.ok('get', 'pod', agentOnNode, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'), 'False');
  assert.deepEqual(agents.filter((r) => r.NODE !== failing).map((r) => r.STATUS), ['Running', 'Running']);

  // The kubelet comes back: the node is Ready, it finishes deleting the evicted pods.
  cluster.nodes!.resumeHeartbeats(failing);
  await eventually(async () => tableRows(await k.ok('get', 'nodes')).every((n) => n.STATUS === 'Ready'), 15_000, 250);
  const back = await podsUntil((r) => r.length === 6 && r.every((p) => p.STATUS === 'Running' && p.READY === '1/1'), 15_000);
  assert.ok(ofApp(back, 'web').every((r) => !webOnNode.includes(r.NAME)));
  assert.ok(ofApp(back, 'agent').some((r) => r.NAME === agentOnNode && r.NODE === failing));
});
