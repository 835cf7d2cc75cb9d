// Runs the real kubectl against a throwaway HTTP server that records the bodies it sends, so the
// decoder is tested on exactly the bytes client-go 1.32 produces.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBECTL = '/usr/bin/kubectl';
export const kubectlMissing = existsSync(KUBECTL) ? false : `${KUBECTL} is not installed`;

export interface CapturedRequest {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

export class KubectlCapture {
  readonly dir = mkdtempSync(join(tmpdir(), 'k8ts-protobuf-'));
  readonly requests: CapturedRequest[] = [];
  private server?: Server;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '').split('?')[0];
        this.requests.push({ method: req.method ?? '', path, contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' || req.method === 'PUT') {
          res.statusCode = req.method === 'POST' ? 201 : 200;
          res.end('{"metadata":{}}');
        } else if (path === '/version') {
          res.end('{"major":"1","minor":"32","gitVersion":"v1.32.0"}');
        } else {
          res.statusCode = 404;
          res.end('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const { port } = server.address() as AddressInfo;
    writeFileSync(
      join(this.dir, 'kubeconfig'),
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: capture, cluster: {server: "http://127.0.0.1:${port}"}}]`,
        'users: [{name: capture, user: {}}]',
        'contexts: [{name: capture, context: {cluster: capture, user: capture, namespace: default}}]',
        'current-context: capture',
      ].join('\n'),
    );
  }

  /** Writes a file next to the kubeconfig (for --from-file) and returns its path. */
  file(name: string, content: string | Uint8Array): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  run(args: string[]): Promise<string> {
    const env = { ...process.env, KUBECONFIG: join(this.dir, 'kubeconfig'), HOME: this.dir };
    return new Promise((resolve, reject) => {
      execFile(KUBECTL, args, { env, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
    });
  }

  /** The body of the one write `args` makes. */
  async capture(args: string[]): Promise<CapturedRequest> {
    const before = this.requests.length;
    await this.run(args);
    const writes = this.requests.slice(before).filter((r) => r.method === 'POST' || r.method === 'PUT');
    if (writes.length !== 1) throw new Error(`kubectl ${args.join(' ')} made ${writes.length} writes`);
    return writes[0];
  }

  /** What kubectl would send, as JSON: the same command with --dry-run=client -o json (before any `--` and the container command). */
  async dryRun(args: string[]): Promise<unknown> {
    const dashes = args.indexOf('--');
    const [flags, command] = dashes < 0 ? [args, []] : [args.slice(0, dashes), args.slice(dashes)];
    return JSON.parse(await this.run([...flags, '--dry-run=client', '-o', 'json', ...command]));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
