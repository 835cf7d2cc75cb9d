// The reply to a create or update is the stored version as a GET then serves it, byte for byte:
// upstream's field order (apiVersion, kind, metadata first) and the new resourceVersion, whatever
// order and whatever empty resourceVersion the client sent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { http, startWidgetCluster, type TestCluster } from '../../support/cluster.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startWidgetCluster();
});
after(() => cluster.stop());

const path = '/api/v1/namespaces/default/configmaps';

test('create, update and patch answer the bytes a GET of the same version serves', async () => {
  const created = await http(cluster.url, path, {
    body: { data: { a: '1' }, metadata: { resourceVersion: '', name: 'reply', labels: { x: 'y' } }, kind: 'ConfigMap', apiVersion: 'v1' },
  });
  assert.equal(created.status, 201);
  assert.deepEqual(Object.keys(created.json), ['apiVersion', 'kind', 'metadata', 'data']);
  const meta = created.json.metadata;
  assert.equal(Object.keys(meta).at(-1), 'resourceVersion');
  assert.match(meta.resourceVersion, /^\d+$/);
  assert.equal((await http(cluster.url, `${path}/reply`)).text, created.text);

  const replaced = await http(cluster.url, `${path}/reply`, { method: 'PUT', body: { ...created.json, data: { a: '2' } } });
  assert.equal(replaced.status, 200);
  assert.ok(Number(replaced.json.metadata.resourceVersion) > Number(meta.resourceVersion));
  assert.equal((await http(cluster.url, `${path}/reply`)).text, replaced.text);

  const patched = await http(cluster.url, `${path}/reply`, {
    method: 'PATCH',
    body: JSON.stringify({ metadata: { annotations: { note: 'hi' } } }),
    headers: { 'content-type': 'application/merge-patch+json' },
  });
  assert.equal(patched.status, 200);
  assert.equal(patched.json.metadata.annotations.note, 'hi');
  assert.equal((await http(cluster.url, `${path}/reply`)).text, patched.text);
});
