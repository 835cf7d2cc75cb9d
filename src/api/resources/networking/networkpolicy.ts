// networking.k8s.io/v1 NetworkPolicy: which traffic may reach (ingress) and leave (egress) selected pods.
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec, IPBlock } from 'kubernetes-types/networking/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, enumOf, int32, intOrString, kindSchema, labelSelector, list, object, ref, str } from '../../schema/build.js';
import { goStringSlice } from '../../meta/go.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';
import { isValidCIDR, isValidPortName, isValidPortNum, parseCIDRSloppy, validateLabelSelector } from '../../meta/validation.js';
import { labelSelectorAsString } from '../../meta/labels.js';
import { table } from '../table.js';

/** core/v1 Protocol values, as the OpenAPI enum lists them (sorted). */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
/** The order upstream's validation messages list supported protocols in. */
const SUPPORTED_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

const V1 = 'io.k8s.api.networking.v1';
const atomic = { 'x-kubernetes-list-type': 'atomic' } as const;

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.NetworkPolicy`]: kindSchema(
    { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
    { spec: ref(`${V1}.NetworkPolicySpec`, { default: {}, description: 'Which pods the policy selects and which traffic it allows them.' }) },
    { proto: { metadata: 1, spec: 2 }, description: 'NetworkPolicy describes what network traffic is allowed for a set of pods.' },
  ),
  [`${V1}.NetworkPolicySpec`]: object(
    {
      podSelector: labelSelector({ default: {}, description: 'The pods in this namespace the policy applies to; empty selects all.' }),
      ingress: list(ref(`${V1}.NetworkPolicyIngressRule`, { default: {} }), { ...atomic, description: 'Traffic allowed into the selected pods.' }),
      egress: list(ref(`${V1}.NetworkPolicyEgressRule`, { default: {} }), { ...atomic, description: 'Traffic allowed out of the selected pods.' }),
      policyTypes: list(enumOf(['Egress', 'Ingress'], { default: '' }), {
        ...atomic,
        description: 'The directions the policy isolates: Ingress, Egress or both; defaulted from the rules present.',
      }),
    },
    {
      proto: { podSelector: 1, ingress: 2, egress: 3, policyTypes: 4 },
      required: ['podSelector'],
      description: 'The desired behaviour of a NetworkPolicy.',
    },
  ),
  [`${V1}.NetworkPolicyIngressRule`]: object(
    {
      ports: list(ref(`${V1}.NetworkPolicyPort`, { default: {} }), { ...atomic, description: 'Destination ports allowed; empty allows all.' }),
      from: list(ref(`${V1}.NetworkPolicyPeer`, { default: {} }), { ...atomic, description: 'Sources allowed; empty allows all.' }),
    },
    { proto: { ports: 1, from: 2 }, description: 'Traffic allowed into the selected pods: it must match both ports and from.' },
  ),
  [`${V1}.NetworkPolicyEgressRule`]: object(
    {
      ports: list(ref(`${V1}.NetworkPolicyPort`, { default: {} }), { ...atomic, description: 'Destination ports allowed; empty allows all.' }),
      to: list(ref(`${V1}.NetworkPolicyPeer`, { default: {} }), { ...atomic, description: 'Destinations allowed; empty allows all.' }),
    },
    { proto: { ports: 1, to: 2 }, description: 'Traffic allowed out of the selected pods: it must match both ports and to.' },
  ),
  [`${V1}.NetworkPolicyPort`]: object(
    {
      protocol: enumOf(PROTOCOLS, { description: 'TCP, UDP or SCTP; defaults to TCP.' }),
      port: intOrString({ description: 'A port number or named pod port; absent matches every port.' }),
      endPort: int32({ description: 'With a numeric port, the last port of the allowed range.' }),
    },
    { proto: { protocol: 1, port: 2, endPort: 3 }, protoPointers: ['protocol', 'endPort'], description: 'A port (or port range) traffic may use.' },
  ),
  [`${V1}.NetworkPolicyPeer`]: object(
    {
      podSelector: labelSelector({ description: 'Pods selected by label (in the namespaces namespaceSelector picks, else this one).' }),
      namespaceSelector: labelSelector({ description: 'Namespaces selected by label; empty selects all.' }),
      ipBlock: ref(`${V1}.IPBlock`, { description: 'A CIDR range; excludes the other two fields.' }),
    },
    { proto: { podSelector: 1, namespaceSelector: 2, ipBlock: 3 }, description: 'A peer traffic may come from or go to.' },
  ),
  [`${V1}.IPBlock`]: object(
    {
      cidr: str({ default: '', description: 'The allowed range, such as 192.168.1.0/24 or 2001:db8::/64.' }),
      except: list(str({ default: '' }), { ...atomic, description: 'Ranges inside cidr that are not allowed.' }),
    },
    { proto: { cidr: 1, except: 2 }, required: ['cidr'], description: 'A range of IP addresses a peer may have.' },
  ),
});

export function validateNetworkPolicyPort(port: NetworkPolicyPort, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !SUPPORTED_PROTOCOLS.includes(port.protocol)) {
    errs.push(fieldErrors.notSupported(path.child('protocol').path, port.protocol, SUPPORTED_PROTOCOLS));
  }
  const endPortPath = path.child('endPort').path;
  if (port.port === undefined) {
    if (port.endPort !== undefined) errs.push(fieldErrors.invalid(endPortPath, port.endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof port.port === 'number') {
    for (const msg of isValidPortNum(port.port)) errs.push(fieldErrors.invalid(path.child('port').path, port.port, msg));
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) errs.push(fieldErrors.invalid(endPortPath, port.endPort, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(port.endPort)) errs.push(fieldErrors.invalid(endPortPath, port.endPort, msg));
    }
  } else {
    if (port.endPort !== undefined) errs.push(fieldErrors.invalid(endPortPath, port.endPort, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(port.port)) errs.push(fieldErrors.invalid(path.child('port').path, port.port, msg));
  }
  return errs;
}

type ParsedCIDR = NonNullable<ReturnType<typeof parseCIDRSloppy>>;

/** net.IPNet.Contains of `inner`'s network address: same family and the outer prefix bits agree. */
function cidrContains(outer: ParsedCIDR, inner: ParsedCIDR): boolean {
  if (outer.bits !== inner.bits) return false;
  const offset = outer.bits === 32 ? 12 : 0;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const byte = offset + (bit >> 3);
    const mask = 0x80 >> (bit & 7);
    if ((outer.ip[byte] & mask) !== (inner.ip[byte] & mask)) return false;
  }
  return true;
}

function validateIPBlock(block: IPBlock, path: FieldPath): FieldError[] {
  if (!block.cidr) return [fieldErrors.required(path.child('cidr').path, '')];
  const errs = isValidCIDR(path.child('cidr'), block.cidr);
  const cidr = parseCIDRSloppy(block.cidr);
  if (!cidr) return errs;
  (block.except ?? []).forEach((except, i) => {
    const p = path.child('except').index(i);
    errs.push(...isValidCIDR(p, except));
    const inner = parseCIDRSloppy(except);
    if (inner && (!cidrContains(cidr, inner) || cidr.prefix >= inner.prefix)) {
      errs.push(fieldErrors.invalid(p.path, except, 'must be a strict subset of `cidr`'));
    }
  });
  return errs;
}

function validatePeer(peer: NetworkPolicyPeer, allowInvalidLabelValueInSelector: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const opts = { allowInvalidLabelValueInSelector };
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, opts, path.child('podSelector')));
  }
  if (peer.namespaceSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, opts, path.child('namespaceSelector')));
  }
  if (peer.ipBlock) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, path.child('ipBlock')));
  }
  if (peers === 0) errs.push(fieldErrors.required(path.path, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock) errs.push(fieldErrors.forbidden(path.path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateSpec(spec: NetworkPolicySpec, allowInvalidLabelValueInSelector: boolean, path: FieldPath): FieldError[] {
  const errs = validateLabelSelector(spec.podSelector, { allowInvalidLabelValueInSelector }, path.child('podSelector'));
  const rule = (ports: NetworkPolicyPort[] | undefined, peers: NetworkPolicyPeer[] | undefined, rulePath: FieldPath, peersField: string) => {
    (ports ?? []).forEach((port, j) => errs.push(...validateNetworkPolicyPort(port, rulePath.child('ports').index(j))));
    (peers ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, allowInvalidLabelValueInSelector, rulePath.child(peersField).index(j))));
  };
  (spec.ingress ?? []).forEach((r, i) => rule(r.ports, r.from, path.child('ingress').index(i), 'from'));
  (spec.egress ?? []).forEach((r, i) => rule(r.ports, r.to, path.child('egress').index(i), 'to'));
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    errs.push(fieldErrors.invalid(path.child('policyTypes').path, new GoValue(goStringSlice(types, 'networking.PolicyType')), 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(fieldErrors.notSupported(path.child('policyTypes').index(i).path, t, POLICY_TYPES));
  });
  return errs;
}

export const networkPolicies: ResourceDefinition<NetworkPolicy> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  schemaName: `${V1}.NetworkPolicy`,
  definitions,
  tracksGeneration: true,
  defaults(np) {
    const spec = (np.spec ??= { podSelector: {} });
    for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
      for (const port of rule.ports ?? []) port.protocol ??= 'TCP';
    }
    // Every policy isolates ingress; egress only when it has egress rules (or says so).
    if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  validate(np, ctx) {
    // A stored selector that is already invalid may stay so (ValidationOptionsForNetworking).
    const oldSelector = (ctx.old as NetworkPolicy | undefined)?.spec?.podSelector;
    const allowInvalid = !!ctx.old && validateLabelSelector(oldSelector, {}, new FieldPath('spec.podSelector')).length > 0;
    return validateSpec(np.spec ?? { podSelector: {} }, allowInvalid, new FieldPath('spec'));
  },
  table: table<NetworkPolicy>([{ name: 'Pod-Selector', type: 'string', description: 'The pods the policy applies to.' }], (np) => [
    labelSelectorAsString(np.spec?.podSelector),
  ]),
};
