// Helpers for integration tests of the API server: a test-only kind (widgets.test.k8ts.io)
// with status, scale and generation, a cluster that serves it, raw HTTP requests and watch
// streams, and polling with a deadline.
import { request as httpRequest, type IncomingMessage, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceDefinition } from '../../src/api/registry.js';
import type { Definitions } from '../../src/api/schema/types.js';
import { define, int32, int64, kindSchema, object, ref, str } from '../../src/api/schema/build.js';
import { fieldErrors, type FieldError } from '../../src/api/meta/status.js';
import { table } from '../../src/api/resources/table.js';
import { configMaps } from '../../src/api/resources/core/configmap.js';
import { events } from '../../src/api/resources/core/event.js';
import { namespaces } from '../../src/api/resources/core/namespace.js';
import { secrets } from '../../src/api/resources/core/secret.js';
import { ApiServer } from '../../src/apiserver/apiserver.js';
import { namespaceLifecycle } from '../../src/apiserver/admission/namespacelifecycle.js';
import { openStore, type Store } from '../../src/storage/index.js';
import { Client } from '../../src/client/client.js';
import { loadKubeconfig } from '../../src/client/kubeconfig.js';

/** TLS agents of the clusters the helpers below talk to, by origin (set by trustKubeconfig). */
const agents = new Map<string, HttpsAgent>();

/** Lets `http()` and `WatchStream` reach the HTTPS server of a kubeconfig as its admin. */
export function trustKubeconfig(kubeconfigPath: string): void {
  const ctx = loadKubeconfig(kubeconfigPath);
  agents.set(new URL(ctx.server).origin, new HttpsAgent({ ca: ctx.ca, cert: ctx.cert, key: ctx.key, keepAlive: true }));
}

/** A request to `url` over HTTP or HTTPS (with `agent`, else the one trustKubeconfig registered). */
function send(url: string, opts: RequestOptions, onResponse: (res: IncomingMessage) => void, agent?: HttpsAgent) {
  const u = new URL(url);
  if (u.protocol === 'https:') return httpsRequest(url, { ...opts, agent: agent ?? agents.get(u.origin) }, onResponse);
  return httpRequest(url, opts, onResponse);
}
import { resources } from '../../src/client/resource.js';
import { writeKubeconfig } from '../../src/client/kubeconfig.js';

// ---- the test kind ----

const WIDGET = 'io.k8ts.test.v1.Widget';
const WIDGET_SPEC = 'io.k8ts.test.v1.WidgetSpec';
const WIDGET_STATUS = 'io.k8ts.test.v1.WidgetStatus';

const widgetDefinitions: Definitions = new Map();
define(widgetDefinitions, {
  [WIDGET]: kindSchema(
    { group: 'test.k8ts.io', version: 'v1', kind: 'Widget' },
    {
      spec: ref(WIDGET_SPEC, { description: 'What the widget should be.' }),
      status: ref(WIDGET_STATUS, { description: 'What the widget is.' }),
    },
    { description: 'Widget is a test-only kind with status and scale subresources.' },
  ),
  [WIDGET_SPEC]: object({
    color: str({ description: 'The colour, selectable as spec.color.' }),
    replicas: int32({ description: 'Desired copies, written through the scale subresource too.' }),
    size: int32({ description: 'Shown by `-o wide`.' }),
  }),
  [WIDGET_STATUS]: object({
    replicas: int32({ description: 'Observed copies.' }),
    observedGeneration: int64({ description: 'The generation last acted on.' }),
    phase: str({ description: 'Where the widget is in its life.' }),
    selector: str({ description: 'The label selector of the copies, for the scale subresource.' }),
  }),
});

interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, any>;
  spec?: { color?: string; replicas?: number; size?: number };
  status?: { replicas?: number; observedGeneration?: number; phase?: string; selector?: string };
}

