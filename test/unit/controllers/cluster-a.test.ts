// Pure logic of the cluster controllers: namespace deletion conditions, Endpoints subset
// packing, taint toleration, the taints a node's conditions call for, and trigger times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, NamespaceStatus } from 'kubernetes-types/core/v1.js';
import { namespaceConditions, updateNamespaceConditions } from '../../../src/controllers/namespace.js';
import { repackSubsets } from '../../../src/controllers/endpoints.js';
import { wantedTaints } from '../../../src/controllers/nodelifecycle.js';
import { minTolerationMs, usedTolerations } from '../../../src/controllers/util/taints.js';
import { rfc3339Nano } from '../../../src/controllers/util/endpoints.js';
import { identityString } from '../../../src/controllers/garbagecollector.js';

test('namespace conditions: remaining content and finalizers, sorted, with upstream wording', () => {
  const failures = namespaceConditions(
    [],
    {
      remaining: new Map([
        ['pods.', 2],
        ['widgets.example.com', 1],
      ]),
      finalizers: new Map([['example.com/hold', 3]]),
    },
    ['b failed', 'a failed'],
  );
  const status: NamespaceStatus = { phase: 'Terminating' };
  assert.equal(updateNamespaceConditions(status, failures, '2024-01-01T00:00:00Z'), true);
  const byType = new Map(status.conditions!.map((c) => [c.type, c]));
  assert.deepEqual(status.conditions!.map((c) => c.type), [
    'NamespaceDeletionDiscoveryFailure',
    'NamespaceDeletionGroupVersionParsingFailure',
    'NamespaceDeletionContentFailure',
    'NamespaceContentRemaining',
    'NamespaceFinalizersRemaining',
  ]);
  assert.equal(byType.get('NamespaceContentRemaining')!.message, 'Some resources are remaining: pods. has 2 resource instances, widgets.example.com has 1 resource instances');
  assert.equal(byType.get('NamespaceFinalizersRemaining')!.message, 'Some finalizers are remaining: example.com/hold in 3 resource instances');
  assert.equal(byType.get('NamespaceDeletionContentFailure')!.message, 'Failed to delete all resource types, 2 remaining: a failed, b failed');
  assert.deepEqual(
    [byType.get('NamespaceDeletionDiscoveryFailure')!.status, byType.get('NamespaceDeletionDiscoveryFailure')!.message],
    ['False', 'All resources successfully discovered'],
  );
  // The same failures again change nothing; all cleared flips each to its "all is well" form.
  assert.equal(updateNamespaceConditions(status, failures, '2024-01-01T00:01:00Z'), false);
  assert.equal(updateNamespaceConditions(status, [], '2024-01-01T00:02:00Z'), true);
  const content = status.conditions!.find((c) => c.type === 'NamespaceContentRemaining')!;
  assert.deepEqual([content.status, content.reason, content.message, content.lastTransitionTime], ['False', 'ContentRemoved', 'All content successfully removed', '2024-01-01T00:02:00Z']);
});

test('repackSubsets groups addresses by their ports and sorts them', () => {
  const http = { name: 'http', port: 8080, protocol: 'TCP' };
  const alt = { name: 'http', port: 8081, protocol: 'TCP' };
  const subsets = repackSubsets([
    { address: { ip: '10.0.0.9' }, ready: true, ports: [http] },
    { address: { ip: '10.0.0.2' }, ready: true, ports: [http] },
    { address: { ip: '10.0.0.5' }, ready: false, ports: [http] },
    { address: { ip: '10.0.0.3' }, ready: true, ports: [alt] },
  ]);
  assert.deepEqual(subsets, [
    { addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.9' }], notReadyAddresses: [{ ip: '10.0.0.5' }], ports: [http] },
    { addresses: [{ ip: '10.0.0.3' }], ports: [alt] },
  ]);
});

test('tolerations: every NoExecute taint must be tolerated; the shortest tolerationSeconds wins', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
  const tolerations = [
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    { operator: 'Exists', tolerationSeconds: 5 },
  ];
  assert.equal(minTolerationMs(usedTolerations(tolerations, [unreachable, notReady])!), 5000);
  assert.equal(usedTolerations([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], [unreachable, notReady]), undefined);
  assert.equal(usedTolerations([{ key: 'other', operator: 'Equal', value: 'x' }], [unreachable]), undefined);
  assert.equal(minTolerationMs(usedTolerations([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], [unreachable])!), undefined);
});

test('node taints follow Ready, pressure conditions and cordoning', () => {
  const node = (ready: string, extra: Partial<Node> = {}): Node => ({
    metadata: { name: 'n' },
    spec: extra.spec,
    status: { conditions: [{ type: 'Ready', status: ready }, { type: 'DiskPressure', status: 'True' }] },
  });
  const keys = (n: Node, noExecute = true) => wantedTaints(n, noExecute, 0).map((t) => `${t.key}:${t.effect}`);
  assert.deepEqual(keys(node('True')), ['node.kubernetes.io/disk-pressure:NoSchedule']);
  assert.deepEqual(keys(node('Unknown')), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  assert.deepEqual(keys(node('False', { spec: { unschedulable: true } }), false), [
    'node.kubernetes.io/not-ready:NoSchedule',
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  assert.equal(wantedTaints(node('False'), true, Date.UTC(2024, 0, 1)).at(-1)!.timeAdded, '2024-01-01T00:00:00Z');
});

test('trigger times print as RFC 3339 with trimmed fractions; GC identities as upstream', () => {
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 120)), '2024-01-02T03:04:05.12Z');
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02T03:04:05Z');
  assert.equal(identityString({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', namespace: 'default' }), '[apps/v1/ReplicaSet, namespace: default, name: web, uid: u1]');
});
