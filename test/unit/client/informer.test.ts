import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Informer, InformerFactory, resources } from '../../../src/client/index.js';
import type { KubeObject } from '../../../src/api/registry.js';
import { FakeApi } from '../../support/fake-api.js';
import { eventually, sleep } from './helpers.js';

type Log = string[];

function recordTo(log: Log) {
  return {
    onAdd: (o: KubeObject) => log.push(`add ${o.metadata.name}`),
    onUpdate: (old: KubeObject, o: KubeObject) => log.push(`update ${o.metadata.name} ${old.data?.v}->${o.data?.v}`),
    onDelete: (o: KubeObject) => log.push(`delete ${o.metadata.name} ${o.data?.v}`),
  };
}

const fast = { backoffInitialMs: 5, backoffMaxMs: 20 };

function setup() {
  const api = new FakeApi();
  const admin = Client.local(api.direct).resource(resources.configMaps).namespace('default');
  const client = Client.local(api);
  return { api, admin, client };
}

const cm = (name: string, v: string) => ({ metadata: { name }, data: { v } });

test('lists in pages of 500, then watches from the list version with bookmarks', async () => {
  const { api, admin, client } = setup();
  for (let i = 0; i < 1203; i++) await admin.create(cm(`c${i}`, '1'));
  const inf = new Informer(client, resources.configMaps, fast);
  const log: Log = [];
  inf.addEventHandler(recordTo(log));
  inf.start();
  assert.equal(await inf.waitForSync(), true);
  assert.equal(inf.store.size, 1203);
  assert.equal(log.length, 1203);

  const lists = api.requests.filter((r) => r.query.get('watch') !== 'true');
  assert.deepEqual(lists.map((r) => r.query.get('limit')), ['500', '500', '500']);
  assert.equal(lists[0].query.get('continue'), null);
  assert.ok(lists[1].query.get('continue'));

  await eventually(() => api.watchCount === 1, 'the watch');
  const watch = api.requests.find((r) => r.query.get('watch') === 'true')!;
  assert.equal(watch.query.get('resourceVersion'), api.resourceVersion);
  assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
  assert.equal(watch.path, '/api/v1/configmaps');

  await admin.create(cm('late', '1'));
  await eventually(() => inf.store.get('default/late') !== undefined, 'the watched add');
  api.bookmark();
  assert.equal(inf.lastSyncResourceVersion, api.resourceVersion);
  inf.stop();
});

test('cached objects are self-describing even though list items carry no kind', async () => {
  const { admin, client } = setup();
  await admin.create(cm('a', '1'));
  const inf = new Informer(client, resources.configMaps, fast);
  inf.start();
  await inf.waitForSync();
  const a = inf.store.get('default/a')!;
  assert.equal(a.kind, 'ConfigMap');
  assert.equal(a.apiVersion, 'v1');
  inf.stop();
});

test('watch events become add, update and delete with the old and last states', async () => {
  const { api, admin, client } = setup();
  const inf = new Informer(client, resources.configMaps, fast);
  const log: Log = [];
  inf.addEventHandler(recordTo(log));
  inf.start();
  await inf.waitForSync();
  await eventually(() => api.watchCount === 1, 'the watch');
  const a = await admin.create(cm('a', '1'));
  await admin.update({ ...a, data: { v: '2' } });
  await admin.delete('a');
  await eventually(() => log.length === 3, 'three events');
  assert.deepEqual(log, ['add a', 'update a 1->2', 'delete a 2']);
  assert.equal(inf.store.size, 0);
  inf.stop();
});

test('a watch from a compacted version (ERROR 410) relists and delivers the difference', async () => {
  const { api, admin, client } = setup();
  const keep = await admin.create(cm('keep', '1'));
  await admin.create(cm('same', '1'));
  await admin.create(cm('gone', '1'));
  const inf = new Informer(client, resources.configMaps, fast);
  const log: Log = [];
  inf.addEventHandler(recordTo(log));
  inf.start();
  await inf.waitForSync();
  await eventually(() => api.watchCount === 1, 'the watch');
  log.length = 0;

  // The server goes away; meanwhile the world changes and history is compacted.
  api.down = true;
  api.dropWatches();
  await admin.update({ ...keep, data: { v: '2' } });
  await admin.delete('gone');
  await admin.create(cm('new', '1'));
  api.compact();
  const listsBefore = api.requests.filter((r) => r.query.get('watch') !== 'true').length;
  api.down = false;

  await eventually(() => log.length === 3, 'the relist difference');
  assert.deepEqual(log.sort(), ['add new', 'delete gone 1', 'update keep 1->2']);
  assert.deepEqual(inf.store.listKeys().sort(), ['default/keep', 'default/new', 'default/same']);
  const listsAfter = api.requests.filter((r) => r.query.get('watch') !== 'true').length;
  assert.equal(listsAfter, listsBefore + 1, 'exactly one relist');
  await eventually(() => api.watchCount === 1, 'the new watch');
  assert.equal(inf.lastSyncResourceVersion, api.resourceVersion);
  inf.stop();
});

