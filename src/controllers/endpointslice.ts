// The EndpointSlice controller: for each selector service, EndpointSlices (at most 100 endpoints
// each) owned by the service and labelled with its name, listing the selected pods with their
// conditions (ready, serving, terminating), node, zone and hostname. Terminating pods stay
// listed (ready false) so that proxies can drain them.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../api/registry.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import {
  endpointHostname,
  findPort,
  hasSelector,
  HEADLESS_LABEL,
  isHeadless,
  isPodReady,
  podIPOfFamily,
  selectedPods,
  servicesSelecting,
  shouldPodBeInEndpoints,
  TriggerTimeTracker,
} from './util/endpoints.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SLICE, MANAGED_BY_LABEL, reconcileSlices, SERVICE_NAME_LABEL, SliceTracker, type DesiredEndpoint } from './util/endpointslice.js';
import { isNamespaceTerminating } from './util/status-causes.js';

export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
const SERVICE_INDEX = 'serviceName';

export interface EndpointSliceControllerOptions {
  maxEndpointsPerSlice?: number;
}

/** The endpoint a pod is in a service's slices. */
export function podEndpoint(pod: Pod, svc: Service, ip: string, node: Node | undefined): Endpoint {
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = isPodReady(pod);
  const endpoint: Endpoint = {
    addresses: [ip],
    conditions: { ready: svc.spec?.publishNotReadyAddresses ? true : ready && !terminating, serving: ready, terminating },
  };
  const hostname = endpointHostname(pod, svc);
  if (hostname) endpoint.hostname = hostname;
  endpoint.targetRef = { kind: 'Pod', namespace: pod.metadata!.namespace, name: pod.metadata!.name, uid: pod.metadata!.uid };
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) endpoint.zone = zone;
  return endpoint;
}

export class EndpointSliceController extends Controller {
  readonly name = 'endpointslice';
  private services!: Informer<Service>;
  private pods!: Informer<Pod>;
  private nodes!: Informer<Node>;
  private slices!: Informer<EndpointSlice>;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly tracker = new SliceTracker();

  constructor(
    ctx: ControllerContext,
    private readonly opts: EndpointSliceControllerOptions = {},
  ) {
    super(ctx);
  }

  setup(): void {
    this.services = this.ctx.informers.informerFor<Service>(resources.services);
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.nodes = this.ctx.informers.informerFor<Node>(resources.nodes);
    this.slices = this.ctx.informers.informerFor<EndpointSlice>(resources.endpointSlices, { labelSelector: `${MANAGED_BY_LABEL}=${ENDPOINTSLICE_CONTROLLER}` });
    this.slices.addIndexers({ [SERVICE_INDEX]: (s) => [`${s.metadata?.namespace}/${s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? ''}`] });
    const enqueue = (o: KubeObject) => this.enqueue(o);
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s), onDelete: enqueue });
    const podChanged = (pod: Pod) => {
      for (const svc of servicesSelecting(pod, this.services)) enqueue(svc as KubeObject);
    };
    this.pods.addEventHandler({
      onAdd: podChanged,
      onUpdate: (old, pod) => {
        podChanged(pod);
        podChanged(old);
      },
      onDelete: podChanged,
    });
    // A slice changed or deleted by someone else is put right.
    const sliceChanged = (s: EndpointSlice) => {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (svc) this.queue.add(`${s.metadata!.namespace}/${svc}`);
    };
    this.slices.addEventHandler({ onUpdate: (_o, s) => sliceChanged(s), onDelete: sliceChanged });
    // A node's zone label is part of its pods' endpoints.
    this.nodes.addEventHandler({
      onUpdate: (old, node) => {
        if (old.metadata?.labels?.[ZONE_LABEL] === node.metadata?.labels?.[ZONE_LABEL]) return;
        for (const pod of this.pods.store.list()) if (pod.spec?.nodeName === node.metadata?.name) podChanged(pod);
      },
    });
  }

  async reconcile(key: string): Promise<void> {
    const svc = this.services.store.get(key);
    if (!svc || !hasSelector(svc)) {
      // Slices of a deleted service go with it through their owner reference (garbage collector).
      this.triggerTimes.forget(key);
      this.tracker.forget(key);
      return;
    }
    const namespace = svc.metadata!.namespace!;
    if (this.tracker.stale(key, this.slices, namespace)) {
      // Our own writes are not in the cache yet: acting now would duplicate them.
      this.queue.addAfter(key, 100);
      return;
    }
    const pods = selectedPods(svc, this.pods);
    const addressType = svc.spec?.ipFamilies?.[0] === 'IPv6' ? 'IPv6' : 'IPv4';
    const desired: DesiredEndpoint[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ip = podIPOfFamily(pod, addressType === 'IPv6');
      if (!ip) continue;
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec?.ports ?? []) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
        if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
        ports.push(ep);
      }
      const node = pod.spec?.nodeName ? this.nodes.store.get(pod.spec.nodeName) : undefined;
      desired.push({ endpoint: podEndpoint(pod, svc, ip, node), ports });
    }
    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: svc.metadata!.name!, [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    const existing = this.slices.store.byIndex(SERVICE_INDEX, key).filter((s) => s.metadata?.ownerReferences?.some((o) => o.uid === svc.metadata?.uid));
    try {
      await reconcileSlices(
        this.ctx.client,
        {
          namespace,
          serviceName: svc.metadata!.name!,
          addressType,
          ownerRef: { apiVersion: 'v1', kind: 'Service', name: svc.metadata!.name!, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true },
          labels,
          triggerTime: this.triggerTimes.compute(key, svc, pods),
          maxEndpointsPerSlice: this.opts.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE,
        },
        desired,
        existing,
        this.tracker,
        key,
      );
    } catch (err) {
      if (!isNamespaceTerminating(err)) throw err;
    }
  }
}

export function endpointSliceControllerFactory(opts: EndpointSliceControllerOptions = {}): ControllerFactory {
  return (ctx) => new EndpointSliceController(ctx, opts);
}
