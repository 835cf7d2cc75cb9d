import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { fieldErrorString, isStatusError } from '../../../../src/api/meta/status.js';
import { ResourceRegistry, type KubeObject, type ResourceDefinition } from '../../../../src/api/registry.js';
import { metaDefinitions } from '../../../../src/api/schema/meta-definitions.js';
import { applyDefaults } from '../../../../src/api/schema/defaults.js';
import { findUnknownFields } from '../../../../src/api/schema/prune.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import type { Schema } from '../../../../src/api/schema/types.js';
import { events } from '../../../../src/api/resources/core/event.js';
import { persistentVolumeClaims } from '../../../../src/api/resources/core/persistentvolumeclaim.js';
import { podQOSClass, pods } from '../../../../src/api/resources/core/pod.js';
import { podResources } from '../../../../src/api/resources/core/index-pods.js';
import { createBinding, podBinding } from '../../../../src/apiserver/subresources/binding.js';
import type { SubresourceRequest } from '../../../../src/apiserver/handler.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(extra: Partial<Pod> = {}, containers = [{ name: 'web', image: 'nginx:1.25' }]): Pod {
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(60) }, spec: { containers }, ...extra } as Pod;
  pods.defaults!(p);
  return p;
}

function withStatus(p: Pod, status: Pod['status']): Pod {
  return { ...p, status } as Pod;
}

const cells = (p: Pod) => pods.table!.cells(p, NOW);

function registry(): ResourceRegistry {
  const r = new ResourceRegistry(metaDefinitions);
  for (const def of podResources) r.add(def);
  r.add(events as unknown as ResourceDefinition);
  r.add(persistentVolumeClaims as unknown as ResourceDefinition);
  return r;
}

test('pod defaults: requests from limits, service links, host-network ports', () => {
  const p = pod({ spec: { hostNetwork: true, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }], resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] } });
  const c = p.spec!.containers[0];
  assert.deepEqual(c.resources!.requests, { cpu: '500m', memory: '1Gi' });
  assert.equal(p.spec!.enableServiceLinks, true);
  assert.equal(c.ports![0].hostPort, 8080);
  assert.equal(c.imagePullPolicy, 'Always');
});

test('QoS class as qos.ComputePodQOS', () => {
  assert.equal(podQOSClass(pod().spec), 'BestEffort');
  const guaranteed = pod({ spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } });
  assert.equal(podQOSClass(guaranteed.spec), 'Guaranteed');
  const burstable = pod({ spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '100m' } } }] } });
  assert.equal(podQOSClass(burstable.spec), 'Burstable');
});

test('create: status is Pending with the QoS class; gated pods get a PodScheduled=False condition', () => {
  const p = pod();
  pods.prepareForCreate!(p);
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
  const gated = pod({ spec: { schedulingGates: [{ name: 'example.com/gate' }], containers: [{ name: 'a', image: 'x' }] } });
  pods.prepareForCreate!(gated);
  assert.deepEqual(gated.status!.conditions, [
    { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
  ]);
  assert.deepEqual(cells({ ...gated, metadata: gated.metadata }).slice(1, 3), ['0/1', 'SchedulingGated']);
});

test('create: matchLabelKeys become label selector requirements from the pod labels', () => {
  const p = pod({
    metadata: { name: 'w', labels: { app: 'web', track: 'canary' } },
    spec: {
      containers: [{ name: 'a', image: 'x' }],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['track'] }] } },
    },
  });
  pods.prepareForCreate!(p);
  assert.deepEqual(p.spec!.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0].labelSelector!.matchExpressions, [
    { key: 'track', operator: 'In', values: ['canary'] },
  ]);
});

test('validation: ephemeral containers and node names on create, annotations, projected tokens', () => {
  const p = pod({ metadata: { name: 'w', annotations: { 'controller.kubernetes.io/pod-deletion-cost': 'x' } } });
  p.spec!.ephemeralContainers = [{ name: 'debug', image: 'busybox', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }];
  p.spec!.volumes = [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }];
  pods.defaults!(p);
  assert.deepEqual(pods.validate!(p, {}).map(fieldErrorString), [
    'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "x": must be a 32bit integer',
    'spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set',
    'spec.ephemeralContainers: Forbidden: cannot be set on create',
  ]);
});

