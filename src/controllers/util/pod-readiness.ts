// podutil's readiness helpers: which pods count as active, ready and available.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod became ready (ms since the epoch), or undefined when it is not ready. */
export function podReadySince(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return undefined;
  return c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds at `now`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (minReadySeconds <= 0) return isPodReady(pod);
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}
