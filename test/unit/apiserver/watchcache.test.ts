// The watch cache's memory: versions and objects of one template share their equal parts, the
// JSON of a version is held once and only while it is read, and the history is a time window
// (upstream's sizes) whose older revisions are 410 Gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachedObject, jsonPieces, ResourceCache } from '../../../src/apiserver/watchcache.js';
import { CompactedError, type WatchEvent } from '../../../src/storage/store.js';
import type { KubeObject } from '../../../src/api/registry.js';

const PREFIX = '/registry/pods/';

function pod(name: string, nodeName: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: {
      nodeName,
      containers: [{ name: 'web', image: 'registry.example.com/web:1.0', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'MODE', value: 'prod' }] }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
    ...extra,
  };
}

let revision = 0;
function put(cache: ResourceCache, obj: KubeObject): CachedObject {
  const key = `${PREFIX}default/${obj.metadata.name}`;
  const stored = { ...obj, metadata: { ...obj.metadata } };
  delete stored.metadata.resourceVersion;
  const rev = ++revision;
  const event: WatchEvent = { type: 'put', kv: { key, value: JSON.stringify(stored), createRevision: rev, modRevision: rev } };
  cache.apply([event]);
  return cache.objects.get(key)!;
}

/** The JSON the version must serve: the object as stored, with its resourceVersion last in metadata. */
function expectedJson(obj: KubeObject, rev: number): string {
  return JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
}

test('versions of an object, and objects of one template, share their equal parts; the JSON served is unchanged', () => {
  const cache = new ResourceCache(PREFIX, 0);
  const a = put(cache, pod('a', 'node-1'));
  const b = put(cache, pod('b', 'node-2'));
  assert.equal(b.object.spec.containers, a.object.spec.containers, 'one template, one containers array');
  assert.equal(b.object.spec.tolerations, a.object.spec.tolerations);
  assert.equal(b.object.metadata.labels, a.object.metadata.labels);
  assert.notEqual(b.object.spec, a.object.spec, 'the node differs');
  assert.equal(b.object.spec.nodeName, 'node-2');
  assert.ok(Object.isFrozen(b.object.spec.containers[0].ports[0]));
  assert.equal(b.json().toString(), expectedJson(pod('b', 'node-2'), b.revision));

  const status = { phase: 'Running', podIP: '10.244.1.2', conditions: [{ type: 'Ready', status: 'True' }] };
  const b2 = put(cache, pod('b', 'node-2', { status }));
  assert.equal(b2.object.spec, b.object.spec, 'a status change keeps the spec of the version before');
  assert.deepEqual(b2.object.status, status);
  assert.equal(b2.json().toString(), expectedJson(pod('b', 'node-2', { status }), b2.revision));

  // Equal values in another key order are not taken: the served JSON keeps the object's own order.
  const reordered = pod('c', 'node-2');
  reordered.spec.containers = [{ env: [{ name: 'MODE', value: 'prod' }], name: 'web', image: 'registry.example.com/web:1.0', ports: [{ containerPort: 80, protocol: 'TCP' }] }];
  const c = put(cache, reordered);
  assert.notEqual(c.object.spec.containers, a.object.spec.containers);
  assert.deepEqual(Object.keys(c.object.spec.containers[0]), ['env', 'name', 'image', 'ports']);
  assert.equal(c.object.spec.containers[0].ports, a.object.spec.containers[0].ports, 'equal parts below still shared');
  assert.equal(c.json().toString(), expectedJson(reordered, c.revision));
});

test('a written object is sealed once: by the write path or by the cache, whichever comes first', () => {
  const cache = new ResourceCache(PREFIX, 0);
  const first = put(cache, pod('a', 'node-1'));
  const written = pod('b', 'node-1');
  const sealed = cache.seal(`${PREFIX}default/b`, written, 99);
  assert.equal(sealed, written);
  assert.ok(Object.isFrozen(sealed));
  assert.equal(sealed.metadata.resourceVersion, '99');
  assert.equal(sealed.spec.containers, first.object.spec.containers);
  assert.equal(cache.seal(`${PREFIX}default/b`, written, 100), sealed, 'sealing again changes nothing');
  assert.equal(sealed.metadata.resourceVersion, '99');
});

