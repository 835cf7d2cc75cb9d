// DefaultPreemption (PostFilter): when no node fits, find nodes where evicting lower-priority pods
// would make room, keep as many of those pods as still allow a fit (PodDisruptionBudget-protected
// ones first), pick the node whose victims matter least, evict them, and nominate the node.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { selectorFromLabelSelector } from '../../api/meta/labels.js';
import { isNotFound } from '../../client/errors.js';
import { resources } from '../../client/resource.js';
import { CycleState, fitErrorMessage, NodeToStatus, Status, type Handle, type Plugin, type PostFilterResult } from '../framework.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';

export const NAME = 'DefaultPreemption';
export const ERR_PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface DefaultPreemptionArgs {
  /** Candidates to find at least, as a share of the nodes (default 10%) and absolutely (default 100). */
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

export interface Candidate {
  nodeName: string;
  victims: PodInfo[];
  numPDBViolations: number;
}

const startTime = (p: PodInfo): number => Date.parse(p.pod.status?.startTime ?? p.pod.metadata?.creationTimestamp ?? '') || 0;

/** MoreImportantPod: higher priority, then the one running longer. */
export function moreImportantPod(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a) - startTime(b);
}

/** Splits pods into those whose eviction would exceed a PDB's disruptionsAllowed and the rest. */
export function filterPodsWithPDBViolation(pods: PodInfo[], pdbs: PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      return selectorFromLabelSelector(p.spec?.selector);
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violated = false;
    if (Object.keys(p.labels).length > 0) {
      for (let i = 0; i < pdbs.length; i++) {
        const sel = selectors[i];
        if (pdbs[i].metadata?.namespace !== p.namespace || !sel || sel.empty() || !sel.matches(p.labels)) continue;
        // Already counted by the eviction API: not a new disruption.
        if (pdbs[i].status?.disruptedPods?.[p.name]) continue;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      }
    }
    (violated ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

/**
 * pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority victim, the
 * smallest sum of priorities, the fewest victims, the latest start among the most important victims.
 */
export function pickOneNodeForPreemption(candidates: Candidate[]): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const keep = (list: Candidate[], score: (c: Candidate) => number): Candidate[] => {
    let best = -Infinity;
    let out: Candidate[] = [];
    for (const c of list) {
      const s = score(c);
      if (s > best) {
        best = s;
        out = [c];
      } else if (s === best) out.push(c);
    }
    return out;
  };
  let list = candidates;
  const steps: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -(c.victims[0]?.priority ?? -Infinity),
    // Offset by 2^31 as upstream, so negative priorities still add up to a positive sum.
    (c) => -c.victims.reduce((sum, v) => sum + v.priority + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => {
      const top = c.victims[0]?.priority;
      let earliest = Infinity;
      for (const v of c.victims) if (v.priority === top) earliest = Math.min(earliest, startTime(v));
      return earliest;
    },
  ];
  for (const step of steps) {
    if (list.length === 1) break;
    list = keep(list, step);
  }
  return list[0];
}

export class DefaultPreemption implements Plugin {
  readonly name = NAME;
  private readonly minPercentage: number;
  private readonly minAbsolute: number;

  constructor(
    private readonly handle: Handle,
    args: DefaultPreemptionArgs = {},
  ) {
    this.minPercentage = args.minCandidateNodesPercentage ?? 10;
    this.minAbsolute = args.minCandidateNodesAbsolute ?? 100;
  }

  async postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const { result, status } = await this.preempt(state, pod, statuses);
    const msg = status.message();
    return { result, status: msg ? new Status(status.code, [`preemption: ${msg}`]) : status };
  }

  /** PodEligibleToPreemptOthers, with the reason when not. */
  private eligible(pod: PodInfo, statuses: NodeToStatus): string | undefined {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated && statuses.get(nominated)?.code !== 'UnschedulableAndUnresolvable') {
      // Victims already leaving the nominated node: wait for them rather than preempt more.
      const ni = this.handle.snapshot().get(nominated);
      if (ni?.pods.some((p) => p.pod.metadata?.deletionTimestamp && p.priority < pod.priority)) return 'not eligible due to a terminating pod on the nominated node.';
    }
    return undefined;
  }

  private async preempt(state: CycleState, pod: PodInfo, statuses: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const notEligible = this.eligible(pod, statuses);
    if (notEligible) return { status: Status.unschedulable(notEligible) };
    const allNodes = this.handle.snapshot().nodeInfoList;
    const { candidates, nodeStatuses } = this.findCandidates(state, pod, allNodes, statuses);
    if (candidates.length === 0) {
      const msg = fitErrorMessage(allNodes.length, { nodeToStatus: nodeStatuses, unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' });
      // An empty nomination clears any earlier one.
      return { result: { nominatedNodeName: '' }, status: Status.unschedulable(msg) };
    }
    const best = pickOneNodeForPreemption(candidates)!;
    try {
      await this.prepareCandidate(best, pod);
    } catch (err) {
      return { status: Status.error((err as Error).message) };
    }
    return { result: { nominatedNodeName: best.nodeName }, status: Status.SUCCESS };
  }

  private findCandidates(state: CycleState, pod: PodInfo, allNodes: NodeInfo[], statuses: NodeToStatus): { candidates: Candidate[]; nodeStatuses: NodeToStatus } {
    const nodeStatuses = new NodeToStatus();
    const potential: NodeInfo[] = [];
    for (const ni of allNodes) {
      if (statuses.get(ni.name)?.code === 'UnschedulableAndUnresolvable') nodeStatuses.set(ni.name, Status.unresolvable(ERR_PREEMPTION_NOT_HELPFUL));
      else potential.push(ni);
    }
    const candidates: Candidate[] = [];
    if (potential.length === 0) return { candidates, nodeStatuses };
    const pdbs = this.handle.pdbs(pod.namespace);
    const n = potential.length;
    const wanted = Math.min(n, Math.max(Math.trunc((n * this.minPercentage) / 100), this.minAbsolute));
    const offset = Math.floor(Math.random() * n);
    let nonViolating = 0;
    for (let i = 0; i < n; i++) {
      const ni = potential[(offset + i) % n].clone();
      const { victims, numPDBViolations, status } = this.selectVictimsOnNode(state.clone(), pod, ni, pdbs);
      if (status) {
        nodeStatuses.set(ni.name, status);
        continue;
      }
      if (victims.length === 0) {
        nodeStatuses.set(ni.name, Status.error(`expected at least one victim pod on node ${JSON.stringify(ni.name)}`));
        continue;
      }
      candidates.push({ nodeName: ni.name, victims, numPDBViolations });
      if (numPDBViolations === 0) nonViolating++;
      if (nonViolating > 0 && candidates.length >= wanted) break;
    }
    return { candidates, nodeStatuses };
  }

  /** SelectVictimsOnNode: remove every lower-priority pod, then reprieve as many as still allow a fit. */
  selectVictimsOnNode(state: CycleState, pod: PodInfo, ni: NodeInfo, pdbs: PodDisruptionBudget[]): { victims: PodInfo[]; numPDBViolations: number; status?: Status } {
    const h = this.handle;
    const remove = (p: PodInfo) => {
      ni.removePod(p.key);
      h.runPreFilterRemovePod(state, pod, p, ni);
    };
    const add = (p: PodInfo) => {
      ni.addPod(p);
      h.runPreFilterAddPod(state, pod, p, ni);
    };
    const potential = ni.pods.filter((p) => p.priority < pod.priority);
    if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: Status.unresolvable(ERR_NO_VICTIMS) };
    for (const p of potential) remove(p);
    const fits = h.runFilterPluginsWithNominatedPods(state, pod, ni);
    if (fits) return { victims: [], numPDBViolations: 0, status: fits };
    potential.sort(moreImportantPod);
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: PodInfo): boolean => {
      add(p);
      if (!h.runFilterPluginsWithNominatedPods(state, pod, ni)) return true;
      remove(p);
      victims.push(p);
      return false;
    };
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    if (violating.length > 0 && nonViolating.length > 0) victims.sort(moreImportantPod);
    return { victims, numPDBViolations };
  }

  /** Marks and evicts the victims, and clears weaker nominations to the node. */
  private async prepareCandidate(c: Candidate, pod: PodInfo): Promise<void> {
    const client = this.handle.client;
    if (!client) return;
    const pods = client.resource(resources.pods);
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: `${this.handle.schedulerName}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    await Promise.all(
      c.victims.map(async (v) => {
        try {
          await pods.namespace(v.namespace).patch(v.name, { status: { conditions: [condition] } }, 'strategic', { subresource: 'status' });
          await pods.namespace(v.namespace).delete(v.name);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          return;
        }
        this.handle.recorder?.event(v.pod, 'Normal', 'Preempted', `Preempted by pod ${pod.pod.metadata?.uid ?? pod.name} on node ${c.nodeName}`);
      }),
    );
    for (const np of this.handle.nominatedPodsForNode(c.nodeName)) {
      if (np.priority >= pod.priority || np.key === pod.key) continue;
      try {
        await pods.namespace(np.namespace).patch(np.name, { status: { nominatedNodeName: null } }, 'merge', { subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}
