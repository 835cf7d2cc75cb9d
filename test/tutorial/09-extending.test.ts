// Chapter 9, extending Kubernetes: scenario 58. The reader defines MyPod with a
// CustomResourceDefinition (test/fixtures/manifests/customresourcedefinitions.yaml) and uses it
// as any built-in kind: by plural and short name, validated by its schema, printed with its own
// columns, listed by api-resources and explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kubectl, kubectlSkip } from '../support/kubectl.js';
import { fixturePath } from '../fixtures/manifests/index.js';
import { tableRows, tutorialCluster } from './support.js';

const reader = tutorialCluster({ nodes: 1 });
const k = reader.k;

const myPod = (name: string, cpu: string) => `
apiVersion: crd.example.com/v1
kind: MyPod
metadata:
  name: ${name}
spec:
  cpu: ${cpu}
  image: hello
`;

test('58: a CustomResourceDefinition adds mypods, served like a built-in kind', { skip: kubectlSkip }, async () => {
  assert.equal(await k.apply(readFileSync(fixturePath('customresourcedefinitions.yaml'), 'utf8')), 'customresourcedefinition.apiextensions.k8s.io/mypods.crd.example.com created\n');
  await k.ok('wait', '--for=condition=Established', 'crd/mypods.crd.example.com', '--timeout=30s');

  assert.equal(await k.apply(myPod('mypod-1', '250m')), 'mypod.crd.example.com/mypod-1 created\n');
  const byPlural = tableRows(await k.ok('get', 'mypods'));
  assert.deepEqual(Object.keys(byPlural[0]), ['NAME', 'CPU', 'AGE'], 'priority-0 columns only');
  assert.deepEqual([byPlural[0].NAME, byPlural[0].CPU], ['mypod-1', '250m']);
  const byShortName = tableRows(await k.ok('get', 'mpod', '-o', 'wide'));
  assert.deepEqual(Object.keys(byShortName[0]), ['NAME', 'CPU', 'REPLICAS', 'AGE'], 'the priority-1 column shows with -o wide');
  assert.equal(byShortName[0].REPLICAS, '1', 'the schema default');

  const bad = await kubectl(['apply', '-f', '-'], { kubeconfig: reader.cluster.kubeconfigPath, input: myPod('mypod-bad', 'lots') });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /The MyPod "mypod-bad" is invalid: spec\.cpu: Invalid value: "lots": spec\.cpu in body should match '\^\[0-9\]\+m\$'/);
  assert.match((await k.run('get', 'mypod', 'mypod-bad')).stderr, /mypods\.crd\.example\.com "mypod-bad" not found/);

  const resources = await k.ok('api-resources', '--api-group=crd.example.com');
  assert.match(resources, /^mypods\s+mpod\s+crd\.example\.com\/v1\s+true\s+MyPod$/m);
  const explained = await k.ok('explain', 'mypods.spec.image');
  assert.match(explained, /^FIELD: image <string>$/m);
  assert.match(explained, /The image the pod runs\./);
});
