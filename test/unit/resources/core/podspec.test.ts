import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { fieldErrorString, FieldPath } from '../../../../src/api/meta/status.js';
import {
  canonicalQuantity,
  defaultPodSpec,
  imageTag,
  validatePodSpec,
  validatePodSpecUpdate,
  validatePodTemplateSpec,
} from '../../../../src/api/resources/core/podspec.js';

const SPEC = new FieldPath('spec');

function spec(extra: Partial<PodSpec> = {}): PodSpec {
  const s: PodSpec = { containers: [{ name: 'web', image: 'nginx:1.25' }], ...extra };
  defaultPodSpec(s);
  return s;
}

const messages = (s: PodSpec, opts = {}) => validatePodSpec(s, SPEC, opts).map(fieldErrorString);

test('pod spec defaults are upstream SetDefaults_PodSpec and friends', () => {
  const s: PodSpec = {
    containers: [
      {
        name: 'web',
        image: 'nginx',
        ports: [{ containerPort: 80 }],
        livenessProbe: { httpGet: { port: 80 } },
        resources: { limits: { cpu: '0.5', memory: '1.5Gi' } },
      },
      { name: 'side', image: 'busybox:1.36' },
    ],
    volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'scratch' }, { name: 'host', hostPath: { path: '/var/log' } }],
  };
  defaultPodSpec(s);
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.deepEqual(s.securityContext, {});
  const [web, side] = s.containers;
  assert.equal(web.imagePullPolicy, 'Always');
  assert.equal(side.imagePullPolicy, 'IfNotPresent');
  assert.equal(web.terminationMessagePath, '/dev/termination-log');
  assert.equal(web.terminationMessagePolicy, 'File');
  assert.equal(web.ports![0].protocol, 'TCP');
  assert.deepEqual(web.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(web.resources!.limits, { cpu: '500m', memory: '1536Mi' });
  assert.equal(s.volumes![0].configMap!.defaultMode, 420);
  assert.deepEqual(s.volumes![1].emptyDir, {});
  assert.equal(s.volumes![2].hostPath!.type, '');
  assert.equal(s.enableServiceLinks, undefined, 'service links are a pod default, not a template one');
});

test('image tags decide the pull policy as parsers.ParseImageName does', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('registry:5000/team/app'), 'latest');
  assert.equal(imageTag('registry:5000/team/app:v2'), 'v2');
  assert.equal(imageTag('nginx@sha256:abcd'), '');
  assert.equal(spec({ containers: [{ name: 'a', image: 'nginx@sha256:abcd' }] }).containers[0].imagePullPolicy, 'IfNotPresent');
});

test('resource quantities are stored canonical and rounded up to milli-units', () => {
  assert.equal(canonicalQuantity('0.0001'), '1m');
  assert.equal(canonicalQuantity('1000m'), '1');
  assert.equal(canonicalQuantity('2048Mi'), '2Gi');
  assert.equal(canonicalQuantity(2), '2');
});

test('a valid spec has no errors', () => {
  const s = spec({
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', projected: { sources: [{ configMap: { name: 'c' } }, { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } }],
    initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ name: 'http', containerPort: 80 }],
        env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'A.B-c', value: '1' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        readinessProbe: { tcpSocket: { port: 'http' } },
        resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '128Mi' } },
      },
    ],
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } },
  });
  assert.deepEqual(messages(s), []);
});

test('requests above limits are refused with upstream message', () => {
  const s = spec({ containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] });
  assert.deepEqual(messages(s), ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
});

test('container rules: names, images, ports, env, mounts', () => {
  const s = spec({
    containers: [
      { name: 'Web', image: '', ports: [{ containerPort: 70000 }], env: [{ name: 'A=B' }], volumeMounts: [{ name: 'data', mountPath: '/d' }] },
      { name: 'Web', image: 'nginx' },
    ],
  });
  assert.deepEqual(messages(s), [
    `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    'spec.containers[0].image: Required value',
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    `spec.containers[1].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    'spec.containers[1].name: Duplicate value: "Web"',
  ]);
  assert.deepEqual(messages(spec({ containers: [] })), ['spec.containers: Required value']);
});

test('volumes need exactly one source and unique DNS-label names', () => {
  const s = spec({
    volumes: [
      { name: 'a', emptyDir: {}, configMap: { name: 'x' } },
      { name: 'b', secret: {} },
      { name: 'b', nfs: { server: 'nfs', path: 'relative' } },
    ],
  });
  assert.deepEqual(messages(s), [
    'spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type',
    'spec.volumes[1].secret.secretName: Required value',
    'spec.volumes[2].nfs.path: Invalid value: "relative": must be an absolute path',
  ]);
  const dup = spec({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }] });
  assert.deepEqual(messages(dup), ['spec.volumes[1].name: Duplicate value: "a"']);
});

