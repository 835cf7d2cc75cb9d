// Built-in kinds' objects come back as upstream's decode into Go structs and encode back
// writes them: `omitempty` zeros left out, pointers keeping theirs, non-pointer structs and
// times always written. Custom resources keep what they were sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ResourceRegistry } from '../../../src/api/registry.js';
import { builtinResources } from '../../../src/api/resources/index.js';
import { applyDefaults } from '../../../src/api/schema/defaults.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import { decodeProtobufBody } from '../../../src/api/schema/protobuf.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { http, trustKubeconfig } from '../../support/cluster.js';
import { bytes, concat, envelope, int, message } from '../protobuf/encode.js';
import { defs as fixtureDefs } from './fixture.js';

const registry = new ResourceRegistry(metaDefinitions);
for (const r of builtinResources) registry.add(r);
const defs = registry.definitions;

function decoded<T>(obj: T, root: string): T {
  applyDefaults(obj, root, defs);
  return obj;
}

test('omitempty zeros are dropped, pointers and fields without omitempty keep theirs', () => {
  const pod = decoded(
    {
      metadata: { name: 'p', labels: {}, annotations: {}, generateName: '' },
      spec: {
        containers: [{ name: '', image: 'nginx', workingDir: '', env: [{ name: 'A', value: '' }], ports: [{ containerPort: 0, hostPort: 0, name: '' }], stdin: false }],
        hostNetwork: false,
        nodeSelector: {},
        tolerations: [],
        terminationGracePeriodSeconds: 0,
        priority: 0,
        enableServiceLinks: false,
      },
    },
    'io.k8s.api.core.v1.Pod',
  );
  assert.deepEqual(pod.metadata, { name: 'p', creationTimestamp: null });
  assert.deepEqual(pod.spec, {
    // `name` and `containerPort` have no omitempty; `protocol: ""` is unset, so it is defaulted.
    containers: [{ name: '', image: 'nginx', env: [{ name: 'A' }], ports: [{ containerPort: 0, protocol: 'TCP' }], resources: {} }],
    // *int64, *int32 and *bool: a zero is a value.
    terminationGracePeriodSeconds: 0,
    priority: 0,
    enableServiceLinks: false,
  });
  const deployment = decoded({ spec: { replicas: 0, paused: false, minReadySeconds: 0, template: { metadata: { labels: {} } } } }, 'io.k8s.api.apps.v1.Deployment');
  assert.equal(deployment.spec.replicas, 0);
  assert.equal('paused' in deployment.spec, false);
  assert.equal('minReadySeconds' in deployment.spec, false);
  // A template's metadata is a non-pointer struct holding a zero metav1.Time: Go writes it as null.
  assert.deepEqual(deployment.spec.template.metadata, { creationTimestamp: null });
  // ConfigMap data values are map entries, never omitted; immutable is a *bool.
  const cm = decoded({ data: { empty: '' }, binaryData: {}, immutable: false }, 'io.k8s.api.core.v1.ConfigMap');
  assert.deepEqual(cm, { data: { empty: '' }, immutable: false });
});

test('non-pointer times and slices without omitempty are written as null when unset', () => {
  const pod = decoded({ status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T11:00:05Z' }], startTime: null } }, 'io.k8s.api.core.v1.Pod');
  // lastProbeTime is a metav1.Time, startTime a *metav1.Time.
  assert.deepEqual(pod.status, { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T11:00:05Z' }] });
  assert.deepEqual(decoded({ metadata: { name: 'r' } }, 'io.k8s.api.rbac.v1.Role'), { metadata: { name: 'r', creationTimestamp: null }, rules: null });
  assert.deepEqual(decoded({ rules: [] }, 'io.k8s.api.rbac.v1.Role').rules, []);
});

test('custom resources keep the zeros and empty values they are sent', () => {
  const c = { spec: { cronSpec: '', replicas: 0, tags: [], labels: {} } };
  applyDefaults(c, 'com.example.stable.v1.CronTab', fixtureDefs);
  assert.deepEqual(c.spec, { cronSpec: '', replicas: 0, tags: [], labels: {} });
});

test('protobuf bodies decode to the same JSON: omitempty zeros on the wire are unset, pointer zeros are values', () => {
  // Go's marshaller writes every non-pointer field: generateName "" (omitempty) and immutable=false (a *bool).
  const body = envelope('v1', 'ConfigMap', concat(message(1, bytes(1, 'c'), bytes(2, '')), int(4, false)));
  assert.deepEqual(decodeProtobufBody(body, defs, 'io.k8s.api.core.v1.ConfigMap'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, immutable: false });
});

describe('a pod, a deployment and a config map round-trip through the API as upstream returns them', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ controllers: [], scheduler: false, disableAdmissionPlugins: ['ServiceAccount'] });
    trustKubeconfig(cluster.kubeconfigPath);
  });
  after(() => cluster.stop());

  test('create, then get: exactly these fields', async () => {
    const pod = await http(cluster.url, '/api/v1/namespaces/default/pods', {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'empty-values', labels: {} },
        spec: { containers: [{ name: 'app', image: 'nginx', workingDir: '', env: [{ name: 'EMPTY', value: '' }, { name: 'SET', value: 'x' }] }], hostNetwork: false },
      },
    });
    assert.equal(pod.status, 201, pod.text);
    const got = (await http(cluster.url, '/api/v1/namespaces/default/pods/empty-values')).json;
    assert.equal('labels' in got.metadata, false);
    assert.deepEqual(got.spec.containers, [
      {
        name: 'app',
        image: 'nginx',
        env: [{ name: 'EMPTY' }, { name: 'SET', value: 'x' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'Always',
      },
    ]);
    assert.equal('hostNetwork' in got.spec, false);
    assert.deepEqual(got.status, { phase: 'Pending', qosClass: 'BestEffort' });

    const d = await http(cluster.url, '/apis/apps/v1/namespaces/default/deployments', {
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'zero' },
        spec: { replicas: 0, selector: { matchLabels: { app: 'zero' } }, template: { metadata: { labels: { app: 'zero' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
      },
    });
    assert.equal(d.status, 201, d.text);
    const gotD = (await http(cluster.url, '/apis/apps/v1/namespaces/default/deployments/zero')).json;
    assert.equal(gotD.spec.replicas, 0);
    assert.deepEqual(gotD.spec.template.metadata, { creationTimestamp: null, labels: { app: 'zero' } });
    assert.deepEqual(gotD.status, {});

    const cm = await http(cluster.url, '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty', annotations: {} }, data: { key: '' } },
    });
    assert.equal(cm.status, 201, cm.text);
    const gotCm = (await http(cluster.url, '/api/v1/namespaces/default/configmaps/empty')).json;
    assert.deepEqual(gotCm.data, { key: '' });
    assert.equal('annotations' in gotCm.metadata, false);
  });
});
