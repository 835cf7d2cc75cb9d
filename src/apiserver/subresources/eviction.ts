// POST pods/{name}/eviction with a policy/v1 Eviction: a pod is deleted only if the
// PodDisruptionBudget covering it allows one more disruption. The budget's check and
// decrement (and its disruptedPods entry) are one compare-and-swap write; a refusal is a
// 429 carrying the DisruptionBudget cause, as upstream's EvictionREST answers.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/registry.js';
import { badRequest, conflict, failure, forbidden, tooManyRequests, type StatusError } from '../../api/meta/status.js';
import { formatRFC3339, nowRFC3339 } from '../../api/meta/time.js';
import type { ApiResponse } from '../../client/transport.js';
import { budgetSelectsPod, DISRUPTION_BUDGET_CAUSE, updateDisruptionAllowedCondition } from '../../api/helpers/disruption-budget.js';
import { isPodReady } from '../../api/helpers/pod.js';
import type { SubresourceHandler, SubresourceRequest } from '../handler.js';
import type { DeleteOptions, RequestContext, ResourceStorage } from '../rest.js';
import { deepCopy } from '../../api/patch/json.js';

/** Evictions approved but not yet seen by the disruption controller, beyond which evictions are refused. */
export const MAX_DISRUPTED_POD_SIZE = 2000;

const PDB_RESOURCE = { group: 'policy', resource: 'poddisruptionbudget' };
const EVICTION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface EvictionOptions {
  /** The storage of another resource (the PodDisruptionBudgets). */
  storage(group: string, plural: string): ResourceStorage | undefined;
}

interface Eviction {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string };
  deleteOptions?: DeleteOptions & { dryRun?: string[] };
}

function refused(cause: string, retryAfterSeconds = 0): StatusError {
  const err = tooManyRequests(EVICTION_MESSAGE, retryAfterSeconds);
  err.status.details = { ...err.status.details, causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }] };
  return err;
}

function stillProcessing(pdbName: string): StatusError {
  return refused(`The disruption budget ${pdbName} is still being processed by the server.`, 10);
}

