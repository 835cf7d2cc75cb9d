import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceRegistry } from '../../../src/api/registry.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import {
  openapiV2,
  openapiV3Discovery,
  openapiV3Document,
  openapiV3GroupVersion,
} from '../../../src/apiserver/openapi/index.js';
import { configMapDef, deploymentDef, fixtureRegistry } from './fixture.js';

type Json = Record<string, any>;

const registry = fixtureRegistry();
const apps = openapiV3GroupVersion(registry, 'apps', 'v1') as Json;
const core = openapiV3GroupVersion(registry, '', 'v1') as Json;
const crd = openapiV3GroupVersion(registry, 'stable.example.com', 'v1') as Json;
const DEPLOYMENTS = '/apis/apps/v1/namespaces/{namespace}/deployments';

/** What kubectl's query-param verifier does with a v3 document: find the PATCH for the GVK, look for the parameter. */
function patchSupports(doc: Json, gvk: Json, param: string): boolean | undefined {
  for (const item of Object.values(doc.paths) as Json[]) {
    const op = item.patch;
    const g = op?.['x-kubernetes-group-version-kind'];
    if (!g || g.group !== gvk.group || g.version !== gvk.version || g.kind !== gvk.kind) continue;
    return op.parameters.some((p: Json) => p.name === param && p.in === 'query');
  }
  return undefined;
}

test('the discovery document lists every document with a hash of its bytes', () => {
  const discovery = openapiV3Discovery(registry) as Json;
  assert.deepEqual(Object.keys(discovery.paths), ['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1', 'apis/stable.example.com', 'apis/stable.example.com/v1', 'version']);
  const url: string = discovery.paths['apis/apps/v1'].serverRelativeURL;
  const hash = createHash('sha512').update(JSON.stringify(apps)).digest('hex').toUpperCase();
  assert.equal(url, `/openapi/v3/apis/apps/v1?hash=${hash}`);
  assert.equal(openapiV3Document(registry, 'apis/apps/v1')?.hash, hash);
  assert.equal(openapiV3GroupVersion(registry, 'apps', 'v2'), undefined);
  assert.equal(openapiV3Document(registry, 'apis/nothing'), undefined);
});

test('a group-version document has every operation with its action, id and group-version-kind', () => {
  assert.equal(apps.openapi, '3.0.0');
  const collection = apps.paths[DEPLOYMENTS];
  const item = apps.paths[`${DEPLOYMENTS}/{name}`];
  const ops = (p: Json) => Object.fromEntries(['get', 'post', 'put', 'patch', 'delete'].filter((m) => p[m]).map((m) => [m, `${p[m].operationId} ${p[m]['x-kubernetes-action']}`]));
  assert.deepEqual(ops(collection), {
    get: 'listAppsV1NamespacedDeployment list',
    post: 'createAppsV1NamespacedDeployment post',
    delete: 'deleteAppsV1CollectionNamespacedDeployment deletecollection',
  });
  assert.deepEqual(ops(item), {
    get: 'readAppsV1NamespacedDeployment get',
    put: 'replaceAppsV1NamespacedDeployment put',
    patch: 'patchAppsV1NamespacedDeployment patch',
    delete: 'deleteAppsV1NamespacedDeployment delete',
  });
  assert.equal(apps.paths['/apis/apps/v1/deployments'].get.operationId, 'listAppsV1DeploymentForAllNamespaces');
  assert.equal(apps.paths['/apis/apps/v1/watch/namespaces/{namespace}/deployments'].get['x-kubernetes-action'], 'watchlist');
  assert.equal(apps.paths['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}'].get['x-kubernetes-action'], 'watch');
  assert.equal(apps.paths['/apis/apps/v1/'].get.operationId, 'getAppsV1APIResources');
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(item.patch.tags, ['apps_v1']);
  assert.equal(core.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].get.operationId, 'readCoreV1NamespacedConfigMap');
});

