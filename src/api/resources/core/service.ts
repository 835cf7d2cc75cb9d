// core/v1 Service: a stable virtual IP and ports in front of a set of pods. ClusterIPs and
// NodePorts are assigned by the ServiceAllocation admission plugin (src/apiserver/allocators),
// which uses the normalizing helpers exported here.
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, intOrString, kindSchema, list, mergeList, object, ref, str, stringMap } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  isValidCIDR,
  isValidIP,
  parseIPSloppy,
  validateLabels,
} from '../../meta/validation.js';
import { table } from '../table.js';

const atomicStrings = (description: string) => list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description });
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.Service': kindSchema(
    { group: '', version: 'v1', kind: 'Service' },
    {
      spec: ref('io.k8s.api.core.v1.ServiceSpec', { default: {}, description: 'The behaviour of the service.' }),
      status: ref('io.k8s.api.core.v1.ServiceStatus', { default: {}, description: 'The most recently observed status; read-only.' }),
    },
    {
      proto: { metadata: 1, spec: 2, status: 3 },
      description: 'Service is a named abstraction of a software service: a virtual IP and ports proxied to the pods its selector matches.',
    },
  ),
  'io.k8s.api.core.v1.ServiceSpec': object(
    {
      ports: mergeList(ref('io.k8s.api.core.v1.ServicePort', { default: {} }), 'port', {
        mapKeys: ['port', 'protocol'],
        description: 'The ports the service exposes.',
      }),
      selector: stringMap({
        additionalProperties: str({ default: '' }),
        'x-kubernetes-map-type': 'atomic',
        description: 'Pods with labels matching this selector receive the traffic.',
      }),
      clusterIP: str({ description: 'The primary virtual IP; assigned by the server, or None for a headless service.' }),
      clusterIPs: atomicStrings('The virtual IPs of the service, one per IP family; the first equals clusterIP.'),
      type: enumOf(['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'], { description: 'How the service is exposed.' }),
      externalIPs: atomicStrings('Extra IPs on which nodes accept traffic for this service.'),
      sessionAffinity: enumOf(['ClientIP', 'None'], { description: 'ClientIP sends all connections from one client to the same pod.' }),
      loadBalancerIP: str({ description: 'Deprecated: a load balancer IP requested from the cloud provider.' }),
      loadBalancerSourceRanges: atomicStrings('Client CIDRs allowed through a cloud load balancer.'),
      externalName: str({ description: 'The DNS name an ExternalName service is a CNAME for.' }),
      externalTrafficPolicy: enumOf(['Cluster', 'Local'], { description: 'Whether external traffic may go to pods on other nodes.' }),
      healthCheckNodePort: int32({ description: 'The node port load balancers probe when externalTrafficPolicy is Local.' }),
      publishNotReadyAddresses: bool({ description: 'Publish endpoints of pods that are not ready.' }),
      sessionAffinityConfig: ref('io.k8s.api.core.v1.SessionAffinityConfig', { description: 'Settings of session affinity.' }),
      ipFamilies: list(str({ default: '', enum: ['', 'IPv4', 'IPv6'] }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The IP families of the service, in clusterIPs order.',
      }),
      ipFamilyPolicy: enumOf(['PreferDualStack', 'RequireDualStack', 'SingleStack'], { description: 'Single- or dual-stack requirements.' }),
      allocateLoadBalancerNodePorts: bool({ description: 'Whether a LoadBalancer service gets node ports.' }),
      loadBalancerClass: str({ description: 'The load balancer implementation this service belongs to.' }),
      internalTrafficPolicy: enumOf(['Cluster', 'Local'], { description: 'Whether traffic from inside the cluster may go to pods on other nodes.' }),
      trafficDistribution: str({ description: 'A preference for how traffic is spread across endpoints (PreferClose).' }),
    },
    {
      proto: {
        ports: 1, selector: 2, clusterIP: 3, clusterIPs: 18, type: 4, externalIPs: 5, sessionAffinity: 7, loadBalancerIP: 8,
        loadBalancerSourceRanges: 9, externalName: 10, externalTrafficPolicy: 11, healthCheckNodePort: 12, publishNotReadyAddresses: 13,
        sessionAffinityConfig: 14, ipFamilies: 19, ipFamilyPolicy: 17, allocateLoadBalancerNodePorts: 20, loadBalancerClass: 21,
        internalTrafficPolicy: 22, trafficDistribution: 23,
      },
      protoPointers: ['ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution'],
      description: 'The desired behaviour of a service.',
    },
  ),
  'io.k8s.api.core.v1.ServicePort': object(
    {
      name: str({ description: 'A DNS label naming the port; required when there are several.' }),
      protocol: enumOf(PROTOCOLS, { default: 'TCP', description: 'TCP, UDP or SCTP.' }),
      appProtocol: str({ description: 'The application protocol, for implementations that care.' }),
      port: int32({ default: 0, description: 'The port the service exposes.' }),
      targetPort: intOrString({ description: 'The port number or name on the pods; defaults to port.' }),
      nodePort: int32({ description: 'The port on every node for NodePort and LoadBalancer services.' }),
    },
    {
      proto: { name: 1, protocol: 2, appProtocol: 6, port: 3, targetPort: 4, nodePort: 5 },
      protoPointers: ['appProtocol'],
      required: ['port'],
      description: 'One port a service exposes.',
    },
  ),
  'io.k8s.api.core.v1.SessionAffinityConfig': object(
    { clientIP: ref('io.k8s.api.core.v1.ClientIPConfig', { description: 'Settings of ClientIP affinity.' }) },
    { proto: { clientIP: 1 }, description: 'Settings of session affinity.' },
  ),
  'io.k8s.api.core.v1.ClientIPConfig': object(
    { timeoutSeconds: int32({ description: 'How long a client sticks to a pod (1-86400, default 10800).' }) },
    { proto: { timeoutSeconds: 1 }, protoPointers: ['timeoutSeconds'], description: 'Settings of ClientIP session affinity.' },
  ),
  'io.k8s.api.core.v1.ServiceStatus': object(
    {
      loadBalancer: ref('io.k8s.api.core.v1.LoadBalancerStatus', { default: {}, description: 'The load balancer, if any.' }),
      conditions: mergeList(ref('io.k8s.apimachinery.pkg.apis.meta.v1.Condition', { default: {} }), 'type', {
        description: 'The current conditions of the service.',
      }),
    },
    { proto: { loadBalancer: 1, conditions: 2 }, description: 'The observed state of a service.' },
  ),
  'io.k8s.api.core.v1.LoadBalancerStatus': object(
    {
      ingress: list(ref('io.k8s.api.core.v1.LoadBalancerIngress', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The ingress points of the load balancer.',
      }),
    },
    { proto: { ingress: 1 }, description: 'The status of a load balancer.' },
  ),
  'io.k8s.api.core.v1.LoadBalancerIngress': object(
    {
      ip: str({ description: 'An IP of the load balancer.' }),
      hostname: str({ description: 'A DNS name of the load balancer.' }),
      ipMode: str({ description: 'VIP or Proxy: how traffic reaches the service through this IP.' }),
      ports: list(ref('io.k8s.api.core.v1.PortStatus', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The status of each service port on this ingress point.',
      }),
    },
    { proto: { ip: 1, hostname: 2, ipMode: 3, ports: 4 }, protoPointers: ['ipMode'], description: 'One ingress point of a load balancer.' },
  ),
  'io.k8s.api.core.v1.PortStatus': object(
    {
      port: int32({ default: 0, description: 'The port number.' }),
      protocol: enumOf(PROTOCOLS, { default: '', description: 'TCP, UDP or SCTP.' }),
      error: str({ description: 'Why the port is not working, in CamelCase.' }),
    },
    { proto: { port: 1, protocol: 2, error: 3 }, protoPointers: ['error'], required: ['port', 'protocol'], description: 'The status of one service port.' },
  ),
});

