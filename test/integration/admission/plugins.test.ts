// The admission plugins of issue 6 part 2 as a user meets them: through kubectl and the client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { PersistentVolumeClaim, Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { isForbidden, resources, StatusError } from '../../../src/client/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually, manifestDir } from '../../support/cluster.js';
import { startClusterB, type ClusterB } from '../../support/cluster-b.js';

let cluster: ClusterB;
const manifests = manifestDir();

before(async () => {
  cluster = await startClusterB();
});

after(async () => {
  await cluster?.stop();
  manifests.remove();
});

const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });
const pods = (ns: string) => cluster.client.resource<Pod>(resources.pods).namespace(ns);

function pod(name: string, resources?: Record<string, Record<string, string>>, extra: Partial<Pod['spec']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', ...(resources ? { resources } : {}) }], ...extra } as Pod['spec'] };
}

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof StatusError, `expected a StatusError, got ${String(err)}`);
  return err;
}

test('LimitRanger defaults requests and limits and says so in the annotation', { skip: kubectlSkip }, async () => {
  await cluster.namespace('lr-defaults');
  await run(['apply', '-n', 'lr-defaults', '-f', '-'], [
    'apiVersion: v1',
    'kind: LimitRange',
    'metadata: {name: defaults}',
    'spec:',
    '  limits:',
    '  - type: Container',
    '    default: {cpu: 500m, memory: 128Mi}',
    '    defaultRequest: {cpu: 100m}',
  ].join('\n'));
  const created = await pods('lr-defaults').create(pod('web', { requests: { memory: '64Mi' } }));
  const c = created.spec!.containers[0];
  assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } });
  assert.equal(created.metadata!.annotations!['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container c; cpu, memory limit for container c');
});

test('LimitRanger refuses containers below the minimum with upstream message', { skip: kubectlSkip }, async () => {
  await cluster.namespace('lr-min');
  await run(['apply', '-n', 'lr-min', '-f', '-'], [
    'apiVersion: v1',
    'kind: LimitRange',
    'metadata: {name: bounds}',
    'spec:',
    '  limits:',
    '  - type: Container',
    '    min: {memory: 10Mi}',
    '    max: {memory: 1Gi}',
  ].join('\n'));
  writeFileSync(manifests.path('small.yaml'), JSON.stringify(pod('small', { requests: { memory: '5Mi' }, limits: { memory: '5Mi' } })));
  const res = await run(['create', '-n', 'lr-min', '-f', manifests.path('small.yaml')]);
  assert.equal(res.code, 1);
  assert.equal(
    res.stderr.trim(),
    `Error from server (Forbidden): error when creating "${manifests.path('small.yaml')}": pods "small" is forbidden: minimum memory usage per Container is 10Mi, but request is 5Mi`,
  );
  // Two violations are reported together, as upstream's aggregate error prints them.
  const err = await rejection(
    pods('lr-min').create({ ...pod('two'), spec: { containers: [{ name: 'a', image: 'nginx', resources: { requests: { memory: '1Mi' }, limits: { memory: '2Gi' } } }] } }),
  );
  assert.equal(err.status.code, 403);
  assert.equal(err.status.reason, 'Forbidden');
  assert.equal(err.message, 'pods "two" is forbidden: [minimum memory usage per Container is 10Mi, but request is 1Mi, maximum memory usage per Container is 1Gi, but limit is 2Gi]');
});

