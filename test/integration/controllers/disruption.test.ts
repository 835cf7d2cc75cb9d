// PodDisruptionBudgets end to end: the disruption controller's status, the Eviction
// subresource refusing what would break a budget, and `kubectl drain` moving a Deployment's
// pods off a node one budget-allowed eviction at a time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { isNotFound, resources, StatusError } from '../../../src/client/index.js';
import { workloadControllersA } from '../../../src/controllers/index-workloads-a.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';
import { startClusterB, type ClusterB } from '../../support/cluster-b.js';

let cluster: ClusterB;

before(async () => {
  cluster = await startClusterB({ nodes: 3, controllers: workloadControllersA });
});

after(async () => {
  await cluster?.stop();
});

const run = (args: string[], input?: string, timeoutMs?: number) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input, timeoutMs });
const pods = (ns: string) => cluster.client.resource<Pod>(resources.pods).namespace(ns);
const pdbs = (ns: string) => cluster.client.resource<PodDisruptionBudget>(resources.podDisruptionBudgets).namespace(ns);

function budget(name: string, selector: string, spec: string): string {
  return ['apiVersion: policy/v1', 'kind: PodDisruptionBudget', `metadata: {name: ${name}}`, 'spec:', `  ${spec}`, `  selector: {matchLabels: {app: ${selector}}}`].join('\n');
}

function barePod(name: string, app: string): string {
  return ['apiVersion: v1', 'kind: Pod', `metadata: {name: ${name}, labels: {app: ${app}}}`, 'spec:', '  containers: [{name: c, image: nginx}]'].join('\n');
}

async function running(ns: string, name: string): Promise<Pod> {
  return eventually(async () => {
    const p = await pods(ns).get(name);
    return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
  }, 10_000);
}

function evict(ns: string, name: string): Promise<unknown> {
  return pods(ns).createSubresource(name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } });
}

test('budget status and conditions; an eviction that would break the budget is a 429', { skip: kubectlSkip }, async () => {
  await cluster.namespace('budget');
  await run(['apply', '-n', 'budget', '-f', '-'], [barePod('one', 'solo'), barePod('two', 'solo'), budget('solo', 'solo', 'minAvailable: 2')].join('\n---\n'));
  await running('budget', 'one');
  await running('budget', 'two');
  const status = await eventually(async () => {
    const s = (await pdbs('budget').get('solo')).status;
    return s?.currentHealthy === 2 ? s : undefined;
  }, 15_000);
  assert.equal(status.desiredHealthy, 2);
  assert.equal(status.expectedPods, 2);
  assert.equal(status.disruptionsAllowed, 0);
  assert.equal(status.observedGeneration, 1);
  assert.deepEqual(
    status.conditions?.map((c) => [c.type, c.status, c.reason]),
    [['DisruptionAllowed', 'False', 'InsufficientPods']],
  );
  const got = await run(['get', 'pdb', 'solo', '-n', 'budget', '--no-headers']);
  assert.match(got.stdout, /^solo\s+2\s+N\/A\s+0\s+/);

  const err = await evict('budget', 'one').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof StatusError);
  assert.equal(err.status.code, 429);
  assert.equal(err.status.reason, 'TooManyRequests');
  assert.equal(err.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(err.status.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget solo needs 2 healthy pods and has 2 currently' }]);

  // Loosen the budget: one eviction is allowed, recorded, and the pod goes.
  await run(['apply', '-n', 'budget', '-f', '-'], budget('solo', 'solo', 'minAvailable: 1'));
  await eventually(async () => (await pdbs('budget').get('solo')).status?.disruptionsAllowed === 1, 15_000);
  await evict('budget', 'one');
  const after = await pdbs('budget').get('solo');
  assert.equal(after.status?.disruptionsAllowed, 0);
  assert.ok(after.status?.disruptedPods?.one);
  await eventually(async () => pods('budget').get('one').then(() => false, (e: unknown) => isNotFound(e)), 15_000);
  await eventually(async () => {
    const s = (await pdbs('budget').get('solo')).status;
    return s?.currentHealthy === 1 && !s.disruptedPods?.one;
  }, 15_000);
  // Leave no budget-protected bare pod behind on a node the drain test may drain.
  await run(['delete', 'pdb', 'solo', '-n', 'budget']);
  await run(['delete', 'pod', 'two', '-n', 'budget', '--grace-period=0', '--force']);
});

test('kubectl drain evicts within the budget, refusing bare pods without --force', { skip: kubectlSkip }, async () => {
  await cluster.namespace('drain');
  await run(['apply', '-n', 'drain', '-f', '-'], [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  replicas: 3',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec: {containers: [{name: c, image: nginx}]}',
    '---',
    budget('web', 'web', 'maxUnavailable: 1'),
  ].join('\n'));
  await eventually(async () => {
    const s = (await pdbs('drain').get('web')).status;
    return s?.currentHealthy === 3 && s.expectedPods === 3 && s.disruptionsAllowed === 1;
  }, 10_000);
  const list = await pods('drain').list({ labelSelector: 'app=web' });
  // Drain the node with the most of the deployment's pods.
  const perNode = new Map<string, number>();
  for (const p of list.items) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
  const node = [...perNode.entries()].sort((a, b) => b[1] - a[1])[0][0];

  await run(['apply', '-n', 'drain', '-f', '-'], barePod('loner', 'loner').replace('spec:', `spec:\n  nodeName: ${node}`));
  const refused = await run(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=5s']);
  assert.notEqual(refused.code, 0);
  // kubectl lists every bare pod on the node (earlier tests may have left some there too).
  assert.match(refused.stderr, /cannot delete Pods that declare no controller \(use --force to override\): (?:[^,\n]+, )*drain\/loner/);

  const drained = await run(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=60s'], undefined, 70_000);
  assert.equal(drained.code, 0, drained.stderr);
  assert.match(drained.stdout, new RegExp(`node/${node} drained`));
  assert.match(drained.stdout, /evicting pod drain\/web-/);
  const n = await cluster.client.resource<Node>(resources.nodes).get(node);
  assert.equal(n.spec?.unschedulable, true);
  await eventually(async () => {
    const now = await pods('drain').list({ labelSelector: 'app=web' });
    const live = now.items.filter((p) => !p.metadata?.deletionTimestamp);
    return live.length === 3 && live.every((p) => p.spec?.nodeName !== node && p.status?.phase === 'Running');
  }, 15_000);
});
