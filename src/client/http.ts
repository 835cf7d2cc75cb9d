// The HTTP transport: JSON over kept-alive connections to the server a kubeconfig names.
// Watches stream newline-delimited JSON events, decoded as bytes arrive.
import http from 'node:http';
import https from 'node:https';
import type { KubeconfigContext } from './kubeconfig.js';
import { errorFromResponse } from './errors.js';
import { isWatchRequest, type ClientTransport } from './request.js';
import type { ApiRequest, ApiResponse, WatchEvent, WatchSource } from './transport.js';

export interface HttpTransportOptions {
  userAgent?: string;
  /** Idle time after which a non-watch request fails; watches are ended by the server's timeoutSeconds instead. */
  requestTimeoutMs?: number;
}

const NEWLINE = 0x0a;

/** Splits a byte stream into lines; a line may span any number of chunks, and UTF-8 is decoded only on whole lines. */
export class LineSplitter {
  private pending: Buffer[] = [];

  push(chunk: Buffer, onLine: (line: Buffer) => void): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      let line = chunk.subarray(start, nl);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = Buffer.concat(this.pending);
        this.pending = [];
      }
      start = nl + 1;
      if (line.length > 0) onLine(line);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** What is left after the last newline (a final event written without one). */
  flush(onLine: (line: Buffer) => void): void {
    if (this.pending.length === 0) return;
    const line = Buffer.concat(this.pending);
    this.pending = [];
    if (line.toString('utf8').trim() !== '') onLine(line);
  }
}

function decodeEvent(line: Buffer): WatchEvent {
  const ev = JSON.parse(line.toString('utf8')) as WatchEvent;
  if (typeof ev?.type !== 'string' || typeof ev.object !== 'object' || ev.object === null) {
    throw new Error('unable to decode an event from the watch stream: not a watch event');
  }
  return ev;
}

class HttpWatch implements WatchSource {
  private stopped = false;
  private ended = false;

  constructor(
    private readonly req: http.ClientRequest,
    private readonly res: http.IncomingMessage,
  ) {}

  start(onEvent: (e: WatchEvent) => void, onEnd: (err?: Error) => void): void {
    const splitter = new LineSplitter();
    const end = (err?: Error): void => {
      if (this.ended) return;
      this.ended = true;
      if (!this.stopped) onEnd(err);
    };
    const deliver = (line: Buffer): void => {
      if (this.ended || this.stopped) return;
      let ev: WatchEvent;
      try {
        ev = decodeEvent(line);
      } catch (err) {
        end(err instanceof SyntaxError ? new Error(`unable to decode an event from the watch stream: ${err.message}`) : (err as Error));
        this.req.destroy();
        return;
      }
      onEvent(ev);
    };
    this.res.on('data', (chunk: Buffer) => splitter.push(chunk, deliver));
    this.res.on('end', () => {
      splitter.flush(deliver);
      end();
    });
    this.res.on('error', (err) => end(err));
    this.res.on('close', () => {
      if (!this.res.complete) end(new Error('watch stream closed before the server ended it'));
    });
  }

  stop(): void {
    this.stopped = true;
    this.req.destroy();
  }
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export class HttpTransport implements ClientTransport {
  private readonly url: URL;
  private readonly basePath: string;
  private readonly agent: http.Agent;
  private readonly authorization?: string;
  private readonly userAgent: string;
  private readonly requestTimeoutMs: number;

  constructor(config: KubeconfigContext, opts: HttpTransportOptions = {}) {
    this.url = new URL(config.server);
    this.basePath = this.url.pathname.replace(/\/+$/, '');
    this.userAgent = opts.userAgent ?? 'k8ts-client';
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    if (this.url.protocol === 'https:') {
      this.agent = new https.Agent({
        keepAlive: true,
        ca: config.ca,
        cert: config.cert,
        key: config.key,
        rejectUnauthorized: !config.insecureSkipTlsVerify,
        servername: config.tlsServerName,
      });
    } else {
      this.agent = new http.Agent({ keepAlive: true });
    }
    if (config.token) this.authorization = `Bearer ${config.token}`;
    else if (config.username !== undefined) {
      this.authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
    }
  }

  send(req: ApiRequest): Promise<ApiResponse> {
    const watch = isWatchRequest(req);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
    if (this.authorization && !headers.authorization) headers.authorization = this.authorization;
    let payload = req.rawBody;
    if (payload === undefined && req.body !== undefined) payload = Buffer.from(JSON.stringify(req.body));
    if (payload !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const query = req.query.toString();
    const path = `${this.basePath}${req.path}${query ? `?${query}` : ''}`;
    const request = this.url.protocol === 'https:' ? https.request : http.request;

    return new Promise<ApiResponse>((resolvePromise, reject) => {
      const outgoing = request({
        protocol: this.url.protocol,
        hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port || undefined,
        method: req.method,
        path,
        headers,
        agent: this.agent,
      });
      outgoing.on('error', reject);
      if (!watch) outgoing.setTimeout(this.requestTimeoutMs, () => outgoing.destroy(new Error(`request ${req.method} ${req.path} timed out`)));
      outgoing.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (watch && status < 400) {
          outgoing.setTimeout(0);
          resolvePromise({ status, headers: flattenHeaders(res.headers), watch: new HttpWatch(outgoing, res) });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text === '' ? undefined : text;
          if (text !== '' && (res.headers['content-type'] ?? '').includes('json')) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          if (status >= 400) reject(errorFromResponse(status, req.method, body, text));
          else resolvePromise({ status, headers: flattenHeaders(res.headers), body });
        });
      });
      outgoing.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