test('updates: the spec rules apply to PUT, not to binding or status writes', () => {
  const old = pod();
  pods.prepareForCreate!(old);
  const bound = structuredClone(old);
  bound.spec!.nodeName = 'node-1';
  const [err] = pods.validateUpdate!(bound, old).map(fieldErrorString);
  assert.match(err, /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  const validateUpdate = pods.validateUpdate as (p: Pod, o: Pod, ctx: { subresource: string }) => unknown[];
  assert.deepEqual(validateUpdate(bound, old, { subresource: 'binding' }), []);
  const qos = structuredClone(old);
  (qos.status as { qosClass: string }).qosClass = 'Guaranteed';
  assert.deepEqual(validateUpdate(qos, old, { subresource: 'status' }).map((e) => fieldErrorString(e as never)), [
    'status.qosClass: Invalid value: "Guaranteed": field is immutable',
  ]);
});

test('status writes keep the QoS class when a kubelet drops it', () => {
  const old = withStatus(pod(), { phase: 'Pending', qosClass: 'Burstable' });
  const next = withStatus(pod(), { phase: 'Running' });
  pods.prepareForStatusUpdate!(next, old);
  assert.equal(next.status!.qosClass, 'Burstable');
});

test('graceful deletion as CheckGracefulDelete', () => {
  const grace = pods.deletionGracePeriod!;
  const unscheduled = pod();
  assert.equal(grace(unscheduled, undefined), 0);
  const scheduled = pod({ spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'x' }] } });
  assert.equal(grace(scheduled, undefined), 30);
  assert.equal(grace(scheduled, 5), 5);
  assert.equal(grace(scheduled, -3), 1);
  assert.equal(grace(withStatus(scheduled, { phase: 'Succeeded' }), 10), 0);
});

test('table: columns and the STATUS of a pod through its life', () => {
  assert.deepEqual(
    pods.table!.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*'],
  );
  const p = pod();
  assert.deepEqual(cells(withStatus(p, { phase: 'Pending' })), ['web', '0/1', 'Pending', '0', '60s', '<none>', '<none>', '<none>', '<none>']);
  const creating = withStatus(p, { phase: 'Pending', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, image: 'nginx', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] });
  assert.equal(cells(creating)[2], 'ContainerCreating');
  const running = withStatus(
    { ...p, spec: { ...p.spec!, nodeName: 'node-1' } },
    {
      phase: 'Running',
      podIPs: [{ ip: '10.244.0.5' }],
      podIP: '10.244.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx', imageID: '', state: { running: { startedAt: ago(30) } } }],
    },
  );
  assert.deepEqual(cells(running), ['web', '1/1', 'Running', '0', '60s', '10.244.0.5', 'node-1', '<none>', '<none>']);
  const crashing = withStatus(p, {
    phase: 'Running',
    containerStatuses: [
      { name: 'web', ready: false, restartCount: 3, image: 'nginx', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(7) } } },
    ],
  });
  assert.deepEqual(cells(crashing).slice(1, 4), ['0/1', 'CrashLoopBackOff', '3 (7s ago)']);
  const done = withStatus(p, { phase: 'Succeeded', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  assert.equal(cells(done)[2], 'Completed');
  const failed = withStatus(p, { phase: 'Failed', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 2 } } }] });
  assert.equal(cells(failed)[2], 'ExitCode:2');
  const deleting = { ...running, metadata: { ...running.metadata, deletionTimestamp: ago(1) } } as Pod;
  assert.equal(cells(deleting)[2], 'Terminating');
  const lost = withStatus(deleting, { ...deleting.status, reason: 'NodeLost' });
  assert.equal(cells(lost)[2], 'Unknown');
});

