import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/storage/index.js';
import { SqliteStore } from '../../src/storage/sqlite.js';
import { CompactedError } from '../../src/storage/store.js';
import { storeConformance } from './conformance.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'k8ts-sqlite-'));
}

storeConformance('sqlite file', async () => {
  const dir = await tempDir();
  const store = SqliteStore.open(join(dir, 'state.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

storeConformance('sqlite memory', async () => {
  const store = await openStore({ kind: 'memory' });
  return { store, cleanup: () => store.close() };
});

test('sqlite: state, revision and compaction survive a reopen', async () => {
  const dir = await tempDir();
  const path = join(dir, 'state.db');
  try {
    let store = SqliteStore.open(path);
    const a = await store.create('/r/a', 'a1');
    const a2 = await store.update('/r/a', 'a2', a.modRevision);
    const b = await store.create('/r/b', 'b1');
    await store.delete('/r/b');
    await store.compact(a2.modRevision);
    await store.close();

    store = SqliteStore.open(path);
    assert.equal(await store.currentRevision(), b.modRevision + 1);
    assert.equal(await store.compactedRevision(), a2.modRevision);
    assert.deepEqual(await store.get('/r/a'), a2);
    assert.equal(await store.get('/r/b'), undefined);
    assert.deepEqual((await store.list('/r/', { revision: b.modRevision })).items, [a2, b]);
    await assert.rejects(store.list('/r/', { revision: a.modRevision }), CompactedError);
    const c = await store.create('/r/c', 'c1');
    assert.equal(c.modRevision, b.modRevision + 2);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sqlite: a TTL set before a restart still expires after it', async () => {
  const dir = await tempDir();
  const path = join(dir, 'state.db');
  try {
    let store = SqliteStore.open(path);
    await store.create('/events/e1', 'v', { ttlSeconds: 1 });
    await store.close();
    store = SqliteStore.open(path);
    const deadline = Date.now() + 5000;
    while ((await store.get('/events/e1')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await store.get('/events/e1'), undefined);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sqlite: writes in one tick commit together and fail only individually', async () => {
  const store = SqliteStore.open(':memory:');
  await store.create('/g/taken', 'v');
  const writes = Array.from({ length: 100 }, (_, i) => store.create(i === 50 ? '/g/taken' : `/g/${i}`, `v${i}`));
  const results = await Promise.allSettled(writes);
  assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
  assert.equal((results[50] as PromiseRejectedResult).reason.name, 'KeyExistsError');
  const revs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.modRevision] : []));
  // Applied in the order issued, one revision each.
  assert.deepEqual(revs, Array.from({ length: 99 }, (_, i) => 2 + i));
  assert.equal(await store.count('/g/'), 100);
  await store.close();
  await assert.rejects(store.create('/g/late', 'v'), /store is closed/);
});

test('sqlite: compaction keeps every revision from the compacted one readable', async () => {
  const store = SqliteStore.open(':memory:');
  const snapshots = new Map<number, string[]>();
  const live = new Map<string, number>();
  // A random history over a few keys, with the expected state at every revision.
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < 400; i++) {
    const key = `/h/${rand(12)}`;
    const cur = live.get(key);
    let rev: number;
    if (cur === undefined) rev = (await store.create(key, `${key}@${i}`)).modRevision;
    else if (rand(3) === 0) rev = (await store.delete(key, cur)).modRevision;
    else rev = (await store.update(key, `${key}@${i}`, cur)).modRevision;
    const listed = await store.list('/h/');
    if (listed.items.some((kv) => kv.key === key)) live.set(key, rev);
    else live.delete(key);
    snapshots.set(rev, listed.items.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}`));
  }
  for (const compactTo of [50, 51, 180, 333]) {
    await store.compact(compactTo);
    for (const [rev, expected] of snapshots) {
      if (rev < compactTo) continue;
      const got = (await store.list('/h/', { revision: rev })).items.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}`);
      assert.deepEqual(got, expected, `list at ${rev} after compacting to ${compactTo}`);
    }
  }
  await store.close();
});
