// The Store contract (ARCHITECTURE.md): an MVCC key-value store with one global,
// monotonically increasing revision, modelled on etcd v3 so that etcd is a thin
// adapter and SQLite has the same shape.

/** One stored version of a key. `modRevision` is the object's resourceVersion. */
export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface ListOptions {
  /** At most this many items; 0 or undefined means all. */
  limit?: number;
  /** Start strictly after this key (the last key of the previous page). */
  continueAfter?: string;
  /** Read at this revision (0 or undefined: the current one). Older than the compacted revision → CompactedError. */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys under the prefix follow the last returned one. */
  more: boolean;
  /** Keys left after this page (only when `more`). */
  remaining?: number;
}

export interface WriteOptions {
  /** The key is deleted by the store this many seconds after the write (Events). */
  ttlSeconds?: number;
}

/**
 * A change to a key. For 'put', `kv` is the new version and `prevKv` the old one if it existed
 * (a create has createRevision === modRevision). For 'delete', `kv.modRevision` is the revision
 * of the deletion and `kv.value` the last value before it.
 */
export interface WatchEvent {
  type: 'put' | 'delete';
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface Watch {
  cancel(): void;
}

export interface WatchHandlers {
  /** Events arrive in revision order, each revision once. */
  onEvents(events: WatchEvent[]): void;
  /** The watch ended and will deliver nothing more (compaction: CompactedError). */
  onError(err: Error): void;
}

export interface Store {
  readonly name: string;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Counts keys under the prefix at the current revision. */
  count(prefix: string): Promise<number>;
  /** Fails with KeyExistsError if the key exists. Returns the new KeyValue. */
  create(key: string, value: string, opts?: WriteOptions): Promise<KeyValue>;
  /** Compare-and-swap on the current mod revision: ConflictError if it differs, KeyNotFoundError if absent. */
  update(key: string, value: string, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue>;
  /** Deletes the key (only if its mod revision matches, when given). Returns the deleted version with `modRevision` set to the deletion's revision. */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /** Delivers every change under the prefix with a revision strictly greater than `afterRevision`. */
  watch(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch;
  /** Forgets history before `revision`; reads and watches older than it fail with CompactedError. */
  compact(revision: number): Promise<void>;
  currentRevision(): Promise<number>;
  /** The oldest revision still readable. */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
    this.name = 'KeyExistsError';
  }
}

export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
    this.name = 'KeyNotFoundError';
  }
}

/** The compare-and-swap failed: `current` is the stored version (absent if the key was deleted). */
export class ConflictError extends Error {
  constructor(readonly key: string, readonly current?: KeyValue) {
    super(`mod revision mismatch for ${key}`);
    this.name = 'ConflictError';
  }
}

export class CompactedError extends Error {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`required revision ${requested} has been compacted (oldest available ${compacted})`);
    this.name = 'CompactedError';
  }
}
