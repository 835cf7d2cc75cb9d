// EtcdStore: the Store on etcd v3 (3.4+). Keys and revisions map one to one: an object's
// resourceVersion is etcd's mod_revision. Writes are single transactions that compare and then
// put (or read back the current version when the comparison fails), as kube-apiserver does.
import {
  CompareResult,
  CompareTarget,
  Etcd3,
  type IDuplexStream,
  type IEvent,
  type IKeyValue,
  type IRangeResponse,
  type ITxnResponse,
  type IWatchRequest,
  type IWatchResponse,
} from 'etcd3';
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

/**
 * Where compactions done through this store are recorded (the same key kube-apiserver uses),
 * so that every API server sharing the etcd sees the compacted revision.
 */
const COMPACT_REV_KEY = Buffer.from('compact_rev_key');
const WATCH_RETRY_MIN_MS = 100;
const WATCH_RETRY_MAX_MS = 5000;
/** kube-apiserver's lease manager: reuse a lease whose expiry is within 5% (≤ 60 s) of the one wanted. */
const LEASE_REUSE_FRACTION = 0.05;
const LEASE_REUSE_MAX_SECONDS = 60;

const COMPACTED_MESSAGE = 'required revision has been compacted';
const FUTURE_MESSAGE = 'required revision is a future revision';

/** The exclusive end of the range of keys starting with prefix (etcd's "prefix + 1"). */
function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  // Empty (or all 0xff) prefix: '\0' as range_end means "to the end of the keyspace".
  return Buffer.from([0]);
}

function toKeyValue(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

function toWatchEvent(ev: IEvent): WatchEvent {
  const prevKv = ev.prev_kv ? toKeyValue(ev.prev_kv) : undefined;
  if (ev.type === 'Delete') {
    // etcd's delete event carries only the key and the deletion revision; the last value is in prev_kv.
    return {
      type: 'delete',
      kv: {
        key: ev.kv.key.toString(),
        value: prevKv?.value ?? '',
        createRevision: prevKv?.createRevision ?? 0,
        modRevision: Number(ev.kv.mod_revision),
      },
      prevKv,
    };
  }
  return prevKv ? { type: 'put', kv: toKeyValue(ev.kv), prevKv } : { type: 'put', kv: toKeyValue(ev.kv) };
}

function isCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes(COMPACTED_MESSAGE);
}

function rethrowLater(err: unknown): void {
  setImmediate(() => {
    throw err;
  });
}

// The etcd3 library treats an error on a still-writable watch stream as a broken connection and
// resets every client of that host; ending the writable side first makes a cancel just a cancel.
function closeStream(stream: IDuplexStream<IWatchRequest, IWatchResponse>): void {
  stream.end();
  stream.cancel();
}

// One gRPC watch stream per Store watch. The stream is reopened after a failure from the last
// delivered revision, so a reconnect neither loses nor repeats events.
class EtcdWatch implements Watch {
  private stream?: IDuplexStream<IWatchRequest, IWatchResponse>;
  private cancelled = false;
  private retryDelay = WATCH_RETRY_MIN_MS;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly store: EtcdStore,
    private readonly client: Etcd3,
    private readonly key: Buffer,
    private readonly rangeEnd: Buffer,
    private lastRevision: number,
    private readonly handlers: WatchHandlers,
  ) {
    void this.open();
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    clearTimeout(this.retryTimer);
    if (this.stream) closeStream(this.stream);
    this.stream = undefined;
    this.store.detach(this);
  }

  /** Ends the watch with an error (called by the store on close, too). */
  fail(err: Error): void {
    if (this.cancelled) return;
    this.cancel();
    try {
      this.handlers.onError(err);
    } catch (e) {
      rethrowLater(e);
    }
  }

  private async open(): Promise<void> {
    let stream: IDuplexStream<IWatchRequest, IWatchResponse>;
    try {
      stream = await this.client.watchClient.watch();
    } catch {
      this.retry();
      return;
    }
    if (this.cancelled) {
      stream.on('error', () => undefined);
      closeStream(stream);
      return;
    }
    this.stream = stream;
    stream.on('data', (res) => this.onResponse(stream, res));
    stream.on('error', () => this.onBroken(stream));
    stream.on('end', () => this.onBroken(stream));
    stream.write({
      create_request: {
        key: this.key,
        range_end: this.rangeEnd,
        start_revision: this.lastRevision + 1,
        prev_kv: true,
      },
    });
  }

  private onResponse(stream: IDuplexStream<IWatchRequest, IWatchResponse>, res: IWatchResponse): void {
    if (stream !== this.stream) return;
    if (res.canceled) {
      const compacted = Number(res.compact_revision);
      if (compacted > 0) {
        this.store.sawCompaction(compacted);
        this.fail(new CompactedError(this.lastRevision + 1, compacted));
      } else {
        this.fail(new Error(`etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`));
      }
      return;
    }
    if (res.events.length === 0) return;
    this.retryDelay = WATCH_RETRY_MIN_MS;
    const events: WatchEvent[] = [];
    for (const ev of res.events) {
      const rev = Number(ev.kv.mod_revision);
      // A reopened stream starts after the last delivered revision; this keeps it exact.
      if (rev > this.lastRevision) events.push(toWatchEvent(ev));
    }
    if (events.length === 0) return;
    this.lastRevision = events[events.length - 1].kv.modRevision;
    try {
      this.handlers.onEvents(events);
    } catch (err) {
      rethrowLater(err);
    }
  }

  private onBroken(stream: IDuplexStream<IWatchRequest, IWatchResponse>): void {
    if (stream !== this.stream) return;
    this.stream = undefined;
    this.retry();
  }

  private retry(): void {
    if (this.cancelled) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, WATCH_RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }
}

