// PodDisruptionBudget helpers shared by the disruption controller and the Eviction
// subresource (upstream's component-helpers/apps/poddisruptionbudget).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import { selectorFromLabelSelector } from '../meta/labels.js';
import { formatRFC3339 } from '../meta/time.js';

export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const SUFFICIENT_PODS_REASON = 'SufficientPods';
export const INSUFFICIENT_PODS_REASON = 'InsufficientPods';
export const SYNC_FAILED_REASON = 'SyncFailed';
/** The StatusCause type of a refused eviction. */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';

/** A budget selects the pods its selector matches; an empty or invalid selector selects none. */
export function budgetSelectsPod(pdb: Readonly<PodDisruptionBudget>, pod: Readonly<Pod>): boolean {
  if (pdb.metadata?.namespace !== pod.metadata?.namespace) return false;
  const ls = pdb.spec?.selector;
  if (!ls || (!Object.keys(ls.matchLabels ?? {}).length && !(ls.matchExpressions ?? []).length)) return false;
  try {
    return selectorFromLabelSelector(ls).matches(pod.metadata?.labels ?? {});
  } catch {
    return false;
  }
}

/** meta.SetStatusCondition: the transition time moves only when the status changes. */
export function setStatusCondition(conditions: Condition[], c: Omit<Condition, 'lastTransitionTime'>, nowMs: number): void {
  const i = conditions.findIndex((x) => x.type === c.type);
  if (i < 0) {
    conditions.push({ ...c, lastTransitionTime: formatRFC3339(nowMs) });
    return;
  }
  const old = conditions[i];
  conditions[i] = { ...c, lastTransitionTime: old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : formatRFC3339(nowMs) };
}

/** UpdateDisruptionAllowedCondition: True/SufficientPods while disruptions are allowed, False/InsufficientPods otherwise. */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, nowMs: number): void {
  const conditions = ((status as { conditions?: Condition[] }).conditions ??= []);
  const allowed = status.disruptionsAllowed > 0;
  setStatusCondition(
    conditions,
    {
      type: DISRUPTION_ALLOWED_CONDITION,
      status: allowed ? 'True' : 'False',
      reason: allowed ? SUFFICIENT_PODS_REASON : INSUFFICIENT_PODS_REASON,
      message: '',
      observedGeneration: status.observedGeneration,
    },
    nowMs,
  );
}
