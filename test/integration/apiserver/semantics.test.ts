// Object semantics of the generic REST storage, on the test-only Widget kind (status and scale
// subresources, generation) and ConfigMaps: what the server sets, optimistic concurrency,
// finalizers, delete options, dry run and scale, over raw HTTP and through kubectl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, startWidgetCluster, uniqueName, watch, type TestCluster } from '../../support/cluster.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';

const WIDGETS = '/apis/test.k8ts.io/v1/namespaces/default/widgets';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

function widget(name: string, spec: Record<string, unknown> = { color: 'red', replicas: 1 }, metadata: Record<string, unknown> = {}) {
  return { apiVersion: 'test.k8ts.io/v1', kind: 'Widget', metadata: { name, ...metadata }, spec };
}

describe('object semantics', () => {
  let cluster: TestCluster;
  const req = (path: string, opts: Parameters<typeof http>[2] = {}) => http(cluster.url, path, opts);
  const create = async (path: string, body: object) => {
    const r = await req(path, { body });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const patch = (path: string, body: unknown, type = 'application/merge-patch+json') =>
    req(path, { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': type } });

  before(async () => {
    cluster = await startWidgetCluster();
  });
  after(() => cluster.stop());

  test('the server sets uid, creationTimestamp and resourceVersion, and names from generateName', async () => {
    const sent = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-', uid: 'mine', creationTimestamp: '2000-01-01T00:00:00Z' } };
    const a = await create(CONFIGMAPS, sent);
    const b = await create(CONFIGMAPS, sent);
    assert.match(a.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
    assert.notEqual(a.metadata.uid, 'mine');
    assert.notEqual(a.metadata.uid, b.metadata.uid);
    assert.notEqual(a.metadata.creationTimestamp, '2000-01-01T00:00:00Z');
    assert.ok(Math.abs(Date.parse(a.metadata.creationTimestamp) - Date.now()) < 5000);
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    const got = await req(`${CONFIGMAPS}/${a.metadata.name}`);
    assert.deepEqual(got.json.metadata, a.metadata);

    const withRV = await req(CONFIGMAPS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: uniqueName('rv'), resourceVersion: '5' } } });
    assert.equal(withRV.status, 400);
    assert.equal(withRV.json.message, 'resourceVersion should not be set on objects to be created');
    const again = await req(CONFIGMAPS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: a.metadata.name } } });
    assert.equal(again.status, 409);
    assert.equal(again.json.reason, 'AlreadyExists');
    assert.equal(again.json.message, `configmaps "${a.metadata.name}" already exists`);
  });

  test('an update with a stale resourceVersion is a 409 Conflict with upstream’s message', async () => {
    const name = uniqueName('conflict');
    const first = await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });
    const second = await req(`${CONFIGMAPS}/${name}`, { method: 'PUT', body: { ...first, data: { a: '2' } } });
    assert.equal(second.status, 200);
    const stale = await req(`${CONFIGMAPS}/${name}`, { method: 'PUT', body: { ...first, data: { a: '3' } } });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      reason: 'Conflict',
      details: { name, kind: 'configmaps' },
      code: 409,
    });
    const stalePatch = await patch(`${CONFIGMAPS}/${name}`, { metadata: { resourceVersion: first.metadata.resourceVersion }, data: { a: '4' } });
    assert.equal(stalePatch.status, 409);
    assert.equal((await req(`${CONFIGMAPS}/${name}`)).json.data.a, '2');
    // Without a resourceVersion an update is unconditional.
    const { resourceVersion: _, ...meta } = first.metadata;
    const blind = await req(`${CONFIGMAPS}/${name}`, { method: 'PUT', body: { ...first, metadata: meta, data: { a: '5' } } });
    assert.equal(blind.status, 200);
    assert.equal(blind.json.data.a, '5');
  });

  test('generation starts at 1 and moves with spec changes only', async () => {
    const name = uniqueName('gen');
    const path = `${WIDGETS}/${name}`;
    const created = await create(WIDGETS, widget(name));
    assert.equal(created.metadata.generation, 1);
    const labelled = await patch(path, { metadata: { labels: { a: 'b' } } });
    assert.equal(labelled.json.metadata.generation, 1);
    const respec = await patch(path, { spec: { color: 'blue' } });
    assert.equal(respec.json.metadata.generation, 2);
    const status = await patch(`${path}/status`, { status: { phase: 'Ready', observedGeneration: 2 } });
    assert.equal(status.status, 200, status.text);
    assert.equal(status.json.metadata.generation, 2);
    const sameSpec = await patch(path, { spec: { color: 'blue' } });
    assert.equal(sameSpec.json.metadata.generation, 2);
    assert.equal(sameSpec.json.metadata.resourceVersion, status.json.metadata.resourceVersion, 'a no-op patch writes nothing');
    const ignored = await patch(path, { metadata: { generation: 40 } });
    assert.equal(ignored.json.metadata.generation, 2);
    // The same spec with its keys in another order is no change at all.
    const current = (await req(path)).json;
    const reordered = await req(path, { method: 'PUT', body: { ...current, spec: { replicas: current.spec.replicas, color: current.spec.color } } });
    assert.equal(reordered.json.metadata.generation, 2);
    assert.equal(reordered.json.metadata.resourceVersion, current.metadata.resourceVersion);
  });

  test('the main resource ignores status, and /status ignores the spec', async () => {
    const name = uniqueName('status');
    const path = `${WIDGETS}/${name}`;
    const created = await create(WIDGETS, { ...widget(name), status: { phase: 'Made-up' } });
    assert.equal(created.status, undefined);
    const main = await req(path, { method: 'PUT', body: { ...created, spec: { color: 'green', replicas: 1 }, status: { phase: 'Ignored' } } });
    assert.equal(main.status, 200);
    assert.equal(main.json.spec.color, 'green');
    assert.equal(main.json.status, undefined);

    const viaStatus = await req(`${path}/status`, {
      method: 'PUT',
      body: { ...main.json, metadata: { ...main.json.metadata, labels: { sneaky: 'yes' } }, spec: { color: 'black' }, status: { phase: 'Ready', replicas: 1 } },
    });
    assert.equal(viaStatus.status, 200, viaStatus.text);
    assert.deepEqual(viaStatus.json.status, { phase: 'Ready', replicas: 1 });
    assert.equal(viaStatus.json.spec.color, 'green');
    // A built-in kind's /status takes metadata changes unless its strategy resets them (Deployments reset labels).
    assert.deepEqual(viaStatus.json.metadata.labels, { sneaky: 'yes' });
    const read = await req(`${path}/status`);
    assert.equal(read.json.kind, 'Widget');
    assert.deepEqual(read.json.status, { phase: 'Ready', replicas: 1 });
    const noStatus = await req(`${CONFIGMAPS}/anything/status`);
    assert.equal(noStatus.status, 404);
  });

  test('finalizers: delete only marks the object; clearing them removes it', async () => {
    const name = uniqueName('fin');
    const path = `${WIDGETS}/${name}`;
    await create(WIDGETS, widget(name, { color: 'red' }, { finalizers: ['test.k8ts.io/hold'] }));
    const stream = await watch(cluster.url, `${WIDGETS}?watch=true&fieldSelector=metadata.name%3D${name}`);
    try {
      assert.equal((await stream.next()).type, 'ADDED');
      const marked = await req(path, { method: 'DELETE' });
      assert.equal(marked.status, 200);
      assert.equal(marked.json.kind, 'Widget');
      assert.match(marked.json.metadata.deletionTimestamp, /Z$/);
      assert.equal(marked.json.metadata.deletionGracePeriodSeconds, 0);
      assert.equal(marked.json.metadata.generation, 2);
      assert.deepEqual(marked.json.metadata.finalizers, ['test.k8ts.io/hold']);
      const still = await req(path);
      assert.equal(still.status, 200);
      assert.equal(still.json.metadata.deletionTimestamp, marked.json.metadata.deletionTimestamp);
      const modified = await stream.next();
      assert.equal(modified.type, 'MODIFIED');
      assert.ok(modified.object.metadata.deletionTimestamp);

      const again = await req(path, { method: 'DELETE' });
      assert.equal(again.json.metadata.resourceVersion, marked.json.metadata.resourceVersion, 'a second delete changes nothing');
      const spec = await patch(path, { metadata: { deletionTimestamp: null } });
      assert.equal(spec.json.metadata.deletionTimestamp, marked.json.metadata.deletionTimestamp, 'deletionTimestamp cannot be taken back');
      const addFinalizer = await patch(path, { metadata: { finalizers: ['test.k8ts.io/hold', 'test.k8ts.io/new'] } });
      assert.equal(addFinalizer.status, 422, addFinalizer.text);
      assert.match(addFinalizer.json.message, /metadata\.finalizers: Forbidden: no new finalizers can be added if the object is being deleted/);

      const cleared = await patch(path, { metadata: { finalizers: null } });
      assert.equal(cleared.status, 200, cleared.text);
      assert.equal((await req(path)).status, 404);
      const deleted = await stream.until((e) => e.type === 'DELETED');
      assert.equal(deleted.length, 1, 'nothing between the clearing and the DELETED event');
    } finally {
      stream.close();
    }
  });

  test('propagationPolicy Orphan and Foreground add the garbage collector’s finalizers', async () => {
    const orphan = uniqueName('orphan');
    await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: orphan } });
    const o = await req(`${CONFIGMAPS}/${orphan}`, { method: 'DELETE', body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' } });
    assert.equal(o.status, 200, o.text);
    assert.deepEqual(o.json.metadata.finalizers, ['orphan']);
    assert.ok(o.json.metadata.deletionTimestamp);

    const fg = uniqueName('fg');
    await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: fg } });
    const f = await req(`${CONFIGMAPS}/${fg}?propagationPolicy=Foreground`, { method: 'DELETE' });
    assert.deepEqual(f.json.metadata.finalizers, ['foregroundDeletion']);

    const cascade = uniqueName('cascade');
    await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cascade, finalizers: ['x.io/y'] } });
    const c = await req(`${CONFIGMAPS}/${cascade}`, { method: 'DELETE', body: { orphanDependents: false } });
    assert.equal(c.status, 202, 'left in place with orphanDependents=false: Accepted');

    const bg = uniqueName('bg');
    await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: bg } });
    const b = await req(`${CONFIGMAPS}/${bg}?propagationPolicy=Background`, { method: 'DELETE' });
    assert.equal(b.json.kind, 'Status');
    assert.equal(b.json.status, 'Success');
    assert.equal((await req(`${CONFIGMAPS}/${bg}`)).status, 404);

    const bad = await req(`${CONFIGMAPS}/${orphan}?propagationPolicy=Sideways`, { method: 'DELETE' });
    assert.equal(bad.status, 422);
    assert.match(bad.json.message, /propagationPolicy: Unsupported value: "Sideways"/);
  });

  test('delete preconditions on uid and resourceVersion', async () => {
    const name = uniqueName('pre');
    const obj = await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    const wrongUid = await req(`${CONFIGMAPS}/${name}`, { method: 'DELETE', body: { preconditions: { uid: 'not-it' } } });
    assert.equal(wrongUid.status, 409);
    assert.equal(wrongUid.json.message, `Operation cannot be fulfilled on configmaps "${name}": Precondition failed: UID in precondition: not-it, UID in object meta: ${obj.metadata.uid}`);
    const wrongRV = await req(`${CONFIGMAPS}/${name}`, { method: 'DELETE', body: { preconditions: { resourceVersion: '1' } } });
    assert.equal(wrongRV.status, 409);
    assert.equal(
      wrongRV.json.message,
      `Operation cannot be fulfilled on configmaps "${name}": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
    const right = await req(`${CONFIGMAPS}/${name}`, { method: 'DELETE', body: { preconditions: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } } });
    assert.equal(right.status, 200);
    assert.deepEqual(right.json.details, { name, kind: 'configmaps', uid: obj.metadata.uid });
  });

  test('dryRun=All validates and answers but writes nothing', async () => {
    const name = uniqueName('dry');
    const before = await req(`${CONFIGMAPS}?limit=1`);
    const dry = await req(`${CONFIGMAPS}?dryRun=All`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } } });
    assert.equal(dry.status, 201);
    assert.equal(dry.json.metadata.name, name);
    assert.ok(dry.json.metadata.uid);
    assert.equal((await req(`${CONFIGMAPS}/${name}`)).status, 404);
    const invalidDry = await req(`${CONFIGMAPS}?dryRun=All`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' } } });
    assert.equal(invalidDry.status, 422);
    const badValue = await req(`${CONFIGMAPS}?dryRun=Some`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
    assert.equal(badValue.status, 400);
    assert.equal(badValue.json.message, 'dryRun: Unsupported value: "Some": supported values: "All"');

    const real = await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });
    const dryPatch = await patch(`${CONFIGMAPS}/${name}?dryRun=All`, { data: { a: '2' } });
    assert.equal(dryPatch.json.data.a, '2');
    const dryPut = await req(`${CONFIGMAPS}/${name}?dryRun=All`, { method: 'PUT', body: { ...real, data: { a: '3' } } });
    assert.equal(dryPut.json.data.a, '3');
    const dryDelete = await req(`${CONFIGMAPS}/${name}`, { method: 'DELETE', body: { dryRun: ['All'] } });
    assert.equal(dryDelete.status, 200);
    const dryCollection = await req(`${CONFIGMAPS}?dryRun=All&fieldSelector=metadata.name%3D${name}`, { method: 'DELETE' });
    assert.equal(dryCollection.json.items.length, 1);
    const after = await req(`${CONFIGMAPS}/${name}`);
    assert.equal(after.status, 200);
    assert.deepEqual(after.json, real);
    assert.ok(Number((await req(`${CONFIGMAPS}?limit=1`)).json.metadata.resourceVersion) === Number(before.json.metadata.resourceVersion) + 1);
  });

  test('deletecollection removes what the selectors match and answers with the list', async () => {
    const group = uniqueName('dc');
    for (const n of ['a', 'b', 'c']) await create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${group}-${n}`, labels: { group, keep: String(n === 'c') } } });
    const r = await req(`${CONFIGMAPS}?labelSelector=${encodeURIComponent(`group=${group},keep=false`)}`, { method: 'DELETE' });
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'ConfigMapList');
    assert.deepEqual(r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), [`${group}-a`, `${group}-b`]);
    const left = await req(`${CONFIGMAPS}?labelSelector=group%3D${group}`);
    assert.deepEqual(left.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), [`${group}-c`]);
  });

  test('the scale subresource reads and writes spec.replicas', async () => {
    const name = uniqueName('scale');
    const path = `${WIDGETS}/${name}`;
    await create(WIDGETS, widget(name, { color: 'red', replicas: 2 }));
    await patch(`${path}/status`, { status: { replicas: 2, selector: 'app=x' } });
    const scale = await req(`${path}/scale`);
    assert.equal(scale.status, 200);
    assert.equal(scale.json.kind, 'Scale');
    assert.equal(scale.json.apiVersion, 'autoscaling/v1');
    assert.deepEqual(scale.json.spec, { replicas: 2 });
    assert.deepEqual(scale.json.status, { replicas: 2, selector: 'app=x' });
    const put = await req(`${path}/scale`, { method: 'PUT', body: { ...scale.json, spec: { replicas: 4 } } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.spec.replicas, 4);
    const w = (await req(path)).json;
    assert.equal(w.spec.replicas, 4);
    assert.equal(w.metadata.generation, 2);
    const stale = await req(`${path}/scale`, { method: 'PUT', body: { ...scale.json, spec: { replicas: 5 } } });
    assert.equal(stale.status, 409);
    const negative = await patch(`${path}/scale`, { spec: { replicas: -1 } });
    assert.equal(negative.status, 422);
    assert.equal(negative.json.message, `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
  });

  test('validation failures are 422 Invalid with causes', async () => {
    const name = uniqueName('invalid');
    const r = await req(WIDGETS, { body: widget(name, { replicas: -1 }) });
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    assert.equal(r.json.message, `Widget.test.k8ts.io "${name}" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
    assert.deepEqual(r.json.details, {
      name,
      group: 'test.k8ts.io',
      kind: 'Widget',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }],
    });
    const badName = await req(CONFIGMAPS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } } });
    assert.equal(badName.status, 422);
    assert.match(badName.json.message, /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    assert.equal((await req(`${CONFIGMAPS}/Bad_Name`)).status, 404);
  });

  test('kubectl: scale, wide tables with the kind’s columns, field selectors, invalid objects', { skip: kubectlSkip }, async () => {
    const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });
    const name = uniqueName('kw');
    const other = uniqueName('kw');
    const manifest = (n: string, color: string) => `apiVersion: test.k8ts.io/v1\nkind: Widget\nmetadata:\n  name: ${n}\n  labels: {kw: "yes"}\nspec:\n  color: ${color}\n  replicas: 1\n  size: 7\n`;
    assert.equal((await k(['apply', '-f', '-'], manifest(name, 'red') + '---\n' + manifest(other, 'blue'))).code, 0);
    const scaled = await k(['scale', `widget/${name}`, '--replicas=3']);
    assert.equal(scaled.stdout, `widget.test.k8ts.io/${name} scaled\n`, scaled.stderr);
    const wrong = await k(['scale', `widget/${name}`, '--current-replicas=5', '--replicas=2']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, 'error: Expected replicas to be 5, was 3\n');

    const wide = (await k(['get', 'widgets', '-l', 'kw=yes', '-o', 'wide'])).stdout.split('\n');
    assert.match(wide[0], /^NAME\s+COLOR\s+REPLICAS\s+AGE\s+SIZE$/);
    assert.match(wide[1], new RegExp(`^${name}\\s+red\\s+3\\s+\\d+s\\s+7$`));
    assert.match((await k(['get', 'wd', name])).stdout, /^NAME\s+COLOR\s+REPLICAS\s+AGE\n/);
    assert.equal((await k(['get', 'widgets', '-l', 'kw=yes', '--field-selector', 'spec.color=blue', '-o', 'name'])).stdout, `widget.test.k8ts.io/${other}\n`);
    const unsupported = await k(['get', 'widgets', '--field-selector', 'spec.size=7']);
    assert.equal(unsupported.code, 1);
    assert.match(unsupported.stderr, /field label not supported: spec\.size\n$/);

    const invalid = await k(['apply', '-f', '-'], `apiVersion: test.k8ts.io/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n  replicas: -2\n`);
    assert.equal(invalid.code, 1);
    assert.equal(invalid.stderr, `The Widget "${name}" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0\n`);
    const explain = await k(['explain', 'widget.spec']);
    assert.match(explain.stdout, /GROUP:\s+test\.k8ts\.io\nKIND:\s+Widget\nVERSION:\s+v1\n/);
    assert.match(explain.stdout, /\n {2}color\t<string>\n {4}The colour, selectable as spec\.color\.\n/);
  });
});
