// CustomResourceDefinitions through real kubectl: the CRD becomes Established and its resource is
// served (names, short names, api-resources, explain, printer columns), its schema validates,
// defaults and prunes, status and scale subresources work, conflicts and bad CRDs are refused, and
// deleting a CRD removes its custom resources and its API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { kubectlSkip } from '../../support/kubectl.js';
import { fixturePath } from '../../fixtures/manifests/index.js';
import { AGE, assertCells, CREATED_AT, parseTable, startSession, until, type KubectlSession } from './support.js';

const MYPODS = readFileSync(fixturePath('customresourcedefinitions.yaml'), 'utf8');

const COUNTERS = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: counters.ops.example.com
spec:
  group: ops.example.com
  scope: Cluster
  names:
    plural: counters
    kind: Counter
  versions:
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
            properties:
              tier: {type: string, default: beta}
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              replicas: {type: integer}
          status:
            type: object
            properties:
              replicas: {type: integer}
              selector: {type: string}
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.selector
`;

const myPod = (name: string, spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'crd.example.com/v1', kind: 'MyPod', metadata: { name }, spec });

describe('CustomResourceDefinitions through kubectl', { skip: kubectlSkip }, () => {
  let s: KubectlSession;

  before(async () => {
    s = await startSession();
    assert.equal(await s.ok(['apply', '-f', '-'], MYPODS), 'customresourcedefinition.apiextensions.k8s.io/mypods.crd.example.com created\n');
    assert.equal(await s.ok(['wait', '--for=condition=Established', 'crd/mypods.crd.example.com', '--timeout=30s']), 'customresourcedefinition.apiextensions.k8s.io/mypods.crd.example.com condition met\n');
  });
  after(() => s?.stop());

  test('the CRD is listed, its conditions say why it is served', async () => {
    const table = parseTable(await s.ok(['get', 'crd']));
    assert.deepEqual(table.header, ['NAME', 'CREATED AT']);
    assertCells(table.rows.find((r) => r[0] === 'mypods.crd.example.com')!, ['mypods.crd.example.com', CREATED_AT], 'crd row');
    const crd = JSON.parse(await s.ok(['get', 'crd', 'mypods.crd.example.com', '-o', 'json']));
    assert.deepEqual(
      crd.status.conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason, c.message]),
      [
        ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
        ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
      ],
    );
    assert.deepEqual(crd.status.acceptedNames, { plural: 'mypods', singular: 'mypod', shortNames: ['mpod'], kind: 'MyPod', listKind: 'MyPodList' });
    assert.deepEqual(crd.status.storedVersions, ['v1']);
    assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
  });

  test('the resource is in api-resources and explain', async () => {
    const rows = (await s.ok(['api-resources', '--api-group=crd.example.com'])).split('\n');
    assert.match(rows[0], /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    assert.match(rows[1], /^mypods\s+mpod\s+crd\.example\.com\/v1\s+true\s+MyPod$/);
    const explain = await s.ok(['explain', 'mypod.spec']);
    assert.match(explain, /^GROUP:\s+crd\.example\.com\nKIND:\s+MyPod\nVERSION:\s+v1\n/);
    assert.match(explain, /\n {2}image\t<string>\n {4}The image the pod runs\.\n/);
    assert.match(explain, /\n {2}replicas\t<integer>\n/);
  });

  test('custom resources by plural, singular, short and qualified name, with their printer columns', async () => {
    assert.equal(await s.ok(['create', '-f', '-'], myPod('first', { cpu: '500m', image: 'hello' })), 'mypod.crd.example.com/first created\n');
    for (const name of ['mypods', 'mypod', 'mpod', 'mypods.crd.example.com']) {
      const table = parseTable(await s.ok(['get', name]));
      assert.deepEqual(table.header, ['NAME', 'CPU', 'AGE'], name);
      assertCells(table.rows[0], ['first', '500m', AGE], name);
    }
    const wide = parseTable(await s.ok(['get', 'mpod', '-o', 'wide']));
    assert.deepEqual(wide.header, ['NAME', 'CPU', 'REPLICAS', 'AGE']);
    assertCells(wide.rows[0], ['first', '500m', '1', AGE], 'wide row');
    // The schema's default filled spec.replicas.
    assert.equal(await s.ok(['get', 'mypod', 'first', '-o', 'jsonpath={.spec.replicas}']), '1');
    assert.equal(await s.ok(['get', 'mypod', 'first', '-o', 'jsonpath={.metadata.generation}']), '1');
  });

  test('the schema refuses bad values and unknown fields, and changes nothing', async () => {
    const bad = await s.failed(['create', '-f', '-'], myPod('bad', { cpu: 'lots', replicas: 0 }));
    assert.equal(
      bad.stderr,
      `The MyPod "bad" is invalid: \n* spec.cpu: Invalid value: "lots": spec.cpu in body should match '^[0-9]+m$'\n* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1\n`,
    );
    const unknown = await s.failed(['create', '-f', '-'], myPod('odd', { cpu: '1m', colour: 'red' }));
    assert.match(unknown.stderr, /strict decoding error: unknown field "spec\.colour"/);
    const typed = await s.failed(['create', '-f', '-'], myPod('typed', { replicas: 'two' }));
    assert.match(typed.stderr, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
    assert.equal((await s.k(['get', 'mypod', 'bad'])).code, 1);
    assert.equal((await s.k(['get', 'mypod', 'odd'])).code, 1);
  });

  test('status and scale subresources, a second served version, a cluster-scoped resource', async () => {
    assert.equal(await s.ok(['apply', '-f', '-'], COUNTERS), 'customresourcedefinition.apiextensions.k8s.io/counters.ops.example.com created\n');
    await s.ok(['wait', '--for=condition=Established', 'crd/counters.ops.example.com', '--timeout=30s']);
    const counter = { apiVersion: 'ops.example.com/v1', kind: 'Counter', metadata: { name: 'c1' }, spec: { replicas: 1 }, status: { replicas: 5 } };
    assert.equal(await s.ok(['create', '-f', '-'], JSON.stringify(counter)), 'counter.ops.example.com/c1 created\n');
    // With the status subresource, the main resource ignores status.
    assert.equal(await s.ok(['get', 'counter', 'c1', '-o', 'jsonpath={.status}']), '');
    assert.equal(await s.ok(['scale', 'counter/c1', '--replicas=3']), 'counter.ops.example.com/c1 scaled\n');
    assert.equal(await s.ok(['get', 'counter', 'c1', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']), '3 2');
    await s.ok(['patch', 'counter', 'c1', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3,"selector":"app=c"}}']);
    const scale = JSON.parse(await s.ok(['get', '--raw', '/apis/ops.example.com/v1/counters/c1/scale']));
    assert.deepEqual([scale.spec.replicas, scale.status.replicas, scale.status.selector], [3, 3, 'app=c']);
    assert.equal(await s.ok(['get', 'counter', 'c1', '-o', 'jsonpath={.metadata.generation}']), '2');
    // The same object through the other served version.
    const beta = JSON.parse(await s.ok(['get', '--raw', '/apis/ops.example.com/v1beta1/counters/c1']));
    assert.deepEqual([beta.apiVersion, beta.spec.replicas], ['ops.example.com/v1beta1', 3]);
    // Each version is validated by its own schema: v1beta1 preserves anything, v1 types replicas.
    const loose = JSON.stringify({ apiVersion: 'ops.example.com/v1beta1', kind: 'Counter', metadata: { name: 'c2' }, spec: { replicas: 'three' } });
    const viaBeta = JSON.parse(await s.ok(['create', '--raw', '/apis/ops.example.com/v1beta1/counters', '-f', '-'], loose));
    // Defaults come from the version written through too: v1beta1 defaults spec.tier.
    assert.deepEqual(viaBeta.spec, { replicas: 'three', tier: 'beta' });
    const strict = await s.failed(['create', '-f', '-'], loose.replace('v1beta1', 'v1').replace('c2', 'c3'));
    assert.match(strict.stderr, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
    const table = parseTable(await s.ok(['get', 'counters']));
    assert.deepEqual(table.header, ['NAME', 'AGE']);
  });

  test('a CRD whose kinds another CRD of the group holds is not served', async () => {
    const clash = MYPODS.replaceAll('mypods', 'otherpods').replace('singular: mypod', 'singular: otherpod').replace('shortNames: [mpod]', 'shortNames: [opod]');
    assert.equal(await s.ok(['apply', '-f', '-'], clash), 'customresourcedefinition.apiextensions.k8s.io/otherpods.crd.example.com created\n');
    await until(async () => (await s.ok(['get', 'crd', 'otherpods.crd.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="NamesAccepted")].status}'])) === 'False', 'NamesAccepted False');
    const crd = JSON.parse(await s.ok(['get', 'crd', 'otherpods.crd.example.com', '-o', 'json']));
    const byType = Object.fromEntries(crd.status.conditions.map((c: Record<string, string>) => [c.type, c]));
    // Kind and listKind both clash; as upstream, the last name checked gives the reason.
    assert.deepEqual([byType.NamesAccepted.reason, byType.NamesAccepted.message], ['ListKindConflict', '"MyPodList" is already in use']);
    assert.deepEqual([byType.Established.status, byType.Established.reason], ['False', 'NotAccepted']);
    assert.equal((await s.k(['get', '--raw', '/apis/crd.example.com/v1/otherpods'])).code, 1);
    await s.ok(['delete', 'crd', 'otherpods.crd.example.com']);
  });

  test('invalid CRDs are refused with the field paths', async () => {
    const bad = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example
spec:
  group: example
  scope: Region
  names: {plural: widgets, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {properties: {size: {type: integer}}}
`;
    const r = await s.failed(['apply', '-f', '-'], bad);
    assert.match(r.stderr, /The CustomResourceDefinition "widgets\.example" is invalid: /);
    assert.match(r.stderr, /spec\.group: Invalid value: "example": should be a domain with at least one dot/);
    assert.match(r.stderr, /spec\.scope: Unsupported value: "Region": supported values: "Cluster", "Namespaced"/);
    assert.match(r.stderr, /spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.type: Required value: must not be empty for specified object fields/);
    const unnamed = await s.failed(['apply', '-f', '-'], MYPODS.replace('name: mypods.crd.example.com', 'name: pods.crd.example.com'));
    assert.match(unnamed.stderr, /metadata\.name: Invalid value: "pods\.crd\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/);
    assert.equal((await s.k(['get', 'crd', 'widgets.example'])).code, 1);
    // Once established, scope and kind are fixed; group and plural always are.
    const rescoped = await s.failed(['apply', '-f', '-'], MYPODS.replace('scope: Namespaced', 'scope: Cluster').replace('kind: MyPod', 'kind: MyThing'));
    assert.match(rescoped.stderr, /spec\.scope: Invalid value: "Cluster": field is immutable/);
    assert.match(rescoped.stderr, /spec\.names\.kind: Invalid value: "MyThing": field is immutable/);
  });

  test('client-node CustomObjectsApi reads and writes custom resources', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(s.cluster.kubeconfigPath);
    const api = kc.makeApiClient(CustomObjectsApi);
    const created = await api.createNamespacedCustomObject({
      group: 'crd.example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'mypods',
      body: { apiVersion: 'crd.example.com/v1', kind: 'MyPod', metadata: { name: 'from-node' }, spec: { cpu: '250m' } },
    });
    assert.equal(created.spec.replicas, 1);
    const list = await api.listNamespacedCustomObject({ group: 'crd.example.com', version: 'v1', namespace: 'default', plural: 'mypods' });
    assert.deepEqual(list.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), ['first', 'from-node']);
  });

  test('deleting the CRD deletes its custom resources and its API', async () => {
    // A custom resource whose finalizer holds it keeps the CRD terminating: no new objects meanwhile.
    await s.ok(['create', '-f', '-'], JSON.stringify({ ...JSON.parse(myPod('held', { cpu: '1m' })), metadata: { name: 'held', finalizers: ['example.com/hold'] } }));
    assert.equal(await s.ok(['delete', 'crd', 'mypods.crd.example.com', '--wait=false']), 'customresourcedefinition.apiextensions.k8s.io "mypods.crd.example.com" deleted\n');
    await until(async () => (await s.ok(['get', 'mypod', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}'])) !== '', 'the held object is being deleted');
    const refused = await s.failed(['create', '-f', '-'], myPod('late', { cpu: '1m' }));
    assert.match(refused.stderr, /create not allowed while custom resource definition is terminating/);
    const terminating = await s.ok(['get', 'crd', 'mypods.crd.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Terminating")].reason}']);
    assert.equal(terminating, 'InstanceDeletionInProgress');
    await s.ok(['patch', 'mypod', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await s.ok(['wait', '--for=delete', 'crd/mypods.crd.example.com', '--timeout=30s']);
    assert.equal((await s.k(['get', 'crd', 'mypods.crd.example.com'])).code, 1);
    const gone = await s.failed(['get', '--raw', '/apis/crd.example.com/v1/namespaces/default/mypods']);
    assert.match(gone.stderr, /NotFound/);
    // Created again, the resource starts empty: nothing of the old custom resources is left in storage.
    await s.ok(['apply', '-f', '-'], MYPODS);
    await s.ok(['wait', '--for=condition=Established', 'crd/mypods.crd.example.com', '--timeout=30s']);
    assert.equal((await s.ok(['get', 'mypods', '-A'])), '');
  });
});
