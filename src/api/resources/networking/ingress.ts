// networking.k8s.io/v1 Ingress: HTTP(S) routing by host and path to services, served by an ingress controller.
import type { HTTPIngressPath, Ingress, IngressBackend, IngressRule, IngressSpec, IngressStatus } from 'kubernetes-types/networking/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, enumOf, int32, kindSchema, list, object, ref, str } from '../../schema/build.js';
import { goSlice } from '../../meta/go.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';
import {
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  isDNS1123Subdomain,
  isValidIP,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  longerThan,
  maxLenError,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
  parseIPSloppy,
  regexError,
} from '../../meta/validation.js';
import { table } from '../table.js';
import { PROTOCOLS } from './networkpolicy.js';

const V1 = 'io.k8s.api.networking.v1';
const atomic = { 'x-kubernetes-list-type': 'atomic' } as const;

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.Ingress`]: kindSchema(
    { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
    {
      spec: ref(`${V1}.IngressSpec`, { default: {}, description: 'The routing rules the user wants.' }),
      status: ref(`${V1}.IngressStatus`, { default: {}, description: 'The addresses the ingress is reachable at.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'Ingress routes external HTTP(S) traffic to services by host and path.' },
  ),
  [`${V1}.IngressSpec`]: object(
    {
      ingressClassName: str({ description: 'The IngressClass whose controller implements this ingress.' }),
      defaultBackend: ref(`${V1}.IngressBackend`, { description: 'Where requests matching no rule go.' }),
      tls: list(ref(`${V1}.IngressTLS`, { default: {} }), { ...atomic, description: 'TLS termination on port 443, per set of hosts.' }),
      rules: list(ref(`${V1}.IngressRule`, { default: {} }), { ...atomic, description: 'Host rules; requests matching none go to the default backend.' }),
    },
    { proto: { ingressClassName: 4, defaultBackend: 1, tls: 2, rules: 3 }, protoPointers: ['ingressClassName'], description: 'The desired routing of an Ingress.' },
  ),
  [`${V1}.IngressTLS`]: object(
    {
      hosts: list(str({ default: '' }), { ...atomic, description: 'Hosts covered by the certificate.' }),
      secretName: str({ description: 'The Secret holding the certificate and key.' }),
    },
    { proto: { hosts: 1, secretName: 2 }, description: 'TLS settings for a set of hosts.' },
  ),
  [`${V1}.IngressRule`]: object(
    {
      host: str({ description: 'A DNS name, or a wildcard such as *.example.com; empty matches every host.' }),
      http: ref(`${V1}.HTTPIngressRuleValue`),
    },
    // IngressRuleValue, embedded inline, carries http as a message of its own (field 2).
    { proto: { host: 1 }, protoInline: [{ field: 2, proto: { http: 1 } }], description: 'Routing for one host.' },
  ),
  [`${V1}.HTTPIngressRuleValue`]: object(
    { paths: list(ref(`${V1}.HTTPIngressPath`, { default: {} }), { ...atomic, description: 'Paths mapped to backends.' }) },
    { proto: { paths: 1 }, required: ['paths'], description: 'HTTP routes of a rule.' },
  ),
  [`${V1}.HTTPIngressPath`]: object(
    {
      path: str({ description: 'The path matched against the request; must start with / for Exact and Prefix.' }),
      pathType: enumOf(['Exact', 'ImplementationSpecific', 'Prefix'], { description: 'How path is matched: Exact, Prefix or ImplementationSpecific.' }),
      backend: ref(`${V1}.IngressBackend`, { default: {}, description: 'Where matching requests go.' }),
    },
    { proto: { path: 1, pathType: 3, backend: 2 }, protoPointers: ['pathType'], required: ['pathType', 'backend'], description: 'A path and the backend it routes to.' },
  ),
  [`${V1}.IngressBackend`]: object(
    {
      service: ref(`${V1}.IngressServiceBackend`, { description: 'A Service as backend; excludes resource.' }),
      resource: ref('io.k8s.api.core.v1.TypedLocalObjectReference', { description: 'Another object in the namespace as backend; excludes service.' }),
    },
    { proto: { service: 4, resource: 3 }, description: 'A backend: a service port or another resource.' },
  ),
  [`${V1}.IngressServiceBackend`]: object(
    {
      name: str({ default: '', description: 'The Service, in the ingress namespace.' }),
      port: ref(`${V1}.ServiceBackendPort`, { default: {}, description: 'The service port, by name or number.' }),
    },
    { proto: { name: 1, port: 2 }, required: ['name'], description: 'A Service used as backend.' },
  ),
  [`${V1}.ServiceBackendPort`]: object(
    {
      name: str({ description: 'The name of the service port; excludes number.' }),
      number: int32({ description: 'The number of the service port; excludes name.' }),
    },
    { proto: { name: 1, number: 2 }, 'x-kubernetes-map-type': 'atomic', description: 'A service port, by name or number.' },
  ),
  [`${V1}.IngressStatus`]: object(
    { loadBalancer: ref(`${V1}.IngressLoadBalancerStatus`, { default: {}, description: 'The load balancer in front of the ingress.' }) },
    { proto: { loadBalancer: 1 }, description: 'The observed state of an Ingress.' },
  ),
  [`${V1}.IngressLoadBalancerStatus`]: object(
    { ingress: list(ref(`${V1}.IngressLoadBalancerIngress`, { default: {} }), { ...atomic, description: 'The ingress points of the load balancer.' }) },
    { proto: { ingress: 1 }, description: 'The state of the load balancer.' },
  ),
  [`${V1}.IngressLoadBalancerIngress`]: object(
    {
      ip: str({ description: 'An IP address of the ingress point.' }),
      hostname: str({ description: 'A DNS name of the ingress point.' }),
      ports: list(ref(`${V1}.IngressPortStatus`, { default: {} }), { ...atomic, description: 'The state of each port.' }),
    },
    { proto: { ip: 1, hostname: 2, ports: 4 }, description: 'One ingress point of the load balancer.' },
  ),
  [`${V1}.IngressPortStatus`]: object(
    {
      port: int32({ default: 0, description: 'The port number.' }),
      protocol: enumOf(PROTOCOLS, { default: '', description: 'TCP, UDP or SCTP.' }),
      error: str({ description: 'The problem with the port, as a CamelCase reason.' }),
    },
    { proto: { port: 1, protocol: 2, error: 3 }, protoPointers: ['error'], required: ['port', 'protocol'], description: 'The state of one port of an ingress point.' },
  ),
});

const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const SUPPORTED_PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

const wildcardDNS1123SubdomainFmt = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const wildcardDNS1123SubdomainRegexp = new RegExp(`^${wildcardDNS1123SubdomainFmt}$`);
const wildcardDNS1123SubdomainErrMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** validation.IsWildcardDNS1123Subdomain: `*.` then a DNS subdomain (RFC 1034 4.3.3). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_SUBDOMAIN_MAX_LENGTH)) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!wildcardDNS1123SubdomainRegexp.test(value)) errs.push(regexError(wildcardDNS1123SubdomainErrMsg, wildcardDNS1123SubdomainFmt, '*.example.com'));
  return errs;
}

/** What updates of an ingress stored under older, looser rules may keep (IngressValidationOptions). */
interface IngressOptions {
  allowInvalidSecretName: boolean;
  allowInvalidWildcardHostRule: boolean;
}

function hostErrors(host: string): string[] {
  return host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
}

function validateBackend(backend: IngressBackend, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const { service, resource } = backend;
  if (resource && service) return [fieldErrors.invalid(path.path, '', 'cannot set both resource and service backends')];
  if (resource) {
    const p = path.child('resource');
    if (resource.apiGroup != null) {
      for (const msg of isDNS1123Subdomain(resource.apiGroup)) errs.push(fieldErrors.invalid(p.child('apiGroup').path, resource.apiGroup, msg));
    }
    for (const f of ['kind', 'name'] as const) {
      const v = resource[f] ?? '';
      if (!v) errs.push(fieldErrors.required(p.child(f).path, ''));
      else for (const msg of isValidPathSegmentName(v)) errs.push(fieldErrors.invalid(p.child(f).path, v, msg));
    }
    return errs;
  }
  if (!service) return [fieldErrors.invalid(path.path, '', 'resource or service backend is required')];
  const name = service.name ?? '';
  const namePath = path.child('service').child('name').path;
  if (!name) errs.push(fieldErrors.required(namePath, ''));
  else for (const msg of nameIsDNS1035Label(name, false)) errs.push(fieldErrors.invalid(namePath, name, msg));
  const portName = service.port?.name ?? '';
  const portNumber = service.port?.number ?? 0;
  const portPath = path.child('service').child('port');
  if (portName && portNumber) errs.push(fieldErrors.invalid(path.path, '', 'cannot set both port name & port number'));
  else if (portName) for (const msg of isValidPortName(portName)) errs.push(fieldErrors.invalid(portPath.child('name').path, portName, msg));
  else if (portNumber) for (const msg of isValidPortNum(portNumber)) errs.push(fieldErrors.invalid(portPath.child('number').path, portNumber, msg));
  else errs.push(fieldErrors.required(path.path, 'port name or number is required'));
  return errs;
}

function validatePath(p: HTTPIngressPath, path: FieldPath): FieldError[] {
  if (p.pathType === undefined) return [fieldErrors.required(path.child('pathType').path, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = p.path ?? '';
  const pathPath = path.child('path').path;
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(fieldErrors.invalid(pathPath, value, 'must be an absolute path'));
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(fieldErrors.invalid(pathPath, value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(fieldErrors.invalid(pathPath, value, `cannot end with '${suffix}'`));
      break;
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/')) errs.push(fieldErrors.invalid(pathPath, value, 'must be an absolute path'));
      break;
    default:
      errs.push(fieldErrors.notSupported(path.child('pathType').path, p.pathType, SUPPORTED_PATH_TYPES));
  }
  errs.push(...validateBackend(p.backend ?? {}, path.child('backend')));
  return errs;
}

function validateRuleValue(rule: IngressRule, path: FieldPath): FieldError[] {
  if (!rule.http) return [];
  const httpPath = path.child('http');
  const paths = rule.http.paths ?? [];
  const errs: FieldError[] = paths.length === 0 ? [fieldErrors.required(httpPath.child('paths').path, '')] : [];
  paths.forEach((p, i) => errs.push(...validatePath(p, httpPath.child('paths').index(i))));
  return errs;
}

function validateRules(rules: IngressRule[], opts: IngressOptions, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const rulePath = path.index(i);
    const host = rule.host ?? '';
    const wildcard = host.includes('*');
    if (host) {
      const hostPath = rulePath.child('host').path;
      if (parseIPSloppy(host)) errs.push(fieldErrors.invalid(hostPath, host, 'must be a DNS name, not an IP address'));
      for (const msg of hostErrors(host)) errs.push(fieldErrors.invalid(hostPath, host, msg));
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...validateRuleValue(rule, rulePath));
  });
  return errs;
}

function validateTLS(spec: IngressSpec, opts: IngressOptions, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((host, j) => {
      for (const msg of hostErrors(host)) errs.push(fieldErrors.invalid(path.index(i).child('hosts').index(j).path, host, msg));
    });
    if (!opts.allowInvalidSecretName && tls.secretName) {
      for (const msg of nameIsDNSSubdomain(tls.secretName, false)) {
        errs.push(fieldErrors.invalid(path.index(i).child('secretName').path, tls.secretName, msg));
      }
    }
  });
  return errs;
}

function validateIngressSpec(spec: IngressSpec, opts: IngressOptions, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) {
    // A nil []networking.IngressRule: an empty list is left out like an unset one.
    errs.push(fieldErrors.invalid(path.path, new GoValue(goSlice('networking.IngressRule', null)), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, path.child('defaultBackend')));
  if (rules.length > 0) errs.push(...validateRules(rules, opts, path.child('rules')));
  if (spec.tls?.length) errs.push(...validateTLS(spec, opts, path.child('tls')));
  if (spec.ingressClassName != null) {
    for (const msg of nameIsDNSSubdomain(spec.ingressClassName, false)) {
      errs.push(fieldErrors.invalid(path.child('ingressClassName').path, spec.ingressClassName, msg));
    }
  }
  return errs;
}

function validateLoadBalancerStatus(status: IngressStatus | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (status?.loadBalancer?.ingress ?? []).forEach((ing, i) => {
    const p = path.child('ingress').index(i);
    if (ing.ip) errs.push(...isValidIP(p.child('ip'), ing.ip));
    if (ing.hostname) {
      for (const msg of isDNS1123Subdomain(ing.hostname)) errs.push(fieldErrors.invalid(p.child('hostname').path, ing.hostname, msg));
      if (parseIPSloppy(ing.hostname)) errs.push(fieldErrors.invalid(p.child('hostname').path, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** Options that let an update keep what an older apiserver accepted. */
function optionsFor(old: Ingress | undefined): IngressOptions {
  const spec = old?.spec;
  return {
    allowInvalidSecretName: (spec?.tls ?? []).some((t) => !!t.secretName && nameIsDNSSubdomain(t.secretName, false).length > 0),
    allowInvalidWildcardHostRule: (spec?.rules ?? []).some((r) => (r.host ?? '').includes('*') && validateRuleValue(r, new FieldPath()).length > 0),
  };
}

/** The ADDRESS cell: the distinct IPs (else hostnames) of the load balancer, sorted. */
function loadBalancerAddresses(ing: Ingress): string {
  const set = new Set<string>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

/** The HOSTS cell: up to three hosts, `*` when none. */
function formatHosts(rules: IngressRule[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const text = list.join(',');
  return more ? `${text} + ${rules.length - max} more...` : text;
}

export const ingresses: ResourceDefinition<Ingress> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  schemaName: `${V1}.Ingress`,
  definitions,
  subresources: { status: true },
  tracksGeneration: true,
  prepareForCreate(ing) {
    ing.status = { loadBalancer: {} };
  },
  validate(ing, ctx) {
    const old = ctx.old as Ingress | undefined;
    const errs = validateIngressSpec(ing.spec ?? {}, optionsFor(old), new FieldPath('spec'));
    errs.push(...validateLoadBalancerStatus(ing.status, new FieldPath('status.loadBalancer')));
    const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
    const className = ing.spec?.ingressClassName;
    if (!old && annotation !== undefined && className != null && annotation !== className) {
      errs.push(fieldErrors.invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified'));
    }
    return errs;
  },
  table: table<Ingress>(
    [
      { name: 'Class', type: 'string', description: 'The IngressClass of the ingress.' },
      { name: 'Hosts', type: 'string', description: 'The hosts the rules match.' },
      { name: 'Address', type: 'string', description: 'The addresses of the load balancer.' },
      { name: 'Ports', type: 'string', description: 'The ports the ingress serves: 80, and 443 with TLS.' },
    ],
    (ing) => [
      ing.spec?.ingressClassName ?? '<none>',
      formatHosts(ing.spec?.rules ?? []),
      loadBalancerAddresses(ing),
      ing.spec?.tls?.length ? '80, 443' : '80',
    ],
  ),
};
