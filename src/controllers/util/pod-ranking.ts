// controller.ActivePodsWithRanks: the order in which a ReplicaSet gives up surplus pods,
// the cheapest to lose first (1.32 with PodDeletionCost and LogarithmicScaleDown on).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podReadySince } from '../../api/helpers/pod.js';

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

/** A pod with every key the ordering reads, computed once rather than on each of the sort's comparisons. */
interface Ranked {
  pod: Pod;
  uid: string;
  node: string;
  phase: number;
  ready: boolean;
  cost: number;
  /** How many related pods share its node (doubled-up pods go first). */
  rank: number;
  readySince: number;
  restarts: number;
  created: number;
}

/** Negative when `a` should be deleted before `b`. */
function compare(a: Ranked, b: Ranked, now: number): number {
  if (a.node !== b.node && (!a.node || !b.node)) return a.node ? 1 : -1;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uidOrder = (): number => (a.uid < b.uid ? -1 : 1);
  if (a.ready && b.ready && a.readySince !== b.readySince) {
    if (!a.readySince || !b.readySince) return a.readySince ? -1 : 1;
    const diff = logRank(a.readySince, now) - logRank(b.readySince, now);
    return diff === 0 ? uidOrder() : diff;
  }
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
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
  const ranked: Ranked[] = pods.map((pod) => {
    const node = pod.spec?.nodeName ?? '';
    const readySince = podReadySince(pod);
    return {
      pod,
      uid: pod.metadata?.uid ?? '',
      node,
      phase: PHASE_ORDINAL[pod.status?.phase ?? ''] ?? 0,
      ready: readySince !== undefined,
      cost: deletionCost(pod),
      rank: onNode.get(node) ?? 0,
      readySince: readySince ?? 0,
      restarts: maxRestarts(pod),
      created: pod.metadata?.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : 0,
    };
  });
  ranked.sort((a, b) => compare(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}
