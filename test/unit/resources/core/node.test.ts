import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { nodes } from '../../../../src/api/resources/core/node.js';

const NOW = Date.parse('2024-05-03T12:00:00Z');

function node(extra: Partial<Node> = {}): Node {
  return {
    metadata: { name: 'node-1', creationTimestamp: '2024-05-01T12:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://1.7.22' } as NonNullable<Node['status']>['nodeInfo'],
    },
    ...extra,
  };
}

test('table: NAME STATUS ROLES AGE VERSION, wide adds addresses and software', () => {
  assert.deepEqual(
    nodes.table!.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`),
    ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*'],
  );
  assert.deepEqual(nodes.table!.cells(node(), NOW), [
    'node-1',
    'Ready',
    'control-plane,edge',
    '2d',
    'v1.32.0',
    '172.18.0.2',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '6.8.0',
    'containerd://1.7.22',
  ]);
});

test('STATUS: NotReady, Unknown without a Ready condition, SchedulingDisabled when cordoned', () => {
  const cell = (n: Node) => nodes.table!.cells(n, NOW)[1];
  assert.equal(cell(node({ status: { conditions: [{ type: 'Ready', status: 'False' }] } })), 'NotReady');
  assert.equal(cell(node({ status: {} })), 'Unknown');
  assert.equal(cell(node({ spec: { unschedulable: true } })), 'Ready,SchedulingDisabled');
  assert.equal(nodes.table!.cells(node({ metadata: { name: 'n' }, status: {} }), NOW)[2], '<none>');
});

test('allocatable defaults to capacity; the spec.unschedulable field selector', () => {
  const n: Node = { metadata: { name: 'n' }, status: { capacity: { cpu: '4', memory: '8Gi' } } };
  nodes.defaults!(n);
  assert.deepEqual(n.status!.allocatable, { cpu: '4', memory: '8Gi' });
  assert.equal(nodes.fieldSelectors!['spec.unschedulable'](n), 'false');
  assert.equal(nodes.fieldSelectors!['spec.unschedulable']({ spec: { unschedulable: true } }), 'true');
});

test('taints are unique per key and effect; pod CIDRs are set once', () => {
  const tainted = node({ spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule', value: 'x' }, { key: 'bad key', effect: 'NoExecute' }] } });
  const errs = nodes.validate!(tainted, {}).map(fieldErrorString);
  assert.match(errs[0], /^metadata\.taints\[1\]: Duplicate value: /);
  assert.match(errs[1], /^metadata\.taints\[2\]\.key: Invalid value: "bad key": name part must consist of alphanumeric characters/);
  const old = node({ spec: { podCIDRs: ['10.244.1.0/24'], providerID: 'p1' } });
  const changed = node({ spec: { podCIDRs: ['10.244.2.0/24'], providerID: 'p2' } });
  assert.deepEqual(nodes.validateUpdate!(changed, old).map(fieldErrorString), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  assert.deepEqual(nodes.validateUpdate!(node({ spec: { podCIDRs: ['10.244.1.0/24'] } }), node()), []);
});

test('a new node keeps the status its kubelet sent; updates of the main resource keep the stored status', () => {
  const n = node();
  nodes.prepareForCreate!(n);
  assert.equal(n.status!.conditions![0].type, 'Ready');
  const update = node({ status: {} });
  nodes.prepareForUpdate!(update, node());
  assert.equal(update.status!.conditions![0].status, 'True');
});
