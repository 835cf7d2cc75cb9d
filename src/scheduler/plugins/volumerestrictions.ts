// VolumeRestrictions: a ReadWriteOncePod claim already used by a scheduled pod cannot be used by
// another (anywhere in the cluster); preemption may free it by evicting that pod.
import { ActionType, Status, type ClusterEventWithHint, type CycleState, type Handle, type Plugin } from '../framework.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';
import type { Snapshot } from '../snapshot.js';

export const NAME = 'VolumeRestrictions';
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

const STATE_KEY = `PreFilter${NAME}`;
const CONFLICT = Status.unschedulable(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT);

class PreFilterState {
  constructor(
    /** `namespace/claim` of the pod's ReadWriteOncePod claims. */
    readonly readWriteOncePodClaims: Set<string>,
    /** How many scheduled pods use one of them. */
    public conflictingPVCRefCount: number,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.readWriteOncePodClaims, this.conflictingPVCRefCount);
  }

  update(other: PodInfo, delta: number): void {
    for (const claim of other.pvcNames) if (this.readWriteOncePodClaims.has(`${other.namespace}/${claim}`)) this.conflictingPVCRefCount += delta;
  }
}

export class VolumeRestrictions implements Plugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): Status | undefined {
    if (pod.pvcNames.length === 0) return Status.SKIP;
    const claims = new Set<string>();
    let conflicts = 0;
    for (const name of pod.pvcNames) {
      const pvc = this.handle.pvc(pod.namespace, name);
      if (!pvc) return Status.unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (!pvc.spec?.accessModes?.includes('ReadWriteOncePod')) continue;
      const key = `${pod.namespace}/${name}`;
      claims.add(key);
      if (!snapshot.usedPVCSet.has(key)) continue;
      for (const ni of snapshot.nodeInfoList) conflicts += ni.pvcRefCounts.get(key) ?? 0;
    }
    if (claims.size === 0) return Status.SKIP;
    state.write(STATE_KEY, new PreFilterState(claims, conflicts));
    return undefined;
  }

  addPod(state: CycleState, _pod: PodInfo, toAdd: PodInfo): void {
    state.read<PreFilterState>(STATE_KEY)?.update(toAdd, 1);
  }

  removePod(state: CycleState, _pod: PodInfo, toRemove: PodInfo): void {
    state.read<PreFilterState>(STATE_KEY)?.update(toRemove, -1);
  }

  filter(state: CycleState, _pod: PodInfo, _nodeInfo: NodeInfo): Status | undefined {
    const s = state.read<PreFilterState>(STATE_KEY);
    return s && s.conflictingPVCRefCount > 0 ? CONFLICT : undefined;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete } },
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.Update } },
      { event: { resource: 'Node', actionType: ActionType.Add } },
    ];
  }
}
