// The endpoints controller: an Endpoints object per selector service, named after it, listing
// the selected pods' addresses (ready ones in `addresses`, the rest in `notReadyAddresses`)
// with each service port resolved per pod. Services without a selector are left alone.
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/registry.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { isNamespaceTerminating } from './util/status-causes.js';
import {
  endpointHostname,
  findPort,
  hasSelector,
  HEADLESS_LABEL,
  isHeadless,
  isPodReady,
  LAST_CHANGE_TRIGGER_TIME,
  podIPOfFamily,
  rfc3339Nano,
  selectedPods,
  servicesSelecting,
  shouldPodBeInEndpoints,
  SKIP_MIRROR_LABEL,
  TriggerTimeTracker,
} from './util/endpoints.js';
import { deepCopy } from '../api/patch/json.js';

/** Endpoints hold at most this many addresses; the rest are cut and the object annotated. */
export const MAX_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

function portKey(p: EndpointPort): string {
  return `${p.name ?? ''}\0${p.port}\0${p.protocol ?? ''}\0${p.appProtocol ?? ''}`;
}

function addressKey(a: EndpointAddress): string {
  return `${a.ip}\0${a.targetRef?.uid ?? ''}`;
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '') < (b.targetRef?.uid ?? '') ? -1 : 1;
}

/**
 * RepackSubsets: addresses that serve the same set of ports share one subset; addresses
 * sorted by IP, ports by name, subsets by their ports, so equal content compares equal.
 */
export function repackSubsets(entries: { address: EndpointAddress; ready: boolean; ports: EndpointPort[] }[]): EndpointSubset[] {
  const byAddress = new Map<string, { address: EndpointAddress; ready: boolean; ports: Map<string, EndpointPort> }>();
  for (const e of entries) {
    const key = `${addressKey(e.address)}\0${e.ready}`;
    let slot = byAddress.get(key);
    if (!slot) byAddress.set(key, (slot = { address: e.address, ready: e.ready, ports: new Map() }));
    for (const p of e.ports) slot.ports.set(portKey(p), p);
  }
  const bySet = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const slot of byAddress.values()) {
    const ports = [...slot.ports.values()].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : a.port - b.port));
    const key = ports.map(portKey).join('\n');
    let subset = bySet.get(key);
    if (!subset) bySet.set(key, (subset = { ports, ready: [], notReady: [] }));
    (slot.ready ? subset.ready : subset.notReady).push(slot.address);
  }
  return [...bySet.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => {
      const subset: EndpointSubset = {};
      if (s.ready.length) subset.addresses = s.ready.sort(compareAddresses);
      if (s.notReady.length) subset.notReadyAddresses = s.notReady.sort(compareAddresses);
      if (s.ports.length) subset.ports = s.ports;
      return subset;
    });
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ak = Object.keys(a ?? {});
  return ak.length === Object.keys(b).length && ak.every((k) => a![k] === b[k]);
}

/** Cuts subsets down to MAX_CAPACITY addresses, ready ones first. */
function truncate(subsets: EndpointSubset[]): EndpointSubset[] {
  let room = MAX_CAPACITY;
  const out: EndpointSubset[] = [];
  for (const s of subsets) {
    const addresses = (s.addresses ?? []).slice(0, room);
    room -= addresses.length;
    out.push({ ...s, addresses });
  }
  for (const s of out) {
    const notReady = (subsets[out.indexOf(s)].notReadyAddresses ?? []).slice(0, room);
    room -= notReady.length;
    s.notReadyAddresses = notReady;
  }
  return out
    .map((s) => {
      const t: EndpointSubset = {};
      if (s.addresses?.length) t.addresses = s.addresses;
      if (s.notReadyAddresses?.length) t.notReadyAddresses = s.notReadyAddresses;
      if (s.ports) t.ports = s.ports;
      return t;
    })
    .filter((s) => s.addresses || s.notReadyAddresses);
}

export class EndpointsController extends Controller {
  readonly name = 'endpoint';
  private services!: Informer<Service>;
  private pods!: Informer<Pod>;
  private endpoints!: Informer<Endpoints>;
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(ctx: ControllerContext) {
    super(ctx);
  }