/** Terminal, pending or already deleting pods are evicted without asking any budget. */
function canIgnoreBudget(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

/** Refuses, or returns the budget with one disruption less and the pod recorded as disrupted. */
function checkAndDecrement(pdb: PodDisruptionBudget, podName: string, dryRun: boolean): PodDisruptionBudget {
  const name = pdb.metadata?.name ?? '';
  const status = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  if ((status.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) throw stillProcessing(name);
  if (status.disruptionsAllowed < 0) throw forbidden(PDB_RESOURCE, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw forbidden(PDB_RESOURCE, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw refused(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`);
  }
  const next = deepCopy(pdb) as PodDisruptionBudget & { status: NonNullable<PodDisruptionBudget['status']> };
  next.status.disruptionsAllowed--;
  if (next.status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(next.status, Date.now());
  if (!dryRun) next.status.disruptedPods = { ...(next.status.disruptedPods ?? {}), [podName]: formatRFC3339(Date.now()) };
  return next;
}

/** Marks the pod DisruptionTarget (as upstream does before deleting) and deletes it. */
async function addConditionAndDelete(pods: ResourceStorage, namespace: string, name: string, options: DeleteOptions, ctx: RequestContext): Promise<void> {
  if (!ctx.dryRun) {
    const wantedRV = options.preconditions?.resourceVersion;
    const { object } = await pods.update(
      namespace,
      name,
      (current) => {
        if (wantedRV && current.metadata?.resourceVersion !== wantedRV) throw conflict(pods.qualified, name);
        const pod = current as Pod & { status: NonNullable<Pod['status']> };
        const conditions = ((pod.status ??= {}).conditions ??= []) as PodCondition[];
        const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: nowRFC3339() };
        const i = conditions.findIndex((c) => c.type === 'DisruptionTarget');
        if (i < 0) conditions.push(condition);
        else if (conditions[i].status !== 'True' || conditions[i].reason !== condition.reason) conditions[i] = condition;
        if (!wantedRV) delete current.metadata.resourceVersion;
        return current;
      },
      ctx,
      { subresource: 'status' },
    );
    if (wantedRV) options = { ...options, preconditions: { ...options.preconditions, resourceVersion: object.metadata.resourceVersion } };
  }
  await pods.delete(namespace, name, options, ctx);
}

function success(): ApiResponse {
  return { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
}

async function evict(opts: EvictionOptions, r: SubresourceRequest): Promise<ApiResponse> {
  const eviction = (r.body ?? {}) as Eviction;
  if (eviction.kind !== undefined && eviction.kind !== 'Eviction') {
    throw badRequest(`${eviction.kind} in version "${eviction.apiVersion ?? ''}" cannot be handled as a Eviction: the kind in the data does not match the expected kind`);
  }
  if ((eviction.metadata?.name ?? '') !== r.name) throw badRequest('name in URL does not match name in Eviction object');
  const requested = eviction.deleteOptions ?? {};
  const bodyDryRun = Array.isArray(requested.dryRun) && requested.dryRun.length > 0;
  if (bodyDryRun && r.req.query.has('dryRun') && requested.dryRun!.join(',') !== r.req.query.getAll('dryRun').join(',')) {
    throw badRequest(`Non-matching dry-run options in request and content: [${r.req.query.getAll('dryRun').join(' ')}] and [${requested.dryRun!.join(' ')}]`);
  }
  const ctx: RequestContext = { ...r.ctx, dryRun: r.ctx.dryRun || bodyDryRun };
  const deleteOptions: DeleteOptions = {};
  if (requested.gracePeriodSeconds !== undefined) deleteOptions.gracePeriodSeconds = requested.gracePeriodSeconds;
  if (requested.propagationPolicy) deleteOptions.propagationPolicy = requested.propagationPolicy;
  if (requested.preconditions) deleteOptions.preconditions = requested.preconditions;
  const pods = r.storage;
  const pod = (await pods.get(r.namespace, r.name)).object as Pod;
  const rvUnset = !deleteOptions.preconditions?.resourceVersion;

  if (canIgnoreBudget(pod)) {
    const terminalOrDeleting = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || !!pod.metadata?.deletionTimestamp;
    // A pending pod might turn ready meanwhile: delete exactly the version looked at.
    const options = !terminalOrDeleting && rvUnset ? { ...deleteOptions, preconditions: { ...deleteOptions.preconditions, resourceVersion: pod.metadata!.resourceVersion } } : deleteOptions;
    await addConditionAndDelete(pods, r.namespace, r.name, options, ctx);
    return success();
  }

  const pdbStorage = opts.storage('policy', 'poddisruptionbudgets');
  const pdbs: PodDisruptionBudget[] = [];
  if (pdbStorage) {
    for (const o of pdbStorage.cache.sortedUnder(pdbStorage.keyPrefix(r.namespace))) {
      const pdb = o.object as PodDisruptionBudget;
      if (budgetSelectsPod(pdb, pod)) pdbs.push(pdb);
    }
  }
  if (pdbs.length > 1) {
    throw failure(500, '', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  }
  let options = deleteOptions;
  if (pdbs.length === 1) {
    const pdb = pdbs[0];
    const name = pdb.metadata!.name!;
    const status = pdb.status;
    const unhealthy = !isPodReady(pod);
    const alwaysAllow = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    if (unhealthy && (alwaysAllow || ((status?.currentHealthy ?? 0) >= (status?.desiredHealthy ?? 0) && (status?.desiredHealthy ?? 0) > 0))) {
      // An unready pod costs the budget nothing; delete it only as it was seen, unready.
      options = { ...deleteOptions, preconditions: { ...deleteOptions.preconditions, resourceVersion: pod.metadata!.resourceVersion } };
    } else if (ctx.dryRun) {
      checkAndDecrement((await pdbStorage!.get(r.namespace, name)).object as PodDisruptionBudget, r.name, true);
    } else {
      await pdbStorage!.update(
        r.namespace,
        name,
        (current) => {
          const next = checkAndDecrement(current as PodDisruptionBudget, r.name, false) as KubeObject;
          delete next.metadata.resourceVersion;
          return next;
        },
        ctx,
        { subresource: 'status' },
      );
    }
  }
  try {
    await addConditionAndDelete(pods, r.namespace, r.name, options, ctx);
  } catch (err) {
    const conflicted = (err as StatusError).status?.reason === 'Conflict';
    if (conflicted && options !== deleteOptions && rvUnset && pdbs.length === 1) throw stillProcessing(pdbs[0].metadata!.name!);
    throw err;
  }
  return success();
}

/** The pods/eviction handler; `storage` reaches the PodDisruptionBudgets. */
export function podEviction(opts: EvictionOptions): SubresourceHandler {
  return (r) => evict(opts, r);
}
