// The root CA publisher: kube-root-ca.crt in every namespace holds the cluster CA from the
// admin kubeconfig, and is put back when deleted or changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { rootCACertPublisherFactory, ROOT_CA_DESCRIPTION } from '../../../src/controllers/rootcacertpublisher.js';
import { loadKubeconfig, resources } from '../../../src/client/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;
let caPem: string;

before(async () => {
  cluster = await startCluster({ controllers: [] });
  caPem = String(loadKubeconfig(cluster.kubeconfigPath).ca);
  manager = new ControllerManager(cluster.client, { 'root-ca-certificate-publisher': rootCACertPublisherFactory(caPem) }, { log: () => {} });
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const run = (...args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath });
const configMaps = (ns: string) => cluster.client.resource<ConfigMap>(resources.configMaps).namespace(ns);

test('kube-root-ca.crt holds the cluster CA in every namespace', { skip: kubectlSkip }, async () => {
  assert.match(caPem, /^-----BEGIN CERTIFICATE-----/);
  assert.equal((await run('create', 'namespace', 'ca-team')).code, 0);
  for (const ns of ['default', 'kube-system', 'ca-team']) {
    await eventually(async () => (await run('get', 'configmap', 'kube-root-ca.crt', '-n', ns)).code === 0, 15_000);
  }
  const data = await run('get', 'configmap', 'kube-root-ca.crt', '-n', 'ca-team', '-o', 'jsonpath={.data.ca\\.crt}');
  assert.equal(data.stdout, caPem);
  const cm = await configMaps('ca-team').get('kube-root-ca.crt');
  assert.equal(cm.metadata?.annotations?.['kubernetes.io/description'], ROOT_CA_DESCRIPTION);
});

test('a deleted or edited kube-root-ca.crt is put back', { skip: kubectlSkip }, async () => {
  await eventually(() => configMaps('default').get('kube-root-ca.crt'), 15_000);
  assert.equal((await run('delete', 'configmap', 'kube-root-ca.crt')).code, 0);
  await eventually(async () => (await configMaps('default').get('kube-root-ca.crt').catch(() => undefined))?.data?.['ca.crt'] === caPem, 15_000);
  const patched = await run('patch', 'configmap', 'kube-root-ca.crt', '--type=merge', '-p', '{"data":{"ca.crt":"tampered","extra":"x"}}');
  assert.equal(patched.code, 0, patched.stderr);
  await eventually(async () => {
    const cm = await configMaps('default').get('kube-root-ca.crt');
    return cm.data?.['ca.crt'] === caPem && cm.data?.extra === undefined;
  }, 15_000);
});
