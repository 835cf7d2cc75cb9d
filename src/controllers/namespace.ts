// The namespace controller, as upstream's namespaced-resources deleter: a namespace being
// deleted is marked Terminating, everything in it (every namespaced resource discovery shows,
// custom resources included) is deleted, conditions say what is left, and once it is empty the
// `kubernetes` finalizer is removed through the finalize subresource, which lets it go.
import type { Namespace, NamespaceCondition, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import type { Client } from '../client/client.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { resources, type ResourceRef } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { discoverResources, supportsVerbs, type DiscoveredResource } from './util/discovery.js';
import { deepCopy } from '../api/patch/json.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

/** How long to wait for objects held by finalizers before looking again (upstream's estimate). */
const FINALIZER_ESTIMATE_SECONDS = 15;

type ConditionType =
  | 'NamespaceDeletionDiscoveryFailure'
  | 'NamespaceDeletionGroupVersionParsingFailure'
  | 'NamespaceDeletionContentFailure'
  | 'NamespaceContentRemaining'
  | 'NamespaceFinalizersRemaining';

/** The conditions the deleter maintains, in upstream's order, with their "all is well" reason and message. */
const CONDITIONS: [ConditionType, string, string][] = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentRemoved', 'All content successfully removed'],
];

interface Failure {
  type: ConditionType;
  reason: string;
  message: string;
}

/** What one pass over a namespace's content found. */
export interface ContentTotals {
  /** `pods.` / `widgets.example.com` → objects still there. */
  remaining: Map<string, number>;
  /** Finalizer → objects it still holds. */
  finalizers: Map<string, number>;
}

