// core/v1 Endpoints: the addresses behind a service, written by the endpoints controller.
import type { EndpointAddress, EndpointPort, Endpoints } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, enumOf, int32, kindSchema, list, object, ref, str } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { isDNS1123Label, isQualifiedName, isValidIP, isValidPortNum, nameIsDNSSubdomain } from '../../meta/validation.js';
import { table } from '../table.js';
import { validateNonSpecialIP } from './service.js';

const V1 = 'io.k8s.api.core.v1';

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.Endpoints`]: kindSchema(
    { group: '', version: 'v1', kind: 'Endpoints' },
    {
      subsets: list(ref(`${V1}.EndpointSubset`, { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Groups of addresses that share the same ports.',
      }),
    },
    { proto: { metadata: 1, subsets: 2 }, description: 'Endpoints is the set of addresses and ports implementing a service.' },
  ),
  [`${V1}.EndpointSubset`]: object(
    {
      addresses: list(ref(`${V1}.EndpointAddress`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Addresses ready to serve.' }),
      notReadyAddresses: list(ref(`${V1}.EndpointAddress`, { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Addresses not ready to serve yet.',
      }),
      ports: list(ref(`${V1}.EndpointPort`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'The ports every address serves.' }),
    },
    { proto: { addresses: 1, notReadyAddresses: 2, ports: 3 }, description: 'Addresses sharing one set of ports.' },
  ),
  [`${V1}.EndpointAddress`]: object(
    {
      ip: str({ default: '', description: 'The IP of the endpoint.' }),
      hostname: str({ description: 'The hostname of the endpoint.' }),
      nodeName: str({ description: 'The node hosting the endpoint.' }),
      targetRef: ref(`${V1}.ObjectReference`, { description: 'The object (usually a pod) behind the endpoint.' }),
    },
    {
      proto: { ip: 1, hostname: 3, nodeName: 4, targetRef: 2 },
      protoPointers: ['nodeName'],
      required: ['ip'],
      'x-kubernetes-map-type': 'atomic',
      description: 'One endpoint address.',
    },
  ),
  [`${V1}.EndpointPort`]: object(
    {
      name: str({ description: 'The name of the port; matches a service port name.' }),
      port: int32({ default: 0, description: 'The port number.' }),
      protocol: enumOf(['SCTP', 'TCP', 'UDP'], { description: 'TCP, UDP or SCTP.' }),
      appProtocol: str({ description: 'The application protocol of the port.' }),
    },
    {
      proto: { name: 1, port: 2, protocol: 3, appProtocol: 4 },
      protoPointers: ['appProtocol'],
      required: ['port'],
      'x-kubernetes-map-type': 'atomic',
      description: 'One endpoint port.',
    },
  ),
});

function validateAddress(a: EndpointAddress, path: FieldPath): FieldError[] {
  const ip = a.ip ?? '';
  const errs = isValidIP(path.child('ip'), ip);
  if (a.hostname) for (const msg of isDNS1123Label(a.hostname)) errs.push(fieldErrors.invalid(path.child('hostname').path, a.hostname, msg));
  if (a.nodeName !== undefined) for (const msg of nameIsDNSSubdomain(a.nodeName, false)) errs.push(fieldErrors.invalid(path.child('nodeName').path, a.nodeName, msg));
  errs.push(...validateNonSpecialIP(ip, path.child('ip')));
  return errs;
}

function validatePort(p: EndpointPort, requireName: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(fieldErrors.required(path.child('name').path));
  else if (p.name) for (const msg of isDNS1123Label(p.name)) errs.push(fieldErrors.invalid(path.child('name').path, p.name, msg));
  for (const msg of isValidPortNum(p.port ?? 0)) errs.push(fieldErrors.invalid(path.child('port').path, p.port ?? 0, msg));
  if (!p.protocol) errs.push(fieldErrors.required(path.child('protocol').path));
  if (p.appProtocol !== undefined) for (const msg of isQualifiedName(p.appProtocol)) errs.push(fieldErrors.invalid(path.child('appProtocol').path, p.appProtocol, msg));
  return errs;
}

function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const path = new FieldPath('subsets').index(i);
    const addresses = ss.addresses ?? [];
    const notReady = ss.notReadyAddresses ?? [];
    if (addresses.length === 0 && notReady.length === 0) errs.push(fieldErrors.required(path.path, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, path.child('addresses').index(j))));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, path.child('notReadyAddresses').index(j))));
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => errs.push(...validatePort(p, ports.length > 1, path.child('ports').index(j))));
  });
  return errs;
}

const MAX_SHOWN = 3;

/** `10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...`, or `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    // Headless services may have no ports: list the bare IPs.
    const ports = ss.ports?.length ? ss.ports : [undefined];
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (shown.length === MAX_SHOWN) break;
        const ip = a.ip ?? '';
        shown.push(port === undefined ? ip : ip.includes(':') ? `[${ip}]:${port.port ?? 0}` : `${ip}:${port.port ?? 0}`);
      }
    }
  }
  const list = shown.join(',');
  return count > MAX_SHOWN ? `${list} + ${count - MAX_SHOWN} more...` : list;
}

export const endpoints: ResourceDefinition<Endpoints> = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  schemaName: 'io.k8s.api.core.v1.Endpoints',
  definitions,
  allowCreateOnUpdate: true,
  defaults(ep) {
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
  },
  validate: validateEndpoints,
  table: table<Endpoints>([{ name: 'Endpoints', type: 'string', description: 'The addresses and ports behind the service.' }], (ep) => [formatEndpoints(ep)]),
};