test('ResourceQuota: usage, the exceeded-quota message, and the must-specify message', { skip: kubectlSkip }, async () => {
  await cluster.namespace('rq');
  await run(['apply', '-n', 'rq', '-f', '-'], [
    'apiVersion: v1',
    'kind: ResourceQuota',
    'metadata: {name: rq}',
    'spec:',
    '  hard: {pods: "2", configmaps: "3"}',
  ].join('\n'));
  const quotas = cluster.client.resource<ResourceQuota>(resources.resourceQuotas).namespace('rq');
  await eventually(async () => (await quotas.get('rq')).status?.used?.pods === '0', 5000);
  await pods('rq').create(pod('a'));
  await pods('rq').create(pod('b'));
  const err = await rejection(pods('rq').create(pod('x')));
  assert.equal(err.status.code, 403);
  assert.equal(err.message, 'pods "x" is forbidden: exceeded quota: rq, requested: pods=1, used: pods=2, limited: pods=2');
  assert.deepEqual((await quotas.get('rq')).status?.used, { configmaps: '0', pods: '2' });
  const described = await run(['describe', 'quota', 'rq', '-n', 'rq']);
  assert.match(described.stdout, /pods\s+2\s+2/);

  // Deleting a pod gives its unit back.
  await pods('rq').delete('a', { gracePeriodSeconds: 0 });
  await eventually(async () => (await quotas.get('rq')).status?.used?.pods === '1', 5000);

  await run(['apply', '-n', 'rq', '-f', '-'], [
    'apiVersion: v1',
    'kind: ResourceQuota',
    'metadata: {name: compute}',
    'spec:',
    '  hard: {limits.cpu: "2", requests.memory: 1Gi}',
  ].join('\n'));
  await eventually(async () => (await quotas.get('compute')).status?.used?.['limits.cpu'] === '0', 5000);
  const missing = await rejection(pods('rq').create(pod('c', { requests: { memory: '10Mi' } })));
  assert.equal(missing.message, 'pods "c" is forbidden: failed quota: compute: must specify limits.cpu for: c');
  const both = await rejection(pods('rq').create(pod('d')));
  assert.equal(both.message, 'pods "d" is forbidden: failed quota: compute: must specify limits.cpu for: c; requests.memory for: c');
});

test('ResourceQuota: concurrent creates cannot both take the last unit', async () => {
  await cluster.namespace('rq-race');
  const quotas = cluster.client.resource<ResourceQuota>(resources.resourceQuotas).namespace('rq-race');
  await quotas.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'cm' }, spec: { hard: { 'count/configmaps': '3' } } });
  await eventually(async () => (await quotas.get('cm')).status?.used?.['count/configmaps'] === '0', 5000);
  const cms = cluster.client.resource(resources.configMaps).namespace('rq-race');
  const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } })));
  const created = results.filter((r) => r.status === 'fulfilled').length;
  assert.equal(created, 3);
  for (const r of results) if (r.status === 'rejected') assert.ok(isForbidden(r.reason), String(r.reason));
  assert.equal((await quotas.get('cm')).status?.used?.['count/configmaps'], '3');
});

test('kubectl create -f: the document over quota fails, the others are created', { skip: kubectlSkip }, async () => {
  await cluster.namespace('rq-multi');
  const quotas = cluster.client.resource<ResourceQuota>(resources.resourceQuotas).namespace('rq-multi');
  await quotas.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'one-pvc' }, spec: { hard: { persistentvolumeclaims: '1', 'requests.storage': '1Gi' } } });
  await eventually(async () => (await quotas.get('one-pvc')).status?.used?.persistentvolumeclaims === '0', 5000);
  const claim = (name: string, size: string) =>
    ['apiVersion: v1', 'kind: PersistentVolumeClaim', `metadata: {name: ${name}}`, 'spec:', '  accessModes: [ReadWriteOnce]', `  resources: {requests: {storage: ${size}}}`].join('\n');
  const file = manifests.path('multi.yaml');
  writeFileSync(file, [claim('first', '500Mi'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}', claim('second', '100Mi')].join('\n---\n'));
  const res = await run(['create', '-n', 'rq-multi', '-f', file]);
  assert.equal(res.code, 1);
  assert.equal(res.stdout, 'persistentvolumeclaim/first created\nconfigmap/settings created\n');
  assert.equal(
    res.stderr.trim(),
    `Error from server (Forbidden): error when creating "${file}": persistentvolumeclaims "second" is forbidden: exceeded quota: one-pvc, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=1, limited: persistentvolumeclaims=1`,
  );
  // The claim got the default class and the protection finalizer on its way in.
  const first = await cluster.client.resource<PersistentVolumeClaim>(resources.persistentVolumeClaims).namespace('rq-multi').get('first');
  assert.equal(first.spec?.storageClassName, 'local-path');
  assert.deepEqual(first.metadata?.finalizers, ['kubernetes.io/pvc-protection']);
});

