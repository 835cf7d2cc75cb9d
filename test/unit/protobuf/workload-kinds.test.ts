// apps, batch, autoscaling and policy kinds (and Ingress rules) in protobuf: every schema they reach
// carries upstream's field numbers, Go pointers keep their zeros (replicas: 0, suspend: false),
// IngressRuleValue decodes as the inline struct it is, and the bodies kubectl 1.32 really sends
// decode to what it would send as JSON, then are created by a real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ResourceRegistry } from '../../../src/api/registry.js';
import { builtinResources } from '../../../src/api/resources/index.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import { decodeProtobufBody, decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from '../../../src/api/schema/protobuf.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { http, trustKubeconfig } from '../../support/cluster.js';
import { kubectl as kubectlAgainst, kubectlSkip } from '../../support/kubectl.js';
import { assertProtoCoverage, reachable, withoutNulls } from './coverage.js';
import { bytes, concat, envelope, int, mapEntry, message, type Field } from './encode.js';
import { KubectlCapture, kubectlMissing } from './kubectl.js';

const registry = new ResourceRegistry(metaDefinitions);
for (const r of builtinResources) registry.add(r);
const defs = registry.definitions;

const APPS = 'io.k8s.api.apps.v1';
const BATCH = 'io.k8s.api.batch.v1';
const AUTOSCALING_V1 = 'io.k8s.api.autoscaling.v1';
const AUTOSCALING_V2 = 'io.k8s.api.autoscaling.v2';
const POLICY = 'io.k8s.api.policy.v1';
const NETWORKING = 'io.k8s.api.networking.v1';

const WORKLOAD_KINDS = [
  `${APPS}.Deployment`,
  `${APPS}.ReplicaSet`,
  `${APPS}.StatefulSet`,
  `${APPS}.DaemonSet`,
  `${APPS}.ControllerRevision`,
  `${BATCH}.Job`,
  `${BATCH}.CronJob`,
  `${AUTOSCALING_V1}.HorizontalPodAutoscaler`,
  `${AUTOSCALING_V1}.Scale`,
  `${AUTOSCALING_V2}.HorizontalPodAutoscaler`,
  `${POLICY}.PodDisruptionBudget`,
  `${NETWORKING}.Ingress`,
];

test('every object schema reachable from the workload kinds has a field number for each property', () => {
  // No property of these kinds lacks a protobuf field upstream, so nothing is exempt.
  const names = reachable(WORKLOAD_KINDS, defs);
  const own = [...names].filter((n) => [APPS, BATCH, AUTOSCALING_V1, AUTOSCALING_V2, POLICY].some((g) => n.startsWith(`${g}.`)));
  assert.ok(own.length >= 70, `only ${own.length} apps, batch, autoscaling and policy definitions reachable`);
  assert.ok(assertProtoCoverage(names, defs) > 190, 'too few object schemas checked');
});

