// discovery.k8s.io/v1 EndpointSlice: a slice of a service's endpoints, of one address type.
import type { Endpoint, EndpointHints, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, kindSchema, list, object, ref, str, stringMap } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidIPv4Address,
  isValidIPv6Address,
  isValidLabelValue,
  nameIsDNSSubdomain,
  validateLabels,
} from '../../meta/validation.js';
import { deepEqual } from '../../patch/json.js';
import { table } from '../table.js';
import { PROTOCOLS } from '../networking/networkpolicy.js';
import { validateNonSpecialIP } from '../core/service.js';

const V1 = 'io.k8s.api.discovery.v1';
const atomic = { 'x-kubernetes-list-type': 'atomic' } as const;

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.EndpointSlice`]: kindSchema(
    { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
    {
      addressType: enumOf(['FQDN', 'IPv4', 'IPv6'], { default: '', description: 'The type of every address in the slice: IPv4, IPv6 or FQDN; immutable.' }),
      endpoints: list(ref(`${V1}.Endpoint`, { default: {} }), { ...atomic, description: 'The endpoints, at most 1000.' }),
      ports: list(ref(`${V1}.EndpointPort`, { default: {} }), { ...atomic, nullable: true, description: 'The ports every endpoint exposes; empty means none are known.' }),
    },
    {
      proto: { metadata: 1, addressType: 4, endpoints: 2, ports: 3 },
      required: ['addressType', 'endpoints'],
      description: 'EndpointSlice holds a subset of the endpoints of a service.',
    },
  ),
  [`${V1}.Endpoint`]: object(
    {
      addresses: list(str({ default: '' }), {
        'x-kubernetes-list-type': 'set',
        description: 'The addresses of the endpoint, interchangeable for consumers; 1 to 100.',
      }),
      conditions: ref(`${V1}.EndpointConditions`, { default: {}, description: 'The state of the endpoint.' }),
      hostname: str({ description: 'The DNS label the endpoint is known by.' }),
      targetRef: ref('io.k8s.api.core.v1.ObjectReference', { description: 'The object behind the endpoint, usually a pod.' }),
      deprecatedTopology: stringMap({ additionalProperties: str({ default: '' }), description: 'Legacy topology labels; dropped on writes through v1.' }),
      nodeName: str({ description: 'The node hosting the endpoint.' }),
      zone: str({ description: 'The zone the endpoint is in.' }),
      hints: ref(`${V1}.EndpointHints`, { description: 'How consumers should route to the endpoint.' }),
    },
    {
      proto: { addresses: 1, conditions: 2, hostname: 3, targetRef: 4, deprecatedTopology: 5, nodeName: 6, zone: 7, hints: 8 },
      protoPointers: ['hostname', 'nodeName', 'zone'],
      required: ['addresses'],
      description: 'One logical backend of a service.',
    },
  ),
  [`${V1}.EndpointConditions`]: object(
    {
      ready: bool({ description: 'Whether the endpoint is ready for traffic; unknown when absent.' }),
      serving: bool({ description: 'Whether the endpoint could serve, regardless of terminating.' }),
      terminating: bool({ description: 'Whether the endpoint is terminating.' }),
    },
    { proto: { ready: 1, serving: 2, terminating: 3 }, protoPointers: ['ready', 'serving', 'terminating'], description: 'The current state of an endpoint.' },
  ),
  [`${V1}.EndpointHints`]: object(
    { forZones: list(ref(`${V1}.ForZone`, { default: {} }), { ...atomic, description: 'Zones that should consume the endpoint.' }) },
    { proto: { forZones: 1 }, description: 'Routing hints for an endpoint.' },
  ),
  [`${V1}.ForZone`]: object(
    { name: str({ default: '', description: 'The name of the zone.' }) },
    { proto: { name: 1 }, required: ['name'], description: 'A zone that should consume an endpoint.' },
  ),
  [`${V1}.EndpointPort`]: object(
    {
      name: str({ description: 'The port name; unique in the slice, empty at most once.' }),
      protocol: enumOf(PROTOCOLS, { description: 'TCP, UDP or SCTP; defaults to TCP.' }),
      port: int32({ description: 'The port number; absent means every port.' }),
      appProtocol: str({ description: 'The application protocol of the port.' }),
    },
    {
      proto: { name: 1, protocol: 2, port: 3, appProtocol: 4 },
      protoPointers: ['name', 'protocol', 'port', 'appProtocol'],
      'x-kubernetes-map-type': 'atomic',
      description: 'A port of the endpoints of a slice.',
    },
  ),
});

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** validation.IsFullyQualifiedDomainName: a DNS subdomain of at least two labels, a trailing dot allowed. */
export function isFullyQualifiedDomainName(path: FieldPath, value: string): FieldError[] {
  if (!value) return [fieldErrors.required(path.path, '')];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const subdomainErrs = isDNS1123Subdomain(name);
  if (subdomainErrs.length) return [fieldErrors.invalid(path.path, name, subdomainErrs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [fieldErrors.invalid(path.path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length) return [fieldErrors.invalid(path.path, label, errs.join(','))];
  }
  return [];
}

function validateAddress(address: string, addressType: string, path: FieldPath): FieldError[] {
  switch (addressType) {
    case 'IPv4': {
      const errs = isValidIPv4Address(path, address);
      return errs.length ? errs : validateNonSpecialIP(address, path);
    }
    case 'IPv6': {
      const errs = isValidIPv6Address(path, address);
      return errs.length ? errs : validateNonSpecialIP(address, path);
    }
    case 'FQDN':
      return isFullyQualifiedDomainName(path, address);
    default:
      return [];
  }
}

function validateHints(hints: EndpointHints, path: FieldPath): FieldError[] {
  const zonesPath = path.child('forZones');
  const zones = hints.forZones ?? [];
  if (zones.length > MAX_ZONE_HINTS) return [fieldErrors.tooMany(zonesPath.path, zones.length, MAX_ZONE_HINTS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((zone, i) => {
    const p = zonesPath.index(i).child('name').path;
    const name = zone.name ?? '';
    if (seen.has(name)) errs.push(fieldErrors.duplicate(p, name));
    seen.add(name);
    for (const msg of isValidLabelValue(name)) errs.push(fieldErrors.invalid(p, name, msg));
  });
  return errs;
}

function validateEndpoints(endpoints: Endpoint[], addressType: string, path: FieldPath): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [fieldErrors.tooMany(path.path, endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = path.index(i);
    const addressesPath = p.child('addresses');
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(fieldErrors.required(addressesPath.path, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(fieldErrors.tooMany(addressesPath.path, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, addressType, addressesPath.index(j))));
    if (ep.nodeName != null) {
      for (const msg of nameIsDNSSubdomain(ep.nodeName, false)) errs.push(fieldErrors.invalid(p.child('nodeName').path, ep.nodeName, msg));
    }
    const topologyPath = p.child('deprecatedTopology');
    const topology = ep.deprecatedTopology ?? {};
    const topologyLabels = Object.keys(topology).length;
    if (topologyLabels > MAX_TOPOLOGY_LABELS) errs.push(fieldErrors.tooMany(topologyPath.path, topologyLabels, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, topologyPath));
    if (ep.hostname != null) {
      for (const msg of isDNS1123Label(ep.hostname)) errs.push(fieldErrors.invalid(p.child('hostname').path, ep.hostname, msg));
    }
    if (ep.hints) errs.push(...validateHints(ep.hints, p.child('hints')));
  });
  return errs;
}

function validatePorts(ports: EndpointPort[], path: FieldPath): FieldError[] {
  if (ports.length > MAX_PORTS) return [fieldErrors.tooMany(path.path, ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = path.index(i);
    const name = port.name ?? '';
    if (name) for (const msg of isDNS1123Label(name)) errs.push(fieldErrors.invalid(p.child('name').path, name, msg));
    if (names.has(name)) errs.push(fieldErrors.duplicate(p.child('name').path, name));
    names.add(name);
    if (port.protocol == null) errs.push(fieldErrors.required(p.child('protocol').path, ''));
    else if (!SUPPORTED_PROTOCOLS.includes(port.protocol)) errs.push(fieldErrors.notSupported(p.child('protocol').path, port.protocol, SUPPORTED_PROTOCOLS));
    if (port.appProtocol != null) {
      for (const msg of isQualifiedName(port.appProtocol)) errs.push(fieldErrors.invalid(p.child('appProtocol').path, port.appProtocol, msg));
    }
  });
  return errs;
}

/**
 * Writes through v1 drop deprecatedTopology; an endpoint without nodeName keeps the node its old
 * topology named (when the old slice named it too), so partial updates lose nothing.
 */
function dropDeprecatedTopology(slice: EndpointSlice, old?: EndpointSlice): void {
  const previousNodes = new Set<string>();
  for (const ep of old?.endpoints ?? []) {
    const node = ep.deprecatedTopology?.[HOSTNAME_LABEL];
    if (node !== undefined) previousNodes.add(node);
  }
  for (const ep of slice.endpoints ?? []) {
    const node = ep.deprecatedTopology?.[HOSTNAME_LABEL];
    if (ep.nodeName == null && node !== undefined && previousNodes.has(node) && nameIsDNSSubdomain(node, false).length === 0) ep.nodeName = node;
    delete ep.deprecatedTopology;
  }
}

/** The PORTS and ENDPOINTS cells: up to three values, then `+ N more...`; `<unset>` when empty. */
function listWithMore(values: string[], count: number): string {
  const max = 3;
  if (count > max) return `${values.slice(0, max).join(',')} + ${count - max} more...`;
  return values.length ? values.join(',') : '<unset>';
}

export const endpointSlices: ResourceDefinition<EndpointSlice> = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  schemaName: `${V1}.EndpointSlice`,
  definitions,
  tracksGeneration: true,
  defaults(slice) {
    for (const port of slice.ports ?? []) {
      port.name ??= '';
      port.protocol ??= 'TCP';
    }
  },
  prepareForCreate(slice) {
    dropDeprecatedTopology(slice);
  },
  prepareForUpdate(slice, old) {
    // Unchanged endpoints keep what they were stored with.
    if (!deepEqual(slice.endpoints ?? [], old.endpoints ?? [])) dropDeprecatedTopology(slice, old);
  },
  validate(slice) {
    const errs: FieldError[] = [];
    const addressType = slice.addressType ?? '';
    if (!addressType) errs.push(fieldErrors.required('addressType', ''));
    else if (!ADDRESS_TYPES.includes(addressType)) errs.push(fieldErrors.notSupported('addressType', addressType, ADDRESS_TYPES));
    errs.push(...validateEndpoints(slice.endpoints ?? [], addressType, new FieldPath('endpoints')));
    errs.push(...validatePorts(slice.ports ?? [], new FieldPath('ports')));
    return errs;
  },
  validateUpdate(slice, old) {
    const addressType = slice.addressType ?? '';
    return addressType === (old.addressType ?? '') ? [] : [fieldErrors.invalid('addressType', addressType, FIELD_IMMUTABLE_ERROR_MSG)];
  },
  table: table<EndpointSlice>(
    [
      { name: 'AddressType', type: 'string', description: 'The type of the addresses in the slice.' },
      { name: 'Ports', type: 'string', description: 'The ports of the endpoints.' },
      { name: 'Endpoints', type: 'string', description: 'The addresses of the endpoints.' },
    ],
    (slice) => {
      const ports = slice.ports ?? [];
      const portCells = ports.slice(0, 3).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
      const addresses: string[] = [];
      let count = 0;
      for (const ep of slice.endpoints ?? []) {
        for (const a of ep.addresses ?? []) {
          if (addresses.length < 3) addresses.push(a);
          count++;
        }
      }
      return [slice.addressType ?? '', listWithMore(portCells, ports.length), listWithMore(addresses, count)];
    },
  ),
};