export const widgets: ResourceDefinition<Widget> = {
  group: 'test.k8ts.io',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: ['wd'],
  categories: ['all'],
  schemaName: WIDGET,
  definitions: widgetDefinitions,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
  tracksGeneration: true,
  // As for custom resources with a status subresource, status is not taken from a create.
  prepareForCreate(w) {
    delete w.status;
  },
  validate(w) {
    const errs: FieldError[] = [];
    const replicas = w.spec?.replicas;
    if (replicas !== undefined && replicas < 0) errs.push(fieldErrors.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
    return errs;
  },
  table: table<Widget>(
    [
      { name: 'Color', type: 'string', description: 'The colour of the widget.' },
      { name: 'Replicas', type: 'integer', description: 'Desired copies.' },
    ],
    (w) => [w.spec?.color ?? '', w.spec?.replicas ?? 0],
    { columns: [{ name: 'Size', type: 'integer', description: 'How big.' }], cells: (w) => [w.spec?.size ?? 0] },
  ),
  fieldSelectors: { 'spec.color': (w) => w.spec?.color ?? '' },
};

// ---- a cluster serving it ----

export interface TestCluster {
  url: string;
  kubeconfigPath: string;
  apiserver: ApiServer;
  store: Store;
  client: Client;
  stop(): Promise<void>;
}

/**
 * The core kinds these tests use (not every built-in: the suite should not depend on kinds being
 * written elsewhere) plus widgets, on an in-memory store and a free port, with the default namespace.
 */
export async function startWidgetCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-widgets-'));
  const store = await openStore({ kind: 'memory' });
  const apiserver = await ApiServer.start({
    store,
    resources: [namespaces, configMaps, secrets, events, widgets].map((d) => d as ResourceDefinition),
    admission: [namespaceLifecycle()],
  });
  const client = Client.local(apiserver);
  await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const port = await apiserver.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const kubeconfigPath = join(dir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfigPath, { server: url, contextName: 'k8ts' });
  return {
    url,
    kubeconfigPath,
    apiserver,
    store,
    client,
    async stop() {
      client.close();
      await apiserver.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- raw HTTP ----

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body as received (protobuf documents are not text). */
  bytes: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface HttpOptions {
  method?: string;
  /** An object is sent as JSON; a string or Buffer as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The TLS identity to connect with (another user, or none), instead of the admin's of trustKubeconfig. */
  agent?: HttpsAgent;
}

export async function http(baseUrl: string, path: string, opts: HttpOptions = {}): Promise<HttpResult> {
  const raw = typeof opts.body === 'string' || Buffer.isBuffer(opts.body);
  const headers: Record<string, string> = { ...(opts.body !== undefined && !raw ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const body = opts.body === undefined ? undefined : raw ? (opts.body as string | Buffer) : JSON.stringify(opts.body);
  const method = opts.method ?? (opts.body !== undefined ? 'POST' : 'GET');
  // Node frames a DELETE body only when its length is given.
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const { status, rawHeaders, bytes } = await new Promise<{ status: number; rawHeaders: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
    const req = send(baseUrl + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    }, opts.agent);
    req.on('error', reject);
    req.end(body);
  });
  const responseHeaders = new Headers();
  for (const [k, v] of Object.entries(rawHeaders)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
  const text = bytes.toString('utf8');
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers: responseHeaders, text, bytes, json };
}

// ---- watch streams ----

export interface StreamedEvent {
  type: string;
  object: any;
}

/** A watch over HTTP: events as they arrive, read in order with `next()`. */
export class WatchStream {
  readonly events: StreamedEvent[] = [];
  status = 0;
  private read = 0;
  private ended = false;
  private response?: IncomingMessage;
  private readonly waiters = new Set<() => void>();
  /** Resolves when the server ends the stream. */
  readonly done: Promise<void>;
  private readonly opened: Promise<void>;

  constructor(baseUrl: string, path: string, headers: Record<string, string> = {}) {
    let finish!: () => void;
    this.done = new Promise((r) => (finish = r));
    this.opened = new Promise((resolve, reject) => {
      const req = send(baseUrl + path, { headers }, (res) => {
        this.response = res;
        this.status = res.statusCode ?? 0;
        resolve();
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line) this.events.push(JSON.parse(line) as StreamedEvent);
          }
          this.wake();
        });
        const end = () => {
          if (buffered.trim()) this.events.push(JSON.parse(buffered) as StreamedEvent);
          this.ended = true;
          this.wake();
          finish();
        };
        res.on('end', end);
        res.on('close', end);
      });
      req.on('error', reject);
      req.end();
    });
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  /** Waits until the response headers arrived. */
  async open(): Promise<this> {
    await this.opened;
    return this;
  }

  /** The next event not read yet; rejects after `timeoutMs`, or when the stream ends first. */
  next(timeoutMs = 5000): Promise<StreamedEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.read < this.events.length) {
          cleanup();
          resolve(this.events[this.read++]);
        } else if (this.ended) {
          cleanup();
          reject(new Error(`the watch ended after ${this.events.length} events`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no watch event within ${timeoutMs} ms (after ${this.events.length} events)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Reads events until one matches; returns everything read on the way, the match last. */
  async until(matches: (e: StreamedEvent) => boolean, timeoutMs = 5000): Promise<StreamedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    const seen: StreamedEvent[] = [];
    for (;;) {
      const e = await this.next(Math.max(1, deadline - Date.now()));
      seen.push(e);
      if (matches(e)) return seen;
    }
  }

  /** Events not read yet, after a short quiet period (to show nothing more came). */
  async rest(quietMs = 150): Promise<StreamedEvent[]> {
    await new Promise((r) => setTimeout(r, quietMs));
    const out = this.events.slice(this.read);
    this.read = this.events.length;
    return out;
  }

  close(): void {
    this.response?.destroy();
  }
}

/** Opens a watch and waits for its response headers. */
export function watch(baseUrl: string, path: string, headers?: Record<string, string>): Promise<WatchStream> {
  return new WatchStream(baseUrl, path, headers).open();
}

// ---- waiting ----

/** Polls `check` until it returns a value other than undefined/false, or throws its last error at the deadline. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000, intervalMs = 20): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as Exclude<T, false | undefined>;
      last = new Error(`condition not met within ${timeoutMs} ms`);
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) throw last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

let counter = 0;
/** A name no other test in this process uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${(counter++).toString(36)}`;
}

/** Writes manifests to a temp dir for `kubectl -f`; removed by the returned cleanup. */
export function manifestDir(): { dir: string; path(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-manifests-'));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
