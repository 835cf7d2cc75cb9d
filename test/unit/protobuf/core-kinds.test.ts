// core/v1 kinds in protobuf: every schema reachable from them carries upstream's field numbers,
// inline-embedded structs (VolumeSource, ProbeHandler, EphemeralContainerCommon,
// PersistentVolumeSource, LocalObjectReference) and Go pointers decode as client-go encodes them,
// and the bodies kubectl 1.32 really sends decode to what it would send as JSON, then are created.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ResourceRegistry } from '../../../src/api/registry.js';
import { builtinResources } from '../../../src/api/resources/index.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import { decodeProtobufBody, PROTOBUF_CONTENT_TYPE } from '../../../src/api/schema/protobuf.js';
import { startCluster, type Cluster } from '../../../src/index.js';
import { manifestDir } from '../../support/cluster.js';
import { kubectl as kubectlAgainst, kubectlSkip } from '../../support/kubectl.js';
import { assertProtoCoverage, reachable, withoutNulls } from './coverage.js';
import { bytes, concat, envelope, int, mapEntry, message } from './encode.js';
import { KubectlCapture, kubectlMissing } from './kubectl.js';

const registry = new ResourceRegistry(metaDefinitions);
for (const r of builtinResources) registry.add(r);
const defs = registry.definitions;

const V1 = 'io.k8s.api.core.v1';
const CORE_KINDS = [
  'Pod',
  'Binding',
  'PodTemplate',
  'ReplicationController',
  'Service',
  'Endpoints',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'LimitRange',
  'ResourceQuota',
].map((k) => `${V1}.${k}`);

test('every object schema reachable from the core/v1 kinds has a field number for each property', () => {
  const names = reachable(CORE_KINDS, defs);
  assert.ok(names.size > 150, `only ${names.size} definitions reachable`);
  assert.ok(assertProtoCoverage(names, defs) > 150, 'too few object schemas checked');
});

