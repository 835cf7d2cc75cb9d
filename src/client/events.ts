// Records core/v1 Events about objects, as client-go's record.EventRecorder: named
// `<object name>.<hex unix nanoseconds>`, written in the background, and identical events
// (same object, type, reason, message, source) seen again within the window bump the
// existing Event's count and lastTimestamp instead of creating another.
import type { KubeObject } from '../api/registry.js';
import type { Client, ResourceClient } from './client.js';
import { isNotFound } from './errors.js';
import { resources } from './resource.js';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventRecorderOptions {
  /** `source.component` and `reportingComponent`: the controller or kubelet writing the events. */
  component: string;
  /** `source.host` and `reportingInstance`: the node, for node agents. */
  host?: string;
  /** Identical events within this time are aggregated into one (default 10 minutes). */
  aggregationWindowMs?: number;
}

/** The reference an Event's involvedObject holds. */
export function objectReference(obj: KubeObject): ObjectReference {
  const m = obj.metadata ?? {};
  const ref: ObjectReference = {};
  if (obj.kind) ref.kind = obj.kind;
  if (m.namespace) ref.namespace = m.namespace;
  if (m.name) ref.name = m.name;
  if (m.uid) ref.uid = m.uid;
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  return ref;
}

/** Kubernetes' Time: RFC 3339 with seconds. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  firstMs: number;
  lastSeenMs: number;
  /** Writes for one event go out one after another, so a count never overtakes its create. */
  writes: Promise<void>;
}

// client-go keeps this many distinct events in its correlation cache.
const MAX_CACHED_EVENTS = 4096;

export class EventRecorder {
  private readonly events: ResourceClient;
  private readonly cache = new Map<string, Recorded>();
  private readonly pending = new Set<Promise<void>>();
  private readonly windowMs: number;
  private lastNanos = 0n;

  constructor(
    client: Client,
    private readonly opts: EventRecorderOptions,
  ) {
    this.events = client.resource(resources.events);
    this.windowMs = opts.aggregationWindowMs ?? 10 * 60_000;
  }

  /** Records an event about `obj` (an object or a reference to one). Never throws, never waits. */
  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    if (type !== 'Normal' && type !== 'Warning') return;
    const ref = 'metadata' in obj ? objectReference(obj as KubeObject) : (obj as ObjectReference);
    if (!ref.name) return;
    const now = Date.now();
    const key = [ref.apiVersion, ref.kind, ref.namespace, ref.name, ref.uid, ref.fieldPath, type, reason, message].join('\0');
    const seen = this.cache.get(key);
    if (seen && now - seen.lastSeenMs < this.windowMs) {
      this.cache.delete(key);
      this.cache.set(key, seen);
      seen.count++;
      seen.lastSeenMs = now;
      const count = seen.count;
      this.enqueue(seen, () => this.bump(seen, count, now, ref, type, reason, message));
      return;
    }
    const recorded: Recorded = {
      name: `${ref.name}.${this.uniqueNanos(now).toString(16)}`,
      namespace: ref.namespace || 'default',
      count: 1,
      firstMs: now,
      lastSeenMs: now,
      writes: Promise.resolve(),
    };
    this.cache.delete(key);
    this.cache.set(key, recorded);
    if (this.cache.size > MAX_CACHED_EVENTS) this.cache.delete(this.cache.keys().next().value!);
    this.enqueue(recorded, () => this.create(recorded, 1, now, ref, type, reason, message));
  }

  /** Resolves when every event recorded so far has been written (or failed). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Monotonic nanoseconds, so two events in the same millisecond get different names. */
  private uniqueNanos(ms: number): bigint {
    const nanos = BigInt(ms) * 1_000_000n;
    this.lastNanos = nanos > this.lastNanos ? nanos : this.lastNanos + 1n;
    return this.lastNanos;
  }

  private enqueue(recorded: Recorded, write: () => Promise<unknown>): void {
    const p = recorded.writes.then(write).then(
      () => undefined,
      () => undefined,
    );
    recorded.writes = p;
    this.pending.add(p);
    void p.then(() => this.pending.delete(p));
  }

  private async bump(recorded: Recorded, count: number, nowMs: number, ref: ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    try {
      await this.events.namespace(recorded.namespace).patch(recorded.name, { count, lastTimestamp: timestamp(nowMs), message }, 'merge');
    } catch (err) {
      // Deleted meanwhile (events expire): write it again with the count reached so far.
      if (!isNotFound(err)) throw err;
      await this.create(recorded, count, nowMs, ref, type, reason, message);
    }
  }

  private create(recorded: Recorded, count: number, lastMs: number, ref: ObjectReference, type: EventType, reason: string, message: string): Promise<unknown> {
    const source: Record<string, string> = { component: this.opts.component };
    if (this.opts.host) source.host = this.opts.host;
    return this.events.namespace(recorded.namespace).create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: recorded.name, namespace: recorded.namespace },
      involvedObject: ref,
      reason,
      message,
      source,
      firstTimestamp: timestamp(recorded.firstMs),
      lastTimestamp: timestamp(lastMs),
      count,
      type,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    });
  }
}
