// SqliteStore: the embedded Store. Same shape as k3s's kine: an append-only `log` table holds
// every version (the revision is its rowid) and a small `kv` table indexes the current version
// of each live key. Writes issued in the same tick share one transaction (group commit). They
// are acknowledged, and shown to watchers and readers, only once the write-ahead log holding
// them is on disk: the store fsyncs the WAL itself, off the event loop, so that the next
// transactions commit while the disk works (as etcd syncs its WAL beside the apply loop).
import { close as closeFd, fdatasync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type Watch,
  type WatchEvent,
  type WatchHandlers,
  type WriteOptions,
} from './store.js';

/** Events read from the log per step of a watch replay. */
const REPLAY_CHUNK = 1000;
/** Revisions compacted per transaction, so that a large compaction does not stall writes. */
const COMPACT_STEP = 10_000;
const TTL_SWEEP_INTERVAL_MS = 1000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  value TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_mod_revision INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  create_revision INTEGER NOT NULL,
  mod_revision INTEGER NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

// Log rows: `deleted` rows carry the last value of the key, `create_revision` of the deleted
// version and, in `prev_mod_revision`, its mod revision. Put rows point at the version they
// replaced (0 for a create), which gives prevKv and lets a past revision be reconstructed.
interface LogRow {
  revision: number;
  key: string;
  deleted: number;
  value: string;
  create_revision: number;
  prev_mod_revision: number;
  prev_value: string | null;
}

type WriteKind = 'create' | 'update' | 'delete';

/** A committed transaction waiting for the WAL sync that makes it durable. */
interface CommittedBatch {
  writes: PendingWrite[];
  results: (KeyValue | Error)[];
  events: WatchEvent[];
}

interface PendingWrite {
  kind: WriteKind;
  key: string;
  value: string;
  /** Expected mod revision; -1 when the write does not compare. */
  expected: number;
  expiresAt: number | null;
  resolve(kv: KeyValue): void;
  reject(err: Error): void;
}

// Keys compare as UTF-8 byte strings (SQLite's BINARY collation). No valid UTF-8 contains
// the byte 0xFF, so prefix+0xFF (bound as a BLOB, cast to TEXT) is the exclusive end of the
// prefix range.
function rangeEnd(prefix: string): Buffer {
  const len = Buffer.byteLength(prefix);
  const end = Buffer.allocUnsafe(len + 1);
  end.write(prefix, 0, 'utf8');
  end[len] = 0xff;
  return end;
}

function rethrowLater(err: unknown): void {
  setImmediate(() => {
    throw err;
  });
}

const KV_COLUMNS =
  'kv.key AS key, l.value AS value, kv.create_revision AS createRevision, kv.mod_revision AS modRevision';

interface PastRange {
  start: string;
  end: Buffer;
  rev: number;
}

// A list at a past revision: keys unchanged since then come from kv; for each key changed
// after it, the first later log row names the version that was current then (none for a
// create). Both sides arrive in key order and SQLite merges them.
function listAtSql(startOp: '>=' | '>'): string {
  return `SELECT ${KV_COLUMNS} FROM kv JOIN log l ON l.revision = kv.mod_revision
    WHERE kv.key ${startOp} @start AND kv.key < CAST(@end AS TEXT) AND kv.mod_revision <= @rev
    UNION ALL
    SELECT p.key, p.value, p.create_revision, p.revision
    FROM (SELECT MIN(revision), prev_mod_revision AS pm FROM log
          WHERE revision > @rev AND key ${startOp} @start AND key < CAST(@end AS TEXT) GROUP BY key) f
    JOIN log p ON p.revision = f.pm
    ORDER BY 1 LIMIT @limit`;
}

class SqliteWatch implements Watch {
  /** Events up to this revision have been delivered. */
  lastRevision: number;
  /** True once the replay caught up: commits are then pushed directly. */
  live = false;
  cancelled = false;
  readonly end: Buffer;

  constructor(
    private readonly store: SqliteStore,
    readonly prefix: string,
    afterRevision: number,
    readonly handlers: WatchHandlers,
  ) {
    this.lastRevision = afterRevision;
    this.end = rangeEnd(prefix);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.store.detach(this);
  }

  deliver(events: WatchEvent[]): void {
    try {
      this.handlers.onEvents(events);
    } catch (err) {
      rethrowLater(err);
    }
  }

  fail(err: Error): void {
    if (this.cancelled) return;
    this.cancel();
    try {
      this.handlers.onError(err);
    } catch (e) {
      rethrowLater(e);
    }
  }
}