describe('struct embeddings and pointers, as client-go encodes them', () => {
  const decode = (kind: string, raw: Uint8Array, root: string): Record<string, any> =>
    decodeProtobufBody(envelope('v1', kind, raw), defs, `${V1}.${root}`) as Record<string, any>;
  const meta = (name: string) => message(1, bytes(1, name));

  test('a pod: VolumeSource, ProbeHandler, LocalObjectReference inline; pointer zeros survive', () => {
    const container = concat(
      bytes(1, 'app'),
      bytes(2, 'nginx'),
      // env[0].valueFrom.configMapKeyRef: LocalObjectReference {name} embedded as field 1.
      message(7, bytes(1, 'MODE'), message(3, message(3, message(1, bytes(1, 'settings')), bytes(2, 'mode'), int(3, false)))),
      // livenessProbe: ProbeHandler {httpGet} embedded as field 1; terminationGracePeriodSeconds (*int64) 0.
      message(10, message(1, message(2, bytes(1, '/healthz'), message(2, int(1, 0), int(2, 8080)))), int(2, 1), int(7, 0)),
      message(15, int(2, false), int(4, 0)),
    );
    const pod = decode(
      'Pod',
      concat(
        meta('web'),
        message(
          2,
          // volumes[0]: name, then VolumeSource {configMap: {LocalObjectReference {name}, defaultMode 0, optional false}}.
          message(1, bytes(1, 'config'), message(2, message(19, message(1, bytes(1, 'settings')), int(3, 0), int(4, false)))),
          message(1, bytes(1, 'scratch'), message(2, message(2, bytes(1, 'Memory')))),
          message(2, container),
          int(4, 0),
          int(21, false),
          bytes(10, ''),
          int(11, false),
        ),
      ),
      'Pod',
    );
    assert.deepEqual(pod.spec.volumes, [
      { name: 'config', configMap: { name: 'settings', defaultMode: 0, optional: false } },
      { name: 'scratch', emptyDir: { medium: 'Memory' } },
    ]);
    const [c] = pod.spec.containers;
    assert.deepEqual(c.env, [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode', optional: false } } }]);
    assert.deepEqual(c.livenessProbe, { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 1, terminationGracePeriodSeconds: 0 });
    assert.deepEqual(c.securityContext, { privileged: false, runAsUser: 0 });
    assert.equal(pod.spec.terminationGracePeriodSeconds, 0);
    assert.equal(pod.spec.automountServiceAccountToken, false);
    // hostNetwork is a plain bool and nodeName a plain string: their zeros are JSON's omitted values.
    assert.equal('hostNetwork' in pod.spec, false);
    assert.equal('nodeName' in pod.spec, false);
  });

  test('an ephemeral container: EphemeralContainerCommon is field 1, targetContainerName field 2', () => {
    const pod = decode(
      'Pod',
      concat(meta('web'), message(2, message(34, message(1, bytes(1, 'debugger'), bytes(2, 'busybox'), int(16, true), int(18, true)), bytes(2, 'app')))),
      'Pod',
    );
    assert.deepEqual(pod.spec.ephemeralContainers, [{ name: 'debugger', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app' }]);
  });

  test('a persistent volume: PersistentVolumeSource is field 2 between capacity and accessModes', () => {
    const pv = decode(
      'PersistentVolume',
      concat(
        meta('pv1'),
        message(
          2,
          mapEntry(1, 'storage', bytes(1, '5Gi')),
          message(2, message(3, bytes(1, '/data'), bytes(2, 'DirectoryOrCreate'))),
          bytes(3, 'ReadWriteOnce'),
          bytes(5, 'Retain'),
          bytes(8, 'Filesystem'),
        ),
      ),
      'PersistentVolume',
    );
    assert.deepEqual(pv.spec, {
      capacity: { storage: '5Gi' },
      hostPath: { path: '/data', type: 'DirectoryOrCreate' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
    });
  });

  test('a replication controller scaled to zero keeps replicas: 0', () => {
    const rc = decode('ReplicationController', concat(meta('rc'), message(2, int(1, 0), mapEntry(2, 'app', 'web'))), 'ReplicationController');
    assert.deepEqual(rc.spec, { replicas: 0, selector: { app: 'web' } });
  });

  test('a service with an explicit empty loadBalancerClass and allocateLoadBalancerNodePorts: false', () => {
    const svc = decode('Service', concat(meta('lb'), message(2, bytes(4, 'LoadBalancer'), int(20, false), bytes(21, ''), bytes(22, 'Local'))), 'Service');
    assert.deepEqual(svc.spec, { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, loadBalancerClass: '', internalTrafficPolicy: 'Local' });
  });
});


/** The typed `kubectl create` commands of core/v1 kinds (client-go sends their bodies as protobuf). */
const COMMANDS: { args: string[]; schema: string }[] = [
  { args: ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443'], schema: 'Service' },
  { args: ['create', 'service', 'clusterip', 'headless', '--clusterip=None'], schema: 'Service' },
  { args: ['create', 'service', 'nodeport', 'np', '--tcp=8080:80', '--node-port=30080'], schema: 'Service' },
  { args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=5678:8080'], schema: 'Service' },
  { args: ['create', 'service', 'externalname', 'ext', '--external-name=db.example.com'], schema: 'Service' },
  { args: ['create', 'quota', 'compute', '--hard=cpu=1,memory=1Gi,pods=0', '--scopes=NotBestEffort,NotTerminating'], schema: 'ResourceQuota' },
  { args: ['create', 'serviceaccount', 'builder'], schema: 'ServiceAccount' },
];

describe('kubectl protobuf bodies of core/v1 kinds', { skip: kubectlMissing }, () => {
  const kubectl = new KubectlCapture();
  before(() => kubectl.start());
  after(() => kubectl.stop());

  for (const { args, schema } of COMMANDS) {
    test(`kubectl ${args.join(' ')}`, async () => {
      const sent = await kubectl.capture(args);
      assert.equal(sent.contentType, PROTOBUF_CONTENT_TYPE);
      const decoded = decodeProtobufBody(sent.body, defs, `${V1}.${schema}`);
      assert.deepEqual(decoded, withoutNulls(await kubectl.dryRun(args)));
    });
  }

  test('a quota of pods=0 keeps its zero quantity', async () => {
    const sent = await kubectl.capture(['create', 'quota', 'none', '--hard=pods=0']);
    const quota = decodeProtobufBody(sent.body, defs, `${V1}.ResourceQuota`) as { spec: { hard: Record<string, string> } };
    assert.deepEqual(quota.spec.hard, { pods: '0' });
  });

  test('a node port service carries its ports in order, targetPort as int-or-string', async () => {
    const sent = await kubectl.capture(['create', 'service', 'nodeport', 'ports', '--tcp=8080:http', '--node-port=30111']);
    const svc = decodeProtobufBody(sent.body, defs, `${V1}.Service`) as { spec: Record<string, unknown> };
    assert.equal(svc.spec.type, 'NodePort');
    assert.deepEqual(svc.spec.ports, [{ name: '8080-http', protocol: 'TCP', port: 8080, targetPort: 'http', nodePort: 30111 }]);
  });
});

describe('core/v1 kinds created by kubectl over protobuf against startCluster()', { skip: kubectlSkip }, () => {
  let cluster: Cluster;
  const files = manifestDir();
  const ok = async (args: string[]): Promise<string> => {
    const r = await kubectlAgainst(args, { kubeconfig: cluster.kubeconfigPath });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const get = async (resource: string, name: string): Promise<Record<string, any>> => JSON.parse(await ok(['get', resource, name, '-o', 'json']));

  before(async () => {
    cluster = await startCluster({ nodes: 1, controllers: [], scheduler: false });
  });
  after(async () => {
    await cluster?.stop();
    files.remove();
  });

  test('create service clusterip|nodeport|loadbalancer|externalname', async () => {
    assert.equal(await ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']), 'service/web created\n');
    assert.equal(await ok(['create', 'service', 'nodeport', 'np', '--tcp=8080:80', '--node-port=30080']), 'service/np created\n');
    assert.equal(await ok(['create', 'service', 'loadbalancer', 'lb', '--tcp=5678:8080']), 'service/lb created\n');
    assert.equal(await ok(['create', 'service', 'externalname', 'ext', '--external-name=db.example.com']), 'service/ext created\n');
    const web = await get('service', 'web');
    assert.deepEqual(web.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
    assert.deepEqual(web.spec.selector, { app: 'web' });
    assert.match(web.spec.clusterIP, /^10\.\d+\.\d+\.\d+$/);
    const np = await get('service', 'np');
    assert.equal(np.spec.type, 'NodePort');
    assert.equal(np.spec.ports[0].nodePort, 30080);
    assert.equal((await get('service', 'lb')).spec.type, 'LoadBalancer');
    const ext = await get('service', 'ext');
    assert.equal(ext.spec.type, 'ExternalName');
    assert.equal(ext.spec.externalName, 'db.example.com');
  });

  test('create quota and serviceaccount', async () => {
    assert.equal(await ok(['create', 'quota', 'compute', '--hard=cpu=1,memory=1Gi,pods=0', '--scopes=NotBestEffort']), 'resourcequota/compute created\n');
    const quota = await get('resourcequota', 'compute');
    assert.deepEqual(quota.spec, { hard: { cpu: '1', memory: '1Gi', pods: '0' }, scopes: ['NotBestEffort'] });
    assert.equal(await ok(['create', 'serviceaccount', 'builder']), 'serviceaccount/builder created\n');
    assert.equal((await get('serviceaccount', 'builder')).metadata.name, 'builder');
  });

  test('kubectl debug --copy-to sends a whole pod spec as protobuf and it comes back the same', async () => {
    // The original is created from a manifest (JSON); the copy is built and sent by kubectl's typed client.
    const manifest = files.path('rich-pod.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'rich', labels: { app: 'rich' } },
        spec: {
          terminationGracePeriodSeconds: 0,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsUser: 1000, runAsNonRoot: true, fsGroup: 0, sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }] },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoExecute', tolerationSeconds: 0 }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] },
            },
          },
          dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
          hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }],
          volumes: [
            { name: 'config', configMap: { name: 'settings', defaultMode: 0o440, optional: false, items: [{ key: 'a', path: 'a.txt', mode: 0 }] } },
            { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
            {
              name: 'token',
              projected: {
                sources: [
                  { secret: { name: 'creds', items: [{ key: 'token', path: 'token' }] } },
                  { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
                ],
              },
            },
          ],
          initContainers: [{ name: 'init', image: 'busybox', command: ['true'], restartPolicy: 'Always' }],
          containers: [
            {
              name: 'app',
              image: 'nginx',
              args: ['-g', 'daemon off;'],
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
                { name: 'SECRET', valueFrom: { secretKeyRef: { name: 'creds', key: 'password', optional: true } } },
              ],
              envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings', optional: false } }],
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }, { name: 'scratch', mountPath: '/tmp' }],
              livenessProbe: {
                httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] },
                periodSeconds: 5,
                terminationGracePeriodSeconds: 1,
              },
              readinessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 2 },
              startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 },
              lifecycle: { preStop: { httpGet: { path: '/drain', port: 80 } }, postStart: { exec: { command: ['echo', 'started'] } } },
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
            },
          ],
        },
      }),
    );
    await ok(['create', '-f', manifest]);
    const original = await get('pod', 'rich');
    assert.equal(await ok(['debug', 'rich', '--copy-to=rich-copy', '--image=busybox', '--container=debugger']), '');
    const copy = await get('pod', 'rich-copy');
    const debuggerContainer = copy.spec.containers.find((c: { name: string }) => c.name === 'debugger');
    assert.equal(debuggerContainer.image, 'busybox');
    const { containers: copied, ...copyRest } = copy.spec;
    const { containers: originals, ...originalRest } = original.spec;
    assert.deepEqual(copied.filter((c: { name: string }) => c.name !== 'debugger'), originals);
    assert.deepEqual(copyRest, originalRest);
    // Go pointers set to their zero value reach the server as values, not as absence.
    assert.equal(copy.spec.terminationGracePeriodSeconds, 0);
    assert.equal(copy.spec.automountServiceAccountToken, false);
    assert.equal(copy.spec.securityContext.fsGroup, 0);
    assert.equal(copy.spec.tolerations[0].tolerationSeconds, 0);
    assert.deepEqual(copy.spec.volumes[0].configMap.items, [{ key: 'a', path: 'a.txt', mode: 0 }]);
    assert.equal(copy.spec.volumes[0].configMap.optional, false);
  });

  test('kubectl debug node/<name> sends a host-namespaces pod as protobuf', async () => {
    const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items as { metadata: { name: string } }[];
    const node = nodes[0].metadata.name;
    const out = await ok(['debug', `node/${node}`, '--image=busybox', '--profile=sysadmin']);
    const name = /Creating debugging pod (\S+) with container debugger on node/.exec(out)?.[1];
    assert.ok(name, `unexpected output: ${out}`);
    const pod = await get('pod', name);
    assert.equal(pod.spec.nodeName, node);
    assert.equal(pod.spec.hostNetwork, true);
    assert.equal(pod.spec.hostPID, true);
    assert.equal(pod.spec.hostIPC, true);
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.deepEqual(pod.spec.tolerations, [{ operator: 'Exists' }]);
    // The ServiceAccount admission plugin adds the API credentials volume, as on any cluster.
    const [hostRoot, apiAccess] = pod.spec.volumes;
    assert.deepEqual(hostRoot, { name: 'host-root', hostPath: { path: '/', type: '' } });
    assert.match(apiAccess.name, /^kube-api-access-[a-z0-9]{5}$/);
    const [c] = pod.spec.containers;
    assert.deepEqual(c.volumeMounts, [
      { name: 'host-root', mountPath: '/host' },
      { name: apiAccess.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ]);
    assert.deepEqual(c.securityContext, { privileged: true });
  });
});
