// The one behaviour suite every Store implementation must pass (ARCHITECTURE.md, storage/).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  type KeyValue,
  type Store,
  type Watch,
  type WatchEvent,
} from '../../src/storage/store.js';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects what a watch delivers. */
class Recorder {
  readonly events: WatchEvent[] = [];
  error?: Error;
  readonly watch: Watch;

  constructor(store: Store, prefix: string, afterRevision: number) {
    this.watch = store.watch(prefix, afterRevision, {
      onEvents: (events) => this.events.push(...events),
      onError: (err) => {
        this.error = err;
      },
    });
  }

  revisions(): number[] {
    return this.events.map((e) => e.kv.modRevision);
  }

  waitForCount(n: number, timeoutMs?: number): Promise<void> {
    return waitFor(`${n} watch events (have ${this.events.length})`, () => this.events.length >= n, timeoutMs);
  }

  waitForError(timeoutMs?: number): Promise<Error> {
    return waitFor('a watch error', () => this.error !== undefined, timeoutMs).then(() => this.error!);
  }
}

function assertIncreasing(revisions: number[]): void {
  for (let i = 1; i < revisions.length; i++) {
    assert.ok(revisions[i] > revisions[i - 1], `revision ${revisions[i]} follows ${revisions[i - 1]}`);
  }
}

