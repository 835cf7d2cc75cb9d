// PersistentVolumes and claims end to end: static binding to the smallest fitting volume,
// claims pending until a volume fits, reclaim policies, the protection finalizers, and dynamic
// provisioning of local-path volumes for WaitForFirstConsumer claims once a pod is scheduled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound, resources } from '../../../src/client/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';
import { startClusterB, type ClusterB } from '../../support/cluster-b.js';

let cluster: ClusterB;

before(async () => {
  cluster = await startClusterB({ nodes: 3 });
});

after(async () => {
  await cluster?.stop();
});

const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });
const pvs = () => cluster.client.resource<PersistentVolume>(resources.persistentVolumes);
const pvcs = (ns: string) => cluster.client.resource<PersistentVolumeClaim>(resources.persistentVolumeClaims).namespace(ns);
const pods = (ns: string) => cluster.client.resource<Pod>(resources.pods).namespace(ns);

function volume(name: string, size: string, className: string, reclaim = 'Retain'): string {
  return [
    'apiVersion: v1',
    'kind: PersistentVolume',
    `metadata: {name: ${name}}`,
    'spec:',
    `  capacity: {storage: ${size}}`,
    '  accessModes: [ReadWriteOnce]',
    `  storageClassName: ${className}`,
    `  persistentVolumeReclaimPolicy: ${reclaim}`,
    `  hostPath: {path: /tmp/${name}}`,
  ].join('\n');
}

function claim(name: string, size: string, className?: string): string {
  return [
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    `metadata: {name: ${name}}`,
    'spec:',
    '  accessModes: [ReadWriteOnce]',
    `  resources: {requests: {storage: ${size}}}`,
    ...(className !== undefined ? [`  storageClassName: "${className}"`] : []),
  ].join('\n');
}

async function events(ns: string, name: string): Promise<string[]> {
  const list = await cluster.client.resource<Event>(resources.events).namespace(ns).list();
  return list.items.filter((e) => e.involvedObject.name === name).map((e) => `${e.type} ${e.reason} ${e.message}`);
}