describe('pointers and inline structs, as client-go encodes them', () => {
  const decode = (apiVersion: string, kind: string, root: string, ...fields: Field[]): Record<string, any> =>
    decodeProtobufBody(envelope(apiVersion, kind, concat(...fields)), defs, root) as Record<string, any>;
  const meta = (name: string) => message(1, bytes(1, name));
  /** intstr.IntOrString {type=1, intVal=2, strVal=3}: Go writes all three. */
  const intOrString = (num: number, v: number | string) =>
    typeof v === 'number' ? message(num, int(1, 0), int(2, v), bytes(3, '')) : message(num, int(1, 1), int(2, 0), bytes(3, v));
  /** A PodTemplateSpec {metadata=1, spec=2} with one container {name=1, image=2}. */
  const template = (num: number) => message(num, message(1, mapEntry(11, 'app', 'web')), message(2, message(2, bytes(1, 'app'), bytes(2, 'nginx'))));
  const decodedTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };

  test('a deployment scaled to zero keeps replicas: 0; plain zeros (paused, minReadySeconds) stay unset', () => {
    const d = decode(
      'apps/v1',
      'Deployment',
      `${APPS}.Deployment`,
      meta('web'),
      message(
        2,
        int(1, 0),
        message(2, mapEntry(1, 'app', 'web')),
        template(3),
        message(4, bytes(1, 'RollingUpdate'), message(2, intOrString(1, 0), intOrString(2, '25%'))),
        int(5, 0),
        int(6, 0),
        int(7, false),
        int(9, 0),
      ),
    );
    assert.deepEqual(d.spec, {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: decodedTemplate,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      revisionHistoryLimit: 0,
      progressDeadlineSeconds: 0,
    });
  });

  test('a stateful set keeps partition: 0 and replicas: 0', () => {
    const s = decode(
      'apps/v1',
      'StatefulSet',
      `${APPS}.StatefulSet`,
      meta('db'),
      message(2, int(1, 0), template(3), bytes(5, 'db'), message(7, bytes(1, 'RollingUpdate'), message(2, int(1, 0)))),
    );
    assert.deepEqual(s.spec, { replicas: 0, template: decodedTemplate, serviceName: 'db', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } });
  });

  test('a job keeps its pointer zeros (parallelism, backoffLimit, suspend, status.ready) but not plain ones (status.active)', () => {
    const job = decode(
      'batch/v1',
      'Job',
      `${BATCH}.Job`,
      meta('pi'),
      message(2, int(1, 0), int(5, false), template(6), int(7, 0), int(10, false), bytes(9, 'NonIndexed')),
      message(3, int(4, 0), int(5, 0), int(9, 0)),
    );
    assert.deepEqual(job.spec, { parallelism: 0, manualSelector: false, template: decodedTemplate, backoffLimit: 0, suspend: false, completionMode: 'NonIndexed' });
    assert.deepEqual(job.status, { ready: 0 });
  });

  test('a suspended-false cron job keeps startingDeadlineSeconds: 0 and history limits of 0', () => {
    const cj = decode(
      'batch/v1',
      'CronJob',
      `${BATCH}.CronJob`,
      meta('tick'),
      message(2, bytes(1, '@hourly'), int(2, 0), bytes(3, 'Forbid'), int(4, false), message(5, message(2, template(6))), int(6, 0), int(7, 0)),
    );
    assert.deepEqual(cj.spec, {
      schedule: '@hourly',
      startingDeadlineSeconds: 0,
      concurrencyPolicy: 'Forbid',
      suspend: false,
      jobTemplate: { spec: { template: decodedTemplate } },
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 0,
    });
  });

  test('an ingress rule: host is field 1, IngressRuleValue {http} is embedded as field 2', () => {
    const backend = message(2, message(4, bytes(1, 'web'), message(2, int(2, 80))));
    const ing = decode(
      'networking.k8s.io/v1',
      'Ingress',
      `${NETWORKING}.Ingress`,
      meta('web'),
      message(
        2,
        message(3, bytes(1, 'foo.com'), message(2, message(1, message(1, bytes(1, '/'), bytes(3, 'Prefix'), backend)))),
        message(3, message(2, message(1, message(1, bytes(1, '/api'), bytes(3, 'Exact'), backend)))),
      ),
    );
    const to = { service: { name: 'web', port: { number: 80 } } };
    assert.deepEqual(ing.spec.rules, [
      { host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: to }] } },
      { http: { paths: [{ path: '/api', pathType: 'Exact', backend: to }] } },
    ]);
  });

  test('an autoscaler keeps minReplicas: 0 and a scale-down stabilization window of 0', () => {
    const hpa = decode(
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      `${AUTOSCALING_V2}.HorizontalPodAutoscaler`,
      meta('web'),
      message(
        2,
        message(1, bytes(1, 'Deployment'), bytes(2, 'web'), bytes(3, 'apps/v1')),
        int(2, 0),
        int(3, 5),
        message(5, message(2, bytes(1, 'Min'), message(2, bytes(1, 'Pods'), int(2, 0), int(3, 60)), int(3, 0))),
      ),
    );
    assert.deepEqual(hpa.spec, {
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 0,
      maxReplicas: 5,
      behavior: { scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 0, periodSeconds: 60 }], stabilizationWindowSeconds: 0 } },
    });
  });

  test('a budget keeps minAvailable: 0 and its required zero counts', () => {
    const pdb = decode(
      'policy/v1',
      'PodDisruptionBudget',
      `${POLICY}.PodDisruptionBudget`,
      meta('web'),
      message(2, intOrString(1, 0), message(2, mapEntry(1, 'app', 'web')), bytes(4, 'AlwaysAllow')),
      message(3, int(1, 0), int(3, 0), int(4, 0), int(5, 0), int(6, 0)),
    );
    assert.deepEqual(pdb.spec, { minAvailable: 0, selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    assert.deepEqual(pdb.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });

  test('an autoscaling/v1 Scale: replicas is a plain int32, so a zero arrives as JSON omits it', () => {
    const scale = decode('autoscaling/v1', 'Scale', `${AUTOSCALING_V1}.Scale`, meta('web'), message(2, int(1, 0)), message(3, int(1, 2), bytes(2, 'app=web')));
    assert.deepEqual(scale.spec, {});
    assert.deepEqual(scale.status, { replicas: 2, selector: 'app=web' });
  });
});

/** The typed `kubectl create` commands of these kinds (client-go sends their bodies as protobuf). */
const COMMANDS: string[][] = [
  ['create', 'deployment', 'web', '--image=nginx', '--replicas=0', '--port=80'],
  ['create', 'deployment', 'multi', '--image=nginx', '--image=busybox:1.36'],
  ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'],
  ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'],
  ['create', 'poddisruptionbudget', 'web-pdb', '--selector=app=web', '--min-available=0'],
  ['create', 'pdb', 'half', '--selector=app=web,tier in (front)', '--max-unavailable=50%'],
  ['create', 'ingress', 'simple', '--rule=foo.com/bar=svc1:8080,tls=my-cert'],
  [
    'create',
    'ingress',
    'multi',
    '--class=default',
    '--default-backend=defaultsvc:http',
    '--rule=foo.com/=svc:8080',
    '--rule=bar.com/admin*=svcadmin:http',
    '--rule=/path*=other:80',
    '--annotation=ingress.annotation1=foo',
  ],
];

describe('kubectl protobuf bodies of workload kinds', { skip: kubectlMissing }, () => {
  const kubectl = new KubectlCapture();
  before(() => kubectl.start());
  after(() => kubectl.stop());

  for (const args of COMMANDS) {
    test(`kubectl ${args.join(' ')}`, async () => {
      const sent = await kubectl.capture(args);
      assert.equal(sent.contentType, PROTOBUF_CONTENT_TYPE);
      // Without a root: the envelope's group-version-kind picks the definition, as the server's routing would.
      assert.deepEqual(decodeProtobufObject(sent.body, defs).object, withoutNulls(await kubectl.dryRun(args)));
    });
  }

  test('--replicas=0 reaches the server as replicas: 0', async () => {
    const sent = await kubectl.capture(['create', 'deployment', 'idle', '--image=nginx', '--replicas=0']);
    const d = decodeProtobufBody(sent.body, defs, `${APPS}.Deployment`) as { spec: Record<string, unknown> };
    assert.equal(d.spec.replicas, 0);
  });

  test('ingress rules carry host and http paths through the inline IngressRuleValue', async () => {
    const sent = await kubectl.capture(['create', 'ingress', 'rules', '--rule=foo.com/bar=svc1:8080,tls=my-cert', '--rule=/api*=api:http']);
    const ing = decodeProtobufBody(sent.body, defs, `${NETWORKING}.Ingress`) as { spec: Record<string, unknown> };
    assert.deepEqual(ing.spec.rules, [
      { host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } },
      { http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } },
    ]);
    assert.deepEqual(ing.spec.tls, [{ hosts: ['foo.com'], secretName: 'my-cert' }]);
  });
});

