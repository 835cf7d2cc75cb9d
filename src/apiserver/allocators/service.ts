// ServiceAllocation: assigns Services their ClusterIPs and NodePorts on create and update, as
// kube-apiserver's service storage does. What is in use is derived from the services in the
// watch cache, plus short-lived reservations for writes still in flight; so a crash leaks
// nothing and a deleted (or changed) service frees its values as soon as the cache sees it.
import { randomUUID } from 'node:crypto';
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import { internalError, invalid, fieldErrors, type FieldError } from '../../api/meta/status.js';
import { parseIPSloppy } from '../../api/meta/validation.js';
import {
  allocatesNodePorts,
  CLUSTER_IP_NONE,
  needsHealthCheck,
  needsNodePorts,
  normalizeClusterIPs,
  patchAllocatedValues,
  validateServiceClusterIPsRelatedFields,
} from '../../api/resources/core/service.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission/types.js';
import { canonicalIP, IPv4Range, isIPv4Bytes, pickFree, PortRange, type Random, type ValueRange } from './range.js';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';
/** The address of the `kubernetes` service in default: no other service may take it. */
const KUBERNETES_SERVICE = 'default/kubernetes';

export interface ServiceAllocationOptions {
  /** The services currently stored (the watch cache of services). */
  services: () => Iterable<Readonly<Service>>;
  serviceCIDR?: string;
  nodePortRange?: string;
  /** How long a value picked for a write stays reserved if the write never shows up. */
  reservationSeconds?: number;
  random?: Random;
  now?: () => number;
}

/** A value that is taken, or rejected with upstream's allocator error text. */
class AllocationError extends Error {}

/** The values in use by other services and in-flight writes, for one request. */
class InUse<V> {
  constructor(
    private readonly range: ValueRange<V>,
    private readonly taken: Set<V>,
    private readonly kind: 'IP' | 'port',
  ) {}

  /** Claims a requested value, throwing the allocator's message when it cannot be had. */
  claim(value: V, display: string): void {
    if (this.range.offsetOf(value) === undefined) {
      throw new AllocationError(
        this.kind === 'IP'
          ? `the provided IP (${display}) is not in the valid range. The range of valid IPs is ${this.range}`
          : `provided port is not in the valid range. The range of valid ports is ${this.range}`,
      );
    }
    if (this.taken.has(value)) throw new AllocationError(`provided ${this.kind} is already allocated`);
    this.taken.add(value);
  }

  next(random: Random): V {
    const offset = pickFree(this.range.size, this.range.dynamicOffset, (o) => this.taken.has(this.range.valueAt(o)), random);
    if (offset === undefined) throw new AllocationError('range is full');
    const value = this.range.valueAt(offset);
    this.taken.add(value);
    return value;
  }
}

interface Reservation {
  owner: string;
  expires: number;
}

