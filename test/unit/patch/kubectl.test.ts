// The patches real kubectl 1.32 sends (apply, patch, label, annotate, set image), applied to
// the objects it read. A throwaway HTTP server plays the apiserver just far enough: discovery,
// k8ts' OpenAPI v3 documents (so kubectl validates as against any apiserver), GET and PATCH of a
// few objects. What kubectl prints for our errors is checked too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusError } from '../../../src/api/meta/status.js';
import { applyPatch, decodePatch, patchTypeFromContentType, unsupportedPatchMediaType } from '../../../src/api/patch/index.js';
import { deploymentSchema, podSchema } from './fixture.js';
import { ResourceRegistry } from '../../../src/api/registry.js';
import { builtinResources } from '../../../src/api/resources/index.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import { openapiV3DiscoveryDocument, openapiV3Document } from '../../../src/apiserver/openapi/index.js';

const registry = new ResourceRegistry(metaDefinitions);
for (const r of builtinResources) registry.add(r);

/** The OpenAPI v3 document k8ts serves at `path`, if any. */
function openapi(path: string): string | undefined {
  if (path === '/openapi/v3') return openapiV3DiscoveryDocument(registry).json;
  if (path.startsWith('/openapi/v3/')) return openapiV3Document(registry, path.slice('/openapi/v3/'.length))?.json;
  return undefined;
}

const KUBECTL = '/usr/bin/kubectl';
const skip = existsSync(KUBECTL) ? false : `kubectl binary not found at ${KUBECTL}`;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, any>;

const discovery: Record<string, Obj> = {
  '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'patch', 'update'] }],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    groupVersion: 'apps/v1',
    resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'list', 'patch', 'update'] }],
  },
};

