// @kubernetes/client-node 1.x against startCluster(), unchanged: typed CRUD, errors as
// ApiException with the Status body, Watch and informers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException, CoreV1Api, KubeConfig, PatchStrategy, Watch, makeInformer, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';
import { startCluster, type Cluster } from '../../../src/index.js';
import { eventually, uniqueName } from '../../support/cluster.js';

// Every namespace gets the cluster CA as this ConfigMap (the root CA publisher), as on a real cluster.
const ROOT_CA = 'kube-root-ca.crt';
const ours = <T extends { metadata?: { name?: string } }>(items: readonly T[]): T[] => items.filter((i) => i.metadata?.name !== ROOT_CA);

describe('@kubernetes/client-node against startCluster()', () => {
  let cluster: Cluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): V1ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels },
    data,
  });
  const newNamespace = async () => {
    const name = uniqueName('cn');
    await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    return name;
  };

  before(async () => {
    cluster = await startCluster();
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
  });
  after(() => cluster.stop());

  test('the admin kubeconfig works unchanged', async () => {
    const unchanged = new KubeConfig();
    unchanged.loadFromFile(cluster.kubeconfigPath);
    const namespaces = await unchanged.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(namespaces.items.some((n) => n.metadata?.name === 'default'));
  });

  test('create, read, list, replace, patch, delete and deletecollection', async () => {
    const namespace = await newNamespace();
    const created = await core.createNamespacedConfigMap({ namespace, body: cm('one', { a: '1' }, { app: 'x' }) });
    assert.equal(created.metadata?.namespace, namespace);
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date, 'client-node parses the timestamp');
    await core.createNamespacedConfigMap({ namespace, body: cm('two', {}, { app: 'y' }) });

    const read = await core.readNamespacedConfigMap({ name: 'one', namespace });
    assert.deepEqual(read.data, { a: '1' });
    const list = await core.listNamespacedConfigMap({ namespace, labelSelector: 'app=x' });
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['one']);
    assert.ok(list.metadata?.resourceVersion);

    read.data = { a: 'replaced' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'one', namespace, body: read });
    assert.equal(replaced.data?.a, 'replaced');
    assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion);

    const merged = await core.patchNamespacedConfigMap(
      { name: 'one', namespace, body: { data: { b: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.data, { a: 'replaced', b: '2' });
    const jsonPatched = await core.patchNamespacedConfigMap({ name: 'one', namespace, body: [{ op: 'remove', path: '/data/a' }] });
    assert.deepEqual(jsonPatched.data, { b: '2' });

    const status = await core.deleteNamespacedConfigMap({ name: 'one', namespace });
    assert.equal(status.status, 'Success');
    await core.deleteCollectionNamespacedConfigMap({ namespace, labelSelector: 'app=y' });
    assert.deepEqual(ours((await core.listNamespacedConfigMap({ namespace })).items), []);
  });

  test('errors arrive as ApiException with the Status', async () => {
    const namespace = await newNamespace();
    await assert.rejects(core.readNamespacedConfigMap({ name: 'absent', namespace }), (err: unknown) => {
      assert.ok(err instanceof ApiException);
      assert.equal(err.code, 404);
      const body = JSON.parse(err.body as string);
      assert.equal(body.reason, 'NotFound');
      assert.equal(body.message, 'configmaps "absent" not found');
      return true;
    });
    const first = await core.createNamespacedConfigMap({ namespace, body: cm('c') });
    await core.replaceNamespacedConfigMap({ name: 'c', namespace, body: { ...first, data: { x: '1' } } });
    await assert.rejects(core.replaceNamespacedConfigMap({ name: 'c', namespace, body: { ...first, data: { x: '2' } } }), (err: unknown) => {
      assert.ok(err instanceof ApiException);
      assert.equal(err.code, 409);
      assert.equal(JSON.parse(err.body as string).reason, 'Conflict');
      return true;
    });
  });

  test('Watch receives ADDED, MODIFIED and DELETED', async () => {
    const namespace = await newNamespace();
    const events: string[] = [];
    let ended: unknown = 'open';
    const controller = await new Watch(kc).watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      {},
      (type, obj: V1ConfigMap) => {
        if (obj.metadata?.name !== ROOT_CA) events.push(`${type} ${obj.metadata?.name} ${JSON.stringify(obj.data ?? {})}`);
      },
      (err) => (ended = err),
    );
    try {
      await core.createNamespacedConfigMap({ namespace, body: cm('w', { a: '1' }) });
      await core.patchNamespacedConfigMap({ name: 'w', namespace, body: { data: { a: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      await core.deleteNamespacedConfigMap({ name: 'w', namespace });
      await eventually(() => events.length >= 3);
      assert.deepEqual(events, ['ADDED w {"a":"1"}', 'MODIFIED w {"a":"2"}', 'DELETED w {"a":"2"}']);
      assert.equal(ended, 'open', 'the server did not end the watch');
    } finally {
      controller.abort();
    }
  });

  test('an informer lists, then follows changes', async () => {
    const namespace = await newNamespace();
    await core.createNamespacedConfigMap({ namespace, body: cm('existing') });
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    const informer = makeInformer<V1ConfigMap>(kc, path, () => core.listNamespacedConfigMap({ namespace }));
    const seen: string[] = [];
    const record = (line: string, o: V1ConfigMap) => {
      if (o.metadata?.name !== ROOT_CA) seen.push(line);
    };
    informer.on('add', (o) => record(`add ${o.metadata?.name}`, o));
    informer.on('update', (o) => record(`update ${o.metadata?.name} ${o.data?.v}`, o));
    informer.on('delete', (o) => record(`delete ${o.metadata?.name}`, o));
    await informer.start();
    try {
      assert.deepEqual(seen, ['add existing']);
      await core.createNamespacedConfigMap({ namespace, body: cm('later') });
      await core.patchNamespacedConfigMap({ name: 'existing', namespace, body: { data: { v: '1' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'later', namespace });
      await eventually(() => seen.length >= 4);
      assert.deepEqual(seen, ['add existing', 'add later', 'update existing 1', 'delete later']);
      assert.deepEqual(ours(informer.list(namespace)).map((o) => o.metadata?.name), ['existing']);
      assert.equal(informer.get('existing', namespace)?.data?.v, '1');
    } finally {
      await informer.stop();
    }
  });
});