export class EtcdStore implements Store {
  readonly name = 'etcd';
  private readonly watches = new Set<EtcdWatch>();
  /** The highest compacted revision this client knows of (its own compactions, errors, the shared key). */
  private compacted = 0;
  private lease?: { id: string; expiresAt: number };

  private constructor(private readonly client: Etcd3) {}

  /** Connects to etcd and checks that it answers. */
  static async connect(endpoints: string[]): Promise<EtcdStore> {
    const client = new Etcd3({ hosts: endpoints, dialTimeout: 10_000 });
    const store = new EtcdStore(client);
    try {
      await store.currentRevision();
    } catch (err) {
      client.close();
      throw new Error(`cannot reach etcd at ${endpoints.join(',')}: ${(err as Error).message}`);
    }
    return store;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.client.kv.range({ key: Buffer.from(key) });
    return res.kvs.length > 0 ? toKeyValue(res.kvs[0]) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const prefixBytes = Buffer.from(prefix);
    const start =
      opts.continueAfter !== undefined && opts.continueAfter >= prefix
        ? Buffer.concat([Buffer.from(opts.continueAfter), Buffer.from([0])])
        : prefixBytes;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const revision = opts.revision && opts.revision > 0 ? opts.revision : 0;
    let res: IRangeResponse;
    try {
      res = await this.client.kv.range({ key: start, range_end: prefixEnd(prefixBytes), limit, revision });
    } catch (err) {
      throw await this.translateReadError(err, revision);
    }
    const items = res.kvs.map(toKeyValue);
    const result: ListResult = { items, revision: revision || Number(res.header.revision), more: res.more };
    // etcd's count covers the whole requested range, this page included.
    if (res.more) result.remaining = Number(res.count) - items.length;
    return result;
  }

  async count(prefix: string): Promise<number> {
    const key = Buffer.from(prefix);
    const res = await this.client.kv.range({ key, range_end: prefixEnd(key), count_only: true });
    return Number(res.count);
  }