export class SqliteStore implements Store {
  readonly name = 'sqlite';
  private readonly db: Database.Database;
  /** The revision of the last committed write. */
  private revision: number;
  /** The revision up to which writes are on disk, acknowledged and delivered to watchers. */
  private durable: number;
  /** The WAL file, fsynced before writes are acknowledged; undefined in memory. */
  private readonly walPath: string | undefined;
  private walFd: number | undefined;
  /** Committed, not yet synced; and whether a sync is running (one at a time, each covering all commits before it). */
  private unsynced: CommittedBatch[] = [];
  private syncing = false;
  /** Reads waiting for a revision to be durable; and close() waiting for the last sync. */
  private durableWaiters: { revision: number; resolve: () => void }[] = [];
  private idleWaiters: (() => void)[] = [];
  private compacted: number;
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly watchers = new Set<SqliteWatch>();
  private readonly sweepTimer: NodeJS.Timeout;
  private compaction: Promise<void> = Promise.resolve();

  private readonly stmt: {
    current: Database.Statement<[string], KeyValue>;
    insertLog: Database.Statement<[number, string, number, string, number, number]>;
    insertKv: Database.Statement<[string, number, number, number | null]>;
    updateKv: Database.Statement<[number, number | null, string]>;
    deleteKv: Database.Statement<[string]>;
    listFrom: Database.Statement<[string, Buffer, number], KeyValue>;
    listAfter: Database.Statement<[string, Buffer, number], KeyValue>;
    listAtFrom: Database.Statement<[PastRange & { limit: number }], KeyValue>;
    listAtAfter: Database.Statement<[PastRange & { limit: number }], KeyValue>;
    count: Database.Statement<[string, Buffer], number>;
    countAfter: Database.Statement<[string, Buffer], number>;
    countAt: Database.Statement<[PastRange], number>;
    replay: Database.Statement<[number, number, string, Buffer, number], LogRow>;
    expired: Database.Statement<[number], { key: string; mod_revision: number }>;
    dropSuperseded: Database.Statement<[number, number]>;
    dropTombstones: Database.Statement<[number, number]>;
    setMeta: Database.Statement<[string, number]>;
  };
  private readonly applyBatch: (batch: PendingWrite[]) => { results: (KeyValue | Error)[]; events: WatchEvent[] };
  private readonly compactStep: (from: number, to: number) => void;

