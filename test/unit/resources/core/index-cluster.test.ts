import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { ResourceRegistry, type ResourceDefinition } from '../../../../src/api/registry.js';
import { anyObject } from '../../../../src/api/schema/build.js';
import { metaDefinitions } from '../../../../src/api/schema/meta-definitions.js';
import { findUnknownFields } from '../../../../src/api/schema/prune.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import type { Schema } from '../../../../src/api/schema/types.js';
import { events } from '../../../../src/api/resources/core/event.js';
import { coreClusterResources } from '../../../../src/api/resources/core/index-cluster.js';

/** Definitions owned by podspec.ts that persistent volumes share; stand-ins when that file is not there. */
const POD_OWNED = [
  'AWSElasticBlockStoreVolumeSource',
  'AzureDiskVolumeSource',
  'FCVolumeSource',
  'FlockerVolumeSource',
  'GCEPersistentDiskVolumeSource',
  'HostPathVolumeSource',
  'LocalObjectReference',
  'NFSVolumeSource',
  'NodeSelector',
  'PhotonPersistentDiskVolumeSource',
  'PortworxVolumeSource',
  'QuobyteVolumeSource',
  'VsphereVirtualDiskVolumeSource',
].map((n) => `io.k8s.api.core.v1.${n}`);

async function registry(): Promise<ResourceRegistry> {
  const reg = new ResourceRegistry(metaDefinitions);
  for (const def of coreClusterResources) reg.add(def);
  reg.add(events as ResourceDefinition);
  try {
    const podspec = (await import('../../../../src/api/resources/core/podspec.js')) as Record<string, unknown>;
    for (const value of Object.values(podspec)) {
      const defs = value instanceof Map ? value : (value as { definitions?: unknown } | null)?.definitions;
      if (defs instanceof Map) for (const [k, v] of defs as Map<string, Schema>) if (!reg.definitions.has(k)) reg.definitions.set(k, v);
    }
  } catch {
    // podspec.ts is written separately; its names are checked below only when present.
  }
  for (const name of POD_OWNED) if (!reg.definitions.has(name)) reg.definitions.set(name, anyObject());
  return reg;
}

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), uid: 'b5a0f3f2-1d0c-4a3b-9a52-0e1f2d3c4b5a', resourceVersion: '42', creationTimestamp: '2024-05-01T10:00:00Z', labels: { app: 'web' } });