/** Registers the conformance tests for one Store implementation. */
export function storeConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`Store conformance: ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let n = 0;
    // Every test writes under its own prefix, so one store (or one etcd) serves them all.
    const space = () => `/conformance/${Date.now().toString(36)}-${++n}/`;

    before(async () => {
      opened = await open();
      store = opened.store;
    });
    after(async () => {
      await opened.cleanup();
    });

    test('create stores a new key and fails with KeyExistsError when it exists', async () => {
      const p = space();
      const kv = await store.create(`${p}a`, 'one');
      assert.equal(kv.key, `${p}a`);
      assert.equal(kv.value, 'one');
      assert.equal(kv.createRevision, kv.modRevision);
      assert.deepEqual(await store.get(`${p}a`), kv);
      await assert.rejects(store.create(`${p}a`, 'two'), (err: unknown) => {
        assert.ok(err instanceof KeyExistsError);
        assert.equal(err.key, `${p}a`);
        return true;
      });
      assert.equal((await store.get(`${p}a`))?.value, 'one');
    });

    test('get of an absent key is undefined', async () => {
      assert.equal(await store.get(`${space()}missing`), undefined);
    });

    test('update compares the mod revision and swaps', async () => {
      const p = space();
      const created = await store.create(`${p}a`, 'v1');
      const updated = await store.update(`${p}a`, 'v2', created.modRevision);
      assert.equal(updated.value, 'v2');
      assert.equal(updated.createRevision, created.createRevision);
      assert.ok(updated.modRevision > created.modRevision);
      assert.deepEqual(await store.get(`${p}a`), updated);

      await assert.rejects(store.update(`${p}a`, 'v3', created.modRevision), (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.deepEqual(err.current, updated);
        return true;
      });
      assert.equal((await store.get(`${p}a`))?.value, 'v2');
      await assert.rejects(store.update(`${p}missing`, 'x', 1), KeyNotFoundError);
      await assert.rejects(store.update(`${p}missing`, 'x', 0), KeyNotFoundError);
      assert.equal(await store.get(`${p}missing`), undefined);
    });

    test('concurrent compare-and-swap on one key: exactly one wins', async () => {
      const p = space();
      const created = await store.create(`${p}a`, 'v0');
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.update(`${p}a`, `v${i + 1}`, created.modRevision)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof ConflictError);
      assert.equal((await store.get(`${p}a`))?.value, (won[0] as PromiseFulfilledResult<KeyValue>).value.value);
    });

    test('delete with and without an expected revision', async () => {
      const p = space();
      const a = await store.create(`${p}a`, 'last-a');
      await assert.rejects(store.delete(`${p}a`, a.modRevision + 1000), (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.deepEqual(err.current, a);
        return true;
      });
      const gone = await store.delete(`${p}a`, a.modRevision);
      assert.equal(gone.value, 'last-a');
      assert.equal(gone.createRevision, a.createRevision);
      assert.ok(gone.modRevision > a.modRevision);
      assert.equal(await store.get(`${p}a`), undefined);

      await store.create(`${p}b`, 'last-b');
      assert.equal((await store.delete(`${p}b`)).value, 'last-b');
      await assert.rejects(store.delete(`${p}b`), KeyNotFoundError);
      await assert.rejects(store.delete(`${p}b`, 5), KeyNotFoundError);
    });

    test('one revision, shared across keys, increases with every write including deletes', async () => {
      const p = space();
      const before = await store.currentRevision();
      const a = await store.create(`${p}a`, '1');
      const b = await store.create(`${p}b`, '1');
      const a2 = await store.update(`${p}a`, '2', a.modRevision);
      const d = await store.delete(`${p}b`);
      assertIncreasing([before, a.modRevision, b.modRevision, a2.modRevision, d.modRevision]);
      assert.equal(await store.currentRevision(), d.modRevision);
      // Failed writes do not consume a revision.
      await assert.rejects(store.create(`${p}a`, 'x'), KeyExistsError);
      assert.equal(await store.currentRevision(), d.modRevision);
      const c = await store.create(`${p}c`, '1');
      assert.equal(c.modRevision, d.modRevision + 1);
    });

    test('concurrent writes each get their own revision', async () => {
      const p = space();
      const kvs = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`${p}k${i}`, `v${i}`)));
      const revs = kvs.map((kv) => kv.modRevision).sort((x, y) => x - y);
      assert.equal(new Set(revs).size, 50);
      assert.equal(revs[49] - revs[0], 49);
      for (const [i, kv] of kvs.entries()) assert.equal((await store.get(`${p}k${i}`))?.modRevision, kv.modRevision);
    });

    test('list returns the keys under a prefix in key order, not those of a sibling prefix', async () => {
      const p = space();
      for (const k of ['a/b/2', 'a/b/1', 'a/bc/1', 'a/b', 'a/c/1', 'a/b/3/x']) await store.create(`${p}${k}`, k);
      const res = await store.list(`${p}a/b/`);
      assert.deepEqual(
        res.items.map((kv) => kv.key),
        [`${p}a/b/1`, `${p}a/b/2`, `${p}a/b/3/x`],
      );
      assert.deepEqual(
        res.items.map((kv) => kv.value),
        ['a/b/1', 'a/b/2', 'a/b/3/x'],
      );
      assert.equal(res.more, false);
      assert.equal(res.revision, await store.currentRevision());
      assert.equal((await store.list(`${p}a/`)).items.length, 6);
      assert.deepEqual((await store.list(`${p}zzz/`)).items, []);
    });

    test('count counts the live keys under a prefix', async () => {
      const p = space();
      assert.equal(await store.count(p), 0);
      for (let i = 0; i < 7; i++) await store.create(`${p}x/${i}`, 'v');
      await store.create(`${p}xy`, 'v');
      await store.delete(`${p}x/3`);
      assert.equal(await store.count(`${p}x/`), 6);
      assert.equal(await store.count(p), 7);
    });

    test('list pages with limit and continue stay consistent with the first page revision', async () => {
      const p = space();
      const keys = Array.from({ length: 25 }, (_, i) => `${p}k${String(i).padStart(2, '0')}`);
      const created = new Map<string, KeyValue>();
      for (const k of keys) created.set(k, await store.create(k, `${k}@1`));

      const first = await store.list(p, { limit: 10 });
      assert.equal(first.items.length, 10);
      assert.equal(first.more, true);
      assert.equal(first.remaining, 15);
      const rev = first.revision;

      // Writes after the snapshot: updates, deletes and creates on later pages, and one before.
      await store.update(keys[15], 'changed', created.get(keys[15])!.modRevision);
      await store.delete(keys[20]);
      await store.create(`${p}k12a`, 'new');
      await store.update(keys[2], 'changed', created.get(keys[2])!.modRevision);
      await store.delete(keys[24]);

      const second = await store.list(p, { limit: 10, continueAfter: first.items[9].key, revision: rev });
      await store.create(`${p}k19a`, 'new');
      await store.delete(keys[21]);
      const third = await store.list(p, { limit: 10, continueAfter: second.items[9].key, revision: rev });
      assert.equal(second.revision, rev);
      assert.equal(second.more, true);
      assert.equal(second.remaining, 5);
      assert.equal(third.more, false);

      const all = [...first.items, ...second.items, ...third.items];
      assert.deepEqual(all, keys.map((k) => created.get(k)!));

      // At the current revision the writes are visible.
      const now = await store.list(p);
      assert.equal(now.items.length, 25 - 3 + 2);
      assert.equal(now.items.find((kv) => kv.key === keys[15])?.value, 'changed');
    });

    test('list at a past revision sees keys as they were, deleted ones included', async () => {
      const p = space();
      const a = await store.create(`${p}a`, 'a1');
      const b = await store.create(`${p}b`, 'b1');
      const rev = await store.currentRevision();
      await store.update(`${p}a`, 'a2', a.modRevision);
      await store.delete(`${p}b`);
      await store.create(`${p}c`, 'c1');
      const past = await store.list(p, { revision: rev });
      assert.deepEqual(past.items, [a, b]);
      assert.equal(past.revision, rev);
      const paged = await store.list(p, { revision: rev, limit: 1 });
      assert.deepEqual(paged.items, [a]);
      assert.equal(paged.more, true);
      assert.equal(paged.remaining, 1);
    });

    test('watch from a revision replays history, then continues live', async () => {
      const p = space();
      const a = await store.create(`${p}a`, '1');
      await store.create(`${p}b`, '1');
      await store.create(`${p}c`, '1');
      await store.create('/conformance-other/x', 'not watched');
      const rec = new Recorder(store, p, a.modRevision);
      await rec.waitForCount(2);
      assert.deepEqual(
        rec.events.map((e) => [e.type, e.kv.key]),
        [
          ['put', `${p}b`],
          ['put', `${p}c`],
        ],
      );
      const d = await store.create(`${p}d`, '1');
      await rec.waitForCount(3);
      assert.equal(rec.events[2].kv.modRevision, d.modRevision);
      assert.equal(rec.events[2].prevKv, undefined);
      assertIncreasing(rec.revisions());
      rec.watch.cancel();
      await store.create(`${p}e`, '1');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(rec.events.length, 3);
      assert.equal(rec.error, undefined);
    });

    test('watch resumed from the last seen revision under concurrent writes: no gap, no duplicate', async () => {
      const p = space();
      const start = await store.currentRevision();
      const written: number[] = [];
      const writer = (async () => {
        for (let round = 0; round < 40; round++) {
          const kvs = await Promise.all(Array.from({ length: 5 }, (_, i) => store.create(`${p}${round}-${i}`, 'v')));
          written.push(...kvs.map((kv) => kv.modRevision));
          await new Promise((r) => setTimeout(r, 2));
        }
      })();

      // Each watch is dropped after a few dozen events, wherever that falls in a batch, and the
      // next one resumes from the last revision seen.
      const seen: WatchEvent[] = [];
      let resumes = 0;
      let failure: Error | undefined;
      let current: Watch | undefined;
      const follow = (afterRevision: number, cutAt: number): void => {
        const w = (current = store.watch(p, afterRevision, {
          onEvents: (events) => {
            for (const ev of events) {
              seen.push(ev);
              if (seen.length < cutAt) continue;
              w.cancel();
              resumes++;
              follow(ev.kv.modRevision, cutAt + 37);
              return;
            }
          },
          onError: (err) => {
            failure = err;
          },
        }));
      };
      follow(start, 23);
      await writer;
      await waitFor(`all ${written.length} writes (seen ${seen.length})`, () => seen.length >= written.length);
      await new Promise((r) => setTimeout(r, 50));
      current!.cancel();
      assert.equal(failure, undefined);
      assert.ok(resumes >= 5, `resumed ${resumes} times`);
      const revs = seen.map((e) => e.kv.modRevision);
      assertIncreasing(revs);
      assert.deepEqual(revs, [...written].sort((x, y) => x - y));
    });

    test('events carry prevKv; a delete event carries the last value', async () => {
      const p = space();
      const rec = new Recorder(store, p, await store.currentRevision());
      const c = await store.create(`${p}a`, 'first');
      const u = await store.update(`${p}a`, 'second', c.modRevision);
      const d = await store.delete(`${p}a`);
      await rec.waitForCount(3);
      const [ec, eu, ed] = rec.events;
      assert.equal(ec.type, 'put');
      assert.deepEqual(ec.kv, c);
      assert.equal(ec.prevKv, undefined);
      assert.equal(eu.type, 'put');
      assert.deepEqual(eu.kv, u);
      assert.deepEqual(eu.prevKv, c);
      assert.equal(ed.type, 'delete');
      assert.equal(ed.kv.key, `${p}a`);
      assert.equal(ed.kv.value, 'second');
      assert.equal(ed.kv.modRevision, d.modRevision);
      assert.deepEqual(ed.prevKv, u);
      rec.watch.cancel();
    });

    test('compaction: older list and watch fail with CompactedError, newer ones still work', async () => {
      const p = space();
      const a = await store.create(`${p}a`, 'a1');
      const b = await store.create(`${p}b`, 'b1');
      const gone = await store.create(`${p}gone`, 'x');
      await store.update(`${p}a`, 'a2', a.modRevision);
      await store.delete(`${p}gone`);
      const c = await store.create(`${p}c`, 'c1');
      const keep = c.modRevision;
      const before = await store.list(p, { revision: keep });
      const b2 = await store.update(`${p}b`, 'b2', b.modRevision);
      await store.delete(`${p}c`);

      await store.compact(keep);
      assert.ok((await store.compactedRevision()) >= keep);
      await assert.rejects(store.list(p, { revision: keep - 1 }), (err: unknown) => {
        assert.ok(err instanceof CompactedError);
        assert.equal(err.requested, keep - 1);
        assert.ok(err.compacted >= keep);
        return true;
      });
      assert.deepEqual(await store.list(p, { revision: keep }), before);
      assert.equal(before.items.some((kv) => kv.key === gone.key), false);

      const old = new Recorder(store, p, keep - 2);
      const err = await old.waitForError();
      assert.ok(err instanceof CompactedError, `got ${err}`);
      assert.deepEqual(old.events, []);

      // Watching from just before the compacted revision still delivers everything after it.
      const fresh = new Recorder(store, p, keep - 1);
      await fresh.waitForCount(3);
      assert.deepEqual(
        fresh.events.map((e) => [e.type, e.kv.key, e.kv.modRevision]),
        [
          ['put', `${p}c`, keep],
          ['put', `${p}b`, b2.modRevision],
          ['delete', `${p}c`, b2.modRevision + 1],
        ],
      );
      assert.deepEqual(fresh.events[1].prevKv, b);
      fresh.watch.cancel();
      // Compacting again to an older revision is a no-op.
      await store.compact(keep - 1);
      assert.ok((await store.compactedRevision()) >= keep);
    });

    test('a key written with a TTL expires as a delete event', async () => {
      const p = space();
      const rec = new Recorder(store, p, await store.currentRevision());
      const kv = await store.create(`${p}event`, 'short-lived', { ttlSeconds: 1 });
      await store.create(`${p}stays`, 'v');
      await rec.waitForCount(3, 15_000);
      const del = rec.events[2];
      assert.equal(del.type, 'delete');
      assert.equal(del.kv.key, `${p}event`);
      assert.equal(del.kv.value, 'short-lived');
      assert.deepEqual(del.prevKv, kv);
      assert.equal(await store.get(`${p}event`), undefined);
      assert.equal((await store.get(`${p}stays`))?.value, 'v');
      rec.watch.cancel();
    });
  });
}
