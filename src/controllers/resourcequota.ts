// The ResourceQuota controller (resourcequota): keeps each quota's status.hard equal to its
// spec and status.used equal to what the objects in its namespace use, for the resources it
// limits and within its scopes. Admission charges creations as they happen; this controller
// recounts when usage can only have gone down (deletions, pods finishing, services or claims
// shrinking), when a quota changes, and on a periodic full resync, as upstream does.
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import type { ResourceClient } from '../client/client.js';
import type { Informer } from '../client/informer.js';
import { resources, type ResourceRef } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import {
  calculateUsage,
  evaluatorFor,
  evaluatorsForHard,
  maskUsage,
  usageEqual,
  usageFromList,
  usageToList,
  type QuotaEvaluator,
} from '../api/helpers/quota.js';

/** Upstream's --resource-quota-sync-period. */
export const DEFAULT_RESYNC_PERIOD_MS = 5 * 60_000;

/** Resources counted from the start; any other `count/<resource>.<group>` gets its informer when a quota names it. */
const PRELOADED: ResourceRef[] = [
  resources.pods,
  resources.services,
  resources.persistentVolumeClaims,
  resources.configMaps,
  resources.secrets,
  resources.replicationControllers,
  resources.resourceQuotas,
];

export interface ResourceQuotaControllerOptions {
  resyncPeriodMs?: number;
}

export class ResourceQuotaController extends Controller {
  readonly name = 'resourcequota';
  private quotas!: Informer<ResourceQuota>;
  private readonly counted = new Map<string, Informer<KubeObject>>();
  private readonly quotaClient: ResourceClient<ResourceQuota>;
  private readonly resyncPeriodMs: number;

  constructor(ctx: ControllerContext, opts: ResourceQuotaControllerOptions = {}) {
    super(ctx);
    this.quotaClient = ctx.client.resource<ResourceQuota>(resources.resourceQuotas);
    this.resyncPeriodMs = opts.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS;
  }

  setup(): void {
    this.quotas = this.ctx.informers.informerFor<ResourceQuota>(resources.resourceQuotas);
    this.quotas.addEventHandler({
      onAdd: (q) => this.enqueue(q),
      // Our own status writes come back as updates: only a changed spec, or a status.hard behind it, needs a sync.
      onUpdate: (old, q) => {
        const hard = usageFromList(q.spec?.hard);
        if (!usageEqual(hard, usageFromList(old.spec?.hard)) || !usageEqual(hard, usageFromList(q.status?.hard)) || JSON.stringify(old.spec) !== JSON.stringify(q.spec)) {
          this.enqueue(q);
        }
      },
    });
    for (const ref of PRELOADED) this.informerFor(ref);
  }

  /** Recount every quota of the namespace. */
  private replenish(namespace: string): void {
    for (const q of this.quotas.store.byIndex('namespace', namespace)) this.enqueue(q);
  }

  private informerFor(ref: ResourceRef): Informer<KubeObject> {
    const key = `${ref.group}/${ref.resource}`;
    let informer = this.counted.get(key);
    if (informer) return informer;
    informer = this.ctx.informers.informerFor<KubeObject>(ref);
    this.counted.set(key, informer);
    const evaluator = evaluatorFor(ref.group, ref.resource);
    informer.addEventHandler({
      onUpdate: (old, obj) => {
        const now = this.ctx.clock.now();
        if (!usageEqual(evaluator.usage(old, now), evaluator.usage(obj, now))) this.replenish(obj.metadata?.namespace ?? '');
      },
      onDelete: (obj) => this.replenish(obj.metadata?.namespace ?? ''),
    });
    return informer;
  }

  /** The informer of an evaluator's resource, if it is a resource the client knows. */
  private objectsOf(evaluator: QuotaEvaluator): Informer<KubeObject> | undefined {
    const ref = Object.values(resources).find((r) => r.group === evaluator.group && r.resource === evaluator.resource && r.namespaced);
    return ref ? this.informerFor(ref) : undefined;
  }

  override run(): Promise<void> {
    const timer = setInterval(() => {
      for (const q of this.quotas.store.list()) this.enqueue(q);
    }, this.resyncPeriodMs);
    timer.unref();
    return super.run().finally(() => clearInterval(timer));
  }

  async reconcile(key: string): Promise<void> {
    const quota = this.quotas.store.get(key);
    if (!quota) return;
    const namespace = quota.metadata!.namespace!;
    const hard = quota.spec?.hard ?? {};
    const now = this.ctx.clock.now();
    // Resources no evaluator tracks keep their last observed usage.
    const used = usageFromList(quota.status?.used);
    for (const evaluator of evaluatorsForHard(Object.keys(hard))) {
      const informer = this.objectsOf(evaluator);
      if (!informer) continue;
      if (!(await informer.waitForSync())) return;
      for (const [k, v] of calculateUsage(quota, evaluator, informer.store.byIndex('namespace', namespace), now)) used.set(k, v);
    }
    const newUsed = maskUsage(used, Object.keys(hard));
    if (usageEqual(usageFromList(quota.status?.hard), usageFromList(hard)) && usageEqual(usageFromList(quota.status?.used), newUsed)) return;
    await this.quotaClient.updateStatus({ ...quota, status: { hard: { ...hard }, used: usageToList(newUsed) } });
  }
}

export function resourceQuotaController(opts: ResourceQuotaControllerOptions = {}): ControllerFactory {
  return (ctx) => new ResourceQuotaController(ctx, opts);
}