/** Realistic objects of each kind, with most fields set. */
const examples: Record<string, Record<string, unknown>> = {
  Service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web', 'default'),
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'web' },
      ports: [{ name: 'http', protocol: 'TCP', appProtocol: 'http', port: 80, targetPort: 'http', nodePort: 31080 }],
      clusterIP: '10.96.4.5',
      clusterIPs: ['10.96.4.5'],
      externalIPs: ['192.0.2.10'],
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      loadBalancerIP: '',
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
      publishNotReadyAddresses: false,
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      allocateLoadBalancerNodePorts: true,
      loadBalancerClass: 'example.com/lb',
      internalTrafficPolicy: 'Cluster',
      trafficDistribution: 'PreferClose',
    },
    status: {
      loadBalancer: { ingress: [{ ip: '192.0.2.1', hostname: 'lb.example.com', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP', error: 'Pending' }] }] },
      conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1, lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'Provisioned', message: 'ok' }],
    },
  },
  Endpoints: {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta('web', 'default'),
    subsets: [
      {
        addresses: [{ ip: '10.244.1.5', hostname: 'web-0', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', resourceVersion: '7' } }],
        notReadyAddresses: [{ ip: '10.244.2.5' }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }],
      },
    ],
  },
  Node: {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('node-1'),
    spec: {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
      providerID: 'k8ts://node-1',
      unschedulable: false,
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule', timeAdded: '2024-05-01T10:00:00Z' }],
      configSource: { configMap: { namespace: 'kube-system', name: 'kubelet', kubeletConfigKey: 'kubelet' } },
      externalID: '',
    },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '3800m', memory: '7Gi', pods: '110' },
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-05-01T10:00:00Z', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'node-1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'm',
        systemUUID: 's',
        bootID: 'b',
        kernelVersion: '6.8.0',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 320368 }],
      volumesInUse: ['kubernetes.io/csi/x'],
      volumesAttached: [{ name: 'kubernetes.io/csi/x', devicePath: '' }],
      config: { assigned: { configMap: { namespace: 'kube-system', name: 'kubelet', uid: 'u', resourceVersion: '1', kubeletConfigKey: 'kubelet' } }, error: '' },
      runtimeHandlers: [{ name: 'runc', features: { recursiveReadOnlyMounts: true, userNamespaces: false } }],
      features: { supplementalGroupsPolicy: true },
    },
  },
  PersistentVolume: {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: meta('pv-1'),
    spec: {
      capacity: { storage: '10Gi' },
      csi: {
        driver: 'hostpath.csi.k8s.io',
        volumeHandle: 'vol-1',
        readOnly: false,
        fsType: 'ext4',
        volumeAttributes: { tier: 'fast' },
        controllerPublishSecretRef: { name: 's', namespace: 'kube-system' },
        nodeStageSecretRef: { name: 's', namespace: 'kube-system' },
        nodePublishSecretRef: { name: 's', namespace: 'kube-system' },
        controllerExpandSecretRef: { name: 's', namespace: 'kube-system' },
        nodeExpandSecretRef: { name: 's', namespace: 'kube-system' },
      },
      accessModes: ['ReadWriteOnce'],
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'u2', apiVersion: 'v1', resourceVersion: '9' },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      mountOptions: ['noatime'],
      volumeMode: 'Filesystem',
      volumeAttributesClassName: 'gold',
    },
    status: { phase: 'Bound', message: '', reason: '', lastPhaseTransitionTime: '2024-05-01T10:00:00Z' },
  },
  PersistentVolumeClaim: {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta('data', 'default'),
    spec: {
      accessModes: ['ReadWriteOnce'],
      selector: { matchLabels: { tier: 'fast' }, matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
      resources: { requests: { storage: '10Gi' }, limits: { storage: '20Gi' } },
      volumeName: 'pv-1',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
      dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap' },
      dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap', namespace: 'default' },
      volumeAttributesClassName: 'gold',
    },
    status: {
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Gi' },
      conditions: [{ type: 'Resizing', status: 'False', lastProbeTime: '2024-05-01T10:00:00Z', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'R', message: 'm' }],
      allocatedResources: { storage: '10Gi' },
      allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' },
      currentVolumeAttributesClassName: 'gold',
      modifyVolumeStatus: { targetVolumeAttributesClassName: 'gold', status: 'InProgress' },
    },
  },
  ServiceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta('builder', 'default'),
    secrets: [{ name: 'builder-token' }],
    imagePullSecrets: [{ name: 'registry' }],
    automountServiceAccountToken: false,
  },
  LimitRange: {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('limits', 'default'),
    spec: {
      limits: [
        { type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '500m' }, defaultRequest: { cpu: '200m' }, maxLimitRequestRatio: { cpu: '10' } },
        { type: 'PersistentVolumeClaim', max: { storage: '50Gi' }, min: { storage: '1Gi' } },
      ],
    },
  },
  ResourceQuota: {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('quota', 'default'),
    spec: {
      hard: { pods: '10', 'requests.cpu': '4' },
      scopes: ['NotTerminating'],
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
    },
    status: { hard: { pods: '10', 'requests.cpu': '4' }, used: { pods: '1', 'requests.cpu': '500m' } },
  },
};

test('every kind registers, and every name its schema refers to is defined', async () => {
  const reg = await registry();
  const undefinedRefs = new Set<string>();
  for (const schema of reg.definitions.values()) {
    JSON.stringify(schema, (k, v) => {
      if (k === 'ref' && !reg.definitions.has(v)) undefinedRefs.add(v);
      return v;
    });
  }
  assert.deepEqual([...undefinedRefs], []);
  assert.deepEqual(
    coreClusterResources.map((d) => `${d.plural}/${(d.shortNames ?? []).join(',')}`),
    ['services/svc', 'endpoints/ep', 'nodes/no', 'persistentvolumes/pv', 'persistentvolumeclaims/pvc', 'serviceaccounts/sa', 'limitranges/limits', 'resourcequotas/quota'],
  );
});

test('full realistic objects of each kind have no unknown fields and pass the schema', async () => {
  const reg = await registry();
  for (const def of coreClusterResources) {
    const obj = examples[def.kind];
    assert.ok(obj, def.kind);
    assert.deepEqual(findUnknownFields(obj, def.schemaName, reg.definitions), [], def.kind);
    assert.deepEqual(validateAgainstSchema(obj, def.schemaName, reg.definitions).map(fieldErrorString), [], def.kind);
  }
});

test('fields a kind does not have are reported with their path', async () => {
  const reg = await registry();
  const svc = structuredClone(examples.Service) as { spec: Record<string, unknown> };
  svc.spec.clusterIp = '10.96.0.9';
  (svc.spec.ports as Record<string, unknown>[])[0].hostPort = 80;
  assert.deepEqual(findUnknownFields(svc, 'io.k8s.api.core.v1.Service', reg.definitions), ['spec.ports[0].hostPort', 'spec.clusterIp']);
});
