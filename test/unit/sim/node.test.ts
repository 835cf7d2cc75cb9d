import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_NODE_CAPACITY,
  nodeConditions,
  nodeConditionsCurrent,
  nodeLease,
  nodeResources,
  simulatedNode,
  type SimulatedNodeSpec,
} from '../../../src/sim/node.js';

const T0 = Date.parse('2025-03-01T10:00:00Z');
const spec = (extra: Partial<SimulatedNodeSpec> = {}): SimulatedNodeSpec => ({
  name: 'k8ts-node-1',
  internalIP: '172.18.0.2',
  podCIDR: '10.244.0.0/24',
  controlPlane: false,
  taintControlPlane: false,
  capacity: DEFAULT_NODE_CAPACITY,
  ...extra,
});

test('capacity is reported in the kubelet’s units; allocatable leaves the eviction reserves aside', () => {
  const { capacity, allocatable } = nodeResources(DEFAULT_NODE_CAPACITY);
  assert.deepEqual(capacity, { cpu: '8', 'ephemeral-storage': '104857600Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '33554432Ki', pods: '110' });
  assert.equal(allocatable.memory, `${33554432 - 102400}Ki`);
  assert.equal(allocatable['ephemeral-storage'], String(Math.floor(100 * 1024 ** 3 * 0.9)));
  assert.equal(allocatable.pods, '110');
  assert.equal(allocatable.cpu, '8');
});

test('a registered node carries labels, pod CIDR, addresses, system info and Ready conditions', () => {
  const node = simulatedNode(spec(), T0);
  assert.deepEqual(node.metadata!.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'k8ts-node-1',
    'kubernetes.io/os': 'linux',
  });
  assert.deepEqual(node.spec, { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
  assert.deepEqual(node.status!.addresses, [
    { type: 'InternalIP', address: '172.18.0.2' },
    { type: 'Hostname', address: 'k8ts-node-1' },
  ]);
  assert.deepEqual(node.status!.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  const info = node.status!.nodeInfo!;
  assert.equal(info.kubeletVersion, 'v1.32.0-k8ts');
  assert.equal(info.containerRuntimeVersion, 'simulated://1.0');
  assert.equal(info.operatingSystem, 'linux');
  assert.equal(info.architecture, 'amd64');
  assert.match(info.systemUUID, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(info.machineID, simulatedNode(spec(), T0 + 5).status!.nodeInfo!.machineID, 'stable per name');
  assert.notEqual(info.machineID, simulatedNode(spec({ name: 'k8ts-node-2' }), T0).status!.nodeInfo!.machineID);
  assert.deepEqual(
    node.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ],
  );
  assert.ok(node.status!.conditions!.every((c) => c.lastHeartbeatTime === '2025-03-01T10:00:00Z'));
});

test('the control-plane node is labelled, and tainted only when asked', () => {
  const cp = simulatedNode(spec({ controlPlane: true }), T0);
  assert.equal(cp.metadata!.labels!['node-role.kubernetes.io/control-plane'], '');
  assert.equal(cp.spec!.taints, undefined);
  const tainted = simulatedNode(spec({ controlPlane: true, taintControlPlane: true }), T0);
  assert.deepEqual(tainted.spec!.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  assert.equal(simulatedNode(spec({ taintControlPlane: true }), T0).spec!.taints, undefined, 'workers are never tainted');
});

test('a heartbeat keeps transition times; a condition that changed gets a new one', () => {
  const first = nodeConditions(T0);
  const again = nodeConditions(T0 + 60_000, first);
  assert.ok(again.every((c) => c.lastHeartbeatTime === '2025-03-01T10:01:00Z'));
  assert.ok(again.every((c) => c.lastTransitionTime === '2025-03-01T10:00:00Z'));
  assert.equal(nodeConditionsCurrent(again), true);
  // The node lifecycle controller marks a silent node Unknown.
  const unknown = again.map((c) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }));
  assert.equal(nodeConditionsCurrent(unknown), false);
  assert.equal(nodeConditionsCurrent(undefined), false);
  const back = nodeConditions(T0 + 120_000, unknown);
  assert.ok(back.every((c) => c.lastTransitionTime === '2025-03-01T10:02:00Z'));
  assert.equal(nodeConditionsCurrent(back), true);
});

test('the node lease is held by the node, owned by its Node, 40 s long', () => {
  const lease = nodeLease('k8ts-node-1', 'uid-7', T0 + 0.5);
  assert.deepEqual(lease, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'k8ts-node-1', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'k8ts-node-1', uid: 'uid-7' }] },
    spec: { holderIdentity: 'k8ts-node-1', leaseDurationSeconds: 40, renewTime: '2025-03-01T10:00:00.000500Z' },
  });
});
