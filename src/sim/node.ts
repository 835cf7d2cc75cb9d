// The objects a simulated kubelet writes about its node: the Node it registers (labels, pod
// CIDR, capacity and allocatable, addresses, system info, the four conditions with upstream's
// reasons and messages) and its Lease in kube-node-lease. Pure builders; manager.ts writes them.
import { createHash } from 'node:crypto';
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { Quantity } from '../api/meta/quantity.js';
import { formatRFC3339, formatMicroTime } from '../api/meta/time.js';

export const KUBELET_VERSION = 'v1.32.0-k8ts';
export const CONTAINER_RUNTIME_VERSION = 'simulated://1.0';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet's nodeLeaseDurationSeconds; it renews every quarter of it. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** The lease controller's jitter factor on renewals. */
export const LEASE_RENEW_JITTER = 0.04;
/** nodeStatusUpdateFrequency: how often the kubelet compares its status with the API's. */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
/** nodeStatusReportFrequency: how often it posts status that did not change. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
export const KUBELET_PORT = 10250;

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
export const CONTROL_PLANE_TAINT: Taint = { key: CONTROL_PLANE_LABEL, effect: 'NoSchedule' };

export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
  'ephemeral-storage': string;
}

export const DEFAULT_NODE_CAPACITY: NodeCapacity = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

// The kubelet's default hard eviction thresholds, which allocatable leaves aside.
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
const EVICTION_NODEFS_FRACTION = 0.1;

function bytes(q: string): number {
  return Quantity.parse(q).value();
}

/** Capacity as a kubelet reports it (memory in Ki) and allocatable: capacity less the eviction reserves. */
export function nodeResources(capacity: NodeCapacity): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const memory = bytes(capacity.memory);
  const storage = bytes(capacity['ephemeral-storage']);
  const common = { cpu: capacity.cpu, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', pods: capacity.pods };
  return {
    capacity: { ...common, 'ephemeral-storage': `${Math.floor(storage / 1024)}Ki`, memory: `${Math.floor(memory / 1024)}Ki` },
    allocatable: {
      ...common,
      'ephemeral-storage': String(Math.floor(storage * (1 - EVICTION_NODEFS_FRACTION))),
      memory: `${Math.floor(Math.max(0, memory - EVICTION_MEMORY_BYTES) / 1024)}Ki`,
    },
  };
}

/** The kubelet's conditions, in its order, with upstream's reasons and messages. */
const KUBELET_NODE_CONDITIONS: readonly { type: string; status: 'True' | 'False'; reason: string; message: string }[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/**
 * The conditions to post at `now`: heartbeat now, transition times kept from `current` (the
 * node as the API has it) where the status is unchanged, as the kubelet's setters do.
 */
export function nodeConditions(now: number, current: NodeCondition[] = []): NodeCondition[] {
  const at = formatRFC3339(now);
  return KUBELET_NODE_CONDITIONS.map((c) => {
    const old = current.find((o) => o.type === c.type);
    const transition = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : at;
    return { ...c, lastHeartbeatTime: at, lastTransitionTime: transition };
  });
}

/** Whether the API's conditions already say what the kubelet would post (heartbeats aside). */
export function nodeConditionsCurrent(current: NodeCondition[] | undefined): boolean {
  if (!current) return false;
  return KUBELET_NODE_CONDITIONS.every((c) => {
    const o = current.find((x) => x.type === c.type);
    return o !== undefined && o.status === c.status && o.reason === c.reason && o.message === c.message;
  });
}

export interface SimulatedNodeSpec {
  name: string;
  internalIP: string;
  podCIDR: string;
  controlPlane: boolean;
  /** kubeadm's control-plane NoSchedule taint (only with controlPlane). */
  taintControlPlane: boolean;
  capacity: NodeCapacity;
}

/** A stable UUID-shaped identifier derived from the node name (machine ID, system UUID, boot ID). */
function stableID(name: string, what: string, dashed: boolean): string {
  const hex = createHash('sha256').update(`${what}/${name}`).digest('hex').slice(0, 32);
  return dashed ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex;
}

/** The Node the kubelet registers, status included (a Ready node from the start). */
export function simulatedNode(spec: SimulatedNodeSpec, now: number): Node {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
  };
  if (spec.controlPlane) {
    labels[CONTROL_PLANE_LABEL] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const { capacity, allocatable } = nodeResources(spec.capacity);
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels,
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: spec.podCIDR, podCIDRs: [spec.podCIDR] },
    status: {
      capacity,
      allocatable,
      conditions: nodeConditions(now),
      addresses: [
        { type: 'InternalIP', address: spec.internalIP },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
      nodeInfo: {
        machineID: stableID(spec.name, 'machine', false),
        systemUUID: stableID(spec.name, 'system', true),
        bootID: stableID(spec.name, 'boot', true),
        kernelVersion: '6.8.0-k8ts-simulated',
        osImage: 'k8ts simulated node',
        containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
  if (spec.controlPlane && spec.taintControlPlane) node.spec!.taints = [{ ...CONTROL_PLANE_TAINT }];
  return node;
}

/** The node's Lease, owned by its Node so that deleting the node removes it. */
export function nodeLease(nodeName: string, nodeUID: string | undefined, now: number, durationSeconds = NODE_LEASE_DURATION_SECONDS): Lease {
  const lease: Lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: formatMicroTime(now * 1000) },
  };
  if (nodeUID) lease.metadata!.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUID }];
  return lease;
}
