// The EndpointSlice mirroring controller: hand-made Endpoints of a service without a selector
// are mirrored into EndpointSlices (owned by the Endpoints), so that every consumer of slices
// sees them. Endpoints labelled skip-mirror (those the endpoints controller writes) are not.
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../api/registry.js';
import { isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { hasSelector, LAST_CHANGE_TRIGGER_TIME, SKIP_MIRROR_LABEL } from './util/endpoints.js';
import { MANAGED_BY_LABEL, reconcileSlices, SERVICE_NAME_LABEL, SliceTracker, type DesiredEndpoint } from './util/endpointslice.js';
import { isNamespaceTerminating } from './util/status-causes.js';

export const ENDPOINTSLICE_MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
/** At most this many addresses of an Endpoints object are mirrored (upstream's limit). */
export const MAX_MIRRORED_ADDRESSES = 1000;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SERVICE_INDEX = 'serviceName';

function shouldMirror(ep: Endpoints | undefined): ep is Endpoints {
  return !!ep && ep.metadata?.labels?.[SKIP_MIRROR_LABEL] !== 'true';
}

export class EndpointSliceMirroringController extends Controller {
  readonly name = 'endpointslice-mirroring';
  private services!: Informer<Service>;
  private endpoints!: Informer<Endpoints>;
  private slices!: Informer<EndpointSlice>;
  private readonly tracker = new SliceTracker();

  constructor(ctx: ControllerContext) {
    super(ctx);
  }

  setup(): void {
    this.services = this.ctx.informers.informerFor<Service>(resources.services);
    this.endpoints = this.ctx.informers.informerFor<Endpoints>(resources.endpoints);
    this.slices = this.ctx.informers.informerFor<EndpointSlice>(resources.endpointSlices, { labelSelector: `${MANAGED_BY_LABEL}=${ENDPOINTSLICE_MIRRORING_CONTROLLER}` });
    this.slices.addIndexers({ [SERVICE_INDEX]: (s) => [`${s.metadata?.namespace}/${s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? ''}`] });
    const enqueue = (o: KubeObject) => this.enqueue(o);
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s), onDelete: enqueue });
    this.endpoints.addEventHandler({ onAdd: enqueue, onUpdate: (_o, e) => enqueue(e), onDelete: enqueue });
    const sliceChanged = (s: EndpointSlice) => {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (svc) this.queue.add(`${s.metadata!.namespace}/${svc}`);
    };
    this.slices.addEventHandler({ onUpdate: (_o, s) => sliceChanged(s), onDelete: sliceChanged });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace] = key.split('/');
    const svc = this.services.store.get(key);
    const ep = this.endpoints.store.get(key);
    const existing = this.slices.store.byIndex(SERVICE_INDEX, key);
    if (!svc || hasSelector(svc) || !shouldMirror(ep)) {
      this.tracker.forget(key);
      await this.deleteSlices(namespace, existing);
      return;
    }
    if (this.tracker.stale(key, this.slices, namespace)) {
      this.queue.addAfter(key, 100);
      return;
    }
    const desired: DesiredEndpoint[] = [];
    let room = MAX_MIRRORED_ADDRESSES;
    for (const subset of ep.subsets ?? []) {
      const ports: EndpointPort[] = (subset.ports ?? []).map((p) => {
        const port: EndpointPort = { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' };
        if (p.appProtocol) port.appProtocol = p.appProtocol;
        return port;
      });
      const add = (ready: boolean) => (a: NonNullable<typeof subset.addresses>[number]) => {
        if (room-- <= 0 || a.ip.includes(':')) return;
        const endpoint: DesiredEndpoint['endpoint'] = { addresses: [a.ip], conditions: { ready } };
        if (a.hostname) endpoint.hostname = a.hostname;
        if (a.targetRef) endpoint.targetRef = a.targetRef;
        if (a.nodeName) endpoint.nodeName = a.nodeName;
        desired.push({ endpoint, ports });
      };
      (subset.addresses ?? []).forEach(add(true));
      (subset.notReadyAddresses ?? []).forEach(add(false));
    }
    const labels: Record<string, string> = { ...(ep.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: svc.metadata!.name!, [MANAGED_BY_LABEL]: ENDPOINTSLICE_MIRRORING_CONTROLLER };
    const annotations: Record<string, string> = { ...(ep.metadata?.annotations ?? {}) };
    delete annotations[LAST_APPLIED];
    const trigger = annotations[LAST_CHANGE_TRIGGER_TIME];
    delete annotations[LAST_CHANGE_TRIGGER_TIME];
    try {
      await reconcileSlices(
        this.ctx.client,
        {
          namespace,
          serviceName: svc.metadata!.name!,
          addressType: 'IPv4',
          ownerRef: { apiVersion: 'v1', kind: 'Endpoints', name: ep.metadata!.name!, uid: ep.metadata!.uid!, controller: true, blockOwnerDeletion: true },
          labels,
          annotations,
          triggerTime: trigger ? Date.parse(trigger) : undefined,
        },
        desired,
        existing.filter((s) => s.metadata?.ownerReferences?.some((o) => o.uid === ep.metadata?.uid)),
        this.tracker,
        key,
      );
    } catch (err) {
      if (!isNamespaceTerminating(err)) throw err;
    }
  }

  private async deleteSlices(namespace: string, slices: EndpointSlice[]): Promise<void> {
    const client = this.ctx.client.resource<EndpointSlice>(resources.endpointSlices).namespace(namespace);
    for (const s of slices) {
      await client.delete(s.metadata!.name!, { preconditions: { uid: s.metadata!.uid } }).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }
}

export const endpointSliceMirroringControllerFactory: ControllerFactory = (ctx) => new EndpointSliceMirroringController(ctx);
