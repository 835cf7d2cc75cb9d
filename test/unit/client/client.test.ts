import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client,
  isAlreadyExists,
  isConflict,
  isNotFound,
  resourcePath,
  resources,
  retryOnConflict,
  StatusError,
  type WatchEvent,
} from '../../../src/client/index.js';
import { FakeApi } from '../../support/fake-api.js';
import { eventually } from './helpers.js';

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

test('resourcePath lays out core, grouped, namespaced, cluster-scoped and subresource paths', () => {
  assert.equal(resourcePath(resources.pods, 'ns', 'web', 'status'), '/api/v1/namespaces/ns/pods/web/status');
  assert.equal(resourcePath(resources.pods), '/api/v1/pods');
  assert.equal(resourcePath(resources.deployments), '/apis/apps/v1/deployments');
  assert.equal(resourcePath(resources.deployments, 'default', 'd', 'scale'), '/apis/apps/v1/namespaces/default/deployments/d/scale');
  assert.equal(resourcePath(resources.nodes, 'ignored', 'n1'), '/api/v1/nodes/n1');
  assert.equal(resourcePath(resources.clusterRoles, undefined, 'system:controller:x'), '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:x');
});

test('create, get, list, update, patch and delete through the in-process transport', async () => {
  const api = new FakeApi();
  const client = Client.local(api);
  const cms = client.resource(resources.configMaps).namespace('ns1');

  const created = await cms.create(cm('a', { k: 'v' }));
  assert.equal(created.metadata.namespace, 'ns1');
  assert.equal(created.apiVersion, 'v1', 'apiVersion filled in from the resource');
  assert.equal(created.kind, 'ConfigMap');
  assert.ok(created.metadata.resourceVersion);

  assert.deepEqual((await cms.get('a')).data, { k: 'v' });

  const updated = await cms.update({ ...created, data: { k: 'v2' } });
  assert.deepEqual(updated.data, { k: 'v2' });

  const patched = await cms.patch('a', { data: { extra: 'x' } }, 'merge');
  assert.deepEqual(patched.data, { k: 'v2', extra: 'x' });
  assert.equal(api.requests.at(-1)!.headers['content-type'], 'application/merge-patch+json');

  await cms.patch('a', { data: { k: 'v3' } }, 'strategic');
  assert.equal(api.requests.at(-1)!.headers['content-type'], 'application/strategic-merge-patch+json');

  await cms.create(cm('b', {}, { tier: 'web' }));
  const list = await cms.list({ labelSelector: 'tier=web', limit: 10 });
  assert.deepEqual(list.items.map((i) => i.metadata.name), ['b']);
  const q = api.requests.at(-1)!.query;
  assert.equal(q.get('labelSelector'), 'tier=web');
  assert.equal(q.get('limit'), '10');

  await cms.delete('a', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
  const del = api.requests.at(-1)!;
  assert.deepEqual(del.body, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
  await assert.rejects(cms.get('a'), (err) => isNotFound(err));
});

test('errors carry the server Status and are classified by the helpers', async () => {
  const client = Client.local(new FakeApi());
  const cms = client.resource(resources.configMaps).namespace('default');
  const err = await cms.get('missing').catch((e: unknown) => e);
  assert.ok(err instanceof StatusError);
  assert.equal(err.code, 404);
  assert.equal(err.message, 'configmaps "missing" not found');
  assert.equal(err.status.details?.name, 'missing');

  await cms.create(cm('x'));
  await assert.rejects(cms.create(cm('x')), (e) => isAlreadyExists(e) && !isConflict(e));
  await assert.rejects(cms.update({ ...cm('x'), metadata: { name: 'x', resourceVersion: '999' } }), (e) => isConflict(e));
});

test('the server never shares the caller object, and the caller gets frozen server objects as they are', async () => {
  const api = new FakeApi();
  const cms = Client.local(api).resource(resources.configMaps).namespace('default');
  const mine = cm('mine', { a: '1' });
  await cms.create(mine);
  mine.data.a = 'changed after create';
  const stored = await cms.get('mine');
  assert.equal(stored.data.a, '1');
  assert.ok(Object.isFrozen(stored), 'server objects are handed out as-is');
});

test('dryRun, fieldValidation and fieldManager travel as query parameters', async () => {
  const api = new FakeApi();
  const cms = Client.local(api).resource(resources.configMaps).namespace('default');
  await cms.create(cm('q'), { dryRun: true, fieldValidation: 'Strict', fieldManager: 'me' });
  const q = api.requests.at(-1)!.query;
  assert.equal(q.get('dryRun'), 'All');
  assert.equal(q.get('fieldValidation'), 'Strict');
  assert.equal(q.get('fieldManager'), 'me');
});

test('a namespaced resource without a namespace cannot address one object', () => {
  const pods = Client.local(new FakeApi()).resource(resources.pods);
  assert.throws(() => pods.get('p'), /a namespace is required/);
});

test('subresources: status update and POST to binding', async () => {
  const api = new FakeApi();
  const pods = Client.local(api).resource(resources.pods).namespace('default');
  const pod = await pods.create({ metadata: { name: 'p' }, spec: { containers: [] } });
  const withStatus = await pods.updateStatus({ ...pod, status: { phase: 'Running' } });
  assert.equal(withStatus.status.phase, 'Running');
  assert.equal(api.requests.at(-1)!.path, '/api/v1/namespaces/default/pods/p/status');
  await pods.createSubresource('p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } });
  assert.equal(api.requests.at(-1)!.path, '/api/v1/namespaces/default/pods/p/binding');
  assert.equal(api.requests.at(-1)!.method, 'POST');
});

test('watch delivers events until stopped, and nothing after', async () => {
  const api = new FakeApi();
  const cms = Client.local(api).resource(resources.configMaps).namespace('default');
  const first = await cms.create(cm('w1'));
  const events: WatchEvent[] = [];
  let ended = false;
  const w = cms.watch({ resourceVersion: first.metadata.resourceVersion }, (e) => events.push(e), () => (ended = true));
  await cms.create(cm('w2'));
  await eventually(() => events.length === 1, 'the ADDED event');
  assert.equal(events[0].type, 'ADDED');
  assert.equal(events[0].object.metadata.name, 'w2');
  w.stop();
  await cms.create(cm('w3'));
  assert.equal(events.length, 1);
  assert.equal(ended, false);
});

test('a watch that cannot start ends with the StatusError', async () => {
  const api = new FakeApi();
  api.expiredAs = 'status';
  const cms = Client.local(api).resource(resources.configMaps).namespace('default');
  await cms.create(cm('a'));
  await cms.create(cm('b'));
  api.compact();
  const err = await new Promise<Error | undefined>((resolve) => cms.watch({ resourceVersion: '1' }, () => {}, resolve));
  assert.ok(err instanceof StatusError);
  assert.equal(err.code, 410);
  assert.equal(err.reason, 'Expired');
});

test('retryOnConflict retries conflicts only, up to the attempt limit', async () => {
  const api = new FakeApi();
  const cms = Client.local(api).resource(resources.configMaps).namespace('default');
  const obj = await cms.create(cm('c', { n: '0' }));
  await cms.update({ ...obj, data: { n: '1' } }); // makes `obj` stale

  let attempts = 0;
  const result = await retryOnConflict(async () => {
    attempts++;
    const base = attempts === 1 ? obj : await cms.get('c');
    return cms.update({ ...base, data: { n: String(Number(base.data.n) + 1) } });
  });
  assert.equal(attempts, 2);
  assert.equal(result.data.n, '2');

  let tries = 0;
  await assert.rejects(
    retryOnConflict(async () => {
      tries++;
      return cms.update(obj);
    }, 3),
    (e) => isConflict(e),
  );
  assert.equal(tries, 3);

  let notFoundTries = 0;
  await assert.rejects(
    retryOnConflict(async () => {
      notFoundTries++;
      return cms.get('nope');
    }),
    (e) => isNotFound(e),
  );
  assert.equal(notFoundTries, 1);
});

test('request performs raw calls and returns the decoded body', async () => {
  const api = new FakeApi();
  const client = Client.local(api, { user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] } });
  await client.resource(resources.configMaps).namespace('default').create(cm('r'));
  const body = await client.request<{ metadata: { name: string } }>({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/r' });
  assert.equal(body.metadata.name, 'r');
  assert.equal(api.requests.at(-1)!.user?.username, 'system:kube-scheduler');
});
