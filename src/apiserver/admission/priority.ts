// Priority: a new pod's priority comes from its PriorityClass (or the global default class,
// or 0), and so does its preemption policy; a pod may not claim a different number itself.
// PriorityClasses themselves: only one may be the global default.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { AdmissionPlugin } from './types.js';
import { forbiddenFor } from './forbidden.js';

export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';

/** The classes every cluster has (the apiserver's bootstrap of scheduling.k8s.io). */
export const systemPriorityClasses: readonly PriorityClass[] = Object.freeze([
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: SYSTEM_NODE_CRITICAL },
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: SYSTEM_CLUSTER_CRITICAL },
    value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
]);

export interface PriorityOptions {
  /** Every PriorityClass (from the watch cache). */
  priorityClasses(): Iterable<Readonly<PriorityClass>>;
}

/** With several global defaults (a race), the one with the lowest value. */
function globalDefault(classes: Iterable<Readonly<PriorityClass>>): Readonly<PriorityClass> | undefined {
  let best: Readonly<PriorityClass> | undefined;
  for (const pc of classes) if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  return best;
}

export function priority(opts: PriorityOptions): AdmissionPlugin {
  return {
    name: 'Priority',
    admit(attrs) {
      if (attrs.subresource || attrs.def.group !== '' || attrs.def.plural !== 'pods' || !attrs.object) return;
      const spec = (attrs.object as Pod).spec;
      if (!spec) return;
      if (attrs.operation === 'UPDATE') {
        // Set at creation; updates that leave it out keep it (validation refuses changes).
        const old = (attrs.oldObject as Pod | undefined)?.spec;
        if (spec.priority === undefined && old?.priority !== undefined) spec.priority = old.priority;
        if (spec.preemptionPolicy === undefined && old?.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
        return;
      }
      if (attrs.operation !== 'CREATE') return;
      let value = 0;
      let policy: string | undefined = 'PreemptLowerPriority';
      if (!spec.priorityClassName) {
        const def = globalDefault(opts.priorityClasses());
        if (def) {
          spec.priorityClassName = def.metadata!.name;
          value = def.value;
          policy = def.preemptionPolicy;
        }
      } else {
        const pc = attrs.lookup('scheduling.k8s.io', 'priorityclasses', '', spec.priorityClassName) as PriorityClass | undefined;
        if (!pc) throw forbiddenFor(attrs, `no PriorityClass with name ${spec.priorityClassName} was found`);
        value = pc.value;
        policy = pc.preemptionPolicy;
      }
      if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
        throw forbiddenFor(
          attrs,
          `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
        );
      }
      spec.priority = value;
      if (policy) {
        if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
          throw forbiddenFor(
            attrs,
            `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
          );
        }
        spec.preemptionPolicy = policy;
      }
    },
    validate(attrs) {
      if (attrs.subresource || attrs.def.group !== 'scheduling.k8s.io' || attrs.def.plural !== 'priorityclasses') return;
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      const pc = attrs.object as PriorityClass | undefined;
      if (!pc?.globalDefault) return;
      const existing = globalDefault(opts.priorityClasses());
      if (!existing) return;
      if (attrs.operation === 'CREATE' || existing.metadata?.name !== pc.metadata?.name) {
        throw forbiddenFor(attrs, `PriorityClass ${existing.metadata?.name} is already marked as default. Only one default can exist`);
      }
    },
  };
}
