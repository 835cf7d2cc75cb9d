// The namespace controller: `kubectl delete namespace` of a namespace holding objects of ten
// kinds returns once everything in it is gone; a finalizer that holds an object keeps the
// namespace Terminating, with conditions saying what is left, until it is removed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { namespaceControllerFactory } from '../../../src/controllers/namespace.js';
import { garbageCollectorFactory } from '../../../src/controllers/garbagecollector.js';
import { serviceAccountsControllerFactory } from '../../../src/controllers/serviceaccount.js';
import { endpointsControllerFactory } from '../../../src/controllers/endpoints.js';
import { newReplicaSetController } from '../../../src/controllers/replicaset.js';
import { resources } from '../../../src/client/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;

before(async () => {
  cluster = await startCluster({ nodes: 1, controllers: [] });
  manager = new ControllerManager(
    cluster.client,
    {
      namespace: namespaceControllerFactory,
      garbagecollector: garbageCollectorFactory,
      serviceaccount: serviceAccountsControllerFactory,
      endpoint: endpointsControllerFactory,
      replicaset: newReplicaSetController,
    },
    { log: () => {} },
  );
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const run = (...args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, timeoutMs: 30_000 });
const namespaces = () => cluster.client.resource<Namespace>(resources.namespaces);

const TEN_KINDS = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: doomed}
data: {a: "1"}
---
apiVersion: v1
kind: Secret
metadata: {name: token, namespace: doomed}
stringData: {t: x}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: doomed}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web, namespace: doomed}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: doomed}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: doomed}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: doomed}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: robot, namespace: doomed}]
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: lock, namespace: doomed}
spec: {holderIdentity: me}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: doomed}
spec:
  limits: [{type: Container, default: {cpu: 500m}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: doomed}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`;

test('kubectl delete namespace removes a namespace with objects of ten kinds', { skip: kubectlSkip }, async () => {
  assert.equal((await run('create', 'namespace', 'doomed')).code, 0);
  const applied = await kubectl(['apply', '-f', '-'], { kubeconfig: cluster.kubeconfigPath, input: TEN_KINDS });
  assert.equal(applied.code, 0, applied.stderr);
  await eventually(async () => (await run('get', 'pods', '-n', 'doomed', '-o', 'name')).stdout.trim().split('\n').length === 2, 10_000);
  const phases = new Set<string>();
  const watch = namespaces().watch({ fieldSelector: 'metadata.name=doomed' }, (e) => phases.add(e.object.status?.phase ?? ''), () => {});
  try {
    const res = await run('delete', 'namespace', 'doomed');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /namespace "doomed" deleted/);
    // kubectl waits for the namespace to be gone.
    const gone = await run('get', 'namespace', 'doomed');
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /namespaces "doomed" not found/);
    assert.ok(phases.has('Terminating'), 'the namespace was Terminating while its content went');
  } finally {
    watch.stop();
  }
  for (const kind of ['configmaps', 'secrets', 'services', 'replicasets', 'pods', 'serviceaccounts', 'roles', 'leases', 'jobs']) {
    const left = await run('get', kind, '-n', 'doomed', '-o', 'name');
    assert.equal(left.stdout.trim(), '', `${kind} left in doomed`);
  }
});

test('a finalizer keeps the namespace Terminating with conditions naming what is left', { skip: kubectlSkip }, async () => {
  assert.equal((await run('create', 'namespace', 'held')).code, 0);
  const configMaps = cluster.client.resource<ConfigMap>(resources.configMaps).namespace('held');
  await configMaps.create({ metadata: { name: 'kept', finalizers: ['example.com/hold'] } });
  const res = await run('delete', 'namespace', 'held', '--wait=false');
  assert.equal(res.code, 0, res.stderr);
  const ns = await eventually(async () => {
    const n = await namespaces().get('held');
    return n.status?.conditions?.some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True') ? n : undefined;
  }, 10_000);
  assert.equal(ns.status?.phase, 'Terminating');
  const byType = new Map(ns.status!.conditions!.map((c) => [c.type, c]));
  assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
  assert.equal(byType.get('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
  assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some finalizers are remaining: example.com/hold in 1 resource instances');
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.status, 'False');
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
  assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
  const listed = await run('get', 'namespace', 'held');
  assert.match(listed.stdout, /^held\s+Terminating\s/m);
  // Nothing new may be made in it meanwhile.
  const refused = await run('create', 'configmap', 'late', '-n', 'held');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /because it is being terminated/);

  const patched = await run('patch', 'configmap', 'kept', '-n', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
  assert.equal(patched.code, 0, patched.stderr);
  await eventually(async () => (await namespaces().list({ fieldSelector: 'metadata.name=held' })).items.length === 0, 15_000);
});

test('the finalize subresource takes only finalizer names upstream accepts', async () => {
  await namespaces().create({ metadata: { name: 'fin' } });
  await assert.rejects(
    namespaces().updateSubresource('fin', 'finalize', { metadata: { name: 'fin' }, spec: { finalizers: ['kubernetes', 'custom'] } }),
    /spec\.finalizers\[1\]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified/,
  );
  const updated = await namespaces().updateSubresource<Namespace>('fin', 'finalize', { metadata: { name: 'fin' }, spec: { finalizers: ['example.com/mine'] }, status: { phase: 'Terminating' } });
  assert.deepEqual(updated.spec?.finalizers, ['example.com/mine']);
  assert.equal(updated.status?.phase, 'Active');
});
