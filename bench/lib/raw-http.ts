// GETs that hand back bytes, not objects: timing a 200 MB LIST or a thousand watch streams
// should measure the server, not JSON.parse in the client that shares its two cores.
export { LineSplitter } from '../../src/client/http.js';
import http from 'node:http';
import https from 'node:https';
import { loadKubeconfig, type KubeconfigContext } from '../../src/client/kubeconfig.js';

export class RawHttp {
  private readonly config: KubeconfigContext;
  private readonly url: URL;
  private readonly headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'k8ts-bench' };

  constructor(kubeconfigPath: string) {
    this.config = loadKubeconfig(kubeconfigPath);
    this.url = new URL(this.config.server);
    if (this.config.token) this.headers.authorization = `Bearer ${this.config.token}`;
    else if (this.config.username !== undefined) {
      this.headers.authorization = `Basic ${Buffer.from(`${this.config.username}:${this.config.password ?? ''}`).toString('base64')}`;
    }
  }

  private get tls(): https.AgentOptions {
    const c = this.config;
    return { ca: c.ca, cert: c.cert, key: c.key, rejectUnauthorized: !c.insecureSkipTlsVerify, servername: c.tlsServerName };
  }

  /** A connection pool: one agent per caller that wants its own kept-alive connections. */
  agent(): http.Agent {
    return this.url.protocol === 'https:' ? new https.Agent({ keepAlive: true, ...this.tls }) : new http.Agent({ keepAlive: true });
  }

  /**
   * Starts a GET of `path?query`; `onChunk` sees the body as it arrives. Resolves when the
   * response ends; rejects on a status ≥ 400 (with the body) or a broken connection.
   * `onResponse` fires when the headers are in (a watch has started).
   */
  get(
    path: string,
    query: Record<string, string>,
    opts: { agent: http.Agent | false; onChunk: (chunk: Buffer) => void; onResponse?: () => void },
  ): { done: Promise<void>; abort(): void } {
    const search = new URLSearchParams(query).toString();
    const secure = this.url.protocol === 'https:';
    const request = secure ? https.request : http.request;
    const req = request({
      // Without an agent, the connection's own TLS settings.
      ...(secure && opts.agent === false ? this.tls : {}),
      protocol: this.url.protocol,
      hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: this.url.port || undefined,
      path: `${this.url.pathname.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`,
      headers: this.headers,
      agent: opts.agent,
    });
    const done = new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(new Error(`GET ${path}: ${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 500)}`)));
          return;
        }
        opts.onResponse?.();
        res.on('data', opts.onChunk);
        res.on('end', () => resolve());
        res.on('error', reject);
        res.on('aborted', () => reject(new Error(`GET ${path}: connection closed mid-response`)));
      });
      req.end();
    });
    return { done, abort: () => req.destroy() };
  }

  /** POSTs a JSON body to `path`; resolves with the response body, rejects on a status ≥ 400. */
  post(path: string, body: Buffer, agent: http.Agent): Promise<Buffer> {
    const secure = this.url.protocol === 'https:';
    const request = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request({
        protocol: this.url.protocol,
        hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port || undefined,
        method: 'POST',
        path: `${this.url.pathname.replace(/\/+$/, '')}${path}`,
        headers: { ...this.headers, 'content-type': 'application/json', 'content-length': String(body.length) },
        agent,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const answer = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          if (status >= 400) reject(new Error(`POST ${path}: ${status} ${answer.toString('utf8').slice(0, 500)}`));
          else resolve(answer);
        });
      });
      req.end(body);
    });
  }
}

const RESOURCE_VERSION = Buffer.from('"resourceVersion":"');

/**
 * The first `"resourceVersion":"N"` of a serialized object or watch event: the object's own
 * (metadata comes before spec and status, and nothing inside metadata before it carries one).
 * NaN when there is none.
 */
export function firstResourceVersion(json: Buffer): number {
  const at = json.indexOf(RESOURCE_VERSION);
  if (at < 0) return NaN;
  let rv = 0;
  for (let i = at + RESOURCE_VERSION.length; i < json.length; i++) {
    const c = json[i];
    if (c < 0x30 || c > 0x39) return rv;
    rv = rv * 10 + (c - 0x30);
  }
  return NaN;
}