test('the JSON of a version is made once, kept inside its watch frame, and let go when superseded or unread', () => {
  const cache = new ResourceCache(PREFIX, 0);
  const v1 = put(cache, pod('a', 'node-1'));
  const frame = v1.watchFrame('ADDED');
  assert.equal(frame.toString(), `{"type":"ADDED","object":${expectedJson(pod('a', 'node-1'), v1.revision)}}\n`);
  assert.equal(v1.watchFrame('ADDED'), frame, 'framed once');
  const json = v1.json();
  assert.equal(json.buffer, frame.buffer, 'the JSON is a view into the frame');
  assert.equal(json.toString(), expectedJson(pod('a', 'node-1'), v1.revision));
  const modified = v1.watchFrame('MODIFIED');
  assert.equal(modified.toString(), `{"type":"MODIFIED","object":${json.toString()}}\n`);
  assert.equal(v1.watchFrame('ADDED'), frame, 'another type does not replace the kept frame');

  // Read since the last sweep: kept; then unread for a whole sweep interval: let go.
  cache.sweep();
  assert.equal(v1.watchFrame('ADDED'), frame);
  cache.sweep();
  cache.sweep();
  const again = v1.watchFrame('ADDED');
  assert.notEqual(again, frame);
  assert.deepEqual(again, frame);

  // Superseded: the old version keeps no bytes (the watchers had them when the new one arrived).
  put(cache, pod('a', 'node-1', { status: { phase: 'Pending' } }));
  assert.notEqual(v1.watchFrame('ADDED'), again);
});

test('history: a window of 75 s beyond the newest 100 events, grown while fresh; older revisions are Gone', () => {
  let now = 1_000_000;
  const start = revision;
  const cache = new ResourceCache(PREFIX, start, () => now);
  const revisions: number[] = [];
  for (let i = 0; i < 300; i++) revisions.push(put(cache, pod(`p${i % 7}`, `node-${i}`)).revision);
  assert.equal(cache.eventsSince(start).length, 300, 'fresh events are all kept: the window grows past 100');
  assert.deepEqual(
    cache.eventsSince(revisions[249]).map((e) => e.revision),
    revisions.slice(250),
  );

  now += 60_000;
  cache.sweep();
  assert.equal(cache.eventsSince(start).length, 300, 'younger than 75 s: kept');

  now += 16_000;
  cache.sweep();
  assert.throws(() => cache.eventsSince(start), CompactedError);
  assert.throws(() => cache.eventsSince(revisions[198]), CompactedError);
  assert.deepEqual(
    cache.eventsSince(revisions[199]).map((e) => e.revision),
    revisions.slice(200),
    'the newest 100 stay however old',
  );

  // A quiet resource keeps its last events for as long as it stays quiet.
  const quiet = new ResourceCache(PREFIX, revision, () => now);
  const from = revision;
  for (let i = 0; i < 40; i++) put(quiet, pod(`q${i}`, 'node-1'));
  now += 3_600_000;
  quiet.sweep();
  assert.equal(quiet.eventsSince(from).length, 40);
});

test('the JSON of a list: objects already encoded reused, the others encoded together, each keeping its bytes', () => {
  const cache = new ResourceCache(PREFIX, 0);
  const items = ['a', 'b', 'c', 'd', 'e'].map((n, i) => put(cache, pod(n, `node-${i}`, n === 'c' ? { metadata: { name: n, namespace: 'default', annotations: { note: 'ü☃' } } } : {})));
  const kept = items[0].json();
  items[3].watchFrame('ADDED');
  const joined = Buffer.concat([...jsonPieces(items)]).toString();
  assert.equal(joined, items.map((o) => JSON.stringify(o.object)).join(','));
  assert.equal(items[0].json(), kept);
  for (const o of items) assert.equal(o.json().toString(), JSON.stringify(o.object));
  assert.equal(Buffer.concat([...jsonPieces([])]).length, 0);
});