test('ServiceAccount, Priority and DefaultTolerationSeconds fill in a new pod', async () => {
  await cluster.namespace('pod-defaults');
  const created = await pods('pod-defaults').create(pod('p', undefined, { priorityClassName: 'system-cluster-critical' }));
  assert.equal(created.spec?.serviceAccountName, 'default');
  assert.equal(created.spec?.priority, 2000000000);
  assert.equal(created.spec?.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(created.spec?.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const noClass = await rejection(pods('pod-defaults').create(pod('q', undefined, { priorityClassName: 'gold' })));
  assert.equal(noClass.message, 'pods "q" is forbidden: no PriorityClass with name gold was found');
  const noAccount = await rejection(pods('pod-defaults').create(pod('r', undefined, { serviceAccountName: 'robot' })));
  assert.equal(noAccount.message, 'pods "r" is forbidden: error looking up service account pod-defaults/robot: serviceaccount "robot" not found');
  const pcs = cluster.client.resource(resources.priorityClasses);
  await pcs.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10, globalDefault: true, preemptionPolicy: 'Never' });
  const defaulted = await pods('pod-defaults').create(pod('s'));
  assert.equal(defaulted.spec?.priorityClassName, 'low');
  assert.equal(defaulted.spec?.priority, 10);
  assert.equal(defaulted.spec?.preemptionPolicy, 'Never');
  const second = await rejection(pcs.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 20, globalDefault: true }));
  assert.equal(second.message, 'priorityclasses.scheduling.k8s.io "high" is forbidden: PriorityClass low is already marked as default. Only one default can exist');
  await pcs.delete('low');
});

test('NamespaceLifecycle answers for a missing or terminating namespace before ServiceAccount looks for the account', async () => {
  const missing = await rejection(pods('no-such-namespace').create(pod('p')));
  assert.equal(missing.code, 404);
  assert.equal(missing.message, 'namespaces "no-such-namespace" not found');
  await cluster.namespace('leaving');
  // Without the namespace controller here, the namespace stays Terminating.
  await cluster.client.resource(resources.namespaces).delete('leaving');
  const terminating = await rejection(pods('leaving').create(pod('q', undefined, { serviceAccountName: 'robot' })));
  assert.equal(terminating.code, 403);
  assert.equal(terminating.message, 'pods "q" is forbidden: unable to create new content in namespace leaving because it is being terminated');
});

test('PersistentVolumeClaimResize: only a bound claim of an expandable class grows', async () => {
  await cluster.namespace('resize');
  const classes = cluster.client.resource(resources.storageClasses);
  for (const [name, allowVolumeExpansion] of [['fixed-size', false], ['growable', true]] as const) {
    await classes.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'example.com/none', allowVolumeExpansion });
  }
  const claims = cluster.client.resource<PersistentVolumeClaim>(resources.persistentVolumeClaims).namespace('resize');
  const claim = (name: string, storageClassName: string): PersistentVolumeClaim => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  const grow = (name: string) => claims.patch(name, { spec: { resources: { requests: { storage: '2Gi' } } } }, 'merge');
  const bind = async (name: string) => {
    const current = await claims.get(name);
    await claims.updateStatus({ ...current, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } });
  };
  await claims.create(claim('gold', 'fixed-size'));
  // An unbound claim's spec is immutable: validation refuses before admission is asked.
  const unbound = await rejection(grow('gold'));
  assert.match(unbound.message, /^PersistentVolumeClaim "gold" is invalid: spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims/);
  await bind('gold');
  const fixed = await rejection(grow('gold'));
  assert.equal(fixed.message, 'persistentvolumeclaims "gold" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
  assert.equal((await claims.get('gold')).spec?.resources?.requests?.storage, '1Gi');
  await claims.create(claim('silver', 'growable'));
  await bind('silver');
  assert.equal((await grow('silver')).spec?.resources?.requests?.storage, '2Gi');
  for (const name of ['fixed-size', 'growable']) await classes.delete(name);
});
