// The service account controller: `default` in every active namespace, put back when deleted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { serviceAccountsControllerFactory } from '../../../src/controllers/serviceaccount.js';
import { resources } from '../../../src/client/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;

before(async () => {
  cluster = await startCluster({ controllers: [] });
  manager = new ControllerManager(cluster.client, { serviceaccount: serviceAccountsControllerFactory }, { log: () => {} });
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const run = (...args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath });

test('every namespace, old and new, gets the default ServiceAccount', { skip: kubectlSkip }, async () => {
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await eventually(async () => (await run('get', 'serviceaccount', 'default', '-n', ns)).code === 0, 15_000);
  }
  assert.equal((await run('create', 'namespace', 'team-a')).code, 0);
  await eventually(async () => (await run('get', 'serviceaccounts', '-n', 'team-a')).stdout.match(/^default\s+0\s+\S+$/m), 15_000);
});

test('a deleted default ServiceAccount is recreated with a new uid', { skip: kubectlSkip }, async () => {
  const sas = cluster.client.resource<ServiceAccount>(resources.serviceAccounts).namespace('default');
  const before = await eventually(() => sas.get('default'), 15_000);
  const res = await run('delete', 'serviceaccount', 'default');
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /serviceaccount "default" deleted/);
  const after = await eventually(async () => {
    const sa = await sas.get('default').catch(() => undefined);
    return sa && sa.metadata?.uid !== before.metadata?.uid ? sa : undefined;
  }, 15_000);
  assert.equal(after.metadata?.name, 'default');
});
