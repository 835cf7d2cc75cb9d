// VolumeBinding: a pod's PersistentVolumeClaims decide where it can go. Bound claims pin it to
// their volumes' node affinity; unbound claims of a WaitForFirstConsumer StorageClass are bound
// by the scheduler's choice (an available matching volume, or dynamic provisioning: the claim
// gets `volume.kubernetes.io/selected-node` in PreBind); unbound Immediate claims must wait.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { parseQuantity } from '../../api/meta/quantity.js';
import { resources } from '../../client/resource.js';
import { ActionType, Status, type ClusterEventWithHint, type CycleState, type Handle, type Plugin } from '../framework.js';
import { compileNodeSelector, type NodeMatcher } from '../../api/helpers/node-selection.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';

export const NAME = 'VolumeBinding';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
const ANN_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

const STATE_KEY = `PreFilter${NAME}`;

export interface VolumeBindingArgs {
  /** How long PreBind waits for the claims to become Bound (upstream's bindTimeoutSeconds, 600). */
  bindTimeoutSeconds?: number;
}

interface ClaimToBind {
  pvc: PersistentVolumeClaim;
  className: string;
  storageClass: StorageClass;
  request: number;
}

/** What binding the pod's claims on one node takes. */
interface NodeDecision {
  /** Claim → the available volume chosen for it. */
  staticBindings: { pvc: PersistentVolumeClaim; pv: PersistentVolume }[];
  /** Claims a provisioner must create volumes for. */
  provisions: PersistentVolumeClaim[];
}

class BindingState {
  readonly decisions = new Map<string, NodeDecision>();
  constructor(
    readonly boundVolumes: { pvc: PersistentVolumeClaim; pv?: PersistentVolume; affinity?: NodeMatcher }[],
    readonly claimsToBind: ClaimToBind[],
  ) {}
}

export function storageClassName(pvc: PersistentVolumeClaim): string {
  return pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.[ANN_STORAGE_CLASS] ?? '';
}

function pvStorageClassName(pv: PersistentVolume): string {
  return pv.spec?.storageClassName ?? pv.metadata?.annotations?.[ANN_STORAGE_CLASS] ?? '';
}

function bytes(q: string | number | undefined): number {
  return q === undefined ? 0 : parseQuantity(String(q)).value();
}

function volumeAffinity(pv: PersistentVolume): NodeMatcher | undefined {
  const required = pv.spec?.nodeAffinity?.required;
  return required ? compileNodeSelector(required) : undefined;
}

/** The StorageClass's allowedTopologies, if any, admit the node. */
function topologyAllowed(sc: StorageClass, ni: NodeInfo): boolean {
  const terms = sc.allowedTopologies;
  if (!terms?.length) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(ni.labels[e.key])));
}

export class VolumeBinding implements Plugin {
  readonly name = NAME;
  private readonly bindTimeoutMs: number;
  /** Volumes promised to a claim by a pod in flight, so two pods do not pick the same one. */
  private readonly assumedVolumes = new Map<string, string>();

  constructor(
    private readonly handle: Handle,
    args: VolumeBindingArgs = {},
  ) {
    this.bindTimeoutMs = (args.bindTimeoutSeconds ?? 600) * 1000;
  }

  preFilter(state: CycleState, pod: PodInfo): Status | undefined {
    if (pod.pvcNames.length === 0) return Status.SKIP;
    const bound: BindingState['boundVolumes'] = [];
    const toBind: ClaimToBind[] = [];
    let unboundImmediate = false;
    for (const name of pod.pvcNames) {
      const pvc = this.handle.pvc(pod.namespace, name);
      if (!pvc) return Status.unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (pvc.metadata?.deletionTimestamp) return Status.unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
      const volumeName = pvc.spec?.volumeName;
      if (volumeName) {
        const pv = this.handle.pv(volumeName);
        bound.push({ pvc, pv, affinity: pv && volumeAffinity(pv) });
        continue;
      }
      const className = storageClassName(pvc);
      const sc = className ? this.handle.storageClass(className) : undefined;
      if (sc?.volumeBindingMode === 'WaitForFirstConsumer') {
        toBind.push({ pvc, className, storageClass: sc, request: bytes(pvc.spec?.resources?.requests?.storage) });
      } else {
        unboundImmediate = true;
      }
    }
    if (unboundImmediate) return Status.unresolvable(ERR_UNBOUND_IMMEDIATE);
    state.write(STATE_KEY, new BindingState(bound, toBind));
    return undefined;
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const s = state.read<BindingState>(STATE_KEY);
    if (!s) return undefined;
    const reasons = new Set<string>();
    for (const b of s.boundVolumes) {
      if (!b.pv) reasons.add(ERR_REASON_PV_NOT_EXIST);
      else if (b.affinity && !b.affinity(nodeInfo.labels, nodeInfo.name)) reasons.add(ERR_REASON_NODE_CONFLICT);
    }
    if (s.claimsToBind.length > 0) {
      const decision = this.findBindings(s.claimsToBind, nodeInfo);
      if (decision) s.decisions.set(nodeInfo.name, decision);
      else reasons.add(ERR_REASON_BIND_CONFLICT);
    }
    return reasons.size ? Status.unresolvable(...reasons) : undefined;
  }