test('a 410 response to the watch request also relists', async () => {
  const { api, admin, client } = setup();
  api.expiredAs = 'status';
  await admin.create(cm('a', '1'));
  const inf = new Informer(client, resources.configMaps, fast);
  const log: Log = [];
  inf.addEventHandler(recordTo(log));
  inf.start();
  await inf.waitForSync();
  await eventually(() => api.watchCount === 1, 'the watch');
  api.down = true;
  api.dropWatches();
  await admin.delete('a');
  api.compact();
  api.down = false;
  await eventually(() => log.includes('delete a 1'), 'the delete found by relisting');
  inf.stop();
});

test('a dropped watch resumes from the last version seen, without relisting', async () => {
  const { api, admin, client } = setup();
  await admin.create(cm('a', '1'));
  const inf = new Informer(client, resources.configMaps, fast);
  const log: Log = [];
  inf.addEventHandler(recordTo(log));
  inf.start();
  await inf.waitForSync();
  await eventually(() => api.watchCount === 1, 'the watch');
  const seen = inf.lastSyncResourceVersion;

  api.down = true;
  api.dropWatches();
  await admin.create(cm('b', '1'));
  await sleep(30); // a few failed reconnects while the server is down
  api.down = false;

  await eventually(() => log.includes('add b'), 'the event missed while disconnected');
  const lists = api.requests.filter((r) => r.query.get('watch') !== 'true');
  assert.equal(lists.length, 1, 'no relist');
  const rewatches = api.requests.filter((r) => r.query.get('watch') === 'true');
  assert.ok(rewatches.length >= 2);
  assert.ok(rewatches.slice(1).every((r) => r.query.get('resourceVersion') === seen));
  inf.stop();
});

test('a watch the server ends cleanly is resumed at once', async () => {
  const { api, admin, client } = setup();
  const inf = new Informer(client, resources.configMaps, fast);
  const log: Log = [];
  inf.addEventHandler(recordTo(log));
  inf.start();
  await inf.waitForSync();
  await eventually(() => api.watchCount === 1, 'the watch');
  await admin.create(cm('a', '1'));
  await eventually(() => log.length === 1, 'the first event');
  api.endWatches();
  await eventually(() => api.watchCount === 1, 'the resumed watch');
  await admin.create(cm('b', '1'));
  await eventually(() => log.includes('add b'), 'an event on the resumed watch');
  inf.stop();
});

test('handlers added late get adds for what is cached; removed handlers get nothing', async () => {
  const { api, admin, client } = setup();
  await admin.create(cm('a', '1'));
  await admin.create(cm('b', '1'));
  const inf = new Informer(client, resources.configMaps, fast);
  inf.start();
  await inf.waitForSync();
  const late: Log = [];
  const reg = inf.addEventHandler(recordTo(late));
  assert.deepEqual(late.sort(), ['add a', 'add b']);
  reg.remove();
  await eventually(() => api.watchCount === 1, 'the watch');
  await admin.create(cm('c', '1'));
  await eventually(() => inf.store.get('default/c') !== undefined, 'c cached');
  assert.equal(late.length, 2);
  inf.stop();
});

test('a handler that throws does not stop the others', async () => {
  const { admin, client } = setup();
  await admin.create(cm('a', '1'));
  const errors: unknown[] = [];
  const inf = new Informer(client, resources.configMaps, { ...fast, onError: (err, during) => during === 'handler' && errors.push(err) });
  const log: Log = [];
  inf.addEventHandler({ onAdd: () => { throw new Error('boom'); } });
  inf.addEventHandler(recordTo(log));
  inf.start();
  await inf.waitForSync();
  assert.deepEqual(log, ['add a']);
  assert.equal(errors.length, 1);
  inf.stop();
});

