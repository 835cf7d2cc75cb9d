// The HTTP front end: reads requests into ApiRequest, writes ApiResponse back, streams
// watches as newline-delimited JSON with the shared bytes of each object version.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ApiRequest, ApiResponse, UserInfo, WatchEvent } from '../client/transport.js';
import { requestEntityTooLarge, StatusError } from '../api/meta/status.js';
import { MAX_REQUEST_BODY_BYTES, methodNotAllowed, statusResponse, type ApiHandler } from './handler.js';
import type { ServedWatchEvent } from './rest.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BODY_BYTES) {
      reject(requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        reject(requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function eventBytes(e: WatchEvent): Buffer {
  const cached = (e as ServedWatchEvent).cached;
  // The framed event of a stored version is built once and written to every watcher.
  if (cached && e.type !== 'ERROR' && e.type !== 'BOOKMARK') return cached.watchFrame(e.type);
  return Buffer.from(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
}

/** Bytes per write when a response is many parts (a LIST has one or more per object). */
const WRITE_BYTES = 1 << 20;

/** `parts` joined into writes of about WRITE_BYTES each (a part that large on its own). */
function* joined(parts: Iterable<Buffer>): Generator<Buffer> {
  let group: Buffer[] = [];
  let size = 0;
  const flush = () => {
    const chunk = group.length === 1 ? group[0] : Buffer.concat(group, size);
    group = [];
    size = 0;
    return chunk;
  };
  for (const part of parts) {
    if (part.length >= WRITE_BYTES) {
      if (group.length) yield flush();
      yield part;
      continue;
    }
    group.push(part);
    size += part.length;
    if (size >= WRITE_BYTES) yield flush();
  }
  if (group.length) yield flush();
}

/**
 * Writes `parts` and ends the response, waiting for the socket between writes: a large LIST is
 * neither copied nor queued whole, and pieces made as they are written are made only as fast as
 * the client reads.
 */
function writeParts(res: ServerResponse, parts: Iterable<Buffer>): void {
  const chunks = joined(parts);
  const pump = () => {
    for (let c = chunks.next(); !c.done; c = chunks.next()) {
      if (!res.write(c.value)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/** The longest a round waits after the last one, whatever it took (an initial state of many objects, say). */
const MAX_ROUND_GAP_MS = 50;

/**
 * The watch streams with events waiting. Events are queued per stream and written in rounds, one
 * write per stream per round: a write to a TLS socket costs some 20 µs whatever its size, so with
 * many watchers and many events, one write per event would leave no time for anything else. A round
 * runs at once when the server is idle; otherwise it waits as long as the last round took (at most
 * MAX_ROUND_GAP_MS), so that writing watch events takes at most about half the time, and each
 * write carries more events the busier the server is.
 */
class WatchRounds {
  private readonly waiting = new Map<ServerResponse, Buffer[]>();
  private scheduled = false;
  private lastEnd = 0;
  private lastTook = 0;

  queue(res: ServerResponse, frame: Buffer): void {
    const frames = this.waiting.get(res);
    if (frames) frames.push(frame);
    else this.waiting.set(res, [frame]);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastEnd + Math.min(this.lastTook, MAX_ROUND_GAP_MS) - performance.now();
    if (wait > 0) setTimeout(this.round, wait);
    else setImmediate(this.round);
  }

  /** Writes what waits for `res` now (before the stream ends), or drops it (the client is gone). */
  flush(res: ServerResponse, drop = false): void {
    const frames = this.waiting.get(res);
    if (!frames) return;
    this.waiting.delete(res);
    if (!drop) for (const chunk of joined(frames)) res.write(chunk);
  }

  private readonly round = () => {
    this.scheduled = false;
    const start = performance.now();
    // Watchers of one resource and selector wait for the same frames: joined once for all of them.
    const joinedFor = new Map<Buffer, { frames: Buffer[]; chunks: Buffer[] }>();
    for (const [res, frames] of this.waiting) {
      let done = joinedFor.get(frames[0]);
      if (!done || !sameBuffers(done.frames, frames)) joinedFor.set(frames[0], (done = { frames, chunks: [...joined(frames)] }));
      for (const chunk of done.chunks) res.write(chunk);
    }
    this.waiting.clear();
    // The writes themselves happen when the sockets uncork, on the next ticks: measured after them.
    process.nextTick(() => {
      this.lastEnd = performance.now();
      this.lastTook = this.lastEnd - start;
    });
  };
}

function sameBuffers(a: Buffer[], b: Buffer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const watchRounds = new WatchRounds();

function writeResponse(res: ServerResponse, r: ApiResponse, method: string): void {
  const headers: Record<string, string> = { 'cache-control': 'no-cache, private', ...(r.headers ?? {}) };
  if (!headers['content-type']) headers['content-type'] = 'application/json';
  if (r.watch) {
    res.writeHead(r.status, { ...headers, 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const source = r.watch;
    res.on('close', () => {
      watchRounds.flush(res, true);
      source.stop();
    });
    source.start(
      (e) => watchRounds.queue(res, eventBytes(e)),
      () => {
        watchRounds.flush(res);
        res.end();
      },
    );
    return;
  }
  const parts = r.encoded ? [r.encoded] : r.encode ? r.encode() : [r.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body))];
  // Parts made as they are written go out chunked, as Go's server sends a body it has not measured.
  if (Array.isArray(parts)) headers['content-length'] = String(parts.reduce((n, p) => n + p.length, 0));
  res.writeHead(r.status, headers);
  if (method === 'HEAD') res.end();
  else writeParts(res, parts);
}

export interface TlsOptions {
  cert: string;
  key: string;
  /** The CA that signs client certificates. */
  ca: string;
}

export class HttpServer {
  private server?: Server;


  constructor(
    private readonly handler: ApiHandler,
    /** Who a request comes from (throws a 401 for credentials that do not hold). */
    private readonly authenticate: (req: IncomingMessage) => Promise<UserInfo>,
  ) {}

  /** Serves HTTPS with `tls` (client certificates requested, checked by `authenticate`, not here), else HTTP. */
  async listen(port: number, host = '127.0.0.1', tls?: TlsOptions): Promise<number> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res);
    const server = tls
      ? createHttpsServer({ keepAlive: true, cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false }, handler)
      : createServer({ keepAlive: true }, handler);
    server.keepAliveTimeout = 65_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (!METHODS.has(method) && method !== 'HEAD') {
        writeResponse(res, { ...statusResponse(methodNotAllowed()), headers: { allow: [...METHODS].join(', ') } }, method);
        return;
      }
      // Before the body is read: a request that will be refused is not buffered.
      const user = await this.authenticate(req);
      const rawBody = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      const apiReq: ApiRequest = {
        method: method === 'HEAD' ? 'GET' : (method as ApiRequest['method']),
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers as Record<string, string | undefined>,
        rawBody,
        user,
      };
      writeResponse(res, await this.handler.handle(apiReq), method);
    } catch (err) {
      if (!res.headersSent) writeResponse(res, statusResponse(err instanceof StatusError ? err : new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message: String(err) })), method);
      else res.destroy();
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
