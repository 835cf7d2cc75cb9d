// core/v1 Node: cluster-scoped, written by its kubelet (status and all) and by controllers.
import type { Node, NodeConfigSource, Taint } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition, TableDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, int64, kindSchema, list, mergeList, object, ref, setList, str, time } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import {
  isConfigMapKey,
  isValidCIDR,
  isValidLabelValue,
  nameIsDNSSubdomain,
  parseCIDRSloppy,
  validateLabelName,
  validateNamespaceName,
} from '../../meta/validation.js';
import { age, ageColumn, nameColumn } from '../table.js';
import { parseResourceQuantity, resourceList, roundUpResourceList, validateResourceQuantityValue } from './resourcequota.js';

const requiredString = (description: string) => str({ default: '', description });

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.Node': kindSchema(
    { group: '', version: 'v1', kind: 'Node' },
    {
      spec: ref('io.k8s.api.core.v1.NodeSpec', { default: {}, description: 'How the node is configured.' }),
      status: ref('io.k8s.api.core.v1.NodeStatus', { default: {}, description: 'The most recently observed status of the node.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'Node is a worker machine; each node runs a kubelet.' },
  ),
  'io.k8s.api.core.v1.NodeSpec': object(
    {
      podCIDR: str({ description: 'The primary pod IP range assigned to the node.' }),
      podCIDRs: setList(str({ default: '' }), { description: 'The pod IP ranges of the node, at most one per IP family.' }),
      providerID: str({ description: 'The cloud provider ID of the node.' }),
      unschedulable: bool({ description: 'Keeps new pods off the node (kubectl cordon).' }),
      taints: list(ref('io.k8s.api.core.v1.Taint', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Taints that repel pods which do not tolerate them.',
      }),
      configSource: ref('io.k8s.api.core.v1.NodeConfigSource', { description: 'Deprecated: dynamic kubelet configuration.' }),
      externalID: str({ description: 'Deprecated; not used.' }),
    },
    { proto: { podCIDR: 1, podCIDRs: 7, providerID: 3, unschedulable: 4, taints: 5, configSource: 6, externalID: 2 }, description: 'The configuration of a node.' },
  ),
  'io.k8s.api.core.v1.Taint': object(
    {
      key: requiredString('The taint key.'),
      value: str({ description: 'The taint value.' }),
      effect: enumOf(['NoExecute', 'NoSchedule', 'PreferNoSchedule'], { default: '', description: 'What happens to pods that do not tolerate it.' }),
      timeAdded: time({ description: 'When a NoExecute taint was added.' }),
    },
    { proto: { key: 1, value: 2, effect: 3, timeAdded: 4 }, protoPointers: ['timeAdded'], required: ['key', 'effect'], description: 'A taint on a node.' },
  ),
  'io.k8s.api.core.v1.NodeConfigSource': object(
    { configMap: ref('io.k8s.api.core.v1.ConfigMapNodeConfigSource', { description: 'A config map holding kubelet configuration.' }) },
    { proto: { configMap: 2 }, description: 'Deprecated: where a kubelet reads dynamic configuration.' },
  ),
  'io.k8s.api.core.v1.ConfigMapNodeConfigSource': object(
    {
      namespace: requiredString('The namespace of the config map.'),
      name: requiredString('The name of the config map.'),
      uid: str({ description: 'The UID of the config map.' }),
      resourceVersion: str({ description: 'The resourceVersion of the config map.' }),
      kubeletConfigKey: requiredString('The key holding the KubeletConfiguration.'),
    },
    {
      proto: { namespace: 1, name: 2, uid: 3, resourceVersion: 4, kubeletConfigKey: 5 },
      required: ['namespace', 'name', 'kubeletConfigKey'],
      description: 'A config map as a node config source.',
    },
  ),
  'io.k8s.api.core.v1.NodeStatus': object(
    {
      capacity: resourceList('The total resources of the node.'),
      allocatable: resourceList('The resources available for scheduling; defaults to capacity.'),
      phase: enumOf(['Pending', 'Running', 'Terminated'], { description: 'Deprecated: the lifecycle phase of the node.' }),
      conditions: mergeList(ref('io.k8s.api.core.v1.NodeCondition', { default: {} }), 'type', { description: 'The current conditions of the node.' }),
      addresses: mergeList(ref('io.k8s.api.core.v1.NodeAddress', { default: {} }), 'type', { description: 'The addresses the node is reachable at.' }),
      daemonEndpoints: ref('io.k8s.api.core.v1.NodeDaemonEndpoints', { default: {}, description: 'The endpoints of daemons on the node.' }),
      nodeInfo: ref('io.k8s.api.core.v1.NodeSystemInfo', { default: {}, description: 'Identification and versions of the node.' }),
      images: list(ref('io.k8s.api.core.v1.ContainerImage', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Container images present on the node.',
      }),
      volumesInUse: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description: 'Volumes attached and mounted by the node.' }),
      volumesAttached: list(ref('io.k8s.api.core.v1.AttachedVolume', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Volumes attached to the node.',
      }),
      config: ref('io.k8s.api.core.v1.NodeConfigStatus', { description: 'Deprecated: the state of dynamic kubelet configuration.' }),
      runtimeHandlers: list(ref('io.k8s.api.core.v1.NodeRuntimeHandler', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The container runtime handlers the node offers.',
      }),
      features: ref('io.k8s.api.core.v1.NodeFeatures', { description: 'Features the node implements.' }),
    },
    {
      proto: {
        capacity: 1, allocatable: 2, phase: 3, conditions: 4, addresses: 5, daemonEndpoints: 6, nodeInfo: 7, images: 8, volumesInUse: 9,
        volumesAttached: 10, config: 11, runtimeHandlers: 12, features: 13,
      },
      description: 'The observed state of a node.',
    },
  ),
  'io.k8s.api.core.v1.NodeCondition': object(
    {
      type: requiredString('The condition type: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.'),
      status: requiredString('True, False or Unknown.'),
      lastHeartbeatTime: time({ description: 'When the condition was last reported.' }),
      lastTransitionTime: time({ description: 'When the status last changed.' }),
      reason: str({ description: 'Why the condition last changed, in CamelCase.' }),
      message: str({ description: 'A human-readable explanation.' }),
    },
    {
      proto: { type: 1, status: 2, lastHeartbeatTime: 3, lastTransitionTime: 4, reason: 5, message: 6 },
      required: ['type', 'status'],
      description: 'One aspect of the state of a node.',
    },
  ),
  'io.k8s.api.core.v1.NodeAddress': object(
    {
      type: requiredString('Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS.'),
      address: requiredString('The address.'),
    },
    { proto: { type: 1, address: 2 }, required: ['type', 'address'], description: 'One address of a node.' },
  ),
  'io.k8s.api.core.v1.NodeDaemonEndpoints': object(
    { kubeletEndpoint: ref('io.k8s.api.core.v1.DaemonEndpoint', { default: {}, description: 'Where the kubelet listens.' }) },
    { proto: { kubeletEndpoint: 1 }, description: 'The ports of daemons running on a node.' },
  ),
  'io.k8s.api.core.v1.DaemonEndpoint': object(
    { Port: int32({ default: 0, description: 'The port number.' }) },
    { proto: { Port: 1 }, required: ['Port'], description: 'A daemon port.' },
  ),
  'io.k8s.api.core.v1.NodeSystemInfo': object(
    {
      machineID: requiredString('The machine ID (/etc/machine-id).'),
      systemUUID: requiredString('The system UUID reported by the hardware.'),
      bootID: requiredString('The ID of the current boot.'),
      kernelVersion: requiredString('The kernel version (uname -r).'),
      osImage: requiredString('The operating system image (/etc/os-release).'),
      containerRuntimeVersion: requiredString('The container runtime and its version.'),
      kubeletVersion: requiredString('The kubelet version.'),
      kubeProxyVersion: requiredString('Deprecated: the kube-proxy version.'),
      operatingSystem: requiredString('The operating system (linux).'),
      architecture: requiredString('The CPU architecture (amd64, arm64).'),
    },
    {
      proto: {
        machineID: 1, systemUUID: 2, bootID: 3, kernelVersion: 4, osImage: 5, containerRuntimeVersion: 6, kubeletVersion: 7, kubeProxyVersion: 8,
        operatingSystem: 9, architecture: 10,
      },
      required: [
        'machineID',
        'systemUUID',
        'bootID',
        'kernelVersion',
        'osImage',
        'containerRuntimeVersion',
        'kubeletVersion',
        'kubeProxyVersion',
        'operatingSystem',
        'architecture',
      ],
      description: 'Identification and versions of a node.',
    },
  ),
  'io.k8s.api.core.v1.ContainerImage': object(
    {
      names: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', nullable: true, description: 'The names and digests of the image.' }),
      sizeBytes: int64({ description: 'The size of the image.' }),
    },
    { proto: { names: 1, sizeBytes: 2 }, description: 'A container image on a node.' },
  ),
  'io.k8s.api.core.v1.AttachedVolume': object(
    { name: requiredString('The name of the attached volume.'), devicePath: requiredString('Where the volume is available on the node.') },
    { proto: { name: 1, devicePath: 2 }, required: ['name', 'devicePath'], description: 'A volume attached to a node.' },
  ),
  'io.k8s.api.core.v1.NodeConfigStatus': object(
    {
      assigned: ref('io.k8s.api.core.v1.NodeConfigSource', { description: 'The config the node will try to use.' }),
      active: ref('io.k8s.api.core.v1.NodeConfigSource', { description: 'The config the node is using.' }),
      lastKnownGood: ref('io.k8s.api.core.v1.NodeConfigSource', { description: 'The config the node falls back to.' }),
      error: str({ description: 'Problems reconciling the config.' }),
    },
    { proto: { assigned: 1, active: 2, lastKnownGood: 3, error: 4 }, description: 'Deprecated: the status of dynamic kubelet configuration.' },
  ),
  'io.k8s.api.core.v1.NodeRuntimeHandler': object(
    {
      name: str({ default: '', description: 'The handler name; empty for the default.' }),
      features: ref('io.k8s.api.core.v1.NodeRuntimeHandlerFeatures', { description: 'What the handler supports.' }),
    },
    { proto: { name: 1, features: 2 }, description: 'A container runtime handler on a node.' },
  ),
  'io.k8s.api.core.v1.NodeRuntimeHandlerFeatures': object(
    {
      recursiveReadOnlyMounts: bool({ description: 'Whether recursive read-only mounts are supported.' }),
      userNamespaces: bool({ description: 'Whether user namespaces are supported.' }),
    },
    { proto: { recursiveReadOnlyMounts: 1, userNamespaces: 2 }, protoPointers: ['recursiveReadOnlyMounts', 'userNamespaces'], description: 'Features of a runtime handler.' },
  ),
  'io.k8s.api.core.v1.NodeFeatures': object(
    { supplementalGroupsPolicy: bool({ description: 'Whether the node supports pod supplementalGroupsPolicy.' }) },
    { proto: { supplementalGroupsPolicy: 1 }, protoPointers: ['supplementalGroupsPolicy'], description: 'Features a node implements.' },
  ),
});