export const CLUSTER_IP_NONE = 'None';
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;
const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

type Spec = ServiceSpec;

export function isHeadlessService(svc: Service): boolean {
  const ips = svc.spec?.clusterIPs ?? [];
  return ips.length === 1 && ips[0] === CLUSTER_IP_NONE;
}

/** Reachable from outside the cluster: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function externallyAccessible(spec: Spec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

export function needsClusterIP(spec: Spec): boolean {
  return spec.type !== 'ExternalName';
}

export function needsNodePorts(spec: Spec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** A LoadBalancer with externalTrafficPolicy Local needs a health-check node port. */
export function needsHealthCheck(spec: Spec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** Whether node ports are picked for ports that did not ask for one. */
export function allocatesNodePorts(spec: Spec): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameClusterIPs(old: Spec, spec: Spec): boolean {
  return (old.clusterIP ?? '') === (spec.clusterIP ?? '') && sameStrings(old.clusterIPs, spec.clusterIPs);
}

function nodePortSet(spec: Spec): Set<number> {
  const out = new Set<number>();
  for (const p of spec.ports ?? []) if (p.nodePort) out.add(p.nodePort);
  return out;
}

/** Keeps clusterIP and clusterIPs in step for clients that set only one of them (upstream normalizeClusterIPs). */
export function normalizeClusterIPs(svc: Service, old?: Service): void {
  const spec = (svc.spec ??= {});
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const oldSpec = old.spec ?? {};
  // An old client patching other fields sends clusterIP without clusterIPs.
  if (oldSpec.clusterIPs?.length && !spec.clusterIPs?.length && (oldSpec.clusterIP ?? '') === (spec.clusterIP ?? '')) {
    spec.clusterIPs = oldSpec.clusterIPs;
  }
  if ((oldSpec.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    if (oldSpec.clusterIP && !spec.clusterIP) {
      if (sameStrings(oldSpec.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
    } else if (sameStrings(oldSpec.clusterIPs, spec.clusterIPs)) {
      spec.clusterIPs = [spec.clusterIP ?? ''];
    }
  }
}

/** Fills in allocated values an update left out, so a PUT of the original manifest is idempotent (upstream patchAllocatedValues). */
export function patchAllocatedValues(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!spec.clusterIPs?.length && oldSpec.clusterIPs?.length) spec.clusterIPs = [...oldSpec.clusterIPs];
  }
  if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
    const kept = nodePortSet(spec);
    const inBoth = new Set([...nodePortSet(oldSpec)].filter((p) => kept.has(p)));
    const byName = new Map<string, number>();
    for (const p of oldSpec.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const oldPort = byName.get(p.name ?? '') ?? 0;
      if (oldPort && !inBoth.has(oldPort)) p.nodePort = oldPort;
    }
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

/** Clears fields the new type no longer uses, when the user left them unchanged (upstream dropTypeDependentFields). */
export function dropTypeDependentFields(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (sameClusterIPs(oldSpec, spec)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameStrings(oldSpec.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((oldSpec.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec)) {
    const oldPorts = nodePortSet(oldSpec);
    if ([...nodePortSet(spec)].every((p) => oldPorts.has(p))) for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec) && oldSpec.healthCheckNodePort === spec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  // A new status object: the one taken from the stored service is shared and frozen.
  if (spec.type !== 'LoadBalancer' && svc.status) Object.assign(svc, { status: { ...svc.status, loadBalancer: {} } });
}

// ---- validation ----

function dns1123Label(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((msg) => fieldErrors.invalid(path.path, value, msg));
}

function qualifiedName(value: string, path: FieldPath): FieldError[] {
  return isQualifiedName(value).map((msg) => fieldErrors.invalid(path.path, value, msg));
}

/** ValidatePortNumOrName: a port number, or an IANA_SVC_NAME. */
export function validatePortNumOrName(port: number | string, path: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => fieldErrors.invalid(path.path, port, msg));
  return isValidPortName(port).map((msg) => fieldErrors.invalid(path.path, port, msg));
}

/** ValidateNonSpecialIP: no unspecified, loopback or link-local addresses (endpoints, external IPs). */
export function validateNonSpecialIP(ip: string, path: FieldPath): FieldError[] {
  const b = parseIPSloppy(ip);
  if (!b) return [fieldErrors.invalid(path.path, ip, 'must be a valid IP address')];
  const v4 = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  const errs: FieldError[] = [];
  const unspecified = v4 ? b.slice(12).every((x) => x === 0) : b.every((x) => x === 0);
  const loopback = v4 ? b[12] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocalUnicast = v4 ? b[12] === 169 && b[13] === 254 : b[0] === 0xfe && (b[1] & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? b[12] === 224 && b[13] === 0 && b[14] === 0 : b[0] === 0xff && (b[1] & 0x0f) === 0x02;
  if (unspecified) errs.push(fieldErrors.invalid(path.path, ip, `may not be unspecified (${ip})`));
  if (loopback) errs.push(fieldErrors.invalid(path.path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocalUnicast) errs.push(fieldErrors.invalid(path.path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(fieldErrors.invalid(path.path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

function isIPv6(ip: string): boolean {
  const b = parseIPSloppy(ip);
  return !!b && !(b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff);
}

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = sp.name ?? '';
  if (requireName && !name) errs.push(fieldErrors.required(path.child('name').path));
  else if (name) {
    errs.push(...dns1123Label(name, path.child('name')));
    if (names.has(name)) errs.push(fieldErrors.duplicate(path.child('name').path, name));
    else names.add(name);
  }
  const port = sp.port ?? 0;
  for (const msg of isValidPortNum(port)) errs.push(fieldErrors.invalid(path.child('port').path, port, msg));
  if (!sp.protocol) errs.push(fieldErrors.required(path.child('protocol').path));
  errs.push(...validatePortNumOrName(sp.targetPort ?? 0, path.child('targetPort')));
  if (sp.appProtocol !== undefined) errs.push(...qualifiedName(sp.appProtocol, path.child('appProtocol')));
  return errs;
}

function validateClientIPAffinityConfig(spec: Spec, path: FieldPath): FieldError[] {
  const when = 'when session affinity type is ClientIP';
  const config = spec.sessionAffinityConfig;
  if (!config) return [fieldErrors.required(path.path, when)];
  if (!config.clientIP) return [fieldErrors.required(path.child('clientIP').path, when)];
  const timeoutPath = path.child('clientIP').child('timeoutSeconds');
  const timeout = config.clientIP.timeoutSeconds;
  if (timeout === undefined) return [fieldErrors.required(timeoutPath.path, when)];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [fieldErrors.invalid(timeoutPath.path, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs/ipFamilies/ipFamilyPolicy consistency; used by allocation too. */
export function validateServiceClusterIPsRelatedFields(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ipsPath = new FieldPath('spec.clusterIPs');
  const familiesPath = new FieldPath('spec.ipFamilies');
  const clusterIPs = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (clusterIPs.length === 0) errs.push(fieldErrors.required(ipsPath.path));
    else if (clusterIPs[0] !== spec.clusterIP) errs.push(fieldErrors.invalid(ipsPath.path, clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length) {
    errs.push(fieldErrors.invalid(ipsPath.path, clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  // Values other than IPv4, IPv6 and "" are refused by the schema's enum.
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((family, i) => {
    if (family === '') errs.push(fieldErrors.notSupported(familiesPath.index(i).path, family, ['IPv4', 'IPv6']));
    if (seen.has(family)) errs.push(fieldErrors.duplicate(familiesPath.index(i).path, family));
    seen.add(family);
  });
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === CLUSTER_IP_NONE) {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errs.push(fieldErrors.invalid(ipsPath.path, clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = isValidIP(ipsPath.index(i), ip);
    if (ipErrs.length) invalidIPs = true;
    errs.push(...ipErrs);
  });
  if (clusterIPs.length > 2) errs.push(fieldErrors.invalid(ipsPath.path, clusterIPs, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (clusterIPs.length > 1 && isIPv6(clusterIPs[0]) === isIPv6(clusterIPs[1])) {
    errs.push(fieldErrors.invalid(ipsPath.path, clusterIPs, 'may specify no more than one IP for each IP family'));
  }
  const families = spec.ipFamilies ?? [];
  if (!isHeadlessService(svc)) {
    clusterIPs.forEach((ip, i) => {
      if (i >= families.length) return;
      if (families[i] === 'IPv4' && isIPv6(ip)) {
        errs.push(fieldErrors.invalid(ipsPath.index(i).path, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && !isIPv6(ip)) {
        errs.push(fieldErrors.invalid(ipsPath.index(i).path, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

function validateLoadBalancerStatus(svc: Service): FieldError[] {
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  const path = new FieldPath('status.loadBalancer.ingress');
  if (svc.spec?.type !== 'LoadBalancer' && ingress.length) return [fieldErrors.forbidden(path.path, "may only be used when `spec.type` is 'LoadBalancer'")];
  const errs: FieldError[] = [];
  ingress.forEach((ing, i) => {
    const p = path.index(i);
    if (ing.ip) errs.push(...isValidIP(p.child('ip'), ing.ip));
    if (ing.ipMode === undefined) {
      if (ing.ip) errs.push(fieldErrors.required(p.child('ipMode').path, 'must be specified when `ip` is set'));
    } else if (!ing.ip) {
      errs.push(fieldErrors.forbidden(p.child('ipMode').path, 'may not be specified when `ip` is not set'));
    } else if (ing.ipMode !== 'Proxy' && ing.ipMode !== 'VIP') {
      errs.push(fieldErrors.notSupported(p.child('ipMode').path, ing.ipMode, ['Proxy', 'VIP']));
    }
    if (ing.hostname) {
      for (const msg of isDNS1123Subdomain(ing.hostname)) errs.push(fieldErrors.invalid(p.child('hostname').path, ing.hostname, msg));
      if (parseIPSloppy(ing.hostname)) errs.push(fieldErrors.invalid(p.child('hostname').path, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

function validateLoadBalancerClass(spec: Spec): FieldError[] {
  if (spec.loadBalancerClass === undefined) return [];
  const path = new FieldPath('spec.loadBalancerClass');
  if (spec.type === 'LoadBalancer') return qualifiedName(spec.loadBalancerClass, path);
  return [fieldErrors.forbidden(path.path, "may only be used when `type` is 'LoadBalancer'")];
}

function validateTrafficPolicies(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) {
      errs.push(fieldErrors.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    }
  } else if (!spec.externalTrafficPolicy) {
    errs.push(fieldErrors.required('spec.externalTrafficPolicy'));
  }
  const hc = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(spec)) {
    if (hc !== 0) {
      errs.push(fieldErrors.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (hc === 0) {
    errs.push(fieldErrors.required('spec.healthCheckNodePort'));
  } else {
    for (const msg of isValidPortNum(hc)) errs.push(fieldErrors.invalid('spec.healthCheckNodePort', hc, msg));
  }
  if (spec.internalTrafficPolicy === undefined && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
    errs.push(fieldErrors.required('spec.internalTrafficPolicy'));
  }
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== 'PreferClose') {
    errs.push(fieldErrors.notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** ValidateService, after defaulting (enumerated values are checked by the schema). */
export function validateService(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const annotations = svc.metadata?.annotations ?? {};
  const mode = annotations[TOPOLOGY_MODE_ANNOTATION];
  const hints = annotations[TOPOLOGY_HINTS_ANNOTATION];
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(
      fieldErrors.invalid(`metadata.annotations[${TOPOLOGY_MODE_ANNOTATION}]`, mode, `must match annotations[${TOPOLOGY_HINTS_ANNOTATION}] when both are specified`),
    );
  }
  const specPath = new FieldPath('spec');
  const ports = spec.ports ?? [];
  const headless = isHeadlessService(svc);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(fieldErrors.required('spec.ports'));
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && headless) {
    errs.push(fieldErrors.invalid('spec.clusterIPs[0]', CLUSTER_IP_NONE, `may not be set to 'None' for ${spec.type} services`));
  } else if (spec.type === 'ExternalName') {
    if (spec.clusterIPs?.length) errs.push(fieldErrors.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (spec.ipFamilies?.length) errs.push(fieldErrors.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined) errs.push(fieldErrors.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    // A trailing dot marks the CNAME as fully qualified.
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname) for (const msg of isDNS1123Subdomain(cname)) errs.push(fieldErrors.invalid('spec.externalName', cname, msg));
    else errs.push(fieldErrors.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, specPath.child('ports').index(i))));
  if (spec.selector) errs.push(...validateLabels(spec.selector, specPath.child('selector')));
  if (spec.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinityConfig(spec, specPath.child('sessionAffinityConfig')));
  else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(fieldErrors.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateServiceClusterIPsRelatedFields(svc));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    const p = specPath.child('externalIPs').index(i);
    const ipErrs = isValidIP(p, ip);
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(ip, p)));
  });
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(fieldErrors.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  // Node ports are unique per protocol; (port, protocol) uniqueness is the schema's list-map key.
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldErrors.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  if (spec.loadBalancerSourceRanges?.length) {
    // Upstream reports this field with a capital L.
    const path = specPath.child('LoadBalancerSourceRanges');
    if (spec.type !== 'LoadBalancer') errs.push(fieldErrors.forbidden(path.path, "may only be used when `type` is 'LoadBalancer'"));
    spec.loadBalancerSourceRanges.forEach((v, i) => errs.push(...isValidCIDR(path.index(i), v.trim())));
  } else if (LB_SOURCE_RANGES_ANNOTATION in annotations) {
    const path = new FieldPath('metadata.annotations').key(LB_SOURCE_RANGES_ANNOTATION);
    if (spec.type !== 'LoadBalancer') errs.push(fieldErrors.forbidden(path.path, "may only be used when `type` is 'LoadBalancer'"));
    const value = annotations[LB_SOURCE_RANGES_ANNOTATION].trim();
    if (value) for (const cidr of value.split(',')) errs.push(...isValidCIDR(path, cidr.trim()));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer') {
    errs.push(fieldErrors.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) errs.push(fieldErrors.required('allocateLoadBalancerNodePorts'));
  errs.push(...validateLoadBalancerClass(spec));
  errs.push(...validateTrafficPolicies(spec));
  errs.push(...validateLoadBalancerStatus(svc));
  return errs;
}

function validateUpgradeDowngradeClusterIPs(old: Spec, spec: Spec, oldHeadless: boolean, headless: boolean): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName' || (oldHeadless && headless)) return [];
  const errs: FieldError[] = [];
  const before = old.clusterIPs ?? [];
  const after = spec.clusterIPs ?? [];
  const changed = 'may not change once set';
  if (before.length === after.length) {
    before.forEach((ip, i) => {
      if (ip !== after[i]) errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, after, changed));
    });
  } else if (before.length > after.length) {
    if (after.length === 0) errs.push(fieldErrors.invalid('spec.clusterIPs[0]', after, 'primary clusterIP can not be unset'));
    if (before.length > 0 && after.length > 0 && after[0] !== before[0]) errs.push(fieldErrors.invalid('spec.clusterIPs[0]', after, changed));
    if (after.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(fieldErrors.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (before.length > 0 && after[0] !== before[0]) {
    errs.push(fieldErrors.invalid('spec.clusterIPs[0]', after, changed));
  }
  return errs;
}

function validateUpgradeDowngradeIPFamilies(old: Spec, spec: Spec, oldHeadless: boolean, headless: boolean): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName' || oldHeadless !== headless || headless) return [];
  const errs: FieldError[] = [];
  const before = old.ipFamilies ?? [];
  const after = spec.ipFamilies ?? [];
  const changed = 'may not change once set';
  if (before.length === after.length) {
    before.forEach((f, i) => {
      if (f !== after[i]) errs.push(fieldErrors.invalid('spec.ipFamilies[0]', after, changed));
    });
  } else if (before.length > after.length) {
    if (!spec.clusterIPs?.length) errs.push(fieldErrors.invalid('spec.ipFamilies[0]', after, 'primary ipFamily can not be unset'));
    if (after.length > 0 && after[0] !== before[0]) errs.push(fieldErrors.invalid('spec.ipFamilies[0]', spec.clusterIPs ?? [], changed));
    if (after.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(fieldErrors.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (before.length > 0 && after.length > 0 && after[0] !== before[0]) {
    errs.push(fieldErrors.invalid('spec.ipFamilies[0]', spec.clusterIPs ?? [], changed));
  }
  return errs;
}

/** ValidateServiceUpdate's own rules (ValidateService runs as well). */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const oldSpec = old.spec ?? {};
  const headless = isHeadlessService(svc);
  const oldHeadless = isHeadlessService(old);
  const errs = [
    ...validateUpgradeDowngradeClusterIPs(oldSpec, spec, oldHeadless, headless),
    ...validateUpgradeDowngradeIPFamilies(oldSpec, spec, oldHeadless, headless),
  ];
  if (oldSpec.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && oldSpec.loadBalancerClass !== spec.loadBalancerClass) {
    errs.push(fieldErrors.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && oldSpec.healthCheckNodePort !== spec.healthCheckNodePort) {
    errs.push(fieldErrors.forbidden('spec.healthCheckNodePort', FIELD_IMMUTABLE_ERROR_MSG));
  }
  return errs;
}

// ---- table ----

/** The EXTERNAL-IP cell: external IPs, load balancer ingress, `<pending>`, or the external name. */
function externalIPCell(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = new Set<string>();
      for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
        if (ing.ip) ingress.add(ing.ip);
        else if (ing.hostname) ingress.add(ing.hostname);
      }
      const lb = [...ingress].sort();
      if (externalIPs.length) return [...lb, ...externalIPs].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function portsCell(ports: ServicePort[] | undefined): string {
  const cell = (ports ?? []).map((p) => (p.nodePort ? `${p.port ?? 0}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port ?? 0}/${p.protocol ?? ''}`)).join(',');
  return cell || '<none>';
}

/** labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

export const services: ResourceDefinition<Service> = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  nameRule: 'dns1035-label',
  schemaName: 'io.k8s.api.core.v1.Service',
  definitions,
  subresources: { status: true, others: ['proxy'] },
  allowCreateOnUpdate: true,
  returnDeletedObject: true,
  defaults(svc) {
    const spec = (svc.spec ??= {});
    spec.sessionAffinity ||= 'None';
    if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
    if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
    spec.type ||= 'ClusterIP';
    for (const p of spec.ports ?? []) {
      p.protocol ||= 'TCP';
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port ?? 0;
    }
    if (externallyAccessible(spec)) spec.externalTrafficPolicy ||= 'Cluster';
    if (spec.internalTrafficPolicy === undefined && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
      spec.internalTrafficPolicy = 'Cluster';
    }
    if (spec.type === 'LoadBalancer') {
      spec.allocateLoadBalancerNodePorts ??= true;
      for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip && ing.ipMode === undefined) ing.ipMode = 'VIP';
    }
  },
  prepareForCreate(svc) {
    Object.assign(svc, { status: { loadBalancer: {} } });
  },
  prepareForUpdate(svc, old) {
    Object.assign(svc, { status: old.status });
    dropTypeDependentFields(svc, old);
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  table: table<Service>(
    [
      { name: 'Type', type: 'string', description: 'How the service is exposed.' },
      { name: 'Cluster-IP', type: 'string', description: 'The virtual IP of the service.' },
      { name: 'External-IP', type: 'string', description: 'The IPs or names the service is reachable at from outside the cluster.' },
      { name: 'Port(s)', type: 'string', description: 'The ports the service exposes.' },
    ],
    (svc) => [svc.spec?.type ?? '', svc.spec?.clusterIPs?.[0] ?? '<none>', externalIPCell(svc), portsCell(svc.spec?.ports)],
    {
      columns: [{ name: 'Selector', type: 'string', description: 'Pods with labels matching this selector receive the traffic.' }],
      cells: (svc) => [formatLabels(svc.spec?.selector)],
    },
  ),
  fieldSelectors: {
    'spec.clusterIP': (svc) => svc.spec?.clusterIP ?? '',
    'spec.type': (svc) => svc.spec?.type ?? '',
  },
};