test('table: init containers and readiness gates', () => {
  const p = pod({
    spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'web', image: 'nginx' }], readinessGates: [{ conditionType: 'example.com/lb' }] },
  });
  const initWaiting = withStatus(p, { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, image: 'b', imageID: '', state: { running: {} } }] });
  assert.equal(cells(initWaiting)[2], 'Init:0/1');
  const initFailed = withStatus(p, { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 1, image: 'b', imageID: '', state: { terminated: { exitCode: 1, reason: 'Error' } } }] });
  assert.equal(cells(initFailed)[2], 'Init:Error');
  const initDone = withStatus(p, {
    phase: 'Pending',
    conditions: [{ type: 'example.com/lb', status: 'True' }],
    initContainerStatuses: [{ name: 'init', ready: true, restartCount: 0, image: 'b', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    containerStatuses: [{ name: 'web', ready: false, restartCount: 0, image: 'n', imageID: '', state: { waiting: { reason: 'PodInitializing' } } }],
  });
  assert.equal(cells(initDone)[2], 'PodInitializing');
  assert.equal(cells(initDone)[8], '1/1');
});

test('field selectors as upstream pod GetAttrs', () => {
  const p = withStatus(pod({ spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'x' }] } }), { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] });
  const f = pods.fieldSelectors!;
  assert.equal(f['spec.nodeName'](p), 'n1');
  assert.equal(f['spec.hostNetwork'](p), 'false');
  assert.equal(f['spec.schedulerName'](p), 'default-scheduler');
  assert.equal(f['spec.restartPolicy'](p), 'Always');
  assert.equal(f['status.phase'](p), 'Running');
  assert.equal(f['status.podIP'](p), '10.0.0.1');
});

function realisticPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d4b9c-x2x9z', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c', uid: 'u1', controller: true, blockOwnerDeletion: true }] },
    spec: {
      serviceAccountName: 'default',
      automountServiceAccountToken: true,
      nodeName: 'node-1',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      runtimeClassName: 'runc',
      overhead: { cpu: '10m' },
      os: { name: 'linux' },
      hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local'] }],
      dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.local'], options: [{ name: 'ndots', value: '2' }] },
      readinessGates: [{ conditionType: 'example.com/ready' }],
      schedulingGates: [],
      resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }],
      securityContext: {
        runAsUser: 1000,
        runAsGroup: 1000,
        runAsNonRoot: true,
        fsGroup: 2000,
        fsGroupChangePolicy: 'OnRootMismatch',
        supplementalGroups: [3000],
        supplementalGroupsPolicy: 'Merge',
        seccompProfile: { type: 'RuntimeDefault' },
        appArmorProfile: { type: 'RuntimeDefault' },
        seLinuxOptions: { level: 's0:c123,c456' },
        sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }],
      },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } }],
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } }, namespaceSelector: {}, matchLabelKeys: ['pod-template-hash'] } },
          ],
        },
      },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } }, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', minDomains: undefined }],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: false } },
        { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.conf', mode: 0o600 }], optional: true } },
        { name: 'sec', secret: { secretName: 'tls', defaultMode: 0o400 } },
        { name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607, audience: 'api' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }, { clusterTrustBundle: { signerName: 'example.com/signer', labelSelector: {}, path: 'bundle.pem', optional: true } }] } },
        { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'shared', nfs: { server: 'nfs.local', path: '/exports', readOnly: true } },
        { name: 'inline', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { provider: 'vault' }, nodePublishSecretRef: { name: 'creds' } } },
        { name: 'models', image: { reference: 'registry.local/models:v1', pullPolicy: 'IfNotPresent' } },
        { name: 'podinfo', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'web', resource: 'limits.cpu', divisor: '1m' } }] } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { labels: { app: 'web' } }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local', resources: { requests: { storage: '1Gi' } } } } } },
        { name: 'legacy', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0, fsType: 'ext4', readOnly: true } },
      ],
      initContainers: [{ name: 'proxy', image: 'envoy:v1', restartPolicy: 'Always', startupProbe: { grpc: { port: 15021, service: '' } } }],
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          command: ['nginx'],
          args: ['-g', 'daemon off;'],
          workingDir: '/srv',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP', hostIP: '0.0.0.0' }],
          envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg', optional: true } }, { secretRef: { name: 'tls' } }],
          env: [
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'PASS', valueFrom: { secretKeyRef: { name: 'tls', key: 'pass', optional: false } } },
            { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } },
          ],
          resources: { limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '250m', memory: '128Mi' }, claims: [{ name: 'gpu', request: 'one' }] },
          resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
          volumeMounts: [
            { name: 'data', mountPath: '/data', subPath: 'web', mountPropagation: 'None' },
            { name: 'cfg', mountPath: '/etc/nginx/conf.d', readOnly: true, recursiveReadOnly: 'IfPossible' },
          ],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] }, initialDelaySeconds: 5, terminationGracePeriodSeconds: 10 },
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] } },
          lifecycle: { postStart: { exec: { command: ['true'] } }, preStop: { sleep: { seconds: 5 } } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
            seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' },
            procMount: 'Default',
          },
          stdin: false,
          tty: false,
        },
      ],
    },
    status: {
      phase: 'Running',
      qosClass: 'Burstable',
      hostIP: '192.168.1.10',
      hostIPs: [{ ip: '192.168.1.10' }],
      podIP: '10.244.1.5',
      podIPs: [{ ip: '10.244.1.5' }],
      startTime: '2024-05-01T11:00:00Z',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T11:00:05Z' }],
      resourceClaimStatuses: [{ name: 'gpu', resourceClaimName: 'web-gpu-abc' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 0, image: 'envoy:v1', imageID: 'sha256:1', containerID: 'containerd://1', state: { running: { startedAt: '2024-05-01T11:00:01Z' } } }],
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          started: true,
          restartCount: 1,
          image: 'nginx:1.25',
          imageID: 'docker.io/library/nginx@sha256:2',
          containerID: 'containerd://2',
          state: { running: { startedAt: '2024-05-01T11:00:03Z' } },
          lastState: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', message: 'oom', startedAt: '2024-05-01T11:00:02Z', finishedAt: '2024-05-01T11:00:02Z', containerID: 'containerd://0' } },
          allocatedResources: { cpu: '250m' },
          resources: { requests: { cpu: '250m' } },
          volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: false, recursiveReadOnly: 'Disabled' }],
          user: { linux: { uid: 1000, gid: 1000, supplementalGroups: [3000] } },
          allocatedResourcesStatus: [{ name: 'claim:gpu/one', resources: [{ resourceID: 'gpu-0', health: 'Healthy' }] }],
        },
      ],
    },
  };
}