test('parameters: shared ones on the path, the rest on each operation', () => {
  const item = apps.paths[`${DEPLOYMENTS}/{name}`];
  const names = (ps: Json[] | undefined) => (ps ?? []).map((p) => p.name);
  assert.deepEqual(names(item.parameters), ['name', 'namespace', 'pretty']);
  assert.deepEqual(item.parameters[0], { name: 'name', in: 'path', description: 'name of the Deployment', required: true, schema: { type: 'string', uniqueItems: true } });
  assert.deepEqual(names(item.patch.parameters), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  assert.deepEqual(names(item.put.parameters), ['dryRun', 'fieldManager', 'fieldValidation']);
  assert.deepEqual(names(item.delete.parameters), ['dryRun', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'orphanDependents', 'propagationPolicy']);
  assert.deepEqual(names(apps.paths[DEPLOYMENTS].get.parameters), [
    'allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch',
  ]);
  assert.ok(names(apps.paths[DEPLOYMENTS].delete.parameters).includes('labelSelector'));
});

test('kubectl can tell that PATCH takes fieldValidation, for built-in kinds and for Namespace-less CRDs alike', () => {
  assert.equal(patchSupports(apps, { group: 'apps', version: 'v1', kind: 'Deployment' }, 'fieldValidation'), true);
  assert.equal(patchSupports(core, { group: '', version: 'v1', kind: 'ConfigMap' }, 'fieldValidation'), true);
  assert.equal(patchSupports(crd, { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, 'fieldValidation'), true);
  assert.equal(patchSupports(apps, { group: 'apps', version: 'v1', kind: 'Scale' }, 'fieldValidation'), undefined);
});

test('request and response bodies refer to components; patches take every patch type, CRDs no strategic merge', () => {
  const item = apps.paths[`${DEPLOYMENTS}/{name}`];
  assert.deepEqual(Object.keys(item.patch.requestBody.content), [
    'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
  ]);
  assert.equal(item.patch.requestBody.content['application/apply-patch+yaml'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
  assert.equal(item.put.requestBody.content['*/*'].schema.$ref, '#/components/schemas/io.k8s.api.apps.v1.Deployment');
  assert.equal(item.get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(item.get.responses['401'], { description: 'Unauthorized' });
  assert.equal(item.delete.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status');
  assert.equal(apps.paths[DEPLOYMENTS].get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.apps.v1.DeploymentList');
  const crdPatch = crd.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
  assert.ok(!('application/strategic-merge-patch+json' in crdPatch.requestBody.content));
});

test('status and scale subresources', () => {
  const status = apps.paths[`${DEPLOYMENTS}/{name}/status`];
  assert.deepEqual(Object.keys(status).filter((k) => k !== 'parameters').sort(), ['get', 'patch', 'put']);
  assert.equal(status.patch.operationId, 'patchAppsV1NamespacedDeploymentStatus');
  const scale = apps.paths[`${DEPLOYMENTS}/{name}/scale`];
  assert.equal(scale.put.operationId, 'replaceAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale.get['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.deepEqual(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
});

test('components: reachable definitions only, refs wrapped in allOf when annotated, kinds tagged with their GVK', () => {
  const schemas = apps.components.schemas;
  assert.ok(schemas['io.k8s.api.core.v1.Container']);
  assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.equal(schemas['io.k8s.api.core.v1.ConfigMap'], undefined);
  assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.deepEqual(schemas['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
  assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment'].properties.spec, {
    allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }],
    default: {},
    description: 'Desired state.',
  });
  assert.deepEqual(schemas['io.k8s.api.core.v1.ResourceRequirements'].properties.limits.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
  const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf, [{ type: 'string' }, { type: 'number' }]);
  const deleteOptions = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'];
  assert.deepEqual(deleteOptions.map((g: Json) => `${g.group}/${g.version}`), ['/v1', 'apps/v1', 'stable.example.com/v1']);
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Status']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Status', version: 'v1' }]);
});

test('swagger 2.0 at /openapi/v2 holds every path, with #/definitions refs beside their annotations', () => {
  const v2 = openapiV2(registry) as Json;
  assert.equal(v2.swagger, '2.0');
  for (const p of ['/api/', '/apis/', '/version/', '/apis/apps/', '/api/v1/namespaces/{namespace}/configmaps', `${DEPLOYMENTS}/{name}/scale`]) assert.ok(v2.paths[p], p);
  const patch = v2.paths[`${DEPLOYMENTS}/{name}`].patch;
  assert.deepEqual(patch.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } });
  assert.ok(patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query' && p.type === 'string'));
  assert.deepEqual(patch.responses['200'], { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } });
  assert.deepEqual(v2.definitions['io.k8s.api.apps.v1.Deployment'].properties.spec, { $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec', default: {}, description: 'Desired state.' });
  assert.equal(v2.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string');
  assert.ok(v2.definitions['io.k8s.api.core.v1.ConfigMap']);
  assert.deepEqual(v2.security, [{ BearerToken: [] }]);
});

test('documents are cached until the registry changes', () => {
  const r = new ResourceRegistry(metaDefinitions);
  r.add(configMapDef);
  const first = openapiV3GroupVersion(r, '', 'v1');
  assert.equal(openapiV3GroupVersion(r, '', 'v1'), first);
  const before = (openapiV3Discovery(r) as Json).paths;
  assert.equal(before['apis/apps/v1'], undefined);
  r.add(deploymentDef);
  assert.notEqual(openapiV3GroupVersion(r, '', 'v1'), first);
  assert.ok((openapiV3Discovery(r) as Json).paths['apis/apps/v1']);
  r.remove('apps', 'deployments');
  assert.equal(openapiV3GroupVersion(r, 'apps', 'v1'), undefined);
});

// ---- real kubectl against the documents ----

const KUBECTL = '/usr/bin/kubectl';

/** Just enough of an apiserver for kubectl: legacy discovery, the OpenAPI v3 documents, and creates (recorded, echoed). */
function fakeApiserver(r: ResourceRegistry, creates: URL[] = []): Server {
  const resources = (group: string, version: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: r.all().filter((d) => d.group === group).map((d) => ({ name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: ['create', 'get', 'list', 'patch'], shortNames: d.shortNames })),
  });
  const routes: Record<string, () => unknown> = {
    '/api': () => ({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }),
    '/apis': () => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: ['apps', 'stable.example.com'].map((name) => ({ name, versions: [{ groupVersion: `${name}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' } })),
    }),
    '/api/v1': () => resources('', 'v1'),
    '/apis/apps/v1': () => resources('apps', 'v1'),
    '/apis/stable.example.com/v1': () => resources('stable.example.com', 'v1'),
    '/openapi/v3': () => openapiV3Discovery(r),
  };
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (req.method === 'POST') {
      creates.push(url);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(Buffer.concat(chunks));
      });
      return;
    }
    const body = routes[path]?.() ?? (path.startsWith('/openapi/v3/') ? openapiV3Document(r, path.slice('/openapi/v3/'.length))?.document : undefined);
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
  });
}

function kubectl(args: string[], kubeconfig: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: tmpdir() } }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 });
    });
  });
}

test('kubectl explain renders kinds and nested fields from the v3 documents', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} is not installed` }, async () => {
  const server = fakeApiserver(registry);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-explain-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${port}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n`,
  );
  try {
    const top = await kubectl(['explain', 'deployments', '--cache-dir', join(dir, 'cache')], kubeconfig);
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    assert.match(top.stdout, /DESCRIPTION:\n\s+Declarative updates for pods\./);
    assert.match(top.stdout, /\n {2}spec\t<DeploymentSpec>\n/);

    const containers = await kubectl(['explain', 'deploy.spec.template.spec.containers', '--recursive', '--cache-dir', join(dir, 'cache')], kubeconfig);
    assert.equal(containers.code, 0, containers.stderr);
    assert.match(containers.stdout, /FIELD: containers <\[\]Container>/);
    assert.match(containers.stdout, /\n {2}name\t<string> -required-\n/);
    assert.match(containers.stdout, /\n {2}ports\t<\[\]ContainerPort>\n {4}containerPort\t<integer> -required-\n/);
    assert.match(containers.stdout, /\n {4}protocol\t<string>\n {4}enum: TCP, UDP, SCTP\n/);
    assert.match(containers.stdout, /\n {4}limits\t<map\[string\]Quantity>\n/);

    const cm = await kubectl(['explain', 'cm.data', '--cache-dir', join(dir, 'cache')], kubeconfig);
    assert.equal(cm.code, 0, cm.stderr);
    assert.match(cm.stdout, /^KIND:\s+ConfigMap\nVERSION:\s+v1\n\nFIELD: data <map\[string\]string>/);

    const missing = await kubectl(['explain', 'deployments.spec.nothing', '--cache-dir', join(dir, 'cache')], kubeconfig);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /field "nothing" does not exist/);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Were fieldValidation not found on PATCH, kubectl would validate on the client and refuse `bogus`.
test('kubectl create leaves validation to the server once the documents show PATCH takes fieldValidation', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} is not installed` }, async () => {
  const creates: URL[] = [];
  const server = fakeApiserver(registry, creates);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-create-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${port}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: default\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n`,
  );
  const manifest = join(dir, 'objects.yaml');
  writeFileSync(
    manifest,
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\nbogus: 1\n---\napiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: ct\nspec:\n  cronSpec: "* * * * *"\n',
  );
  try {
    const out = await kubectl(['create', '-f', manifest, '--cache-dir', join(dir, 'cache')], kubeconfig);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(
      creates.map((u) => `${u.pathname} ${u.searchParams.get('fieldValidation')}`),
      ['/api/v1/namespaces/default/configmaps Strict', '/apis/stable.example.com/v1/namespaces/default/crontabs Strict'],
    );
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