/** The conditions for a pass's failures and totals (a failure-free type gets its "all is well" form). */
export function namespaceConditions(failures: Failure[], totals: ContentTotals, deleteErrors: string[]): Failure[] {
  const out = [...failures];
  const remaining = [...totals.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
  if (remaining.length) out.push({ type: 'NamespaceContentRemaining', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` });
  const held = [...totals.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (held.length) out.push({ type: 'NamespaceFinalizersRemaining', reason: 'SomeFinalizerRemain', message: `Some finalizers are remaining: ${held.join(', ')}` });
  if (deleteErrors.length && !out.some((f) => f.type === 'NamespaceDeletionContentFailure')) {
    const msgs = [...deleteErrors].sort();
    out.push({
      type: 'NamespaceDeletionContentFailure',
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    });
  }
  return out;
}

/** Applies `failures` to the status conditions; true when anything changed. */
export function updateNamespaceConditions(status: NonNullable<Namespace['status']>, failures: Failure[], now: string): boolean {
  let changed = false;
  const conditions = (status.conditions ??= []);
  for (const [type, okReason, okMessage] of CONDITIONS) {
    const f = failures.find((x) => x.type === type);
    const wanted: NamespaceCondition = f
      ? { type, status: 'True', lastTransitionTime: now, reason: f.reason, message: f.message }
      : { type, status: 'False', lastTransitionTime: now, reason: okReason, message: okMessage };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push(wanted);
      changed = true;
    } else if (old.status !== wanted.status || old.reason !== wanted.reason || old.message !== wanted.message) {
      if (old.status !== wanted.status) old.lastTransitionTime = now;
      old.status = wanted.status;
      old.reason = wanted.reason;
      old.message = wanted.message;
      changed = true;
    }
  }
  return changed;
}

function gvrString(r: ResourceRef): string {
  return `${r.group}/${r.version}, Resource=${r.resource}`;
}

export class NamespaceController extends Controller {
  readonly name = 'namespace';
  private readonly client: Client;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.client = ctx.client;
    this.workers = 10;
  }

  setup(): void {
    const informer = this.ctx.informers.informerFor<Namespace>(resources.namespaces);
    const enqueueIfDeleting = (ns: Namespace) => {
      if (ns.metadata?.deletionTimestamp) this.enqueue(ns as KubeObject);
    };
    informer.addEventHandler({ onAdd: enqueueIfDeleting, onUpdate: (_old, ns) => enqueueIfDeleting(ns) });
  }

  private get namespaces() {
    return this.client.resource<Namespace>(resources.namespaces);
  }

  async reconcile(name: string): Promise<void> {
    // The latest state: several writers change a namespace while it terminates.
    let ns: Namespace;
    try {
      ns = await this.namespaces.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    ns = await this.markTerminating(ns);
    if (!ns.spec?.finalizers?.includes(FINALIZER_KUBERNETES)) return;
    const [estimate, latest] = await this.deleteAllContent(ns);
    if (estimate > 0) {
      // Graceful pod deletions and finalizers take time: look again halfway through.
      this.queue.addAfter(name, (estimate * 1000) / 2);
      return;
    }
    await this.finalize(latest);
  }

  private async markTerminating(ns: Namespace): Promise<Namespace> {
    if (ns.status?.phase === 'Terminating') return ns;
    const copy = deepCopy(ns);
    copy.status = { ...(copy.status ?? {}), phase: 'Terminating' };
    return this.namespaces.updateStatus(copy);
  }

  /** Deletes everything in the namespace; resolves with seconds to wait for what is still going, and the namespace as written. */
  private async deleteAllContent(ns: Namespace): Promise<[number, Namespace]> {
    const name = ns.metadata!.name!;
    const failures: Failure[] = [];
    const deleteErrors: string[] = [];
    const totals: ContentTotals = { remaining: new Map(), finalizers: new Map() };
    let estimate = 0;
    let discovered: DiscoveredResource[] = [];
    try {
      discovered = await discoverResources(this.client);
    } catch (err) {
      failures.push({ type: 'NamespaceDeletionDiscoveryFailure', reason: 'DiscoveryFailed', message: err instanceof Error ? err.message : String(err) });
    }
    const deletedAt = Date.parse(ns.metadata!.deletionTimestamp!);
    for (const r of discovered) {
      if (!r.namespaced || !supportsVerbs(r, ['delete'])) continue;
      try {
        const gvrEstimate = await this.deleteAllContentFor(r, name, deletedAt, totals);
        if (gvrEstimate > estimate) estimate = gvrEstimate;
      } catch (err) {
        deleteErrors.push(err instanceof Error ? err.message : String(err));
      }
    }
    const latest = await this.updateConditions(ns, namespaceConditions(failures, totals, deleteErrors));
    if (failures.length || deleteErrors.length) throw new Error(`namespace ${name}: ${[...failures.map((f) => f.message), ...deleteErrors].join('; ')}`);
    return [estimate, latest];
  }

  private async deleteAllContentFor(r: DiscoveredResource, namespace: string, deletedAt: number, totals: ContentTotals): Promise<number> {
    const rc = this.client.resource(r).namespace(namespace);
    let estimate = r.group === '' && r.resource === 'pods' ? await this.estimateForPods(namespace, deletedAt) : 0;
    // The namespace controller asks for background propagation: no orphan finalizer is added on its behalf.
    if (supportsVerbs(r, ['deletecollection'])) {
      await rc.deleteCollection({ propagationPolicy: 'Background' });
    } else if (supportsVerbs(r, ['list'])) {
      for (const item of (await rc.list()).items) {
        await rc.delete(item.metadata.name, { propagationPolicy: 'Background' }).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
      }
    }
    if (!supportsVerbs(r, ['list'])) return estimate;
    const left = (await rc.list()).items as KubeObject[];
    if (left.length === 0) return estimate;
    const key = `${r.resource}.${r.group}`;
    totals.remaining.set(key, (totals.remaining.get(key) ?? 0) + left.length);
    let withFinalizers = false;
    for (const item of left) {
      for (const f of (item.metadata?.finalizers as string[] | undefined) ?? []) {
        withFinalizers = true;
        totals.finalizers.set(f, (totals.finalizers.get(f) ?? 0) + 1);
      }
    }
    if (estimate !== 0) return estimate;
    if (withFinalizers) return FINALIZER_ESTIMATE_SECONDS;
    throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}`);
  }

  /** The longest grace period of pods still running, unless it has passed since the namespace's deletion. */
  private async estimateForPods(namespace: string, deletedAt: number): Promise<number> {
    let estimate = 0;
    for (const pod of (await this.client.resource<Pod>(resources.pods).namespace(namespace).list()).items) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = pod.spec?.terminationGracePeriodSeconds ?? 0;
      if (grace > estimate) estimate = grace;
    }
    return this.ctx.clock.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }

  private async updateConditions(ns: Namespace, failures: Failure[]): Promise<Namespace> {
    const now = new Date(this.ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (let attempt = 0; ; attempt++) {
      const copy = deepCopy(ns);
      copy.status ??= {};
      if (!updateNamespaceConditions(copy.status, failures, now)) return ns;
      try {
        return await this.namespaces.updateStatus(copy);
      } catch (err) {
        if (isNotFound(err)) return ns;
        if (!isConflict(err) || attempt >= 5) throw err;
        ns = await this.namespaces.get(ns.metadata!.name!);
      }
    }
  }

  /** Removes this controller's token from spec.finalizers through namespaces/{name}/finalize. */
  private async finalize(ns: Namespace): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
      const body = { ...ns, spec: { ...(ns.spec ?? {}), finalizers } };
      try {
        await this.namespaces.updateSubresource(ns.metadata!.name!, 'finalize', body);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 5) throw err;
        ns = await this.namespaces.get(ns.metadata!.name!);
      }
    }
  }
}

export const namespaceControllerFactory: ControllerFactory = (ctx) => new NamespaceController(ctx);