  /** An available volume for each claim (smallest that fits), else dynamic provisioning. */
  private findBindings(claims: ClaimToBind[], ni: NodeInfo): NodeDecision | undefined {
    const decision: NodeDecision = { staticBindings: [], provisions: [] };
    const taken = new Set<string>();
    for (const c of claims) {
      const selected = c.pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
      if (selected && selected !== ni.name) return undefined;
      const pv = this.findMatchingVolume(c, ni, taken);
      if (pv) {
        taken.add(pv.metadata!.name!);
        decision.staticBindings.push({ pvc: c.pvc, pv });
        continue;
      }
      const provisioner = c.storageClass.provisioner;
      if (!provisioner || provisioner === NO_PROVISIONER || !topologyAllowed(c.storageClass, ni)) return undefined;
      decision.provisions.push(c.pvc);
    }
    return decision;
  }

  private findMatchingVolume(c: ClaimToBind, ni: NodeInfo, taken: Set<string>): PersistentVolume | undefined {
    const claimKey = `${c.pvc.metadata?.namespace}/${c.pvc.metadata?.name}`;
    const modes = c.pvc.spec?.accessModes ?? [];
    const volumeMode = c.pvc.spec?.volumeMode ?? 'Filesystem';
    let best: PersistentVolume | undefined;
    let bestSize = Infinity;
    for (const pv of this.handle.listPVs()) {
      const name = pv.metadata?.name ?? '';
      if (taken.has(name)) continue;
      const assumedFor = this.assumedVolumes.get(name);
      if (assumedFor && assumedFor !== claimKey) continue;
      const ref = pv.spec?.claimRef;
      if (ref && (ref.namespace !== c.pvc.metadata?.namespace || ref.name !== c.pvc.metadata?.name)) continue;
      if (!ref && pv.status?.phase && pv.status.phase !== 'Available') continue;
      if (pvStorageClassName(pv) !== c.className) continue;
      if ((pv.spec?.volumeMode ?? 'Filesystem') !== volumeMode) continue;
      const pvModes = pv.spec?.accessModes ?? [];
      if (!modes.every((m) => pvModes.includes(m))) continue;
      const size = bytes(pv.spec?.capacity?.storage);
      if (size < c.request || size >= bestSize) continue;
      const affinity = volumeAffinity(pv);
      if (affinity && !affinity(ni.labels, ni.name)) continue;
      best = pv;
      bestSize = size;
    }
    return best;
  }

  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status | undefined {
    const d = state.read<BindingState>(STATE_KEY)?.decisions.get(nodeName);
    if (!d) return undefined;
    for (const b of d.staticBindings) this.assumedVolumes.set(b.pv.metadata!.name!, `${pod.namespace}/${b.pvc.metadata!.name}`);
    return undefined;
  }

  unreserve(state: CycleState, _pod: PodInfo, nodeName: string): void {
    const d = state.read<BindingState>(STATE_KEY)?.decisions.get(nodeName);
    for (const b of d?.staticBindings ?? []) this.assumedVolumes.delete(b.pv.metadata!.name!);
  }

  /** Binds chosen volumes, marks claims for provisioning, then waits for every claim to be Bound. */
  async preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | undefined> {
    const s = state.read<BindingState>(STATE_KEY);
    const d = s?.decisions.get(nodeName);
    const client = this.handle.client;
    if (!s || !d || !client || s.claimsToBind.length === 0) return undefined;
    try {
      for (const { pvc, pv } of d.staticBindings) {
        const claimRef = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata!.namespace, name: pvc.metadata!.name, uid: pvc.metadata!.uid, resourceVersion: pvc.metadata!.resourceVersion };
        await client.resource(resources.persistentVolumes).patch(pv.metadata!.name!, { metadata: { annotations: { [ANN_BOUND_BY_CONTROLLER]: 'yes' } }, spec: { claimRef } }, 'merge');
      }
      for (const pvc of d.provisions) {
        await client.resource(resources.persistentVolumeClaims).namespace(pod.namespace).patch(pvc.metadata!.name!, { metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName } } }, 'merge');
      }
    } catch (err) {
      return Status.error(`binding volumes: ${(err as Error).message}`);
    } finally {
      for (const b of d.staticBindings) this.assumedVolumes.delete(b.pv.metadata!.name!);
    }
    const deadline = Date.now() + this.bindTimeoutMs;
    while (!s.claimsToBind.every((c) => this.handle.pvc(pod.namespace, c.pvc.metadata!.name!)?.status?.phase === 'Bound')) {
      if (Date.now() > deadline) return Status.error('binding volumes: context deadline exceeded');
      if (this.handle.stopping?.aborted) return Status.error('binding volumes: context canceled');
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.Update } },
      { event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.Update } },
      { event: { resource: 'StorageClass', actionType: ActionType.Add | ActionType.Update } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint } },
    ];
  }
}
