// Pod predicates as upstream's podutil and controller helpers define them: what counts as
// terminal, active, terminating, ready and available. Shared by controllers and the eviction subresource.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

/** Being deleted but still running: counted as terminating, not active. */
export function isPodTerminating(pod: Pod): boolean {
  return !!pod.metadata?.deletionTimestamp && !isPodTerminal(pod);
}

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** When the pod became ready (ms since the epoch; 0 without a transition time), undefined when not ready. */
export function podReadySince(pod: Pod): number | undefined {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return undefined;
  return c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds at `now` (a missing transition time is not). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (minReadySeconds <= 0) return isPodReady(pod);
  const since = podReadySince(pod);
  return !!since && since + minReadySeconds * 1000 <= now;
}