  private constructor(db: Database.Database, walPath: string | undefined) {
    this.db = db;
    this.walPath = walPath;
    db.exec(SCHEMA);
    this.revision = (db.prepare('SELECT MAX(revision) FROM log').pluck().get() as number | null) ?? 0;
    this.durable = this.revision;
    this.compacted =
      (db.prepare(`SELECT value FROM meta WHERE name = 'compacted'`).pluck().get() as number | undefined) ?? 0;

    const end = 'CAST(? AS TEXT)';
    this.stmt = {
      current: db.prepare(`SELECT ${KV_COLUMNS} FROM kv JOIN log l ON l.revision = kv.mod_revision WHERE kv.key = ?`),
      insertLog: db.prepare(
        'INSERT INTO log (revision, key, deleted, value, create_revision, prev_mod_revision) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertKv: db.prepare(
        'INSERT INTO kv (key, create_revision, mod_revision, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
      ),
      updateKv: db.prepare('UPDATE kv SET mod_revision = ?, expires_at = ? WHERE key = ?'),
      deleteKv: db.prepare('DELETE FROM kv WHERE key = ?'),
      listFrom: db.prepare(
        `SELECT ${KV_COLUMNS} FROM kv JOIN log l ON l.revision = kv.mod_revision
         WHERE kv.key >= ? AND kv.key < ${end} ORDER BY kv.key LIMIT ?`,
      ),
      listAfter: db.prepare(
        `SELECT ${KV_COLUMNS} FROM kv JOIN log l ON l.revision = kv.mod_revision
         WHERE kv.key > ? AND kv.key < ${end} ORDER BY kv.key LIMIT ?`,
      ),
      listAtFrom: db.prepare(listAtSql('>=')),
      listAtAfter: db.prepare(listAtSql('>')),
      count: db.prepare<[string, Buffer], number>(`SELECT COUNT(*) FROM kv WHERE key >= ? AND key < ${end}`).pluck(),
      countAfter: db.prepare<[string, Buffer], number>(`SELECT COUNT(*) FROM kv WHERE key > ? AND key < ${end}`).pluck(),
      countAt: db
        .prepare<[PastRange], number>(
          `SELECT (SELECT COUNT(*) FROM kv WHERE key > @start AND key < CAST(@end AS TEXT) AND mod_revision <= @rev)
                + (SELECT COUNT(*) FROM (SELECT MIN(revision), prev_mod_revision AS pm FROM log
                   WHERE revision > @rev AND key > @start AND key < CAST(@end AS TEXT) GROUP BY key) WHERE pm > 0)`,
        )
        .pluck(),
      replay: db.prepare(
        `SELECT l.revision, l.key, l.deleted, l.value, l.create_revision, l.prev_mod_revision, p.value AS prev_value
         FROM log l LEFT JOIN log p ON p.revision = l.prev_mod_revision AND l.deleted = 0
         WHERE l.revision > ? AND l.revision <= ? AND l.key >= ? AND l.key < ${end} ORDER BY l.revision LIMIT ?`,
      ),
      expired: db.prepare('SELECT key, mod_revision FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?'),
      // A row older than the compaction point is dropped when a later row (also older) replaced
      // it, and tombstones are dropped: what stays is the latest live version of each key.
      dropSuperseded: db.prepare(
        `DELETE FROM log WHERE revision IN
         (SELECT prev_mod_revision FROM log WHERE revision >= ? AND revision < ? AND prev_mod_revision > 0)`,
      ),
      dropTombstones: db.prepare('DELETE FROM log WHERE revision >= ? AND revision < ? AND deleted = 1'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)'),
    };

    this.applyBatch = db.transaction((batch: PendingWrite[]) => {
      let rev = this.revision;
      const results: (KeyValue | Error)[] = [];
      const events: WatchEvent[] = [];
      for (const w of batch) {
        if (w.kind === 'create') {
          // The insert itself is the existence check.
          if (this.stmt.insertKv.run(w.key, rev + 1, rev + 1, w.expiresAt).changes === 0) {
            results.push(new KeyExistsError(w.key));
            continue;
          }
          rev++;
          this.stmt.insertLog.run(rev, w.key, 0, w.value, rev, 0);
          const kv: KeyValue = { key: w.key, value: w.value, createRevision: rev, modRevision: rev };
          results.push(kv);
          events.push({ type: 'put', kv });
          continue;
        }
        const prev = this.stmt.current.get(w.key);
        if (!prev) {
          results.push(new KeyNotFoundError(w.key));
          continue;
        }
        if (w.expected >= 0 && prev.modRevision !== w.expected) {
          results.push(new ConflictError(w.key, prev));
          continue;
        }
        rev++;
        if (w.kind === 'update') {
          this.stmt.insertLog.run(rev, w.key, 0, w.value, prev.createRevision, prev.modRevision);
          this.stmt.updateKv.run(rev, w.expiresAt, w.key);
          const kv: KeyValue = { key: w.key, value: w.value, createRevision: prev.createRevision, modRevision: rev };
          results.push(kv);
          events.push({ type: 'put', kv, prevKv: prev });
        } else {
          this.stmt.insertLog.run(rev, w.key, 1, prev.value, prev.createRevision, prev.modRevision);
          this.stmt.deleteKv.run(w.key);
          const kv: KeyValue = { key: w.key, value: prev.value, createRevision: prev.createRevision, modRevision: rev };
          results.push(kv);
          events.push({ type: 'delete', kv, prevKv: prev });
        }
      }
      return { results, events };
    });

    this.compactStep = db.transaction((from: number, to: number) => {
      this.stmt.dropSuperseded.run(from, to);
      this.stmt.dropTombstones.run(from, to);
      this.stmt.setMeta.run('compacted', to);
    });

    this.sweepTimer = setInterval(() => this.sweepExpired(), TTL_SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  /** Opens (creating if needed) the store in a SQLite file, or in memory with ':memory:'. */
  static open(path: string | ':memory:'): SqliteStore {
    const db = new Database(path);
    const wal = path !== ':memory:' && db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    // With a WAL, NORMAL: SQLite syncs at checkpoints only and the store fsyncs the WAL after
    // each commit before acknowledging it, so an acknowledged write survives power loss as with
    // FULL. Without one (a file system that cannot share memory), SQLite syncs every commit.
    if (path !== ':memory:') db.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    return new SqliteStore(db, wal ? `${path}-wal` : undefined);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const kv = this.stmt.current.get(key);
    // Nothing a write could still lose is returned: wait for the version read (for an absent
    // key, everything committed so far, which may have deleted it) to be on disk.
    await this.durableAt(kv ? kv.modRevision : this.revision);
    return kv;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const end = rangeEnd(prefix);
    const after = opts.continueAfter !== undefined && opts.continueAfter >= prefix ? opts.continueAfter : undefined;
    // By default the newest durable revision: commits still being synced are not shown.
    const rev = opts.revision && opts.revision > 0 ? opts.revision : this.durable;
    if (rev > this.revision) throw new Error(`required revision ${rev} is a future revision`);
    await this.durableAt(rev);
    if (rev < this.compacted) throw new CompactedError(rev, this.compacted);

    // One extra row tells whether more follow.
    const fetch = limit > 0 ? limit + 1 : -1;
    let items: KeyValue[];
    if (rev === this.revision) {
      items =
        after === undefined ? this.stmt.listFrom.all(prefix, end, fetch) : this.stmt.listAfter.all(after, end, fetch);
    } else if (after === undefined) {
      items = this.stmt.listAtFrom.all({ start: prefix, end, rev, limit: fetch });
    } else {
      items = this.stmt.listAtAfter.all({ start: after, end, rev, limit: fetch });
    }
    const more = limit > 0 && items.length > limit;
    if (!more) return { items, revision: rev, more };
    items.length = limit;
    const last = items[limit - 1].key;
    const remaining =
      rev === this.revision ? this.stmt.countAfter.get(last, end)! : this.stmt.countAt.get({ start: last, end, rev })!;
    return { items, revision: rev, more, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return this.stmt.count.get(prefix, rangeEnd(prefix))!;
  }

  create(key: string, value: string, opts?: WriteOptions): Promise<KeyValue> {
    return this.enqueue('create', key, value, -1, opts);
  }

  update(key: string, value: string, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue> {
    return this.enqueue('update', key, value, expectedModRevision, opts);
  }

  delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.enqueue('delete', key, '', expectedModRevision ?? -1);
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    const w = new SqliteWatch(this, prefix, Math.max(afterRevision, 0), handlers);
    if (this.closed) {
      setImmediate(() => w.fail(new Error('store is closed')));
      return w;
    }
    this.watchers.add(w);
    setImmediate(() => this.catchUp(w));
    return w;
  }

  compact(revision: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    if (revision > this.revision) {
      return Promise.reject(new Error(`required revision ${revision} is a future revision`));
    }
    // Compactions run one after another; each step is its own short transaction.
    const run = async (): Promise<void> => {
      while (this.compacted < revision && !this.closed) {
        const to = Math.min(revision, this.compacted + COMPACT_STEP);
        this.compactStep(this.compacted, to);
        this.compacted = to;
        if (to < revision) await new Promise(setImmediate);
      }
    };
    this.compaction = this.compaction.then(run, run);
    return this.compaction;
  }

  /** The newest revision readers may see: commits still being synced are not yet part of it. */
  async currentRevision(): Promise<number> {
    return this.durable;
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.sweepTimer);
    this.flush();
    this.closed = true;
    if (this.syncing || this.unsynced.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.compaction.catch(() => undefined);
    for (const w of [...this.watchers]) w.fail(new Error('store is closed'));
    if (this.walFd !== undefined) closeFd(this.walFd, () => {});
    this.db.close();
  }

  /** Resolves once the writes up to `revision` are on disk. */
  private durableAt(revision: number): Promise<void> | undefined {
    if (revision <= this.durable) return undefined;
    return new Promise((resolve) => this.durableWaiters.push({ revision, resolve }));
  }

  /** @internal */
  detach(w: SqliteWatch): void {
    this.watchers.delete(w);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private enqueue(kind: WriteKind, key: string, value: string, expected: number, opts?: WriteOptions): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    const ttl = opts?.ttlSeconds;
    const expiresAt = ttl !== undefined && ttl > 0 ? Date.now() + ttl * 1000 : null;
    return new Promise((resolve, reject) => {
      this.queue.push({ kind, key, value, expected, expiresAt, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  // Applies every write queued since the last flush in one transaction. Compare-and-swap
  // failures fail only their own write; an SQLite error rolls back and fails the whole batch.
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcome: ReturnType<typeof this.applyBatch>;
    try {
      outcome = this.applyBatch(batch);
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
      return;
    }
    const { results, events } = outcome;
    if (events.length > 0) this.revision = events[events.length - 1].kv.modRevision;
    // Failed compare-and-swaps wait too: what they compared with may not be durable yet.
    this.unsynced.push({ writes: batch, results, events });
    if (this.walPath === undefined) this.settle(this.unsynced.splice(0), undefined);
    else this.syncWal();
  };

  /** Starts a WAL sync covering every commit so far, unless one runs (it starts the next when done). */
  private syncWal(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    const group = this.unsynced;
    this.unsynced = [];
    this.syncing = true;
    let fd: number;
    try {
      fd = this.walFd ??= openSync(this.walPath!, 'r');
    } catch (err) {
      this.syncing = false;
      this.settle(group, err as Error);
      return;
    }
    fdatasync(fd, (err) => {
      this.syncing = false;
      this.settle(group, err ?? undefined);
      this.syncWal();
    });
  }

  /**
   * Acknowledges synced batches (or fails them all when the sync failed: they are committed, but
   * not known to be durable), then delivers their events and wakes reads waiting for them.
   */
  private settle(group: CommittedBatch[], syncError: Error | undefined): void {
    const events: WatchEvent[] = [];
    for (const { writes, results, events: batchEvents } of group) {
      for (let i = 0; i < writes.length; i++) {
        const r = results[i];
        if (syncError) writes[i].reject(syncError);
        else if (r instanceof Error) writes[i].reject(r);
        else writes[i].resolve(r);
      }
      for (const e of batchEvents) events.push(e);
    }
    if (events.length > 0) {
      this.durable = events[events.length - 1].kv.modRevision;
      this.dispatch(events);
    }
    if (this.durableWaiters.length > 0) {
      const waiting = this.durableWaiters;
      this.durableWaiters = [];
      for (const w of waiting) {
        if (w.revision <= this.durable) w.resolve();
        else this.durableWaiters.push(w);
      }
    }
    if (!this.syncing && this.unsynced.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private dispatch(events: WatchEvent[]): void {
    const rev = events[events.length - 1].kv.modRevision;
    const first = events[0].kv.modRevision;
    for (const w of this.watchers) {
      if (!w.live || w.lastRevision >= rev) continue;
      const after = w.lastRevision;
      w.lastRevision = rev;
      if (w.prefix === '' && first > after) {
        w.deliver(events);
        continue;
      }
      let matched: WatchEvent[] | undefined;
      for (const ev of events) {
        if (ev.kv.modRevision > after && ev.kv.key.startsWith(w.prefix)) (matched ??= []).push(ev);
      }
      if (matched) w.deliver(matched);
    }
  }

  // Replays the log after the watcher's revision in chunks, up to the durable revision. Later
  // commits are delivered by dispatch once synced, so going live in the same step as the last
  // read leaves no gap and no duplicate.
  private catchUp(w: SqliteWatch): void {
    if (w.cancelled) return;
    if (this.closed) return w.fail(new Error('store is closed'));
    if (w.lastRevision + 1 < this.compacted) return w.fail(new CompactedError(w.lastRevision + 1, this.compacted));
    const rows = this.stmt.replay.all(w.lastRevision, this.durable, w.prefix, w.end, REPLAY_CHUNK);
    const done = rows.length < REPLAY_CHUNK;
    if (rows.length > 0) w.lastRevision = rows[rows.length - 1].revision;
    if (done) {
      // A watch from a future revision stays ahead: dispatch skips what it already covers.
      w.lastRevision = Math.max(w.lastRevision, this.durable);
      w.live = true;
    }
    if (rows.length > 0) w.deliver(rows.map(toEvent));
    if (!done) setImmediate(() => this.catchUp(w));
  }

  private sweepExpired(): void {
    if (this.closed) return;
    for (const { key, mod_revision } of this.stmt.expired.all(Date.now())) {
      // Compare on the mod revision: a write that refreshed the key meanwhile wins.
      this.enqueue('delete', key, '', mod_revision).catch(() => undefined);
    }
  }
}

function toEvent(row: LogRow): WatchEvent {
  if (row.deleted) {
    const prevKv: KeyValue = {
      key: row.key,
      value: row.value,
      createRevision: row.create_revision,
      modRevision: row.prev_mod_revision,
    };
    return {
      type: 'delete',
      kv: { key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.revision },
      prevKv,
    };
  }
  const kv: KeyValue = { key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.revision };
  if (row.prev_mod_revision === 0 || row.prev_value === null) return { type: 'put', kv };
  return {
    type: 'put',
    kv,
    prevKv: { key: row.key, value: row.prev_value, createRevision: row.create_revision, modRevision: row.prev_mod_revision },
  };
}
