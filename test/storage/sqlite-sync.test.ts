// The SQLite store acknowledges a write, and shows it to watchers and readers, only once the
// write-ahead log holding it is synced: nothing a client can see could still be lost.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../src/storage/sqlite.js';
import type { WatchEvent } from '../../src/storage/store.js';

async function withStore(fn: (store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-sqlite-sync-'));
  const store = SqliteStore.open(join(dir, 'state.db'));
  try {
    await fn(store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('sqlite: a write is not visible to reads, watches or currentRevision before it is acknowledged', async () => {
  await withStore(async (store) => {
    const seen: WatchEvent[] = [];
    const watch = store.watch('/r/', 0, { onEvents: (evs) => seen.push(...evs), onError: (err) => assert.fail(err) });
    const before = await store.currentRevision();
    let acknowledged = false;
    const write = store.create('/r/a', 'a1').then((kv) => {
      acknowledged = true;
      return kv;
    });
    // Let the commit happen (it is grouped on the next turn of the event loop), not the sync.
    await new Promise(setImmediate);
    if (!acknowledged) {
      assert.equal(seen.length, 0);
      assert.equal(await store.currentRevision(), before);
      assert.deepEqual((await store.list('/r/')).items, []);
    }
    const kv = await write;
    assert.deepEqual(
      seen.map((e) => [e.type, e.kv.key, e.kv.modRevision]),
      [['put', '/r/a', kv.modRevision]],
    );
    assert.equal(await store.currentRevision(), kv.modRevision);
    assert.deepEqual(
      (await store.list('/r/')).items.map((i) => i.value),
      ['a1'],
    );
    watch.cancel();
  });
});

test('sqlite: writes made while a sync runs are acknowledged by the next one, in order, each once', async () => {
  await withStore(async (store) => {
    const seen: number[] = [];
    const watch = store.watch('/r/', 0, { onEvents: (evs) => seen.push(...evs.map((e) => e.kv.modRevision)), onError: (err) => assert.fail(err) });
    const acks: number[] = [];
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5; i++) writes.push(store.create(`/r/${round}-${i}`, 'v').then((kv) => acks.push(kv.modRevision)));
      await new Promise(setImmediate);
    }
    await Promise.all(writes);
    assert.deepEqual(acks, [...acks].sort((a, b) => a - b));
    assert.deepEqual(seen, acks);
    const got = await store.get('/r/19-4');
    assert.equal(got?.modRevision, acks[acks.length - 1]);
    watch.cancel();
  });
});

test('sqlite: a failed compare-and-swap and a read of an unsynced key wait for the sync too', async () => {
  await withStore(async (store) => {
    const a = await store.create('/r/a', 'a1');
    let updateAcknowledged = false;
    const update = store.update('/r/a', 'a2', a.modRevision);
    void update.then(() => (updateAcknowledged = true));
    let staleSettled = false;
    const stale = store.update('/r/a', 'a3', a.modRevision).then(
      () => 'written',
      () => 'conflict',
    );
    void stale.then(() => (staleSettled = true));
    await new Promise(setImmediate);
    // Both are committed (one stored, one refused) but not yet synced.
    assert.equal(staleSettled, false);
    const read = await store.get('/r/a');
    assert.equal(read?.value, 'a2');
    assert.equal(updateAcknowledged, true, 'the read returned a version before its write was acknowledged');
    assert.equal(await stale, 'conflict');
    assert.equal((await store.get('/r/a'))?.value, 'a2');
  });
});