const objects = new Map<string, Obj>();
const received: { type: string; patch: unknown }[] = [];
let server: Server;
let dir: string;

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, body: string, res: ServerResponse): void {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && discovery[path]) return send(res, 200, discovery[path]);
  const document = req.method === 'GET' ? openapi(path) : undefined;
  if (document) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(document);
    return;
  }
  const current = objects.get(path);
  if (!current) return send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  if (req.method === 'GET') return send(res, 200, current);
  try {
    const type = patchTypeFromContentType(req.headers['content-type'] ?? '');
    if (!type) throw unsupportedPatchMediaType();
    const patch = decodePatch(type, body);
    received.push({ type, patch });
    const patched = applyPatch(type, current, patch, current.kind === 'Pod' ? podSchema : deploymentSchema) as Obj;
    objects.set(path, patched);
    send(res, 200, patched);
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    send(res, err.code, err.status);
  }
}

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'k8ts-patch-'));
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await writeFile(
    join(dir, 'kubeconfig'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}` } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
      'current-context': 'c',
    }),
  );
});

after(async () => {
  if (skip) return;
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      [...args, `--cache-dir=${join(dir, 'cache')}`],
      { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: (stdout + stderr).trim() }),
    );
  });
}

/** A live object as kubectl apply left it: the manifest, server-side additions, and the annotation. */
function live(manifest: Obj, serverSide: (o: Obj) => void = () => {}): Obj {
  const o = structuredClone(manifest);
  o.metadata.uid = 'uid-1';
  o.metadata.resourceVersion = '7';
  o.metadata.annotations = { ...o.metadata.annotations, [LAST_APPLIED]: `${JSON.stringify(manifest)}\n` };
  serverSide(o);
  return o;
}

/** Stores `current`, runs `kubectl apply` with `manifest`, and returns the object after the patch. */
async function apply(current: Obj, manifest: Obj): Promise<{ result: Obj; patch: Obj }> {
  const path =
    current.kind === 'Pod'
      ? `/api/v1/namespaces/default/pods/${current.metadata.name}`
      : `/apis/apps/v1/namespaces/default/deployments/${current.metadata.name}`;
  objects.set(path, current);
  received.length = 0;
  const file = join(dir, 'manifest.json');
  await writeFile(file, JSON.stringify(manifest));
  const { code, out } = await kubectl('apply', '-f', file);
  assert.equal(code, 0, out);
  assert.equal(received.length, 1, 'kubectl sent one patch');
  assert.equal(received[0].type, 'strategic');
  const result = objects.get(path)!;
  delete result.metadata.annotations[LAST_APPLIED];
  return { result, patch: received[0].patch as Obj };
}

const pod = (spec: Obj, metadata: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', ...metadata }, spec });

test('apply: change an image and remove a container port', { skip }, async () => {
  const before = pod({ containers: [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }, { containerPort: 443 }] }] });
  const current = live(before, (o) => o.spec.containers[0].ports.forEach((p: Obj) => (p.protocol = 'TCP')));
  const { result, patch } = await apply(current, pod({ containers: [{ name: 'app', image: 'nginx:2', ports: [{ containerPort: 80 }] }] }));
  assert.deepEqual(patch.spec.containers[0].ports, [{ $patch: 'delete', containerPort: 443 }]);
  assert.deepEqual(result.spec.containers, [{ name: 'app', image: 'nginx:2', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
});

test('apply: change, remove and add env vars', { skip }, async () => {
  const env = (...vars: [string, string][]) => vars.map(([name, value]) => ({ name, value }));
  const before = pod({ containers: [{ name: 'app', image: 'x', env: env(['A', '1'], ['B', '2'], ['C', '3']) }] });
  const { result } = await apply(live(before), pod({ containers: [{ name: 'app', image: 'x', env: env(['A', '1'], ['C', 'three'], ['D', '4']) }] }));
  assert.deepEqual(result.spec.containers[0].env, env(['A', '1'], ['C', 'three'], ['D', '4']));
});

test('apply: remove a label, keeping labels added by others', { skip }, async () => {
  const before = pod({ containers: [{ name: 'app', image: 'x' }] }, { labels: { app: 'web', tier: 'front' } });
  const current = live(before, (o) => (o.metadata.labels.owner = 'someone-else'));
  const { result, patch } = await apply(current, pod({ containers: [{ name: 'app', image: 'x' }] }, { labels: { app: 'web' } }));
  assert.equal(patch.metadata.labels.tier, null);
  assert.deepEqual(result.metadata.labels, { app: 'web', owner: 'someone-else' });
});

test('apply: reorder containers and add one in the middle', { skip }, async () => {
  const c = (name: string) => ({ name, image: name });
  const current = live(pod({ containers: [c('a'), c('b'), c('c')] }));
  const { result, patch } = await apply(current, pod({ containers: [c('c'), c('new'), c('a'), c('b')] }));
  assert.deepEqual(patch.spec['$setElementOrder/containers'], [{ name: 'c' }, { name: 'new' }, { name: 'a' }, { name: 'b' }]);
  assert.deepEqual(
    result.spec.containers.map((x: Obj) => x.name),
    ['c', 'new', 'a', 'b'],
  );
});

test('apply: change a volume source ($retainKeys clears the old one)', { skip }, async () => {
  const before = pod({ containers: [{ name: 'app', image: 'x' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'keep', emptyDir: {} }] });
  const { result, patch } = await apply(
    live(before),
    pod({ containers: [{ name: 'app', image: 'x' }], volumes: [{ name: 'data', configMap: { name: 'cfg' } }, { name: 'keep', emptyDir: {} }] }),
  );
  assert.deepEqual(patch.spec.volumes[0].$retainKeys, ['configMap', 'name']);
  assert.deepEqual(result.spec.volumes, [
    { name: 'data', configMap: { name: 'cfg' } },
    { name: 'keep', emptyDir: {} },
  ]);
});

test('apply: finalizers are a set; removed ones go, others stay', { skip }, async () => {
  const before = pod({ containers: [{ name: 'app', image: 'x' }] }, { finalizers: ['a.io/one', 'a.io/two'] });
  const current = live(before, (o) => o.metadata.finalizers.push('server.io/x'));
  const { result, patch } = await apply(current, pod({ containers: [{ name: 'app', image: 'x' }] }, { finalizers: ['a.io/two', 'a.io/three'] }));
  assert.deepEqual(patch.metadata['$deleteFromPrimitiveList/finalizers'], ['a.io/one']);
  assert.deepEqual(result.metadata.finalizers, ['a.io/two', 'a.io/three', 'server.io/x']);
});

test('apply: Deployment strategy RollingUpdate to Recreate drops the defaulted rollingUpdate', { skip }, async () => {
  const deployment = (strategy: Obj): Obj => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, strategy, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
  });
  const current = live(deployment({ type: 'RollingUpdate' }), (o) => (o.spec.strategy.rollingUpdate = { maxSurge: '25%', maxUnavailable: '25%' }));
  const { result, patch } = await apply(current, deployment({ type: 'Recreate' }));
  assert.deepEqual(patch.spec.strategy, { $retainKeys: ['type'], type: 'Recreate' });
  assert.deepEqual(result.spec.strategy, { type: 'Recreate' });
  assert.equal(result.spec.replicas, 2);
});

test('label, annotate and set image patch the live object', { skip }, async () => {
  const path = '/api/v1/namespaces/default/pods/web';
  objects.set(path, live(pod({ containers: [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'envoy:1' }] }, { labels: { app: 'web', old: 'x' } })));
  for (const args of [
    ['label', 'pod', 'web', 'env=prod', 'old-'],
    ['annotate', 'pod', 'web', 'note=hello'],
    ['set', 'image', 'pod/web', 'side=envoy:2'],
  ]) {
    const { code, out } = await kubectl(...args);
    assert.equal(code, 0, out);
  }
  const result = objects.get(path)!;
  assert.deepEqual(result.metadata.labels, { app: 'web', env: 'prod' });
  assert.equal(result.metadata.annotations.note, 'hello');
  assert.deepEqual(result.spec.containers, [
    { name: 'app', image: 'nginx:1' },
    { name: 'side', image: 'envoy:2' },
  ]);
});

test('kubectl patch of each type, and what kubectl prints for our errors', { skip }, async () => {
  const path = '/api/v1/namespaces/default/pods/web';
  objects.set(path, live(pod({ containers: [{ name: 'app', image: 'nginx:1' }] })));
  let r = await kubectl('patch', 'pod', 'web', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels","value":{"a":"b"}}]');
  assert.equal(r.code, 0, r.out);
  r = await kubectl('patch', 'pod', 'web', '--type=merge', '-p', '{"spec":{"nodeSelector":{"disk":"ssd"}}}');
  assert.equal(r.code, 0, r.out);
  r = await kubectl('patch', 'pod', 'web', '-p', '{"spec":{"containers":[{"name":"new","image":"busybox"}]}}');
  assert.equal(r.code, 0, r.out);
  const result = objects.get(path)!;
  assert.deepEqual(result.metadata.labels, { a: 'b' });
  assert.deepEqual(result.spec.nodeSelector, { disk: 'ssd' });
  assert.deepEqual(
    result.spec.containers.map((c: Obj) => c.name),
    ['new', 'app'],
  );

  r = await kubectl('patch', 'pod', 'web', '--type=json', '-p', '[{"op":"remove","path":"/metadata/annotations/missing"}]');
  assert.equal(r.out, 'The request is invalid: the server rejected our request due to an error in our request');
  r = await kubectl('patch', 'pod', 'web', '-p', '{"spec":{"containers":[{"image":"nginx"}]}}');
  assert.equal(r.out, 'Error from server: map: map[image:nginx] does not contain declared merge key: name');
  r = await kubectl('patch', 'pod', 'web', '-p', '{"metadata":{"$deleteFromPrimitiveList":["x"]}}');
  assert.equal(r.out, 'Error from server (BadRequest): invalid patch format of primitive list');
});
