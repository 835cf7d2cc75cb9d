// The PVC protection controller (pvc-protection): a claim being deleted keeps its
// `kubernetes.io/pvc-protection` finalizer while a scheduled, unfinished pod uses it, and
// loses it as soon as none does; live claims without the finalizer get it.
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { ResourceClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { podClaimNames, podUsesClaim } from '../api/helpers/volume-binding.js';
import { PVC_PROTECTION_FINALIZER } from '../api/helpers/volume-protection.js';

export class PVCProtectionController extends Controller {
  readonly name = 'pvc-protection';
  private claims!: Informer<PersistentVolumeClaim>;
  private pods!: Informer<Pod>;
  private readonly pvcClient: ResourceClient<PersistentVolumeClaim>;
  private readonly podClient: ResourceClient<Pod>;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.pvcClient = ctx.client.resource<PersistentVolumeClaim>(resources.persistentVolumeClaims);
    this.podClient = ctx.client.resource<Pod>(resources.pods);
  }

  setup(): void {
    this.claims = this.ctx.informers.informerFor<PersistentVolumeClaim>(resources.persistentVolumeClaims);
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.claims.addEventHandler({ onAdd: (pvc) => this.enqueue(pvc), onUpdate: (_, pvc) => this.enqueue(pvc) });
    // A pod that goes away or finishes may free the claims it used.
    const podClaims = (pod: Pod) => {
      for (const name of podClaimNames(pod)) this.queue.add(`${pod.metadata!.namespace}/${name}`);
    };
    this.pods.addEventHandler({ onAdd: podClaims, onUpdate: (_, pod) => podClaims(pod), onDelete: podClaims });
  }

  async reconcile(key: string): Promise<void> {
    const pvc = this.claims.store.get(key);
    if (!pvc) return;
    const finalizers = pvc.metadata?.finalizers ?? [];
    const has = finalizers.includes(PVC_PROTECTION_FINALIZER);
    if (!pvc.metadata?.deletionTimestamp) {
      if (!has) await this.pvcClient.update({ ...pvc, metadata: { ...pvc.metadata, finalizers: [...finalizers, PVC_PROTECTION_FINALIZER] } });
      return;
    }
    if (!has || (await this.inUse(pvc))) return;
    try {
      await this.pvcClient.update({ ...pvc, metadata: { ...pvc.metadata, finalizers: finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER) } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** From the cache, then (when the cache says no) from the API, so a pod created a moment ago is not missed. */
  private async inUse(pvc: PersistentVolumeClaim): Promise<boolean> {
    const ns = pvc.metadata!.namespace!;
    const name = pvc.metadata!.name!;
    if (this.pods.store.byIndex('namespace', ns).some((p) => podUsesClaim(p, name))) return true;
    const live = await this.podClient.namespace(ns).list();
    return live.items.some((p) => podUsesClaim(p, name));
  }
}

export const pvcProtectionController: ControllerFactory = (ctx) => new PVCProtectionController(ctx);