async function gone(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get();
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

test('a claim binds to the smallest fitting volume; Retain leaves it Released', { skip: kubectlSkip }, async () => {
  await cluster.namespace('static');
  const applied = await run(['apply', '-f', '-'], [volume('pv-small', '1Gi', 'manual'), volume('pv-big', '5Gi', 'manual'), volume('pv-tiny', '100Mi', 'manual')].join('\n---\n'));
  assert.equal(applied.code, 0, applied.stderr);
  await eventually(async () => (await pvs().get('pv-small')).status?.phase === 'Available', 15_000);
  await run(['apply', '-n', 'static', '-f', '-'], claim('data', '500Mi', 'manual'));
  const bound = await eventually(async () => {
    const c = await pvcs('static').get('data');
    return c.status?.phase === 'Bound' ? c : undefined;
  }, 15_000);
  assert.equal(bound.spec?.volumeName, 'pv-small');
  assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.deepEqual(bound.status?.capacity, { storage: '1Gi' });
  const pv = await eventually(async () => {
    const v = await pvs().get('pv-small');
    return v.status?.phase === 'Bound' ? v : undefined;
  }, 15_000);
  assert.equal(pv.spec?.claimRef?.name, 'data');
  assert.equal(pv.spec?.claimRef?.uid, bound.metadata?.uid);
  assert.deepEqual(pv.metadata?.finalizers, ['kubernetes.io/pv-protection']);
  const got = await run(['get', 'pvc', 'data', '-n', 'static', '--no-headers']);
  assert.match(got.stdout, /^data\s+Bound\s+pv-small\s+1Gi\s+RWO\s+manual\s+/);

  await run(['delete', 'pvc', 'data', '-n', 'static', '--wait=true', '--timeout=10s']);
  await eventually(async () => (await pvs().get('pv-small')).status?.phase === 'Released', 15_000);
  const pvLine = await run(['get', 'pv', 'pv-small', '--no-headers']);
  assert.match(pvLine.stdout, /^pv-small\s+1Gi\s+RWO\s+Retain\s+Released\s+static\/data\s+manual\s+/);
});

test('a claim stays Pending until a volume fits; Delete removes the volume with its claim', { skip: kubectlSkip }, async () => {
  await cluster.namespace('pending');
  await run(['apply', '-n', 'pending', '-f', '-'], claim('huge', '20Gi', ''));
  await eventually(async () => (await events('pending', 'huge')).includes('Normal FailedBinding no persistent volumes available for this claim and no storage class is set'), 15_000);
  assert.equal((await pvcs('pending').get('huge')).status?.phase, 'Pending');
  await run(['apply', '-f', '-'], volume('pv-huge', '20Gi', '', 'Delete'));
  await eventually(async () => (await pvcs('pending').get('huge')).status?.phase === 'Bound', 15_000);
  await pvcs('pending').delete('huge');
  await eventually(() => gone(() => pvs().get('pv-huge')), 15_000);
});

test('Delete on a volume no deleter handles: Failed with the reason, the volume kept', { skip: kubectlSkip }, async () => {
  await cluster.namespace('no-deleter');
  await run(['apply', '-f', '-'], volume('pv-data', '3Gi', 'manual', 'Delete').replace('path: /tmp/pv-data', 'path: /data/pv-data'));
  await run(['apply', '-n', 'no-deleter', '-f', '-'], claim('data', '3Gi', 'manual'));
  await eventually(async () => (await pvcs('no-deleter').get('data')).status?.phase === 'Bound', 15_000);
  await pvcs('no-deleter').delete('data');
  const message = 'failed to create deleter for volume "pv-data": host_path deleter only supports /tmp/.+ but received provided /data/pv-data';
  const failed = await eventually(async () => {
    const pv = await pvs().get('pv-data');
    return pv.status?.phase === 'Failed' && pv;
  }, 15_000);
  assert.equal(failed.status?.message, message);
  await eventually(async () => (await events('', 'pv-data')).includes(`Warning VolumeFailedDelete ${message}`), 15_000);
  await pvs().delete('pv-data');
});

test('WaitForFirstConsumer: a local-path volume is provisioned on the pod node, protected while the pod uses it', { skip: kubectlSkip }, async () => {
  await cluster.namespace('dynamic');
  await run(['apply', '-n', 'dynamic', '-f', '-'], claim('cache', '2Gi'));
  const pending = await pvcs('dynamic').get('cache');
  assert.equal(pending.spec?.storageClassName, 'local-path');
  await eventually(async () => (await events('dynamic', 'cache')).includes('Normal WaitForFirstConsumer waiting for first consumer to be created before binding'), 15_000);
  assert.equal((await pvcs('dynamic').get('cache')).status?.phase, 'Pending');

  await run(['apply', '-n', 'dynamic', '-f', '-'], [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: user}',
    'spec:',
    '  containers: [{name: app, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]',
    '  volumes: [{name: data, persistentVolumeClaim: {claimName: cache}}]',
  ].join('\n'));
  const running = await eventually(async () => {
    const p = await pods('dynamic').get('user');
    return p.status?.phase === 'Running' ? p : undefined;
  }, 10_000);
  const node = running.spec!.nodeName!;
  const bound = await pvcs('dynamic').get('cache');
  assert.equal(bound.status?.phase, 'Bound');
  assert.equal(bound.metadata?.annotations?.['volume.kubernetes.io/selected-node'], node);
  assert.equal(bound.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'k8ts.io/local-path');
  const pv = await pvs().get(bound.spec!.volumeName!);
  assert.equal(pv.metadata?.name, `pvc-${bound.metadata?.uid}`);
  assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'k8ts.io/local-path');
  assert.equal(pv.spec?.hostPath?.path, `${cluster.storageDir}/pvc-${bound.metadata?.uid}_dynamic_cache`);
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
  assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }]);
  const evs = await events('dynamic', 'cache');
  assert.ok(evs.includes(`Normal ProvisioningSucceeded Successfully provisioned volume ${pv.metadata?.name}`), evs.join('\n'));

  // In use: the claim waits for the pod, then goes, and its volume with it.
  await pvcs('dynamic').delete('cache');
  const terminating = await run(['get', 'pvc', 'cache', '-n', 'dynamic', '--no-headers']);
  assert.match(terminating.stdout, /^cache\s+Terminating\s+/);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual((await pvcs('dynamic').get('cache')).metadata?.finalizers, ['kubernetes.io/pvc-protection']);
  await pods('dynamic').delete('user');
  await eventually(() => gone(() => pvcs('dynamic').get('cache')), 10_000);
  await eventually(() => gone(() => pvs().get(pv.metadata!.name!)), 15_000);
});
