// The service account controller: every active namespace has the `default` ServiceAccount,
// created with the namespace and again whenever it is deleted.
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { isNamespaceTerminating } from './util/status-causes.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

export class ServiceAccountsController extends Controller {
  readonly name = 'serviceaccount';
  private namespaces!: Informer<Namespace>;
  private serviceAccounts!: Informer<ServiceAccount>;

  constructor(
    ctx: ControllerContext,
    private readonly toEnsure: string[] = [DEFAULT_SERVICE_ACCOUNT],
  ) {
    super(ctx);
  }

  setup(): void {
    this.namespaces = this.ctx.informers.informerFor<Namespace>(resources.namespaces);
    this.serviceAccounts = this.ctx.informers.informerFor<ServiceAccount>(resources.serviceAccounts);
    this.namespaces.addEventHandler({ onAdd: (ns) => this.enqueue(ns as KubeObject), onUpdate: (_o, ns) => this.enqueue(ns as KubeObject) });
    this.serviceAccounts.addEventHandler({
      onDelete: (sa) => {
        if (sa.metadata?.namespace) this.queue.add(sa.metadata.namespace);
      },
    });
  }

  async reconcile(name: string): Promise<void> {
    const ns = this.namespaces.store.get(name);
    if (!ns || ns.status?.phase !== 'Active') return;
    const failures: string[] = [];
    for (const sa of this.toEnsure) {
      if (this.serviceAccounts.store.get(`${name}/${sa}`)) continue;
      try {
        await this.ctx.client.resource<ServiceAccount>(resources.serviceAccounts).namespace(name).create({ metadata: { name: sa, namespace: name } });
      } catch (err) {
        if (isAlreadyExists(err) || isNotFound(err) || isNamespaceTerminating(err)) continue;
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (failures.length) throw new Error(failures.join('; '));
  }
}

export const serviceAccountsControllerFactory: ControllerFactory = (ctx) => new ServiceAccountsController(ctx);