  setup(): void {
    this.services = this.ctx.informers.informerFor<Service>(resources.services);
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.endpoints = this.ctx.informers.informerFor<Endpoints>(resources.endpoints);
    const enqueue = (o: KubeObject) => this.enqueue(o);
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s), onDelete: enqueue });
    const podChanged = (pod: Pod) => {
      for (const svc of servicesSelecting(pod, this.services)) this.enqueue(svc as KubeObject);
    };
    this.pods.addEventHandler({
      onAdd: podChanged,
      onUpdate: (old, pod) => {
        podChanged(pod);
        // Services that selected it before a label change lose it.
        if (!sameLabels(old.metadata?.labels, pod.metadata?.labels ?? {})) podChanged(old);
      },
      onDelete: podChanged,
    });
    // Endpoints of a selector service changed or deleted by someone else are put back.
    const endpointsChanged = (ep: Endpoints) => {
      const svc = this.services.store.get(`${ep.metadata?.namespace}/${ep.metadata?.name}`);
      if (svc && hasSelector(svc)) enqueue(svc as KubeObject);
    };
    this.endpoints.addEventHandler({ onUpdate: (_o, ep) => endpointsChanged(ep), onDelete: endpointsChanged });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const client = this.ctx.client.resource<Endpoints>(resources.endpoints).namespace(namespace);
    const svc = this.services.store.get(key);
    if (!svc) {
      this.triggerTimes.forget(key);
      // The Endpoints of a deleted service go with it.
      if (this.endpoints.store.get(key)) {
        await client.delete(name).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
      }
      return;
    }
    if (!hasSelector(svc)) return;
    const pods = selectedPods(svc, this.pods);
    const tolerateUnready = !!svc.spec?.publishNotReadyAddresses;
    const ipv6 = svc.spec?.ipFamilies?.[0] === 'IPv6';
    const entries: { address: EndpointAddress; ready: boolean; ports: EndpointPort[] }[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
      const ip = podIPOfFamily(pod, ipv6);
      if (!ip) continue;
      const address: EndpointAddress = { ip, targetRef: { kind: 'Pod', namespace: pod.metadata!.namespace, name: pod.metadata!.name, uid: pod.metadata!.uid } };
      if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
      const hostname = endpointHostname(pod, svc);
      if (hostname) address.hostname = hostname;
      const ready = tolerateUnready || isPodReady(pod);
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec?.ports ?? []) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
        if (sp.name) ep.name = sp.name;
        if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
        ports.push(ep);
      }
      // A headless service with no ports still lists its pods; otherwise a pod needs a resolved port.
      if (ports.length || (isHeadless(svc) && !svc.spec?.ports?.length)) entries.push({ address, ready, ports });
    }
    let subsets = repackSubsets(entries);
    const total = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
    const overCapacity = total > MAX_CAPACITY;
    if (overCapacity) subsets = truncate(subsets);

    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}), [SKIP_MIRROR_LABEL]: 'true' };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    const current = this.endpoints.store.get(key);
    const currentOver = current?.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION];
    const triggerTime = this.triggerTimes.compute(key, svc, pods);
    if (current && sameJSON(current.subsets ?? [], subsets) && sameLabels(current.metadata?.labels, labels) && (overCapacity ? currentOver === 'truncated' : !currentOver)) {
      return;
    }
    const annotations: Record<string, string> = { ...(current?.metadata?.annotations ?? {}) };
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    if (overCapacity) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const wanted: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current ? deepCopy(current.metadata) : {}), name, namespace, labels, annotations },
      subsets,
    };
    try {
      if (current) await client.update(wanted);
      else await client.create(wanted);
    } catch (err) {
      // A namespace going away takes its services with it; the service's delete event cleans up.
      if (isNamespaceTerminating(err)) return;
      if (isAlreadyExists(err)) throw new Error(`endpoints ${key} appeared before the cache saw them`);
      throw err;
    }
  }
}

export const endpointsControllerFactory: ControllerFactory = (ctx) => new EndpointsController(ctx);