test('schema: a full realistic pod has no unknown fields and no schema errors', () => {
  const r = registry();
  const p = realisticPod();
  assert.deepEqual(findUnknownFields(p, 'io.k8s.api.core.v1.Pod', r.definitions), []);
  // As the apiserver decodes: defaults first (zero times become the nulls Go writes), then validation.
  const decoded = JSON.parse(JSON.stringify(p));
  applyDefaults(decoded, 'io.k8s.api.core.v1.Pod', r.definitions);
  assert.deepEqual(validateAgainstSchema(decoded, 'io.k8s.api.core.v1.Pod', r.definitions).map(fieldErrorString), []);
  const ephemeral = { ...realisticPod(), spec: { containers: [{ name: 'a', image: 'b' }], ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'a', stdin: true, tty: true }] } };
  assert.deepEqual(findUnknownFields(ephemeral, 'io.k8s.api.core.v1.Pod', r.definitions), []);
});

test('validation accepts the full realistic pod', () => {
  const p = realisticPod() as Pod;
  pods.defaults!(p);
  assert.deepEqual(pods.validate!(p, {}).map(fieldErrorString), []);
});

test('schema: an unknown field is found where a typo is', () => {
  const r = registry();
  const p = realisticPod();
  (p.spec.containers[0] as Record<string, unknown>).imagePullPolice = 'Always';
  assert.deepEqual(findUnknownFields(p, 'io.k8s.api.core.v1.Pod', r.definitions), ['spec.containers[0].imagePullPolice']);
});

test('schema: defaults fill Go zero values as upstream serializes them', () => {
  const r = registry();
  const p: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'a', image: 'b', ports: [{ containerPort: 80 }] }] } };
  applyDefaults(p, 'io.k8s.api.core.v1.Pod', r.definitions);
  assert.deepEqual(p.spec.containers[0].resources, {});
  assert.equal(p.spec.containers[0].ports[0].protocol, 'TCP');
  assert.deepEqual(p.status, {});
});