test('probes need exactly one handler and sane numbers', () => {
  const s = spec({
    containers: [
      {
        name: 'web',
        image: 'nginx',
        livenessProbe: { periodSeconds: -1, successThreshold: 2 },
        readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 }, terminationGracePeriodSeconds: 5 },
      },
    ],
  });
  assert.deepEqual(messages(s), [
    'spec.containers[0].livenessProbe: Required value: must specify a handler type',
    'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
  ]);
});

test('pod-level enums, init containers, tolerations and host network', () => {
  const s = spec({
    restartPolicy: 'Sometimes',
    dnsPolicy: 'Nope',
    initContainers: [{ name: 'init', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } }],
    tolerations: [{ operator: 'Equal', value: 'x' }],
  });
  assert.deepEqual(messages(s), [
    'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
  ]);
  const host = spec({ hostNetwork: true, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, hostPort: 81 }] }] });
  assert.deepEqual(messages(host), ['spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true']);
});

test('a sidecar init container (restartPolicy Always) may have probes; a regular container may not set restartPolicy', () => {
  const s = spec({
    initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 15000 } } } as never],
    containers: [{ name: 'web', image: 'nginx', restartPolicy: 'Always' } as never],
  });
  assert.deepEqual(messages(s), ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']);
});

test('templates may not carry ephemeral containers', () => {
  const t = { metadata: { labels: { app: 'web' } }, spec: spec({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }) };
  const errs = validatePodTemplateSpec(t, new FieldPath('spec').child('template')).map(fieldErrorString);
  assert.deepEqual(errs, ['spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template']);
});

test('pod updates may change images, tolerations (added) and activeDeadlineSeconds (down) only', () => {
  const before = spec({ activeDeadlineSeconds: 100, tolerations: [{ key: 'a', operator: 'Exists' }] });
  const ok = structuredClone(before);
  ok.containers[0].image = 'nginx:1.26';
  ok.activeDeadlineSeconds = 50;
  ok.tolerations!.push({ key: 'b', operator: 'Exists' });
  assert.deepEqual(validatePodSpecUpdate(ok, before).map(fieldErrorString), []);

  const moved = structuredClone(before);
  moved.nodeName = 'node-1';
  const [err] = validatePodSpecUpdate(moved, before).map(fieldErrorString);
  assert.ok(
    err.startsWith(
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    ),
    err,
  );
  assert.match(err, /nodeName/);

  const longer = structuredClone(before);
  longer.activeDeadlineSeconds = 200;
  assert.deepEqual(validatePodSpecUpdate(longer, before).map(fieldErrorString), ['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);

  const removed = structuredClone(before);
  removed.tolerations = [];
  assert.deepEqual(validatePodSpecUpdate(removed, before).map(fieldErrorString), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);

  const added = structuredClone(before);
  added.containers.push({ name: 'b', image: 'x' });
  assert.deepEqual(validatePodSpecUpdate(added, before).map(fieldErrorString), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('scheduling gates may only be removed; a gated pod may gain node selector entries', () => {
  const before = spec({ schedulingGates: [{ name: 'example.com/wait' }], nodeSelector: { zone: 'a' } });
  const added = structuredClone(before);
  added.schedulingGates!.push({ name: 'example.com/more' });
  assert.deepEqual(validatePodSpecUpdate(added, before).map(fieldErrorString), [
    "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/more'",
  ]);
  const released = structuredClone(before);
  released.schedulingGates = [];
  released.nodeSelector = { zone: 'a', disk: 'ssd' };
  assert.deepEqual(validatePodSpecUpdate(released, before).map(fieldErrorString), []);
});

test('downward API field paths convert and check as upstream', () => {
  const env = (fieldPath: string) => ({ name: 'X', valueFrom: { fieldRef: { fieldPath } } });
  const s = spec({ containers: [{ name: 'web', image: 'nginx', env: [env("metadata.labels['app']"), env('status.phase'), env('spec.foo'), env("spec.nodeName['x']")] }] });
  assert.deepEqual(messages(s), [
    'spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo',
    `spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeName['x']": error converting fieldPath: field label does not support subscript: spec.nodeName['x']`,
  ]);
});
