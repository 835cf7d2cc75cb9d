// controller.ActivePodsWithRanks: the order in which a ReplicaSet gives up surplus pods,
// the cheapest to lose first (1.32 with PodDeletionCost and LogarithmicScaleDown on).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady, podReadySince } from './pod-readiness.js';

const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const text = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  const n = text === undefined ? 0 : Number.parseInt(text, 10);
  return Number.isFinite(n) ? n : 0;
}

function maxRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.initContainerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/** Buckets durations by their power of two, so pods of about the same age count as equally old. */
function logRank(since: number, now: number): number {
  const d = (now - since) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

interface Ranked {
  pod: Pod;
  /** How many related pods share its node (doubled-up pods go first). */
  rank: number;
  ready: boolean;
  created: number;
}

/** Negative when `a` should be deleted before `b`. */
function compare(a: Ranked, b: Ranked, now: number): number {
  const na = a.pod.spec?.nodeName ?? '';
  const nb = b.pod.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return na ? 1 : -1;
  const pa = PHASE_ORDINAL[a.pod.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.pod.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  const ca = deletionCost(a.pod);
  const cb = deletionCost(b.pod);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uidOrder = (): number => ((a.pod.metadata?.uid ?? '') < (b.pod.metadata?.uid ?? '') ? -1 : 1);
  if (a.ready && b.ready) {
    const ra = podReadySince(a.pod) ?? 0;
    const rb = podReadySince(b.pod) ?? 0;
    if (ra !== rb) {
      if (!ra || !rb) return ra ? -1 : 1;
      const diff = logRank(ra, now) - logRank(rb, now);
      return diff === 0 ? uidOrder() : diff;
    }
  }
  const restarts = maxRestarts(b.pod) - maxRestarts(a.pod);
  if (restarts !== 0) return restarts;
  if (a.created !== b.created) {
    if (!a.created || !b.created) return a.created ? 1 : -1;
    const diff = logRank(a.created, now) - logRank(b.created, now);
    return diff === 0 ? uidOrder() : diff;
  }
  return 0;
}

/**
 * The `count` pods to delete first from `pods`; `related` are the pods whose node sharing
 * counts (the owner's pods and, under a Deployment, those of its other ReplicaSets).
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number, now: number): Pod[] {
  if (count >= pods.length) return pods.slice(0, count);
  const onNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked: Ranked[] = pods.map((pod) => ({
    pod,
    rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0,
    ready: isPodReady(pod),
    created: pod.metadata?.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : 0,
  }));
  ranked.sort((a, b) => compare(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}
