// Durability across restarts with startServer(): on SQLite in a data dir, and on a real etcd.
// Objects survive, and a client-node informer rides through the restart: it keeps its cache,
// resumes its watch, sees later changes and adds nothing twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { startServer, type ServerOptions } from '../../../src/cluster/server.js';
import { eventually, http, trustKubeconfig, uniqueName, watch } from '../../support/cluster.js';
import { startEtcd, ETCD_BINARY, type RunningEtcd } from '../../support/etcd.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';

type Running = Awaited<ReturnType<typeof startServer>>;

function clientFor(kubeconfigPath: string): { kc: KubeConfig; core: CoreV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return { kc, core: kc.makeApiClient(CoreV1Api) };
}

/** The same scenario on any store: write, watch, restart on the same data, check, change, check. */
function restartSuite(storeOptions: () => Partial<ServerOptions>) {
  let dataDir: string;
  let server: Running | undefined;
  const ns = uniqueName('restart');
  const path = `/api/v1/namespaces/${ns}/configmaps`;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-restart-'));
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('objects and the informer survive a restart on the same data', async () => {
    server = await startServer({ dataDir, port: 0, ...storeOptions() });
    trustKubeconfig(server.kubeconfigPath);
    const port = server.port;
    const req = (p: string, opts?: Parameters<typeof http>[2]) => http(server!.url, p, opts);
    assert.equal((await req('/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } })).status, 201);
    const before: Record<string, { uid: string; resourceVersion: string }> = {};
    for (const name of ['a', 'b', 'c']) {
      const r = await req(path, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: name } } });
      assert.equal(r.status, 201, r.text);
      before[name] = r.json.metadata;
    }
    const secret = await req(`/api/v1/namespaces/${ns}/secrets`, { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } } });
    assert.equal(secret.status, 201);

    // A plain watch sees a change; the informer keeps its cache across the restart.
    const stream = await watch(server.url, `${path}?watch=1&resourceVersion=${before.c.resourceVersion}`);
    await req(`${path}/a`, { method: 'PATCH', body: '{"data":{"v":"a2"}}', headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal((await stream.next()).object.data.v, 'a2');

    const { kc, core } = clientFor(server.kubeconfigPath);
    const adds = new Map<string, number>();
    const updates: string[] = [];
    const informer = makeInformer<V1ConfigMap>(kc, path, () => core.listNamespacedConfigMap({ namespace: ns }));
    // The namespace also holds the cluster CA's kube-root-ca.crt (the root CA publisher's): not this test's.
    const ours = (o: V1ConfigMap) => o.metadata?.name !== 'kube-root-ca.crt';
    informer.on('add', (o) => ours(o) && adds.set(o.metadata!.name!, (adds.get(o.metadata!.name!) ?? 0) + 1));
    informer.on('update', (o) => ours(o) && updates.push(`${o.metadata?.name}=${o.data?.v}`));
    // What client-node's documentation asks of users: restart the informer after an error.
    let stopped = false;
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void informer.start().catch(() => {}), 100);
    });
    await informer.start();
    try {
      assert.deepEqual([...adds.keys()].sort(), ['a', 'b', 'c']);

      await server.stop();
      await stream.done;
      server = undefined;
      server = await startServer({ dataDir, port, ...storeOptions() });
      trustKubeconfig(server.kubeconfigPath);
      assert.equal(server.port, port);

      for (const name of ['b', 'c']) {
        const r = await req(`${path}/${name}`);
        assert.equal(r.status, 200);
        assert.equal(r.json.metadata.uid, before[name].uid);
        assert.equal(r.json.metadata.resourceVersion, before[name].resourceVersion);
        assert.equal(r.json.data.v, name);
      }
      assert.equal((await req(`${path}/a`)).json.data.v, 'a2');
      assert.equal(Buffer.from((await req(`/api/v1/namespaces/${ns}/secrets/s`)).json.data.k, 'base64').toString(), 'v');
      const list = (await req(path)).json;
      assert.ok(Number(list.metadata.resourceVersion) > Number(before.c.resourceVersion), 'revisions carry on from where they were');

      await req(path, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' }, data: { v: 'd' } } });
      await req(`${path}/b`, { method: 'PATCH', body: '{"data":{"v":"b2"}}', headers: { 'content-type': 'application/merge-patch+json' } });
      await eventually(() => adds.has('d') && updates.includes('b=b2'), 10_000);
      assert.deepEqual(Object.fromEntries(adds), { a: 1, b: 1, c: 1, d: 1 }, 'nothing added twice');
      assert.deepEqual(informer.list(ns).filter(ours).map((o) => `${o.metadata?.name}=${o.data?.v}`).sort(), ['a=a2', 'b=b2', 'c=c', 'd=d']);
    } finally {
      stopped = true;
      stream.close();
      await informer.stop();
    }
  });

  test('kubectl sees the same state after the restart', { skip: kubectlSkip }, async () => {
    assert.ok(server, 'the previous test left the server running');
    const r = await kubectl(['get', 'configmaps', '-n', ns, '-o', 'custom-columns=NAME:.metadata.name,V:.data.v', '--no-headers'], { kubeconfig: server.kubeconfigPath });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'a                  a2\nb                  b2\nc                  c\nd                  d\nkube-root-ca.crt   <none>\n');
    const deleted = await kubectl(['delete', 'configmap', 'd', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.equal(deleted.stdout, 'configmap "d" deleted\n');
  });

  test('a CRD and its custom resources are served from the first request after a restart', async () => {
    assert.ok(server, 'the first test left the server running');
    const req = (p: string, opts?: Parameters<typeof http>[2]) => http(server!.url, p, opts);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'notes.restart.example.com' },
      spec: {
        group: 'restart.example.com',
        scope: 'Namespaced',
        names: { plural: 'notes', kind: 'Note' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { text: { type: 'string' } } } } }],
      },
    };
    assert.equal((await req('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd })).status, 201);
    const notes = `/apis/restart.example.com/v1/namespaces/${ns}/notes`;
    await eventually(async () => (await req(notes)).status === 200, 10_000);
    const created = await req(notes, { body: { apiVersion: 'restart.example.com/v1', kind: 'Note', metadata: { name: 'n1' }, text: 'kept' } });
    assert.equal(created.status, 201, created.text);

    const port = server.port;
    await server.stop();
    server = undefined;
    server = await startServer({ dataDir, port, ...storeOptions() });
    trustKubeconfig(server.kubeconfigPath);
    const read = await req(`${notes}/n1`);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual([read.json.text, read.json.metadata.uid], ['kept', created.json.metadata.uid]);
  });
}

describe('restart on SQLite', () => {
  restartSuite(() => ({ store: 'sqlite' }));
});

const etcdSkip = existsSync(ETCD_BINARY) ? false : `etcd is not installed at ${ETCD_BINARY}`;

describe('restart on etcd', { skip: etcdSkip }, () => {
  let etcd: RunningEtcd | undefined;
  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    await etcd?.stop();
  });
  restartSuite(() => ({ store: 'etcd', etcdEndpoints: [etcd!.endpoint] }));
});
