import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Client, HttpTransport, resources, StatusError, writeKubeconfig, isAlreadyExists, type WatchEvent } from '../../../src/client/index.js';
import { eventually } from './helpers.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

async function serve(t: { after(fn: () => void | Promise<void>): void }, handler: Handler): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function clientFor(url: string, token?: string): Client {
  return new Client(new HttpTransport({ contextName: 't', server: url, insecureSkipTlsVerify: false, namespace: 'default', token }));
}

function json(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

test('JSON requests carry the token, body and content type; responses are decoded', async (t) => {
  const seen: { method?: string; url?: string; auth?: string; ctype?: string; body?: string }[] = [];
  const { url } = await serve(t, (req, res, body) => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, ctype: req.headers['content-type'], body });
    json(res, req.method === 'POST' ? 201 : 200, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { k: 'ü' } });
  });
  const client = clientFor(url, 'secret-token');
  const cms = client.resource(resources.configMaps).namespace('default');
  const created = await cms.create({ metadata: { name: 'x' }, data: { k: 'ü' } }, { dryRun: true });
  assert.equal(created.data.k, 'ü');
  await cms.patch('x', [{ op: 'add', path: '/data/a', value: '1' }], 'json');
  assert.equal(seen[0].method, 'POST');
  assert.equal(seen[0].url, '/api/v1/namespaces/default/configmaps?dryRun=All');
  assert.equal(seen[0].auth, 'Bearer secret-token');
  assert.equal(seen[0].ctype, 'application/json');
  assert.deepEqual(JSON.parse(seen[0].body!), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'ü' } });
  assert.equal(seen[1].method, 'PATCH');
  assert.equal(seen[1].ctype, 'application/json-patch+json');
  client.close();
});

test('connections are kept alive across requests', async (t) => {
  const ports: number[] = [];
  const { url } = await serve(t, (req, res) => {
    ports.push(req.socket.remotePort!);
    json(res, 200, { kind: 'APIVersions', versions: ['v1'] });
  });
  const client = clientFor(url);
  for (let i = 0; i < 3; i++) await client.request({ method: 'GET', path: '/api' });
  assert.equal(new Set(ports).size, 1);
  client.close();
});

test('a Status body becomes a StatusError with the server Status', async (t) => {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', kind: 'pods' },
    code: 404,
  };
  const { url } = await serve(t, (_req, res) => json(res, 404, status));
  const client = clientFor(url);
  const err = await client.resource(resources.pods).namespace('default').get('nope').catch((e: unknown) => e);
  assert.ok(err instanceof StatusError);
  assert.deepEqual(err.status, status);
  client.close();
});

test('a non-Status error body gets a Status built from the code, as client-go does', async (t) => {
  const { url } = await serve(t, (req, res) => {
    if (req.method === 'POST') {
      res.writeHead(409, { 'content-type': 'text/plain' });
      res.end('exists');
      return;
    }
    res.writeHead(req.url === '/a' ? 500 : 503, { 'content-type': 'text/plain' });
    res.end('backend exploded');
  });
  const client = clientFor(url);
  const e500 = await client.request({ method: 'GET', path: '/a' }).catch((e: unknown) => e);
  assert.ok(e500 instanceof StatusError);
  assert.equal(e500.code, 500);
  assert.equal(e500.reason, 'InternalError');
  assert.equal(e500.message, 'an error on the server ("backend exploded") has prevented the request from succeeding');
  const e503 = await client.request({ method: 'GET', path: '/b' }).catch((e: unknown) => e);
  assert.ok(e503 instanceof StatusError);
  assert.equal(e503.reason, 'ServiceUnavailable');
  assert.equal(e503.message, 'the server is currently unable to handle the request');
  await assert.rejects(client.request({ method: 'POST', path: '/c', body: {} }), (e) => isAlreadyExists(e));
  client.close();
});

/** Writes `bytes` in pieces of `size` bytes, each flushed separately, so lines and UTF-8 characters split across chunks. */
async function writeInPieces(res: http.ServerResponse, bytes: Buffer, size: number): Promise<void> {
  for (let i = 0; i < bytes.length; i += size) {
    res.write(bytes.subarray(i, i + size));
    await new Promise((r) => setTimeout(r, 1));
  }
}