test('schema: patch strategies and list types as upstream', () => {
  const defs = registry().definitions;
  const props = (name: string) => defs.get(`io.k8s.api.core.v1.${name}`)!.properties as Record<string, Schema>;
  assert.deepEqual(
    [props('PodSpec').containers, props('PodSpec').volumes, props('Container').ports, props('Container').env, props('Container').volumeMounts].map((s) => [
      s['x-kubernetes-patch-strategy'],
      s['x-kubernetes-patch-merge-key'],
      s['x-kubernetes-list-map-keys'],
    ]),
    [
      ['merge', 'name', ['name']],
      ['merge,retainKeys', 'name', ['name']],
      ['merge', 'containerPort', ['containerPort', 'protocol']],
      ['merge', 'name', ['name']],
      ['merge', 'mountPath', ['mountPath']],
    ],
  );
  assert.equal(props('PodSpec').tolerations['x-kubernetes-list-type'], 'atomic');
  assert.deepEqual(props('PodStatus').conditions['x-kubernetes-list-map-keys'], ['type']);
  assert.deepEqual(props('PodSpec').restartPolicy.enum, ['Always', 'Never', 'OnFailure']);
  assert.deepEqual(defs.get('io.k8s.api.core.v1.Container')!.required, ['name']);
});

test('schema: every reference resolves (ObjectReference and the claim spec come from the Event and PVC kinds)', () => {
  const defs = registry().definitions;
  const missing = new Set<string>();
  const walk = (s: Schema | undefined): void => {
    if (!s) return;
    if (s.ref && !defs.has(s.ref)) missing.add(s.ref);
    for (const v of Object.values(s.properties ?? {})) walk(v);
    walk(s.items);
    walk(s.additionalProperties);
  };
  for (const def of podResources) for (const s of def.definitions!.values()) walk(s);
  assert.deepEqual([...missing], []);
});

// ---- binding

function fakePodStorage(stored: Pod) {
  const calls: { subresource?: string }[] = [];
  const storage = {
    async update(_ns: string, _name: string, mutate: (o: KubeObject) => KubeObject, _ctx: unknown, opts: { subresource?: string }) {
      calls.push(opts);
      const next = mutate(structuredClone(stored) as KubeObject);
      Object.assign(stored, next);
      return { object: next, created: false };
    },
  };
  return { storage, calls };
}

function bindingRequest(storage: unknown, name: string, body: unknown): SubresourceRequest {
  return { req: {} as never, storage: storage as never, namespace: 'default', name, body: body as KubeObject, ctx: { dryRun: false, warnings: [] } };
}

test('binding sets spec.nodeName and PodScheduled, answering 201 Success', async () => {
  const stored = pod();
  pods.prepareForCreate!(stored);
  const { storage, calls } = fakePodStorage(stored);
  const res = await podBinding(bindingRequest(storage, 'web', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } }));
  assert.equal(res.status, 201);
  assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  assert.equal(stored.spec!.nodeName, 'node-1');
  assert.equal(stored.status!.conditions![0].type, 'PodScheduled');
  assert.equal(stored.status!.conditions![0].status, 'True');
  // Written as upstream's setPodHostAndAnnotations writes it: through storage, without the pod's update validation.
  assert.deepEqual(calls, [{ subresource: 'binding', unvalidated: true }]);
});

test('binding refuses a bound pod with 409 and a mismatched name with 400', async () => {
  const stored = pod({ spec: { nodeName: 'node-2', containers: [{ name: 'a', image: 'x' }] } });
  const { storage } = fakePodStorage(stored);
  await assert.rejects(podBinding(bindingRequest(storage, 'web', { metadata: { name: 'web' }, target: { name: 'node-1' } })), (err: unknown) => {
    assert.ok(isStatusError(err, 'Conflict'));
    assert.equal(err.code, 409);
    assert.equal(err.message, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-2"');
    return true;
  });
  await assert.rejects(podBinding(bindingRequest(storage, 'web', { metadata: { name: 'other' }, target: { name: 'n' } })), /name in URL does not match name in Binding object/);
  await assert.rejects(createBinding(bindingRequest(storage, '', { metadata: { name: 'web' }, target: {} })), (err: unknown) => {
    assert.ok(isStatusError(err, 'InternalError'));
    assert.equal(err.message, 'Internal error occurred: target.name: Required value');
    return true;
  });
});