  async create(key: string, value: string, opts?: WriteOptions): Promise<KeyValue> {
    const k = Buffer.from(key);
    const lease = await this.leaseFor(opts?.ttlSeconds);
    const res = await this.client.kv.txn({
      compare: [{ key: k, target: CompareTarget.Create, result: CompareResult.Equal, create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value), lease } }],
    });
    if (!res.succeeded) throw new KeyExistsError(key);
    const rev = Number(res.header.revision);
    return { key, value, createRevision: rev, modRevision: rev };
  }

  async update(key: string, value: string, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue> {
    const k = Buffer.from(key);
    const lease = await this.leaseFor(opts?.ttlSeconds);
    const res = await this.client.kv.txn({
      // The version check keeps an expected revision of 0 from matching an absent key.
      compare: [
        { key: k, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: expectedModRevision },
        { key: k, target: CompareTarget.Version, result: CompareResult.Greater, version: 0 },
      ],
      success: [{ request_put: { key: k, value: Buffer.from(value), lease, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.casFailure(key, res);
    const prev = res.responses[0].response_put.prev_kv;
    return { key, value, createRevision: Number(prev.create_revision), modRevision: Number(res.header.revision) };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = Buffer.from(key);
    const remove = { request_delete_range: { key: k, prev_kv: true } };
    const res =
      expectedModRevision === undefined
        ? await this.client.kv.txn({ success: [remove] })
        : await this.client.kv.txn({
            compare: [{ key: k, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: expectedModRevision }],
            success: [remove],
            failure: [{ request_range: { key: k } }],
          });
    if (!res.succeeded) throw this.casFailure(key, res);
    const prev = res.responses[0].response_delete_range.prev_kvs[0];
    if (!prev) throw new KeyNotFoundError(key);
    return {
      key,
      value: prev.value.toString(),
      createRevision: Number(prev.create_revision),
      modRevision: Number(res.header.revision),
    };
  }

  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    const key = Buffer.from(prefix);
    const w = new EtcdWatch(this, this.client, key, prefixEnd(key), Math.max(afterRevision, 0), handlers);
    this.watches.add(w);
    return w;
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.client.kv.compact({ revision, physical: true });
    } catch (err) {
      if (!isCompacted(err)) throw err;
    }
    this.sawCompaction(revision);
    // Raise the shared record (compare-and-swap, as kube-apiserver's compactor does).
    for (;;) {
      const known = await this.readCompactRevKey();
      if (known.revision >= revision) return;
      const res = await this.client.kv.txn({
        compare: [{ key: COMPACT_REV_KEY, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: known.modRevision }],
        success: [{ request_put: { key: COMPACT_REV_KEY, value: Buffer.from(String(revision)) } }],
      });
      if (res.succeeded) return;
    }
  }

  async currentRevision(): Promise<number> {
    const res = await this.client.kv.range({ key: COMPACT_REV_KEY, keys_only: true });
    return Number(res.header.revision);
  }

  /**
   * The highest of: what any API server recorded in compact_rev_key when compacting through
   * this Store, and what etcd reported in compaction errors to this client. A compaction done
   * outside k8ts (etcd's --auto-compaction) shows only once an error reveals it.
   */
  async compactedRevision(): Promise<number> {
    const { revision } = await this.readCompactRevKey();
    this.sawCompaction(revision);
    return this.compacted;
  }

  async close(): Promise<void> {
    for (const w of [...this.watches]) w.fail(new Error('store is closed'));
    this.client.close();
  }

  /** @internal */
  detach(w: EtcdWatch): void {
    this.watches.delete(w);
  }

  /** @internal */
  sawCompaction(revision: number): void {
    if (revision > this.compacted) this.compacted = revision;
  }

  private async readCompactRevKey(): Promise<{ revision: number; modRevision: number }> {
    const res = await this.client.kv.range({ key: COMPACT_REV_KEY });
    const kv = res.kvs[0];
    return kv ? { revision: Number(kv.value.toString()), modRevision: Number(kv.mod_revision) } : { revision: 0, modRevision: 0 };
  }

  private casFailure(key: string, res: ITxnResponse): Error {
    const current = res.responses[0]?.response_range?.kvs[0];
    return current ? new ConflictError(key, toKeyValue(current)) : new KeyNotFoundError(key);
  }

  private async translateReadError(err: unknown, revision: number): Promise<Error> {
    if (isCompacted(err)) {
      const compacted = await this.compactedRevision().catch(() => this.compacted);
      return new CompactedError(revision, Math.max(compacted, revision + 1));
    }
    if (err instanceof Error && err.message.includes(FUTURE_MESSAGE)) {
      return new Error(`required revision ${revision} is a future revision`);
    }
    return err as Error;
  }

  private async leaseFor(ttlSeconds: number | undefined): Promise<string | undefined> {
    if (ttlSeconds === undefined || ttlSeconds <= 0) return undefined;
    const now = Date.now();
    const reuseSeconds = Math.min(ttlSeconds * LEASE_REUSE_FRACTION, LEASE_REUSE_MAX_SECONDS);
    const wanted = now + ttlSeconds * 1000;
    const l = this.lease;
    if (l && l.expiresAt >= wanted && l.expiresAt <= wanted + reuseSeconds * 1000) return l.id;
    const ttl = Math.ceil(ttlSeconds + reuseSeconds);
    const res = await this.client.leaseClient.leaseGrant({ TTL: ttl });
    this.lease = { id: res.ID, expiresAt: now + ttl * 1000 };
    return res.ID;
  }
}
