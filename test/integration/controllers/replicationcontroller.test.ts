import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import { eventually } from '../../support/cluster.js';
import { kubectlSkip } from '../../support/kubectl.js';
import { resources } from '../../../src/client/resource.js';
import { startWorkloadCluster, type WorkloadCluster } from './workloads-a-support.js';

let w: WorkloadCluster;
before(async () => {
  if (!kubectlSkip) w = await startWorkloadCluster();
});
after(async () => {
  await w?.stop();
});

const getRC = (name: string) => w.cluster.client.resource<ReplicationController>(resources.replicationControllers).namespace('default').get(name);

test('a ReplicationController keeps its replicas, heals, scales and reports as replication-controller', { skip: kubectlSkip }, async () => {
  await w.apply(`apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 2
  selector: {app: legacy}
  template:
    metadata:
      labels: {app: legacy}
    spec:
      containers:
      - name: c
        image: nginx
`);
  const rc = await eventually(async () => {
    const r = await getRC('legacy');
    return r.status?.readyReplicas === 2 && r.status.availableReplicas === 2 && r;
  }, 10_000);
  assert.equal(rc.status?.fullyLabeledReplicas, 2);
  assert.equal(rc.status?.observedGeneration, rc.metadata?.generation);
  const pods = await w.livePods('app=legacy');
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.match(p.metadata!.name!, /^legacy-\w{5}$/);
    assert.deepEqual(p.metadata!.ownerReferences?.map((r) => [r.apiVersion, r.kind, r.name, r.controller]), [['v1', 'ReplicationController', 'legacy', true]]);
  }
  const get = await w.kubectl('get', 'rc', 'legacy');
  assert.match(get.stdout, /^legacy\s+2\s+2\s+2\s+/m);

  assert.equal((await w.kubectl('delete', 'pod', pods[0].metadata!.name!, '--wait=false')).code, 0);
  await eventually(async () => {
    const now = await w.livePods('app=legacy');
    return now.length === 2 && !now.some((p) => p.metadata!.name === pods[0].metadata!.name);
  }, 10_000);

  assert.equal((await w.kubectl('scale', 'rc', 'legacy', '--replicas=0')).code, 0);
  await eventually(async () => (await w.livePods('app=legacy')).length === 0 && (await getRC('legacy')).status?.replicas === 0, 10_000);

  const events = await w.cluster.client.resource(resources.events).namespace('default').list({ fieldSelector: 'involvedObject.name=legacy' });
  const lines = events.items.map((e) => `${e.source?.component} ${e.reason} ${e.message}`);
  assert.equal(lines.filter((l) => /^replication-controller SuccessfulCreate Created pod: legacy-\w{5}$/.test(l)).length, 3, lines.join('\n'));
  assert.equal(lines.filter((l) => /^replication-controller SuccessfulDelete Deleted pod: legacy-\w{5}$/.test(l)).length, 2, lines.join('\n'));
});