function ownerOf(svc: Readonly<Service>): string {
  return `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
}

function familyOf(ip: string): 'IPv4' | 'IPv6' {
  const b = parseIPSloppy(ip);
  return b && isIPv4Bytes(b) ? 'IPv4' : 'IPv6';
}

function invalidService(svc: Service, errs: FieldError[]) {
  return invalid('Service', '', svc.metadata?.name ?? '', errs);
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** The single-stack allocator of one cluster: its ranges and in-flight reservations. */
export class ServiceAllocator {
  readonly ipRange: IPv4Range;
  readonly portRange: PortRange;
  private readonly reservedIPs = new Map<string, Reservation>();
  private readonly reservedPorts = new Map<number, Reservation>();
  private readonly ttlMs: number;
  private readonly random: Random;
  private readonly now: () => number;

  constructor(private readonly opts: ServiceAllocationOptions) {
    this.ipRange = new IPv4Range(opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR);
    this.portRange = PortRange.parse(opts.nodePortRange ?? DEFAULT_NODE_PORT_RANGE);
    this.ttlMs = (opts.reservationSeconds ?? 30) * 1000;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
  }

  /** The address the `kubernetes` service gets: the first of the range. */
  get kubernetesServiceIP(): string {
    return this.ipRange.valueAt(0);
  }

  /** Values held by every service but `owner`, and by reservations of others that have not expired. */
  private inUse(owner: string): { ips: InUse<string>; ports: InUse<number> } {
    const ips = new Set<string>();
    const ports = new Set<number>();
    for (const svc of this.opts.services()) {
      const holder = ownerOf(svc);
      const spec = svc.spec ?? {};
      const svcIPs = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip !== CLUSTER_IP_NONE).map(canonicalIP);
      const svcPorts = (spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p !== 0);
      if (spec.healthCheckNodePort) svcPorts.push(spec.healthCheckNodePort);
      // A write that landed no longer needs its reservation: the cache now holds its values.
      for (const ip of svcIPs) if (this.reservedIPs.get(ip)?.owner === holder) this.reservedIPs.delete(ip);
      for (const port of svcPorts) if (this.reservedPorts.get(port)?.owner === holder) this.reservedPorts.delete(port);
      if (holder === owner) continue;
      for (const ip of svcIPs) ips.add(ip);
      for (const port of svcPorts) ports.add(port);
    }
    const now = this.now();
    for (const [map, into] of [
      [this.reservedIPs, ips],
      [this.reservedPorts, ports],
    ] as const) {
      for (const [value, r] of map as Map<string | number, Reservation>) {
        if (r.expires <= now) map.delete(value as never);
        else if (r.owner !== owner) (into as Set<string | number>).add(value);
      }
    }
    if (owner !== KUBERNETES_SERVICE) ips.add(this.kubernetesServiceIP);
    return { ips: new InUse(this.ipRange, ips, 'IP'), ports: new InUse(this.portRange, ports, 'port') };
  }

  private reserve(owner: string, ips: string[], ports: number[]): void {
    const expires = this.now() + this.ttlMs;
    for (const ip of ips) this.reservedIPs.set(ip, { owner, expires });
    for (const port of ports) this.reservedPorts.set(port, { owner, expires });
  }

  /** Fills spec.clusterIP(s), ipFamilies, ipFamilyPolicy and node ports of a new service; throws 422/500 as upstream. */
  allocateCreate(svc: Service, dryRun: boolean): void {
    const owner = svc.metadata?.name ? ownerOf(svc) : `${svc.metadata?.namespace ?? ''}/${randomUUID()}`;
    normalizeClusterIPs(svc);
    this.initIPFamilyFields(svc);
    const inUse = this.inUse(owner);
    const ips = this.allocClusterIPs(svc, inUse.ips);
    const ports = needsNodePorts(svc.spec ?? {}) ? this.initNodePorts(svc, inUse.ports) : [];
    if (needsHealthCheck(svc.spec ?? {})) ports.push(this.allocHealthCheckNodePort(svc, inUse.ports));
    if (!dryRun) this.reserve(owner, ips, ports);
  }

  /** The same for an update: keeps what the service holds, assigns what a type change needs. */
  allocateUpdate(svc: Service, old: Service, dryRun: boolean): void {
    const owner = ownerOf(old);
    patchAllocatedValues(svc, old);
    normalizeClusterIPs(svc, old);
    this.initIPFamilyFields(svc, old);
    const spec = svc.spec ?? {};
    const oldSpec = old.spec ?? {};
    const inUse = this.inUse(owner);
    const ips = oldSpec.type === 'ExternalName' && spec.type !== 'ExternalName' ? this.allocClusterIPs(svc, inUse.ips) : [];
    const ports = needsNodePorts(spec) ? this.updateNodePorts(svc, old, inUse.ports) : [];
    if (!needsHealthCheck(oldSpec) && needsHealthCheck(spec)) ports.push(this.allocHealthCheckNodePort(svc, inUse.ports));
    if (!dryRun) this.reserve(owner, ips, ports);
  }

  /** Defaults ipFamilyPolicy and ipFamilies and checks them against this single-stack cluster (upstream initIPFamilyFields). */
  private initIPFamilyFields(svc: Service, old?: Service): void {
    const spec = (svc.spec ??= {});
    if (spec.type === 'ExternalName') return;
    const oldSpec = old?.spec;
    // A PreferDualStack service is not upgraded or downgraded by a change of the cluster.
    if (
      oldSpec?.ipFamilyPolicy === 'PreferDualStack' &&
      spec.ipFamilyPolicy === 'PreferDualStack' &&
      sameStrings(oldSpec.clusterIPs, spec.clusterIPs) &&
      sameStrings(oldSpec.ipFamilies, spec.ipFamilies)
    ) {
      return;
    }
    if (spec.ipFamilyPolicy === undefined) {
      if (oldSpec?.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
      else if (spec.clusterIP === CLUSTER_IP_NONE && Object.keys(spec.selector ?? {}).length === 0) spec.ipFamilyPolicy = 'RequireDualStack';
      else spec.ipFamilyPolicy = 'SingleStack';
    }
    const pre = validateServiceClusterIPsRelatedFields(svc);
    if (pre.length) throw invalidService(svc, pre);
    const errs: FieldError[] = [];
    const policyPath = 'spec.ipFamilyPolicy';
    if (oldSpec) {
      if (spec.ipFamilyPolicy === 'SingleStack') {
        if (sameStrings(oldSpec.clusterIPs, spec.clusterIPs) && (spec.clusterIPs?.length ?? 0) > 1) spec.clusterIPs = spec.clusterIPs!.slice(0, 1);
        if (sameStrings(oldSpec.ipFamilies, spec.ipFamilies) && (spec.ipFamilies?.length ?? 0) > 1) spec.ipFamilies = spec.ipFamilies!.slice(0, 1);
      } else {
        if ((spec.clusterIPs?.length ?? 0) < (oldSpec.clusterIPs?.length ?? 0) && (spec.clusterIPs?.length ?? 0) > 0) {
          errs.push(fieldErrors.invalid(policyPath, spec.ipFamilyPolicy, "must be 'SingleStack' to release the secondary cluster IP"));
        }
        if ((spec.ipFamilies?.length ?? 0) < (oldSpec.ipFamilies?.length ?? 0) && (spec.ipFamilies?.length ?? 0) > 0) {
          errs.push(fieldErrors.invalid(policyPath, spec.ipFamilyPolicy, "must be 'SingleStack' to release the secondary IP family"));
        }
      }
    }
    if (spec.ipFamilyPolicy === 'SingleStack') {
      if (spec.clusterIPs?.length === 2) {
        errs.push(fieldErrors.invalid(policyPath, spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      }
      if (spec.ipFamilies?.length === 2) {
        errs.push(fieldErrors.invalid(policyPath, spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
      }
    }
    const families = (spec.ipFamilies ??= []);
    const clusterIPs = spec.clusterIPs ?? [];
    for (let i = 0; i < clusterIPs.length && clusterIPs[i] !== CLUSTER_IP_NONE; i++) {
      if (i < families.length) continue;
      const family = familyOf(clusterIPs[i]);
      if (family !== this.ipRange.family) errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, clusterIPs, `${family} is not configured on this cluster`));
      else families.push(family);
    }
    if (errs.length) throw invalidService(svc, errs);
    // Headless services without a selector may carry both families even on a single-stack cluster.
    if (spec.clusterIP === CLUSTER_IP_NONE && Object.keys(spec.selector ?? {}).length === 0) {
      if (families.length === 0) families.push(this.ipRange.family);
      if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
      return;
    }
    if (spec.ipFamilyPolicy === 'RequireDualStack') {
      errs.push(fieldErrors.invalid(policyPath, spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    families.forEach((family, i) => {
      if (family !== this.ipRange.family) errs.push(fieldErrors.invalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
    });
    if (errs.length) throw invalidService(svc, errs);
    if (families.length === 0) families.push(this.ipRange.family);
  }

  /** Assigns or claims the cluster IP of each family; none for ExternalName or headless services. */
  private allocClusterIPs(svc: Service, inUse: InUse<string>): string[] {
    const spec = (svc.spec ??= {});
    if (spec.type === 'ExternalName' || spec.clusterIPs?.[0] === CLUSTER_IP_NONE) return [];
    const clusterIPs = [...(spec.clusterIPs ?? [])];
    const claimed: string[] = [];
    (spec.ipFamilies ?? []).forEach((_family, i) => {
      const requested = clusterIPs[i] ?? '';
      if (!requested) {
        try {
          clusterIPs[i] = inUse.next(this.random);
        } catch (err) {
          throw internalError(`failed to allocate a serviceIP: ${(err as Error).message}`);
        }
      } else {
        try {
          inUse.claim(canonicalIP(requested), canonicalIP(requested));
        } catch (err) {
          if (!(err instanceof AllocationError)) throw err;
          throw invalidService(svc, [fieldErrors.invalid('spec.clusterIPs', spec.clusterIPs ?? [], `failed to allocate IP ${requested}: ${err.message}`)]);
        }
      }
      claimed.push(canonicalIP(clusterIPs[i]));
    });
    spec.clusterIPs = clusterIPs;
    spec.clusterIP = clusterIPs[0];
    return claimed;
  }

  private claimPort(svc: Service, inUse: InUse<number>, port: number, field: string): void {
    try {
      inUse.claim(port, String(port));
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw invalidService(svc, [fieldErrors.invalid(field, port, err.message)]);
    }
  }

  private nextPort(inUse: InUse<number>, what: string): number {
    try {
      return inUse.next(this.random);
    } catch (err) {
      throw internalError(`failed to allocate ${what}: ${(err as Error).message}`);
    }
  }

  /** Node ports of a new service; ports with the same number (TCP and UDP 53) share one (upstream initNodePorts). */
  private initNodePorts(svc: Service, inUse: InUse<number>): number[] {
    const spec = svc.spec as ServiceSpec;
    const ports = spec.ports ?? [];
    const byServicePort = new Map<number, number>();
    const claimed: number[] = [];
    ports.forEach((p, i) => {
      if (!p.nodePort && !allocatesNodePorts(spec)) return;
      const servicePort = p.port ?? 0;
      const assigned = byServicePort.get(servicePort);
      if (assigned === undefined) {
        const requested = ports.find((q) => (q.port ?? 0) === servicePort && q.nodePort)?.nodePort;
        if (requested) {
          this.claimPort(svc, inUse, requested, `spec.ports[${i}].nodePort`);
          p.nodePort = requested;
        } else {
          p.nodePort = this.nextPort(inUse, 'a nodePort');
        }
        byServicePort.set(servicePort, p.nodePort);
        claimed.push(p.nodePort);
      } else if (p.nodePort !== assigned) {
        if (!p.nodePort) p.nodePort = assigned;
        else {
          this.claimPort(svc, inUse, p.nodePort, `spec.ports[${i}].nodePort`);
          claimed.push(p.nodePort);
        }
      }
    });
    return claimed;
  }

  /** Node ports on update: the service's own are kept, new ones claimed or assigned (upstream updateNodePorts). */
  private updateNodePorts(svc: Service, old: Service, inUse: InUse<number>): number[] {
    const spec = svc.spec as ServiceSpec;
    const own = new Set<number>();
    for (const p of old.spec?.ports ?? []) if (p.nodePort) own.add(p.nodePort);
    const claimed: number[] = [];
    (spec.ports ?? []).forEach((p, i) => {
      if (!p.nodePort && !allocatesNodePorts(spec)) return;
      if (p.nodePort) {
        if (own.has(p.nodePort) || claimed.includes(p.nodePort)) return;
        this.claimPort(svc, inUse, p.nodePort, `spec.ports[${i}].nodePort`);
        claimed.push(p.nodePort);
      } else {
        p.nodePort = this.nextPort(inUse, 'a nodePort');
        claimed.push(p.nodePort);
      }
    });
    return claimed;
  }

  private allocHealthCheckNodePort(svc: Service, inUse: InUse<number>): number {
    const spec = svc.spec as ServiceSpec;
    const requested = spec.healthCheckNodePort ?? 0;
    if (!requested) {
      spec.healthCheckNodePort = this.nextPort(inUse, 'a HealthCheck NodePort 0');
      return spec.healthCheckNodePort;
    }
    try {
      inUse.claim(requested, String(requested));
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${err.message}`);
    }
    return requested;
  }
}

/** The admission plugin; wire `services` to the services watch cache. */
export function serviceAllocation(opts: ServiceAllocationOptions): AdmissionPlugin & { allocator: ServiceAllocator } {
  const allocator = new ServiceAllocator(opts);
  return {
    name: 'ServiceAllocation',
    allocator,
    admit(attrs: AdmissionAttributes) {
      if (attrs.def.group !== '' || attrs.def.plural !== 'services' || attrs.subresource || !attrs.object) return;
      const svc = attrs.object as Service;
      if (attrs.operation === 'CREATE') allocator.allocateCreate(svc, attrs.dryRun);
      else if (attrs.operation === 'UPDATE' && attrs.oldObject) allocator.allocateUpdate(svc, attrs.oldObject as Service, attrs.dryRun);
    },
  };
}
