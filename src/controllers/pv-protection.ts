// The PV protection controller (pv-protection): a volume being deleted keeps its
// `kubernetes.io/pv-protection` finalizer while it is Bound to a claim; live volumes without
// the finalizer get it.
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { ResourceClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { PV_PROTECTION_FINALIZER } from '../api/helpers/volume-protection.js';

export class PVProtectionController extends Controller {
  readonly name = 'pv-protection';
  private volumes!: Informer<PersistentVolume>;
  private readonly pvClient: ResourceClient<PersistentVolume>;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.pvClient = ctx.client.resource<PersistentVolume>(resources.persistentVolumes);
  }

  setup(): void {
    this.volumes = this.ctx.informers.informerFor<PersistentVolume>(resources.persistentVolumes);
    this.volumes.addEventHandler({ onAdd: (pv) => this.enqueue(pv), onUpdate: (_, pv) => this.enqueue(pv) });
  }

  async reconcile(key: string): Promise<void> {
    const pv = this.volumes.store.get(key);
    if (!pv) return;
    const finalizers = pv.metadata?.finalizers ?? [];
    const has = finalizers.includes(PV_PROTECTION_FINALIZER);
    if (!pv.metadata?.deletionTimestamp) {
      if (!has) await this.pvClient.update({ ...pv, metadata: { ...pv.metadata, finalizers: [...finalizers, PV_PROTECTION_FINALIZER] } });
      return;
    }
    if (!has || pv.status?.phase === 'Bound') return;
    try {
      await this.pvClient.update({ ...pv, metadata: { ...pv.metadata, finalizers: finalizers.filter((f) => f !== PV_PROTECTION_FINALIZER) } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const pvProtectionController: ControllerFactory = (ctx) => new PVProtectionController(ctx);
