// The endpoints, EndpointSlice and mirroring controllers on simulated nodes: addresses follow
// pod readiness (flipped through pods/status), named target ports resolve per pod, headless
// services carry hostnames, and selector-less services keep hand-made Endpoints, mirrored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Pod } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { endpointsControllerFactory } from '../../../src/controllers/endpoints.js';
import { endpointSliceControllerFactory } from '../../../src/controllers/endpointslice.js';
import { endpointSliceMirroringControllerFactory } from '../../../src/controllers/endpointslicemirroring.js';
import { garbageCollectorFactory } from '../../../src/controllers/garbagecollector.js';
import { resources } from '../../../src/client/index.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

let cluster: Cluster;
let manager: ControllerManager;

before(async () => {
  cluster = await startCluster({ nodes: 2, controllers: [] });
  manager = new ControllerManager(
    cluster.client,
    {
      endpoint: endpointsControllerFactory,
      endpointslice: endpointSliceControllerFactory({ maxEndpointsPerSlice: 3 }),
      'endpointslice-mirroring': endpointSliceMirroringControllerFactory,
      garbagecollector: garbageCollectorFactory,
    },
    { log: () => {} },
  );
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const run = (...args: string[]) => kubectl(args, { kubeconfig: cluster.kubeconfigPath });
const apply = async (yaml: string) => {
  const r = await kubectl(['apply', '-f', '-'], { kubeconfig: cluster.kubeconfigPath, input: yaml });
  assert.equal(r.code, 0, r.stderr);
};
const pods = () => cluster.client.resource<Pod>(resources.pods).namespace('default');
const endpoints = () => cluster.client.resource<Endpoints>(resources.endpoints).namespace('default');
const slices = () => cluster.client.resource<EndpointSlice>(resources.endpointSlices).namespace('default');

function pod(name: string, app: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${app}}}
spec:
  terminationGracePeriodSeconds: 1${extra}
  containers:
  - name: web
    image: nginx
    ports: [{name: http, containerPort: ${name.endsWith('-b') ? 8081 : 8080}}]
---
`;
}

async function runningIPs(selector: string, n: number): Promise<Map<string, string>> {
  return eventually(async () => {
    const list = (await pods().list({ labelSelector: selector })).items;
    const ready = list.filter((p) => p.status?.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === n ? new Map(ready.map((p) => [p.metadata!.name!, p.status!.podIP!])) : undefined;
  }, 10_000);
}

/** Flips the pod's readiness as a kubelet would, in a new second; resolves with the transition time. */
async function setReady(name: string, status: 'True' | 'False'): Promise<string> {
  await new Promise((r) => setTimeout(r, 1010 - (Date.now() % 1000)));
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const copy = structuredClone(await pods().get(name));
  for (const c of copy.status!.conditions!) {
    if (c.type !== 'Ready' && c.type !== 'ContainersReady') continue;
    c.status = status;
    c.lastTransitionTime = at;
  }
  await pods().updateStatus(copy);
  return at;
}

test('endpoints list ready pods with named target ports resolved per pod, and follow readiness flips', { skip: kubectlSkip }, async () => {
  await apply(
    pod('web-a', 'web') +
      pod('web-b', 'web') +
      `apiVersion: v1
kind: Service
metadata: {name: web, labels: {tier: front}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`,
  );
  const ips = await runningIPs('app=web', 2);
  const ep = await eventually(async () => {
    const e = await endpoints().get('web').catch(() => undefined);
    return e?.subsets?.length === 2 ? e : undefined;
  }, 10_000);
  // Each pod serves its own port number for the named port: two subsets.
  const byPort = new Map(ep.subsets!.map((s) => [s.ports![0].port, s.addresses!.map((a) => a.ip)]));
  assert.deepEqual(byPort.get(8080), [ips.get('web-a')]);
  assert.deepEqual(byPort.get(8081), [ips.get('web-b')]);
  assert.equal(ep.subsets![0].ports![0].name, 'http');
  assert.equal(ep.metadata?.labels?.tier, 'front');
  assert.equal(ep.metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'], 'true');
  const a = ep.subsets!.flatMap((s) => s.addresses ?? []).find((x) => x.targetRef?.name === 'web-a')!;
  assert.equal(a.targetRef?.kind, 'Pod');
  assert.match(a.nodeName ?? '', /^k8ts-node-/);

  const flippedAt = await setReady('web-a', 'False');
  const flipped = await eventually(async () => {
    const e = await endpoints().get('web');
    const s = e.subsets?.find((x) => x.ports?.[0].port === 8080);
    return s && s.notReadyAddresses?.[0]?.ip === ips.get('web-a') && !s.addresses ? e : undefined;
  }, 10_000);
  // The change is stamped with when the pod's readiness changed.
  assert.equal(flipped.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], flippedAt);
  const described = await run('get', 'endpoints', 'web');
  assert.match(described.stdout, /^web\s+\S+:8081\s+\S+$/m);

  await setReady('web-a', 'True');
  await eventually(async () => (await endpoints().get('web')).subsets?.every((s) => s.addresses?.length === 1 && !s.notReadyAddresses), 10_000);
});

test('EndpointSlices carry the service name, managed-by, conditions, and split at the slice limit', { skip: kubectlSkip }, async () => {
  let manifest = `apiVersion: v1
kind: Service
metadata: {name: many}
spec:
  selector: {app: many}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
`;
  for (let i = 0; i < 4; i++) manifest += pod(`many-${i}`, 'many');
  await apply(manifest);
  await runningIPs('app=many', 4);
  const list = await eventually(async () => {
    const l = (await slices().list({ labelSelector: 'kubernetes.io/service-name=many' })).items;
    return l.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0) === 4 && l.every((s) => s.endpoints.every((e) => e.conditions?.ready)) ? l : undefined;
  }, 10_000);
  // The test's limit is 3 endpoints per slice.
  assert.deepEqual(list.map((s) => s.endpoints.length).sort(), [1, 3]);
  for (const s of list) {
    assert.equal(s.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(s.addressType, 'IPv4');
    assert.match(s.metadata?.name ?? '', /^many-[a-z0-9]{5}$/);
    assert.deepEqual(s.metadata?.ownerReferences?.map((o) => `${o.kind}/${o.name}/${o.controller}/${o.blockOwnerDeletion}`), ['Service/many/true/true']);
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    for (const e of s.endpoints) {
      assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
      assert.match(e.nodeName ?? '', /^k8ts-node-/);
    }
  }
  const res = await run('get', 'endpointslices', '-l', 'kubernetes.io/service-name=many');
  assert.match(res.stdout, /^many-\S+\s+IPv4\s+8080\s+\S+/m);

  // Not ready: ready and serving false, still listed.
  await setReady('many-0', 'False');
  await eventually(async () => {
    const l = (await slices().list({ labelSelector: 'kubernetes.io/service-name=many' })).items;
    const e = l.flatMap((s) => s.endpoints).find((x) => x.targetRef?.name === 'many-0');
    return e?.conditions?.ready === false && e.conditions.serving === false;
  }, 10_000);

  // Deleting the service takes its slices with it (owner references, garbage collector).
  assert.equal((await run('delete', 'service', 'many')).code, 0);
  await eventually(async () => (await slices().list({ labelSelector: 'kubernetes.io/service-name=many' })).items.length === 0, 10_000);
});

test('a headless service with publishNotReadyAddresses lists pods with hostnames, ready or not', { skip: kubectlSkip }, async () => {
  await apply(
    pod('db-0', 'db', '\n  hostname: db-0\n  subdomain: db') +
      `apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: db}
  ports: [{port: 5432, targetPort: 8080}]
`,
  );
  await runningIPs('app=db', 1);
  await setReady('db-0', 'False');
  const ep = await eventually(async () => {
    const e = await endpoints().get('db').catch(() => undefined);
    return e?.subsets?.[0]?.addresses?.[0]?.hostname === 'db-0' ? e : undefined;
  }, 10_000);
  assert.equal(ep.subsets![0].notReadyAddresses, undefined);
  assert.equal(ep.metadata?.labels?.['service.kubernetes.io/headless'], '');
  // Published though not ready: ready stays true, serving tells the truth.
  const endpoint = await eventually(async () => {
    const e = (await slices().list({ labelSelector: 'kubernetes.io/service-name=db' })).items[0]?.endpoints?.[0];
    return e?.conditions?.serving === false ? e : undefined;
  }, 10_000);
  assert.equal(endpoint.hostname, 'db-0');
  assert.equal(endpoint.conditions?.ready, true);
});

test('a service without a selector keeps its hand-made Endpoints, mirrored into an EndpointSlice', { skip: kubectlSkip }, async () => {
  await apply(`apiVersion: v1
kind: Service
metadata: {name: external}
spec:
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: external}
subsets:
- addresses: [{ip: 192.0.2.10}, {ip: 192.0.2.11}]
  notReadyAddresses: [{ip: 192.0.2.12}]
  ports: [{name: pg, port: 5432}]
`);
  const mirrored = await eventually(async () => (await slices().list({ labelSelector: 'kubernetes.io/service-name=external' })).items[0], 10_000);
  assert.equal(mirrored.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
  assert.deepEqual(
    mirrored.endpoints.map((e) => `${e.addresses[0]}=${e.conditions?.ready}`),
    ['192.0.2.10=true', '192.0.2.11=true', '192.0.2.12=false'],
  );
  assert.deepEqual(mirrored.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  assert.equal(mirrored.metadata?.ownerReferences?.[0].kind, 'Endpoints');
  // The endpoints controller leaves them alone.
  await new Promise((r) => setTimeout(r, 300));
  const ep = await endpoints().get('external');
  assert.deepEqual(ep.subsets?.[0].addresses?.map((a) => a.ip), ['192.0.2.10', '192.0.2.11']);
  assert.equal(ep.metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'], undefined);
});
