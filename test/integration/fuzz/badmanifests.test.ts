// A seeded corpus of bad manifests (mutations of every fixture) sent as creates, updates and
// patches: each gets a 4xx Status that says what is wrong, nothing is written, and the
// server keeps answering /readyz.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../../src/index.js';
import { http, trustKubeconfig, type HttpResult } from '../../support/cluster.js';
import { fixtureDocuments } from '../../fixtures/manifests/index.js';
import { mutationsOf, seededRandom, type Mutation } from './mutations.js';

const NS = 'fuzz';
const SEED = 20241122;
/** Stands for each create's own name in the mutated bodies. */
const PLACEHOLDER = 'fuzz-name-placeholder';

interface Target {
  kind: string;
  /** The collection URL for creates. */
  collection: string;
  object: Record<string, any>;
}

/** What a bad request must get back: a 4xx Failure Status whose message says what is wrong. */
function assertRejected(r: HttpResult, m: Mutation, what: string): void {
  const label = `${what} ${m.what}: HTTP ${r.status} ${r.text.slice(0, 300)}`;
  assert.ok(r.status >= 400 && r.status < 500, label);
  assert.equal(r.json?.kind, 'Status', label);
  assert.equal(r.json.status, 'Failure', label);
  assert.equal(r.json.code, r.status, label);
  assert.ok(typeof r.json.message === 'string' && r.json.message.length > 0, label);
  if (r.status === 422) {
    const causes: { field?: string; message?: string }[] = r.json.details?.causes ?? [];
    assert.ok(causes.length > 0 && causes.every((c) => c.field && c.message), `422 without field causes: ${label}`);
    if (m.field) {
      const named = causes.some((c) => c.field!.startsWith(m.field!) || m.field!.startsWith(c.field!));
      assert.ok(named, `no cause names ${m.field}: ${label}`);
    }
  } else if (m.field && r.status !== 400 && r.status !== 413) {
    assert.fail(`expected 422 or a decoding error naming ${m.field}: ${label}`);
  }
  if (m.mentions) assert.ok(r.json.message.includes(m.mentions), `message does not mention ${m.mentions}: ${label}`);
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

describe('a fuzzed corpus of bad manifests', () => {
  let cluster: Cluster;
  let targets: Target[] = [];
  const send = (path: string, method: string, body: string, contentType = 'application/json') =>
    http(cluster.url, path, { method, body, headers: { 'content-type': contentType } });

  before(async () => {
    cluster = await startCluster();
    trustKubeconfig(cluster.kubeconfigPath);
    const ns = await send('/api/v1/namespaces', 'POST', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
    assert.equal(ns.status, 201, ns.text);
    const served = cluster.apiserver.registry.servedResources();
    for (const { object } of fixtureDocuments()) {
      if (object.kind === 'Binding') continue; // create-only and about another object: not a manifest users write
      const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', object.apiVersion];
      const s = served.find((r) => r.group === group && r.version === version && r.kind === object.kind);
      assert.ok(s, `${object.apiVersion} ${object.kind} is not served`);
      const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
      targets.push({ kind: object.kind, collection: `${base}${s.def.namespaced ? `/namespaces/${NS}` : ''}/${s.def.plural}`, object });
    }
    targets = targets.filter((t, i) => targets.findIndex((u) => u.collection === t.collection && u.object.metadata.name === t.object.metadata.name) === i);
  });
  after(async () => {
    await cluster.stop();
  });

  test('every mutation is refused on create, update and patch, and nothing is written', async () => {
    const rand = seededRandom(SEED);
    let sent = 0;
    // Each fixture is created once, valid, as the object that updates and patches aim at.
    for (const t of targets) {
      const r = await send(`${t.collection}?fieldValidation=Strict`, 'POST', JSON.stringify(t.object));
      assert.equal(r.status, 201, `valid ${t.kind} ${t.object.metadata.name}: ${r.text.slice(0, 300)}`);
    }
    // Creates use a name per case (so one wrongly accepted create cannot hide the next); updates and patches aim at the fixture.
    let n = 0;
    const cases = targets.flatMap((t) => [
      ...mutationsOf(t.object, PLACEHOLDER, rand).map((m) => {
        const name = `${t.object.metadata.name}-b${n++}`;
        return { t, m: { ...m, body: m.body.replaceAll(PLACEHOLDER, name) }, method: 'POST' as const, name };
      }),
      ...mutationsOf(t.object, t.object.metadata.name, rand)
        .filter((m) => m.patchable)
        .flatMap((m, i) => [
          { t, m, method: 'PUT' as const, name: t.object.metadata.name },
          { t, m, method: i % 2 ? ('PATCH-merge' as const) : ('PATCH-strategic' as const), name: t.object.metadata.name },
        ]),
    ]);
    assert.ok(cases.length >= 500, `only ${cases.length} bad requests`);

    const before = new Map<string, string>();
    for (const t of targets) {
      const r = await send(`${t.collection}/${t.object.metadata.name}`, 'GET', '');
      before.set(t.collection + t.object.metadata.name, r.json.metadata.resourceVersion);
    }
    const failures: string[] = [];
    await inParallel(cases, 8, async ({ t, m, method, name }) => {
      const item = `${t.collection}/${name}`;
      let r: HttpResult;
      if (method === 'POST') r = await send(`${t.collection}?fieldValidation=Strict`, 'POST', m.body, m.contentType);
      else if (method === 'PUT') r = await send(`${item}?fieldValidation=Strict`, 'PUT', m.body, m.contentType);
      else r = await send(`${item}?fieldValidation=Strict`, 'PATCH', m.body, method === 'PATCH-merge' ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json');
      sent++;
      try {
        assertRejected(r, m, `${method} ${t.kind}`);
        if (method === 'POST') {
          const after = await send(item, 'GET', '');
          assert.equal(after.status, 404, `${method} ${t.kind} ${m.what} was written`);
        }
      } catch (err) {
        failures.push((err as Error).message.split('\n')[0]);
      }
    });
    for (const t of targets) {
      const r = await send(`${t.collection}/${t.object.metadata.name}`, 'GET', '');
      if (r.json?.metadata?.resourceVersion !== before.get(t.collection + t.object.metadata.name)) failures.push(`${t.kind} ${t.object.metadata.name} changed under rejected updates`);
    }
    assert.deepEqual(failures, [], `${failures.length} of ${sent} bad requests were not refused properly:\n${failures.join('\n')}`);
  });

  test('a body over 3 MiB is refused with 413', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'too-big' }, data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    const r = await send(`/api/v1/namespaces/${NS}/configmaps`, 'POST', big);
    assert.equal(r.status, 413, r.text.slice(0, 200));
    assert.equal(r.json?.reason, 'RequestEntityTooLarge');
    assert.match(r.json?.message ?? '', /^Request entity too large: limit is 3145728$/);
  });

  test('the server still answers /readyz and serves every kind', async () => {
    const ready = await http(cluster.url, '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.text, 'ok');
    for (const t of targets) assert.equal((await send(t.collection, 'GET', '')).status, 200, t.collection);
  });
});