test('watch streams are parsed incrementally, whatever the chunk boundaries', async (t) => {
  const sent: WatchEvent[] = [
    { type: 'ADDED', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a', resourceVersion: '11' }, data: { s: 'grüße 🚀' } } },
    { type: 'MODIFIED', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a', resourceVersion: '12' }, data: { s: 'x'.repeat(5000) } } },
    { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '13' } } },
    { type: 'DELETED', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a', resourceVersion: '14' } } },
  ];
  let query: URLSearchParams | undefined;
  const { url } = await serve(t, async (req, res) => {
    query = new URL(req.url!, 'http://x').searchParams;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const stream = Buffer.from(sent.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await writeInPieces(res, stream, 7);
    res.end();
  });
  const client = clientFor(url);
  const got: WatchEvent[] = [];
  const ended = await new Promise<Error | undefined>((resolve) => {
    client.resource(resources.configMaps).namespace('default').watch({ resourceVersion: '10', allowWatchBookmarks: true }, (e) => got.push(e), resolve);
  });
  assert.equal(ended, undefined, 'a clean end');
  assert.deepEqual(got, sent);
  assert.equal(query!.get('watch'), 'true');
  assert.equal(query!.get('resourceVersion'), '10');
  assert.equal(query!.get('allowWatchBookmarks'), 'true');
  client.close();
});

test('a final event without a newline is still delivered', async (t) => {
  const { url } = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'last' } } }));
  });
  const client = clientFor(url);
  const got: WatchEvent[] = [];
  await new Promise((resolve) => client.resource(resources.configMaps).watch({}, (e) => got.push(e), resolve));
  assert.equal(got[0]?.object.metadata.name, 'last');
  client.close();
});

test('a watch broken by the server ends with an error; stop() ends it silently', async (t) => {
  const { url } = await serve(t, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } })}\n{"type":"MODI`);
    if (req.url!.includes('break')) setTimeout(() => req.socket.destroy(), 20);
  });
  const client = clientFor(url);
  const got: WatchEvent[] = [];
  const ended = await new Promise<Error | undefined>((resolve) => {
    client.resource(resources.configMaps).watch({ fieldSelector: 'break' }, (e) => got.push(e), resolve);
  });
  assert.ok(ended instanceof Error);
  assert.equal(got.length, 1);

  let endCalls = 0;
  const events: WatchEvent[] = [];
  const w = client.resource(resources.configMaps).watch({}, (e) => events.push(e), () => endCalls++);
  await eventually(() => events.length === 1, 'the first event');
  w.stop();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(endCalls, 0);
  client.close();
});

test('a watch refused with 410 ends with the Expired StatusError', async (t) => {
  const { url } = await serve(t, (_req, res) =>
    json(res, 410, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (5)', reason: 'Expired', code: 410 }),
  );
  const client = clientFor(url);
  const err = await new Promise<Error | undefined>((resolve) => client.resource(resources.pods).watch({ resourceVersion: '1' }, () => {}, resolve));
  assert.ok(err instanceof StatusError);
  assert.equal(err.reason, 'Expired');
  assert.equal(err.message, 'too old resource version: 1 (5)');
  client.close();
});

const haveOpenssl = ['/usr/bin/openssl', '/usr/local/bin/openssl', '/bin/openssl'].some(existsSync);

test('HTTPS with the CA and client certificate from a written kubeconfig', { skip: haveOpenssl ? false : 'openssl is not installed' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=k8ts-ca');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'server.ext');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'admin.key', '-out', 'admin.csr', '-subj', '/O=system:masters/CN=kubernetes-admin');
  ssl('x509', '-req', '-in', 'admin.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'admin.crt', '-days', '1');
  const read = (f: string) => readFileSync(join(dir, f));

  let clientCN = '';
  const server = https.createServer({ key: read('server.key'), cert: read('server.crt'), ca: read('ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    clientCN = String((req.socket as TLSSocket).getPeerCertificate().subject.CN);
    json(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-k8ts' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfig, {
    server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    contextName: 'k8ts',
    caData: read('ca.crt'),
    certData: read('admin.crt'),
    keyData: read('admin.key'),
  });
  const client = Client.fromKubeconfig(kubeconfig);
  const version = await client.request<{ gitVersion: string }>({ method: 'GET', path: '/version' });
  assert.equal(version.gitVersion, 'v1.32.0-k8ts');
  assert.equal(clientCN, 'kubernetes-admin');
  client.close();
});
