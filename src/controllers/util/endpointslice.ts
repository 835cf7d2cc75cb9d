// The slice reconciler the EndpointSlice and EndpointSlice-mirroring controllers share: given
// the endpoints a service should have (each with the ports it serves), it changes the existing
// slices as little as it can: endpoints stay in the slice they are in, new ones fill slices
// with room before new slices (at most `maxEndpointsPerSlice` each) are made, and slices left
// empty go. A service with no endpoints keeps one empty placeholder slice.
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Client } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { Informer } from '../../client/informer.js';
import { resources } from '../../client/resource.js';
import { LAST_CHANGE_TRIGGER_TIME, rfc3339Nano } from './endpoints.js';
import { deepCopy } from '../../api/patch/json.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface DesiredEndpoint {
  endpoint: Endpoint;
  ports: EndpointPort[];
}

export interface SliceOwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: true;
  blockOwnerDeletion: true;
}

export interface SliceSet {
  namespace: string;
  /** The service the slices are for (their `kubernetes.io/service-name`). */
  serviceName: string;
  addressType: 'IPv4' | 'IPv6';
  ownerRef: SliceOwnerRef;
  /** All labels the slices carry (service-name and managed-by included). */
  labels: Record<string, string>;
  /** Annotations besides the trigger time. */
  annotations?: Record<string, string>;
  triggerTime?: number;
  maxEndpointsPerSlice?: number;
}

function portsKey(ports: readonly EndpointPort[] | undefined | null): string {
  return (ports ?? [])
    .map((p) => `${p.name ?? ''}\0${p.port ?? ''}\0${p.protocol ?? ''}\0${p.appProtocol ?? ''}`)
    .sort()
    .join('\n');
}

function endpointKey(e: Endpoint): string {
  return `${e.addresses.join(',')}\0${e.targetRef?.uid ?? ''}`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const keys = Object.keys(a ?? {});
  return keys.length === Object.keys(b).length && keys.every((k) => a![k] === b[k]);
}

/** The written slices a service's next reconcile must see in the cache before acting again. */
export class SliceTracker {
  private readonly expected = new Map<string, Map<string, number>>();

  /** `rv` -1: the slice was deleted. */
  expect(key: string, name: string, rv: number): void {
    let m = this.expected.get(key);
    if (!m) this.expected.set(key, (m = new Map()));
    m.set(name, rv);
  }

  /** Whether the cache lags behind this controller's own writes for `key`. */
  stale(key: string, slices: Informer<EndpointSlice>, namespace: string): boolean {
    const m = this.expected.get(key);
    if (!m) return false;
    for (const [name, rv] of m) {
      const cached = slices.store.get(`${namespace}/${name}`);
      const seen = rv < 0 ? !cached : !!cached && Number(cached.metadata?.resourceVersion) >= rv;
      if (!seen) return true;
      m.delete(name);
    }
    if (m.size === 0) this.expected.delete(key);
    return false;
  }

  forget(key: string): void {
    this.expected.delete(key);
  }
}

interface Planned {
  slice?: EndpointSlice;
  ports: EndpointPort[];
  endpoints: Endpoint[];
  changed: boolean;
}

/** Brings `existing` (the set's slices) to `desired`; records its writes in `tracker` under `key`. */
export async function reconcileSlices(client: Client, set: SliceSet, desired: DesiredEndpoint[], existing: EndpointSlice[], tracker: SliceTracker, key: string): Promise<void> {
  const max = set.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  const groups = new Map<string, { ports: EndpointPort[]; pending: Map<string, Endpoint> }>();
  for (const d of desired) {
    const k = portsKey(d.ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports: d.ports, pending: new Map() }));
    g.pending.set(endpointKey(d.endpoint), d.endpoint);
  }
  const annotations: Record<string, string> = { ...(set.annotations ?? {}) };
  if (set.triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(set.triggerTime);

  const toDelete: EndpointSlice[] = [];
  const plans: Planned[] = [];
  let placeholder: EndpointSlice | undefined;
  for (const slice of existing) {
    const g = slice.addressType === set.addressType ? groups.get(portsKey(slice.ports)) : undefined;
    if (!g) {
      if (!placeholder && !slice.endpoints?.length && !slice.ports?.length) placeholder = slice;
      else toDelete.push(slice);
      continue;
    }
    const kept: Endpoint[] = [];
    let changed = false;
    for (const e of slice.endpoints ?? []) {
      const k = endpointKey(e);
      const want = g.pending.get(k);
      if (!want) {
        changed = true;
        continue;
      }
      g.pending.delete(k);
      kept.push(want);
      if (!same(want, e)) changed = true;
    }
    if (kept.length === 0) toDelete.push(slice);
    else plans.push({ slice, ports: g.ports, endpoints: kept, changed });
  }
  for (const g of groups.values()) {
    if (g.pending.size === 0) continue;
    const rest = [...g.pending.values()];
    // Slices already being rewritten take new endpoints first: fewer writes.
    const withRoom = plans.filter((p) => portsKey(p.ports) === portsKey(g.ports) && p.endpoints.length < max).sort((a, b) => Number(b.changed) - Number(a.changed));
    for (const p of withRoom) {
      while (rest.length && p.endpoints.length < max) {
        p.endpoints.push(rest.shift()!);
        p.changed = true;
      }
    }
    while (rest.length) plans.push({ ports: g.ports, endpoints: rest.splice(0, max), changed: true });
  }
  if (plans.length === 0) {
    // No endpoints at all: one empty slice stands for the service.
    if (placeholder) plans.push({ slice: placeholder, ports: [], endpoints: [], changed: false });
    else plans.push({ ports: [], endpoints: [], changed: true });
  } else if (placeholder) toDelete.push(placeholder);

  const slices = client.resource<EndpointSlice>(resources.endpointSlices).namespace(set.namespace);
  for (const p of plans) {
    const meta = p.slice?.metadata;
    const ownerOk = same(meta?.ownerReferences, [set.ownerRef]);
    if (p.slice && !p.changed && ownerOk && sameMap(meta?.labels, set.labels)) continue;
    const body: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: p.slice
        ? { ...deepCopy(p.slice.metadata), labels: set.labels, annotations: { ...(meta?.annotations ?? {}), ...annotations }, ownerReferences: [set.ownerRef] }
        : { generateName: `${set.serviceName}-`, namespace: set.namespace, labels: set.labels, annotations, ownerReferences: [set.ownerRef] },
      addressType: set.addressType,
      endpoints: p.endpoints,
    };
    if (p.ports.length) body.ports = p.ports;
    if (set.triggerTime === undefined) delete body.metadata!.annotations![LAST_CHANGE_TRIGGER_TIME];
    if (!Object.keys(body.metadata!.annotations!).length) delete body.metadata!.annotations;
    const written = p.slice ? await slices.update(body) : await slices.create(body);
    tracker.expect(key, written.metadata!.name!, Number(written.metadata!.resourceVersion));
  }
  for (const s of toDelete) {
    try {
      await slices.delete(s.metadata!.name!, { preconditions: { uid: s.metadata!.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    tracker.expect(key, s.metadata!.name!, -1);
  }
}