export const NODE_ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';
const TAINTS_ANNOTATION = 'scheduler.alpha.kubernetes.io/taints';

function validateTaints(taints: Taint[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  taints.forEach((t, i) => {
    const p = path.index(i);
    errs.push(...validateLabelName(t.key ?? '', p.child('key')));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errs.push(fieldErrors.invalid(p.child('value').path, t.value ?? '', valueErrs.join(';')));
    const effect = t.effect ?? '';
    if (!effect) errs.push(fieldErrors.required(p.child('effect').path));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(t.key ?? '')) {
      errs.push({ ...fieldErrors.duplicate(p.path, t), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(t.key ?? '');
    seen.set(effect, keys);
  });
  return errs;
}

function validateTaintsAnnotation(annotations: Record<string, string>): FieldError[] {
  const raw = annotations[TAINTS_ANNOTATION];
  if (!raw) return [];
  const path = new FieldPath('metadata.annotations');
  let taints: Taint[];
  try {
    taints = JSON.parse(raw) as Taint[];
    if (!Array.isArray(taints)) throw new Error('not a list');
  } catch (err) {
    return [fieldErrors.invalid(path.path, TAINTS_ANNOTATION, (err as Error).message)];
  }
  return validateTaints(taints, path.child(TAINTS_ANNOTATION));
}

function validateNodeResources(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['capacity', 'allocatable'] as const) {
    for (const [name, value] of Object.entries(node.status?.[field] ?? {})) {
      const q = parseResourceQuantity(value);
      // Upstream joins these with dots rather than brackets.
      if (q) errs.push(...validateResourceQuantityValue(name, q, new FieldPath(`status.${field}.${name}`)));
    }
  }
  return errs;
}

function validateConfigMapNodeConfigSource(source: NodeConfigSource, path: FieldPath, inStatus: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const cm = source.configMap;
  if (!cm) return [fieldErrors.invalid(path.path, source, 'exactly one reference subfield must be non-nil')];
  const p = path.child('configMap');
  if (inStatus) {
    if (!cm.uid) errs.push(fieldErrors.required(p.child('uid').path, 'uid must be set in status'));
    if (!cm.resourceVersion) errs.push(fieldErrors.required(p.child('resourceVersion').path, 'resourceVersion must be set in status'));
  } else {
    if (cm.uid) errs.push(fieldErrors.forbidden(p.child('uid').path, 'uid must not be set in spec'));
    if (cm.resourceVersion) errs.push(fieldErrors.forbidden(p.child('resourceVersion').path, 'resourceVersion must not be set in spec'));
  }
  if (!cm.namespace) errs.push(fieldErrors.required(p.child('namespace').path, 'namespace must be set'));
  else for (const msg of validateNamespaceName(cm.namespace, false)) errs.push(fieldErrors.invalid(p.child('namespace').path, cm.namespace, msg));
  if (!cm.name) errs.push(fieldErrors.required(p.child('name').path, 'name must be set'));
  else for (const msg of nameIsDNSSubdomain(cm.name, false)) errs.push(fieldErrors.invalid(p.child('name').path, cm.name, msg));
  if (!cm.kubeletConfigKey) errs.push(fieldErrors.required(p.child('kubeletConfigKey').path, 'kubeletConfigKey must be set'));
  else for (const msg of isConfigMapKey(cm.kubeletConfigKey)) errs.push(fieldErrors.invalid(p.child('kubeletConfigKey').path, cm.kubeletConfigKey, msg));
  return errs;
}

function isIPv6CIDR(cidr: string): boolean {
  return parseCIDRSloppy(cidr)?.bits === 128;
}

/** ValidateNode: annotations, taints, resource quantities, pod CIDRs (status fields are otherwise free). */
function validateNode(node: Node): FieldError[] {
  const errs = validateTaintsAnnotation(node.metadata?.annotations ?? {});
  // Upstream reports spec.taints under metadata.
  if (node.spec?.taints?.length) errs.push(...validateTaints(node.spec.taints, new FieldPath('metadata.taints')));
  errs.push(...validateNodeResources(node));
  const cidrs = node.spec?.podCIDRs ?? [];
  if (cidrs.length) {
    const path = new FieldPath('spec.podCIDRs');
    cidrs.forEach((c, i) => errs.push(...isValidCIDR(path.index(i), c)));
    if (cidrs.length > 1) {
      const valid = cidrs.every((c) => parseCIDRSloppy(c));
      const dualStack = valid && cidrs.length === 2 && isIPv6CIDR(cidrs[0]) !== isIPv6CIDR(cidrs[1]);
      if (!dualStack) errs.push(fieldErrors.invalid(path.path, cidrs, 'may specify no more than one CIDR for each IP family'));
    }
  }
  if (node.status?.config) {
    const path = new FieldPath('status.config');
    for (const f of ['assigned', 'active', 'lastKnownGood'] as const) {
      const source = node.status.config[f];
      if (source) errs.push(...validateConfigMapNodeConfigSource(source, path.child(f), true));
    }
  }
  return errs;
}

function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const key = `${a.type}\0${a.address}`;
    if (seen.has(key)) errs.push(fieldErrors.duplicate(`status.addresses[${i}]`, a));
    seen.add(key);
  });
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  const cidrs = node.spec?.podCIDRs ?? [];
  const cidrMessage = 'node updates may not change podCIDR except from "" to valid';
  // The controller manager may assign CIDRs once.
  if (oldCIDRs.length) {
    if (oldCIDRs.length !== cidrs.length) errs.push(fieldErrors.forbidden('spec.podCIDRs', cidrMessage));
    else oldCIDRs.forEach((c, i) => c !== cidrs[i] && errs.push(fieldErrors.forbidden('spec.podCIDRs', cidrMessage)));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(fieldErrors.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  if (node.spec?.configSource) errs.push(...validateConfigMapNodeConfigSource(node.spec.configSource, new FieldPath('spec.configSource'), false));
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? '')) errs.push(fieldErrors.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

/** `Ready`, `NotReady`, `Unknown`, with `,SchedulingDisabled` for cordoned nodes. */
export function nodeStatusCell(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from node-role.kubernetes.io/<role> labels and the legacy kubernetes.io/role label. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(NODE_ROLE_LABEL_PREFIX)) {
      const role = k.slice(NODE_ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === NODE_ROLE_LABEL && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

const wide = { priority: 1 as const, type: 'string' as const };

/** NAME STATUS ROLES AGE VERSION, and with -o wide the addresses and software versions. */
const nodeTable: TableDefinition<Node> = {
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'The status of the node' },
    { name: 'Roles', type: 'string', description: 'The roles of the node' },
    ageColumn,
    { name: 'Version', type: 'string', description: 'The kubelet version.' },
    { ...wide, name: 'Internal-IP', description: 'The first InternalIP address of the node.' },
    { ...wide, name: 'External-IP', description: 'The first ExternalIP address of the node.' },
    { ...wide, name: 'OS-Image', description: 'The operating system image of the node.' },
    { ...wide, name: 'Kernel-Version', description: 'The kernel version of the node.' },
    { ...wide, name: 'Container-Runtime', description: 'The container runtime and its version.' },
  ],
  cells(node, now) {
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name,
      nodeStatusCell(node),
      nodeRoles(node).join(',') || '<none>',
      age(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};

/** Fields a new node may not carry: deprecated dynamic kubelet configuration. */
function dropDisabledFields(node: Node, old?: Node): void {
  if (!old) {
    if (node.spec) delete node.spec.configSource;
    if (node.status) delete node.status.config;
  } else if (!old.spec?.configSource && node.spec) {
    delete node.spec.configSource;
  }
}

export const nodes: ResourceDefinition<Node> = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  schemaName: 'io.k8s.api.core.v1.Node',
  definitions,
  subresources: { status: true, others: ['proxy'] },
  defaults(node) {
    // As upstream's v1 conversion: podCIDRs is what counts; podCIDR mirrors its first entry.
    const spec = node.spec as { podCIDR?: string; podCIDRs?: string[] } | undefined;
    if (spec?.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
    else if (spec?.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0];
    const status = node.status;
    if (!status) return;
    roundUpResourceList(status.capacity);
    roundUpResourceList(status.allocatable);
    if (!status.allocatable && status.capacity) status.allocatable = { ...status.capacity };
  },
  prepareForCreate(node) {
    dropDisabledFields(node);
  },
  prepareForUpdate(node, old) {
    Object.assign(node, { status: old.status });
    dropDisabledFields(node, old);
  },
  prepareForStatusUpdate(node, old) {
    dropDisabledFields(node, old);
  },
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  table: nodeTable,
  fieldSelectors: { 'spec.unschedulable': (node) => String(node.spec?.unschedulable ?? false) },
};
