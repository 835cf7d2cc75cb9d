// Scenario 46, on the one-node cluster the books use (minikube): requests and limits decide
// a pod's QoS class, and a pod whose requests fit no node stays Pending with a
// FailedScheduling event.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectlSkip } from '../support/kubectl.js';
import { eventually, kubectlFor, lineMatching, literal, tableRows, type Kubectl } from './support.js';

let cluster: Cluster;
let k: Kubectl;

before(async () => {
  cluster = await startCluster({ nodes: 1 });
  k = kubectlFor(cluster.kubeconfigPath);
});

after(async () => {
  await cluster?.stop();
});

const qosPods = `
apiVersion: v1
kind: Pod
metadata:
  name: qos-guaranteed
spec:
  containers:
  - name: app
    image: hello
    resources:
      requests: {cpu: 200m, memory: 64Mi}
      limits: {cpu: 200m, memory: 64Mi}
---
# Limits alone: the requests default to them, so this one is Guaranteed too.
apiVersion: v1
kind: Pod
metadata:
  name: qos-limits-only
spec:
  containers:
  - name: app
    image: hello
    resources:
      limits: {cpu: 100m, memory: 32Mi}
---
apiVersion: v1
kind: Pod
metadata:
  name: qos-burstable
spec:
  containers:
  - name: app
    image: hello
    resources:
      requests: {cpu: 100m, memory: 32Mi}
      limits: {memory: 128Mi}
---
apiVersion: v1
kind: Pod
metadata:
  name: qos-besteffort
spec:
  containers:
  - name: app
    image: hello
`;

test('46: requests and limits give the QoS class Guaranteed, Burstable or BestEffort', { skip: kubectlSkip }, async () => {
  assert.equal(
    await k.apply(qosPods),
    'pod/qos-guaranteed created\npod/qos-limits-only created\npod/qos-burstable created\npod/qos-besteffort created\n',
  );
  const classes = tableRows(await k.ok('get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,QOS:.status.qosClass'));
  assert.deepEqual(
    Object.fromEntries(classes.map((r) => [r.NAME, r.QOS])),
    { 'qos-besteffort': 'BestEffort', 'qos-burstable': 'Burstable', 'qos-guaranteed': 'Guaranteed', 'qos-limits-only': 'Guaranteed' },
  );
  const described = await k.ok('describe', 'pod', 'qos-limits-only');
  assert.match(described, /^QoS Class:\s+Guaranteed$/m);
  // The requests the API server defaulted from the limits, as describe shows them.
  assert.match(described, /Limits:\n\s+cpu:\s+100m\n\s+memory:\s+32Mi\n\s+Requests:\n\s+cpu:\s+100m\n\s+memory:\s+32Mi\n/);
  assert.match(await k.ok('describe', 'pod', 'qos-besteffort'), /^QoS Class:\s+BestEffort$/m);
  await eventually(async () => tableRows(await k.ok('get', 'pods')).every((r) => r.STATUS === 'Running'), 10_000);
  // That a memory limit is enforced (the container is OOMKilled) needs real containers, i.e. the
  // containerd runtime: simulated nodes run no processes, so that sentence is not checked here.
});

test('46: a pod whose CPU request fits no node stays Pending with a FailedScheduling event', { skip: kubectlSkip }, async () => {
  assert.equal(
    await k.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: too-big
spec:
  containers:
  - name: app
    image: hello
    resources:
      requests: {cpu: "64", memory: 64Mi}
`),
    'pod/too-big created\n',
  );
  const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
  const described = await eventually(async () => {
    const out = await k.ok('describe', 'pod', 'too-big');
    return lineMatching(out, /FailedScheduling/) ? out : undefined;
  }, 10_000);
  assert.match(described, /^Status:\s+Pending$/m);
  assert.match(described, /^Node:\s+<none>$/m);
  assert.match(described, new RegExp(`^  Warning\\s+FailedScheduling\\s+\\S+\\s+default-scheduler\\s+${literal(message)}$`, 'm'));
  const [row] = tableRows(await k.ok('get', 'pod', 'too-big', '-o', 'wide'));
  assert.equal(row.STATUS, 'Pending');
  assert.equal(row.NODE, '<none>');
  // Smaller requests fit once the pod is recreated with them.
  await k.ok('delete', 'pod', 'too-big');
  await k.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: too-big
spec:
  containers:
  - name: app
    image: hello
    resources:
      requests: {cpu: "1", memory: 64Mi}
`);
  await eventually(async () => tableRows(await k.ok('get', 'pod', 'too-big'))[0]?.STATUS === 'Running', 10_000);
});