describe('workload kinds created by kubectl over protobuf against startCluster()', { skip: kubectlSkip }, () => {
  let cluster: Cluster;
  const ok = async (args: string[]): Promise<string> => {
    const r = await kubectlAgainst(args, { kubeconfig: cluster.kubeconfigPath });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const get = async (resource: string, name: string): Promise<Record<string, any>> => JSON.parse(await ok(['get', resource, name, '-o', 'json']));

  before(async () => {
    cluster = await startCluster({ nodes: 1, controllers: [], scheduler: false });
    trustKubeconfig(cluster.kubeconfigPath);
  });
  after(async () => {
    await cluster?.stop();
  });

  test('create deployment --replicas=0 --port=80', async () => {
    assert.equal(await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=0', '--port=80']), 'deployment.apps/web created\n');
    const d = await get('deployment', 'web');
    assert.equal(d.spec.replicas, 0);
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    const [c] = d.spec.template.spec.containers;
    assert.equal(c.image, 'nginx');
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  });

  test('create job and cronjob, then a job from the cronjob', async () => {
    assert.equal(await ok(['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi']), 'job.batch/once created\n');
    const job = await get('job', 'once');
    assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    assert.equal(job.spec.backoffLimit, 6);

    assert.equal(await ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date']), 'cronjob.batch/tick created\n');
    const cj = await get('cronjob', 'tick');
    assert.equal(cj.spec.schedule, '*/5 * * * *');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');

    // kubectl reads the CronJob and sends a Job it owns (controller is a *bool).
    assert.equal(await ok(['create', 'job', 'manual', '--from=cronjob/tick']), 'job.batch/manual created\n');
    const manual = await get('job', 'manual');
    assert.equal(manual.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(manual.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: cj.metadata.uid, controller: true }]);
    assert.deepEqual(manual.spec.template.spec.containers[0].command, ['date']);
  });

  test('create pdb with --min-available=0 and --max-unavailable=50%', async () => {
    assert.equal(await ok(['create', 'pdb', 'web-pdb', '--selector=app=web', '--min-available=0']), 'poddisruptionbudget.policy/web-pdb created\n');
    assert.deepEqual((await get('pdb', 'web-pdb')).spec, { minAvailable: 0, selector: { matchLabels: { app: 'web' } } });
    assert.equal(await ok(['create', 'pdb', 'half', '--selector=app=web', '--max-unavailable=50%']), 'poddisruptionbudget.policy/half created\n');
    assert.equal((await get('pdb', 'half')).spec.maxUnavailable, '50%');
  });

  test('create ingress with a rule and TLS', async () => {
    assert.equal(await ok(['create', 'ingress', 'simple', '--class=default', '--rule=foo.com/bar=svc1:8080,tls=my-cert']), 'ingress.networking.k8s.io/simple created\n');
    assert.deepEqual((await get('ingress', 'simple')).spec, {
      ingressClassName: 'default',
      rules: [{ host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }],
      tls: [{ hosts: ['foo.com'], secretName: 'my-cert' }],
    });
  });

  test('autoscale sends an autoscaling/v1 HorizontalPodAutoscaler', async () => {
    await ok(['create', 'deployment', 'scaled', '--image=nginx']);
    assert.equal(await ok(['autoscale', 'deployment', 'scaled', '--min=1', '--max=3', '--cpu-percent=50']), 'horizontalpodautoscaler.autoscaling/scaled autoscaled\n');
    const hpa = JSON.parse(await ok(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/scaled']));
    assert.deepEqual(hpa.spec, { scaleTargetRef: { kind: 'Deployment', name: 'scaled', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 });
  });

  test('a protobuf Scale written to deployments/scale sets replicas, zero included', async () => {
    await ok(['create', 'deployment', 'sized', '--image=nginx', '--replicas=1']);
    const put = (replicas: number) =>
      http(cluster.url, '/apis/apps/v1/namespaces/default/deployments/sized/scale', {
        method: 'PUT',
        headers: { 'content-type': PROTOBUF_CONTENT_TYPE },
        body: Buffer.from(envelope('autoscaling/v1', 'Scale', concat(message(1, bytes(1, 'sized'), bytes(3, 'default')), message(2, int(1, replicas))))),
      });
    const up = await put(4);
    assert.equal(up.status, 200, up.text);
    assert.equal(up.json.spec.replicas, 4);
    assert.equal((await get('deployment', 'sized')).spec.replicas, 4);
    const down = await put(0);
    assert.equal(down.status, 200, down.text);
    assert.equal((await get('deployment', 'sized')).spec.replicas, 0);
  });
});
