// Per-controller tallies of active pods, kept current from pod events: a ReplicaSet with ten
// thousand pods reads its replica counts in time proportional to its distinct label sets (one,
// usually) instead of walking every pod on every sync. Each pod's readiness is read once per
// version it is seen in, not once per sync.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { getControllerOf } from '../../api/meta/objectmeta.js';
import { isPodActive, isPodReady } from '../../api/helpers/pod.js';

/** The active pods of one controller that carry the same labels. */
export interface LabelGroup {
  readonly labels: Readonly<Record<string, string>>;
  active: number;
  ready: number;
}

interface Counted {
  uid: string;
  groups: Map<string, LabelGroup>;
  signature: string;
  group: LabelGroup;
  ready: boolean;
}

/** Labels in their own key order: pods from one template agree on it, and a split group only costs a second entry. */
function signatureOf(labels: Readonly<Record<string, string>>): string {
  let s = '';
  for (const k in labels) s += `${k}\u0000${labels[k]}\u0001`;
  return s;
}

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export class ActivePodTally {
  /** What each pod (by `namespace/name`) is counted as now; the source of truth for taking it back out. */
  private readonly counted = new Map<string, Counted>();
  private readonly byController = new Map<string, Map<string, LabelGroup>>();

  /** Counts the pods whose controller reference is of `controllerKind`. */
  constructor(private readonly controllerKind: string) {}

  /** Records the current version of the pod at `key`; undefined when it is gone. */
  observe(key: string, pod: Pod | undefined): void {
    const previous = this.counted.get(key);
    if (previous) {
      this.counted.delete(key);
      previous.group.active--;
      if (previous.ready) previous.group.ready--;
      if (previous.group.active === 0) {
        previous.groups.delete(previous.signature);
        if (previous.groups.size === 0) this.byController.delete(previous.uid);
      }
    }
    if (!pod || !isPodActive(pod)) return;
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== this.controllerKind) return;
    let groups = this.byController.get(ref.uid);
    if (!groups) this.byController.set(ref.uid, (groups = new Map()));
    const labels = pod.metadata?.labels ?? NO_LABELS;
    const signature = signatureOf(labels);
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { labels, active: 0, ready: 0 }));
    const ready = isPodReady(pod);
    group.active++;
    if (ready) group.ready++;
    this.counted.set(key, { uid: ref.uid, groups, signature, group, ready });
  }

  /** The label groups of the active pods controlled by `uid`. */
  groupsOf(uid: string): Iterable<LabelGroup> {
    return this.byController.get(uid)?.values() ?? [];
  }
}
