// The HorizontalPodAutoscaler controller against a StatefulSet, without and then with a
// resource metrics API (a test-only metrics.k8s.io PodMetrics kind the test writes).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { ResourceDefinition } from '../../../src/api/registry.js';
import type { Definitions } from '../../../src/api/schema/types.js';
import { define, kindSchema, list, object, str, stringMap } from '../../../src/api/schema/build.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { resources } from '../../../src/client/index.js';
import { ControllerManager } from '../../../src/controllers/manager.js';
import { statefulSetControllerFactory } from '../../../src/controllers/statefulset.js';
import { newHorizontalPodAutoscalerControllerFactory } from '../../../src/controllers/horizontalpodautoscaler.js';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';

const POD_METRICS = 'io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics';
const podMetricsDefinitions: Definitions = new Map();
define(podMetricsDefinitions, {
  [POD_METRICS]: kindSchema(
    { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' },
    {
      timestamp: str({ description: 'When the usage was sampled.' }),
      window: str({ description: 'The sampling window.' }),
      containers: list(object({ name: str({ description: 'Container name.' }), usage: stringMap({ description: 'Usage by resource.' }) }), { description: 'Per-container usage.' }),
    },
    { description: 'Test-only stand-in for metrics-server PodMetrics.' },
  ),
});
const podMetrics: ResourceDefinition = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'PodMetrics',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  schemaName: POD_METRICS,
  definitions: podMetricsDefinitions,
};

let cluster: Cluster;
let manager: ControllerManager;

before(async () => {
  cluster = await startCluster({ nodes: 3, controllers: [] });
  manager = new ControllerManager(
    cluster.client,
    { statefulset: statefulSetControllerFactory, horizontalpodautoscaling: newHorizontalPodAutoscalerControllerFactory({ syncPeriodMs: 300 }) },
    { log: () => {} },
  );
  await manager.start();
});

after(async () => {
  await manager?.stop();
  await cluster?.stop();
});

const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: cluster.kubeconfigPath, input });
const hpas = () => cluster.client.resource<HorizontalPodAutoscaler>(resources.horizontalPodAutoscalers).namespace('default');
const sets = () => cluster.client.resource<StatefulSet>(resources.statefulSets).namespace('default');

function condition(hpa: HorizontalPodAutoscaler, type: string) {
  return hpa.status?.conditions?.find((c) => c.type === type);
}

async function events(name: string): Promise<Event[]> {
  return (await cluster.client.resource<Event>(resources.events).namespace('default').list({ fieldSelector: `involvedObject.name=${name},involvedObject.kind=HorizontalPodAutoscaler` })).items;
}

/** Writes PodMetrics for the pods with `cpu` usage each. */
async function reportUsage(podNames: string[], cpu: string): Promise<void> {
  const client = cluster.client.resource({ group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', kind: 'PodMetrics', namespaced: true }).namespace('default');
  for (const name of podNames) {
    const body = { metadata: { name, labels: { app: 'busy' } }, timestamp: new Date().toISOString(), window: '0s', containers: [{ name: 'app', usage: { cpu, memory: '10Mi' } }] };
    try {
      const existing = await client.get(name);
      await client.update({ ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion } });
    } catch {
      await client.create(body);
    }
  }
}

test('kubectl autoscale creates the HPA; with no metrics API it reports <unknown> and ScalingActive=False', { skip: kubectlSkip }, async () => {
  const res = await run(
    ['apply', '-f', '-'],
    `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: busy
spec:
  serviceName: busy
  replicas: 2
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      app: busy
  template:
    metadata:
      labels:
        app: busy
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources:
          requests:
            cpu: 100m
`,
  );
  assert.equal(res.code, 0, res.stderr);
  await eventually(async () => (await sets().get('busy')).status?.readyReplicas === 2, 8000);
  const auto = await run(['autoscale', 'statefulset', 'busy', '--min=1', '--max=10', '--cpu-percent=50']);
  assert.equal(auto.code, 0, auto.stderr);
  const hpa = await eventually(async () => {
    const h = await hpas().get('busy');
    return condition(h, 'ScalingActive')?.status === 'False' ? h : undefined;
  }, 15_000);
  assert.equal(hpa.spec?.scaleTargetRef.kind, 'StatefulSet');
  assert.equal(condition(hpa, 'AbleToScale')?.reason, 'SucceededGetScale');
  assert.equal(condition(hpa, 'ScalingActive')?.reason, 'FailedGetResourceMetric');
  const detail =
    'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
  assert.equal(condition(hpa, 'ScalingActive')?.message, `the HPA was unable to compute the replica count: ${detail}`);
  // Events are written in the background: wait for them.
  await eventually(async () => {
    const evs = await events('busy');
    return (
      evs.some((e) => e.reason === 'FailedGetResourceMetric' && e.message === detail && e.source?.component === 'horizontal-pod-autoscaler') &&
      evs.some((e) => e.reason === 'FailedComputeMetricsReplicas' && e.message === `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${detail}`)
    );
  });
  const get = await run(['get', 'hpa', 'busy']);
  assert.match(get.stdout, /busy\s+StatefulSet\/busy\s+cpu: <unknown>\/50%\s+1\s+10\s+2\s+/);
});

test('with PodMetrics the HPA scales up by ceil(replicas × usage / target), then holds within tolerance', { skip: kubectlSkip }, async () => {
  await cluster.apiserver.addResource(podMetrics);
  // 75m of 100m requested on both pods: 75% against 50% → ceil(2 × 1.5) = 3.
  await reportUsage(['busy-0', 'busy-1'], '75m');
  const scaled = await eventually(async () => ((await sets().get('busy')).spec?.replicas === 3 ? true : undefined), 8000);
  assert.ok(scaled);
  const hpa = await eventually(async () => {
    const h = await hpas().get('busy');
    return h.status?.desiredReplicas === 3 && condition(h, 'ScalingActive')?.status === 'True' ? h : undefined;
  }, 15_000);
  assert.equal(condition(hpa, 'ScalingActive')?.reason, 'ValidMetricFound');
  assert.equal(condition(hpa, 'ScalingActive')?.message, 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
  assert.ok(hpa.status?.lastScaleTime);
  await eventually(async () => (await events('busy')).some((e) => e.reason === 'SuccessfulRescale' && e.message === 'New size: 3; reason: cpu resource utilization (percentage of request) above target'));
  // The new pod has no metrics yet: counted as 0% on a scale-up, the ratio is 1.0 and the count holds.
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await sets().get('busy')).spec?.replicas, 3);
  const get = await run(['get', 'hpa', 'busy']);
  assert.match(get.stdout, /busy\s+StatefulSet\/busy\s+cpu: 75%\/50%\s+1\s+10\s+3\s+/);
});

test('a lower recommendation is held by the 5-minute downscale stabilization window', { skip: kubectlSkip }, async () => {
  await eventually(async () => (await cluster.client.resource<Pod>(resources.pods).namespace('default').get('busy-2')).status?.phase === 'Running', 15_000);
  await reportUsage(['busy-0', 'busy-1', 'busy-2'], '10m');
  const hpa = await eventually(async () => {
    const h = await hpas().get('busy');
    return condition(h, 'AbleToScale')?.reason === 'ScaleDownStabilized' ? h : undefined;
  }, 15_000);
  assert.equal(condition(hpa, 'AbleToScale')?.message, 'recent recommendations were higher than current one, applying the highest recent recommendation');
  assert.equal(hpa.status?.desiredReplicas, 3);
  assert.equal((await sets().get('busy')).spec?.replicas, 3);
});