test('indexers: the namespace index and custom ones, kept current on update and delete', async () => {
  const api = new FakeApi();
  const client = Client.local(api.direct);
  const pods = client.resource(resources.pods);
  const pod = (ns: string, name: string, node: string) => ({ metadata: { name, namespace: ns }, spec: { nodeName: node } });
  await pods.create(pod('a', 'p1', 'n1'));
  await pods.create(pod('a', 'p2', 'n2'));
  await pods.create(pod('b', 'p3', 'n1'));
  const inf = new Informer(client, resources.pods, { ...fast, indexers: { byNode: (p) => [p.spec.nodeName] } });
  inf.start();
  await inf.waitForSync();
  const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();
  assert.deepEqual(names(inf.store.byIndex('namespace', 'a')), ['p1', 'p2']);
  assert.deepEqual(names(inf.store.byIndex('byNode', 'n1')), ['p1', 'p3']);
  assert.deepEqual(inf.store.indexKeys('byNode', 'n2'), ['a/p2']);

  // An indexer added after start indexes what is cached.
  inf.addIndexers({ byName: (p) => [p.metadata.name] });
  assert.deepEqual(names(inf.store.byIndex('byName', 'p3')), ['p3']);
  assert.throws(() => inf.addIndexers({ byNode: (p) => [p.metadata.name] }), /indexer conflict: byNode/);
  assert.throws(() => inf.store.byIndex('nope', 'x'), /Index with name nope does not exist/);

  await eventually(() => api.watchCount === 1, 'the watch');
  const p1 = await pods.namespace('a').get('p1');
  await pods.namespace('a').update({ ...p1, spec: { nodeName: 'n2' } });
  await pods.namespace('b').delete('p3');
  await eventually(() => inf.store.byIndex('byNode', 'n1').length === 0, 'the node index to follow');
  assert.deepEqual(names(inf.store.byIndex('byNode', 'n2')), ['p1', 'p2']);
  assert.deepEqual(inf.store.byIndex('namespace', 'b'), []);
  inf.stop();
});

test('namespace and selectors narrow what is listed and watched', async () => {
  const api = new FakeApi();
  const direct = Client.local(api.direct).resource(resources.configMaps);
  await direct.namespace('x').create({ metadata: { name: 'a', labels: { app: 'web' } } });
  await direct.namespace('x').create({ metadata: { name: 'b', labels: { app: 'db' } } });
  await direct.namespace('y').create({ metadata: { name: 'c', labels: { app: 'web' } } });
  const inf = new Informer(Client.local(api), resources.configMaps, { ...fast, namespace: 'x', labelSelector: 'app=web' });
  inf.start();
  await inf.waitForSync();
  assert.deepEqual(inf.store.listKeys(), ['x/a']);
  const watch = await (async () => {
    await eventually(() => api.watchCount === 1, 'the watch');
    return api.requests.find((r) => r.query.get('watch') === 'true')!;
  })();
  assert.equal(watch.path, '/api/v1/namespaces/x/configmaps');
  assert.equal(watch.query.get('labelSelector'), 'app=web');
  inf.stop();
});

test('waitForSync resolves false when stopped before the first list succeeds', async () => {
  const api = new FakeApi();
  api.down = true;
  const inf = new Informer(Client.local(api), resources.configMaps, fast);
  inf.start();
  const synced = inf.waitForSync();
  await sleep(20);
  inf.stop();
  assert.equal(await synced, false);
  assert.equal(inf.hasSynced(), false);
});

test('the factory shares one informer per resource and selector, and starts late ones', async () => {
  const { api, admin, client } = setup();
  await admin.create(cm('a', '1'));
  const factory = new InformerFactory(client, fast);
  const one = factory.informerFor(resources.configMaps);
  assert.equal(factory.informerFor(resources.configMaps), one);
  assert.notEqual(factory.informerFor(resources.configMaps, { namespace: 'default' }), one);
  factory.start();
  assert.equal(await factory.waitForSync(), true);
  const late = factory.informerFor(resources.secrets);
  assert.equal(await late.waitForSync(), true);
  assert.equal(one.store.size, 1);
  factory.stop();
  await sleep(5);
  assert.equal(api.watchCount, 0);
});
