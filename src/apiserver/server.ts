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

function writeResponse(res: ServerResponse, r: ApiResponse, method: string): void {
  const headers: Record<string, string> = { 'cache-control': 'no-cache, private', ...(r.headers ?? {}) };
  if (!headers['content-type']) headers['content-type'] = 'application/json';
  if (r.watch) {
    res.writeHead(r.status, { ...headers, 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const source = r.watch;
    res.on('close', () => source.stop());
    source.start(
      (e) => {
        res.write(eventBytes(e));
      },
      () => res.end(),
    );
    return;
  }
  const body = r.encoded ?? (r.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body)));
  headers['content-length'] = String(body.length);
  res.writeHead(r.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
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
