// The HTTP surface: content negotiation (Table, PartialObjectMetadata, YAML), discovery and
// OpenAPI, field validation, malformed and refused requests, health, version and metrics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, startWidgetCluster, uniqueName, watch, type TestCluster } from '../../support/cluster.js';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const TABLE = 'application/json;as=Table;g=meta.k8s.io;v=v1';

describe('HTTP surface', () => {
  let cluster: TestCluster;
  const req = (path: string, opts: Parameters<typeof http>[2] = {}) => http(cluster.url, path, opts);
  const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { suite: 'http' } }, data: { a: '1' }, ...extra });

  before(async () => {
    cluster = await startWidgetCluster();
  });
  after(() => cluster.stop());

  test('as=Table with includeObject Metadata (default), Object and None', async () => {
    const name = uniqueName('table');
    assert.equal((await req(CONFIGMAPS, { body: cm(name) })).status, 201);
    const list = (await req(`${CONFIGMAPS}?labelSelector=suite%3Dhttp&fieldSelector=metadata.name%3D${name}`, { headers: { accept: TABLE } })).json;
    assert.equal(list.kind, 'Table');
    assert.equal(list.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(list.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Data', 'Age']);
    assert.equal(list.columnDefinitions[0].format, 'name');
    assert.equal(list.rows.length, 1);
    assert.deepEqual(list.rows[0].cells.slice(0, 2), [name, 1]);
    assert.equal(list.rows[0].object.kind, 'PartialObjectMetadata');
    assert.equal(list.rows[0].object.metadata.name, name);
    assert.ok(list.metadata.resourceVersion);

    const full = (await req(`${CONFIGMAPS}/${name}?includeObject=Object`, { headers: { accept: TABLE } })).json;
    assert.deepEqual(full.rows[0].object.data, { a: '1' });
    const bare = (await req(`${CONFIGMAPS}/${name}?includeObject=None`, { headers: { accept: TABLE } })).json;
    assert.equal(bare.rows[0].object, undefined);

    const widgets = (await req('/apis/test.k8ts.io/v1/widgets', { headers: { accept: `${TABLE}, application/json` } })).json;
    assert.deepEqual(
      widgets.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}/${c.priority}`),
      ['Name/0', 'Color/0', 'Replicas/0', 'Age/0', 'Size/1'],
    );
  });

  test('a Table watch sends column definitions once, then rows', async () => {
    const name = uniqueName('tw');
    const stream = await watch(cluster.url, `${CONFIGMAPS}?watch=1&fieldSelector=metadata.name%3D${name}`, { accept: TABLE });
    try {
      await req(CONFIGMAPS, { body: cm(name) });
      await req(`${CONFIGMAPS}/${name}`, { method: 'PATCH', body: '{"data":{"b":"2"}}', headers: { 'content-type': 'application/merge-patch+json' } });
      const [added, modified] = [await stream.next(), await stream.next()];
      assert.equal(added.type, 'ADDED');
      assert.equal(added.object.kind, 'Table');
      assert.equal(added.object.columnDefinitions.length, 3);
      assert.equal(modified.object.columnDefinitions.length, 0);
      assert.deepEqual(modified.object.rows[0].cells.slice(0, 2), [name, 2]);
    } finally {
      stream.close();
    }
  });

  test('PartialObjectMetadata and PartialObjectMetadataList', async () => {
    const name = uniqueName('pom');
    await req(CONFIGMAPS, { body: cm(name) });
    const one = (await req(`${CONFIGMAPS}/${name}`, { headers: { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' } })).json;
    assert.equal(one.kind, 'PartialObjectMetadata');
    assert.equal(one.metadata.name, name);
    assert.equal(one.data, undefined);
    const list = (await req(`${CONFIGMAPS}?fieldSelector=metadata.name%3D${name}`, { headers: { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' } })).json;
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.equal(list.apiVersion, 'meta.k8s.io/v1');
    assert.equal(list.items[0].kind, 'PartialObjectMetadata');
    assert.equal(list.items[0].data, undefined);
  });

  test('YAML request bodies and YAML responses', async () => {
    const name = uniqueName('yaml');
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  answer: "yes"\n  when: "2024-01-01T00:00:00Z"\n`;
    const created = await req(CONFIGMAPS, { body, headers: { 'content-type': 'application/yaml' } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.data, { answer: 'yes', when: '2024-01-01T00:00:00Z' });
    const yaml = await req(`${CONFIGMAPS}/${name}`, { headers: { accept: 'application/yaml' } });
    assert.equal(yaml.headers.get('content-type'), 'application/yaml');
    // As upstream writes YAML: keys sorted, strings YAML 1.1 would misread are quoted.
    assert.match(yaml.text, /^apiVersion: v1\ndata:\n {2}answer: "yes"\n {2}when: "2024-01-01T00:00:00Z"\nkind: ConfigMap\nmetadata:\n {2}creationTimestamp: "\d{4}-/);
    const list = await req(`${CONFIGMAPS}?fieldSelector=metadata.name%3D${name}`, { headers: { accept: 'application/yaml' } });
    assert.match(list.text, /^apiVersion: v1\nitems:\n/);
    assert.match(list.text, /\nkind: ConfigMapList\n/);

    const broken = await req(CONFIGMAPS, { body: 'metadata: [unclosed', headers: { 'content-type': 'application/yaml' } });
    assert.equal(broken.status, 400);
    assert.match(broken.json.message, /^error converting YAML to JSON: /);
    const notAcceptable = await req(CONFIGMAPS, { headers: { accept: 'text/html' } });
    assert.equal(notAcceptable.status, 406);
    assert.equal(notAcceptable.json.reason, 'NotAcceptable');
    const unsupported = await req(CONFIGMAPS, { body: 'x=1', headers: { 'content-type': 'text/plain' } });
    assert.equal(unsupported.status, 415);
    assert.equal(unsupported.json.reason, 'UnsupportedMediaType');
  });

  test('discovery documents, legacy and aggregated', async () => {
    const api = (await req('/api')).json;
    assert.equal(api.kind, 'APIVersions');
    const apis = (await req('/apis')).json;
    assert.equal(apis.kind, 'APIGroupList');
    assert.deepEqual(apis.groups.find((g: { name: string }) => g.name === 'test.k8ts.io').preferredVersion, { groupVersion: 'test.k8ts.io/v1', version: 'v1' });
    const group = (await req('/apis/test.k8ts.io')).json;
    assert.equal(group.kind, 'APIGroup');
    const resources = (await req('/apis/test.k8ts.io/v1')).json;
    assert.equal(resources.kind, 'APIResourceList');
    const byName = new Map(resources.resources.map((r: { name: string }) => [r.name, r]));
    assert.deepEqual(byName.get('widgets'), {
      name: 'widgets',
      singularName: 'widget',
      namespaced: true,
      kind: 'Widget',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['wd'],
      categories: ['all'],
      storageVersionHash: (byName.get('widgets') as { storageVersionHash: string }).storageVersionHash,
    });
    assert.deepEqual(byName.get('widgets/scale'), { name: 'widgets/scale', singularName: '', namespaced: true, kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' });
    assert.equal((byName.get('widgets/status') as { kind: string }).kind, 'Widget');
    assert.equal((await req('/apis/nothing.example.com')).status, 404);
    assert.equal((await req('/apis/test.k8ts.io/v9')).status, 404);

    const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const aggregated = await req('/apis', { headers: { accept: v2 } });
    assert.equal(aggregated.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(aggregated.json.kind, 'APIGroupDiscoveryList');
    const widgets = aggregated.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'test.k8ts.io').versions[0].resources[0];
    assert.equal(widgets.scope, 'Namespaced');
    assert.deepEqual(widgets.subresources.map((s: { subresource: string }) => s.subresource), ['scale', 'status']);
    const core = (await req('/api', { headers: { accept: v2 } })).json;
    assert.deepEqual(core.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['']);
  });

  test('OpenAPI v2 and v3 documents', async () => {
    const v2 = await req('/openapi/v2');
    assert.equal(v2.status, 200);
    assert.ok(v2.headers.get('etag'));
    assert.ok(v2.json.definitions['io.k8s.api.core.v1.ConfigMap']);
    assert.ok(v2.json.definitions['io.k8ts.test.v1.Widget']);
    const v3 = (await req('/openapi/v3')).json;
    assert.ok(v3.paths['apis/test.k8ts.io/v1'].serverRelativeURL.startsWith('/openapi/v3/apis/test.k8ts.io/v1?hash='));
    const gv = (await req('/openapi/v3/apis/test.k8ts.io/v1')).json;
    assert.ok(gv.components.schemas['io.k8ts.test.v1.Widget']);
    assert.equal((await req('/openapi/v3/apis/none/v1')).status, 404);
  });

  test('OpenAPI v2 in protobuf (gnostic openapi.v2.Document), as client-go asks for it', async () => {
    const json = await req('/openapi/v2', { headers: { accept: 'application/json' } });
    const pb = await req('/openapi/v2', { headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    assert.equal(pb.status, 200);
    assert.equal(pb.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal(pb.headers.get('vary'), 'Accept');
    assert.equal(pb.headers.get('etag'), json.headers.get('etag'));
    const doc = protoFields(pb.bytes);
    assert.equal(doc.get(1)![0].toString(), '2.0');
    assert.equal(protoFields(doc.get(2)![0]).get(1)![0].toString(), 'Kubernetes');
    // Paths (field 8) holds one NamedPathItem (field 2) per path, definitions (9) one NamedSchema (1) per name.
    const paths = protoFields(doc.get(8)![0]).get(2)!.map((p) => protoFields(p).get(1)![0].toString());
    assert.deepEqual(paths, Object.keys(json.json.paths));
    const definitions = protoFields(doc.get(9)![0]).get(1)!.map((d) => protoFields(d));
    assert.deepEqual(definitions.map((d) => d.get(1)![0].toString()), Object.keys(json.json.definitions));
    // A vendor extension is a NamedAny (Schema field 31) whose Any carries YAML (field 2).
    const configMap = definitions.find((d) => d.get(1)![0].toString() === 'io.k8s.api.core.v1.ConfigMap')!;
    const gvk = protoFields(configMap.get(2)![0]).get(31)!.map((e) => protoFields(e));
    assert.deepEqual(
      gvk.map((e) => [e.get(1)![0].toString(), protoFields(e.get(2)![0]).get(2)![0].toString()]),
      [['x-kubernetes-group-version-kind', '- group: ""\n  kind: ConfigMap\n  version: v1\n']],
    );
    assert.equal((await req('/openapi/v2', { headers: { accept: '*/*' } })).headers.get('content-type'), 'application/json');
    assert.equal((await req('/openapi/v2', { headers: { accept: 'text/html' } })).status, 406);
    // Accept's q-values decide, as upstream's goautoneg orders clauses.
    const preferred = await req('/openapi/v2', { headers: { accept: 'application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf' } });
    assert.equal(preferred.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal((await req('/openapi/v2', { headers: { accept: 'application/json;q=0' } })).status, 406);
  });

  test('fieldValidation Strict, Warn (the default) and Ignore; duplicate JSON fields', async () => {
    const raw = (name: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"k":"1","k":"2"},"spec":{"x":1}}`;
    const strictName = uniqueName('fv');
    const strict = await req(`${CONFIGMAPS}?fieldValidation=Strict`, { body: raw(strictName), headers: { 'content-type': 'application/json' } });
    assert.equal(strict.status, 400);
    assert.equal(
      strict.json.message,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data.k", unknown field "spec"',
    );
    assert.equal((await req(`${CONFIGMAPS}/${strictName}`)).status, 404);
    const warned = await req(CONFIGMAPS, { body: raw(uniqueName('fv')), headers: { 'content-type': 'application/json' } });
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.get('warning'), '299 - "unknown field \\"spec\\"", 299 - "duplicate field \\"data.k\\""');
    assert.deepEqual(warned.json.data, { k: '2' });
    assert.equal(warned.json.spec, undefined);
    const ignored = await req(`${CONFIGMAPS}?fieldValidation=Ignore`, { body: raw(uniqueName('fv')), headers: { 'content-type': 'application/json' } });
    assert.equal(ignored.status, 201);
    assert.equal(ignored.headers.get('warning'), null);

    const name = warned.json.metadata.name;
    const strictPatch = await req(`${CONFIGMAPS}/${name}?fieldValidation=Strict`, { method: 'PATCH', body: '{"extra":true}', headers: { 'content-type': 'application/strategic-merge-patch+json' } });
    assert.equal(strictPatch.status, 400);
    assert.equal(strictPatch.json.message, 'strict decoding error: unknown field "extra"');
    const bad = await req(`${CONFIGMAPS}?fieldValidation=Loose`, { body: cm(uniqueName('fv')) });
    assert.equal(bad.status, 400);
  });

  test('malformed and refused requests write nothing and leave the server serving', async () => {
    const before = (await req(CONFIGMAPS)).json.metadata.resourceVersion;
    const expectStatus = async (r: Promise<Awaited<ReturnType<typeof req>>>, code: number, reason: string, message?: string | RegExp) => {
      const res = await r;
      assert.equal(res.status, code, res.text);
      assert.equal(res.json.kind, 'Status');
      assert.equal(res.json.status, 'Failure');
      assert.equal(res.json.reason, reason);
      if (typeof message === 'string') assert.equal(res.json.message, message);
      else if (message) assert.match(res.json.message, message);
    };
    const json = { 'content-type': 'application/json' };
    await expectStatus(req(CONFIGMAPS, { body: '{"apiVersion":"v1",', headers: json }), 400, 'BadRequest', /^couldn't get version\/kind; json parse error: /);
    await expectStatus(req(CONFIGMAPS, { body: '[1,2]', headers: json }), 400, 'BadRequest');
    await expectStatus(req(CONFIGMAPS, { body: { ...cm('x'), apiVersion: 'apps/v1' } }), 400, 'BadRequest', 'the API version in the data (apps/v1) does not match the expected API version (v1)');
    await expectStatus(req(CONFIGMAPS, { body: { ...cm('x'), kind: 'Secret' } }), 400, 'BadRequest', 'Secret in version "v1" cannot be handled as a ConfigMap: the kind in the data does not match the expected kind');
    await expectStatus(req(CONFIGMAPS, { body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":"${'x'.repeat(3 * 1024 * 1024)}"}}`, headers: json }), 413, 'RequestEntityTooLarge');
    await expectStatus(req(`${CONFIGMAPS}/x`, { method: 'POST', body: cm('x') }), 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    await expectStatus(req(CONFIGMAPS, { method: 'PUT', body: cm('x') }), 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    await expectStatus(req(CONFIGMAPS, { method: 'OPTIONS' }), 405, 'MethodNotAllowed');
    await expectStatus(req('/api/v1/namespaces/default/gizmos'), 404, 'NotFound', 'the server could not find the requested resource');
    await expectStatus(req('/apis/example.com/v1/things'), 404, 'NotFound', 'the server could not find the requested resource');
    await expectStatus(req('/api/v1/namespaces/default/namespaces/x'), 404, 'NotFound');
    await expectStatus(req('/no/such/path'), 404, 'NotFound');
    await expectStatus(req(`${CONFIGMAPS}/missing`), 404, 'NotFound', 'configmaps "missing" not found');
    await expectStatus(req('/api/v1/namespaces/nowhere/configmaps', { body: cm(uniqueName('x')) }), 404, 'NotFound', 'namespaces "nowhere" not found');
    await expectStatus(req(`${CONFIGMAPS}/x`, { method: 'PATCH', body: '{}', headers: { 'content-type': 'text/plain' } }), 415, 'UnsupportedMediaType');
    assert.equal((await req(CONFIGMAPS)).json.metadata.resourceVersion, before, 'nothing was written');
    assert.equal((await req('/healthz')).text, 'ok');
  });

  test('health, version and metrics', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const r = await req(path);
      assert.equal(r.status, 200);
      assert.equal(r.text, 'ok');
      const verbose = await req(`${path}?verbose`);
      assert.match(verbose.text, /^\[\+\]ping ok\n/);
      assert.ok(verbose.text.endsWith(`${path.slice(1)} check passed\n`));
    }
    const version = (await req('/version')).json;
    assert.equal(version.major, '1');
    assert.equal(version.minor, '32');
    assert.match(version.gitVersion, /^v1\.32\.\d+/);
    assert.match(version.platform, /^linux\//);

    await req(CONFIGMAPS, { body: cm(uniqueName('m')) });
    await req(`${CONFIGMAPS}/nope`);
    const metrics = (await req('/metrics')).text;
    const line = (verb: string, resource: string, scope: string, code: number) =>
      new RegExp(`^apiserver_request_total\\{verb="${verb}",group="",version="v1",resource="${resource}",subresource="",scope="${scope}",component="apiserver",code="${code}"\\} \\d+$`, 'm');
    assert.match(metrics, line('POST', 'configmaps', 'namespace', 201));
    assert.match(metrics, line('GET', 'configmaps', 'resource', 404));
    assert.match(metrics, line('LIST', 'configmaps', 'namespace', 200));
    assert.match(metrics, /^apiserver_request_duration_seconds_bucket\{le="0\.005",verb="POST",/m);
  });
});

/** The length-delimited and varint fields of one protobuf message, by field number (enough to read a document's shape). */
function protoFields(buf: Buffer): Map<number, Buffer[]> {
  const fields = new Map<number, Buffer[]>();
  let pos = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[pos++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const wire = key & 7;
    let value: Buffer;
    if (wire === 2) {
      const len = varint();
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 0) value = Buffer.from([varint()]);
    else if (wire === 1) value = buf.subarray(pos, (pos += 8));
    else throw new Error(`unexpected wire type ${wire}`);
    const list = fields.get(key >>> 3) ?? [];
    list.push(value);
    fields.set(key >>> 3, list);
  }
  return fields;
}
