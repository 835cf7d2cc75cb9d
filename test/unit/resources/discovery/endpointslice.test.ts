import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { endpointSlices } from '../../../../src/api/resources/discovery/endpointslice.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from '../networking/fixture.js';

function slice(addressType: string, endpoints: EndpointSlice['endpoints'], ports?: EndpointSlice['ports']): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' }, creationTimestamp: CREATED },
    addressType,
    endpoints,
    ports,
  };
}

test('a full endpoint slice passes schema validation with no unknown fields', () => {
  const full = slice(
    'IPv4',
    [
      {
        addresses: ['10.244.1.5'],
        conditions: { ready: true, serving: true, terminating: false },
        hostname: 'web-0',
        nodeName: 'node-1',
        zone: 'us-east-1a',
        targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: '1f8a7c3e-0000-4000-8000-000000000000' },
        hints: { forZones: [{ name: 'us-east-1a' }] },
      },
    ],
    [{ name: 'http', protocol: 'TCP', port: 8080, appProtocol: 'http' }],
  );
  assert.deepEqual(schemaProblems(full, endpointSlices.schemaName), []);
  assert.deepEqual(createErrors(endpointSlices, full), []);
});

test('ports default to an empty name and TCP', () => {
  const s = created(endpointSlices, slice('IPv4', [], [{ port: 80 }]));
  assert.deepEqual(s.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

test('writes through v1 drop deprecatedTopology', () => {
  const s = created(endpointSlices, slice('IPv4', [{ addresses: ['10.0.0.1'], deprecatedTopology: { 'kubernetes.io/hostname': 'node-1' } }]));
  assert.deepEqual(s.endpoints[0], { addresses: ['10.0.0.1'], conditions: {} });
});

test('the address type is required, known and immutable', () => {
  assert.deepEqual(createErrors(endpointSlices, slice('', [])), ['addressType: Required value']);
  assert.deepEqual(createErrors(endpointSlices, slice('IP', [])), ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']);
  const old = created(endpointSlices, slice('IPv4', []));
  assert.deepEqual(updateErrors(endpointSlices, slice('IPv6', []), old), ['addressType: Invalid value: "IPv6": field is immutable']);
});

test('at most 1000 endpoints, each with 1 to 100 addresses of the slice type', () => {
  const many = Array.from({ length: 1001 }, (_, i) => ({ addresses: [`10.0.${i >> 8}.${(i & 255) + 1}`] }));
  assert.deepEqual(createErrors(endpointSlices, slice('IPv4', many)), ['endpoints: Too many: 1001: must have at most 1000 items']);
  assert.deepEqual(createErrors(endpointSlices, slice('IPv4', [{ addresses: [] }])), ['endpoints[0].addresses: Required value: must contain at least 1 address']);
  assert.deepEqual(createErrors(endpointSlices, slice('IPv4', [{ addresses: ['fd00::1', '127.0.0.1', '169.254.1.1', '0.0.0.0'] }])), [
    'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
    'endpoints[0].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'endpoints[0].addresses[2]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    'endpoints[0].addresses[3]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
  ]);
  assert.deepEqual(createErrors(endpointSlices, slice('IPv6', [{ addresses: ['fd00::1', '::1', '10.0.0.1'] }])), [
    'endpoints[0].addresses[1]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'endpoints[0].addresses[2]: Invalid value: "10.0.0.1": must be a valid IPv6 address',
  ]);
  assert.deepEqual(createErrors(endpointSlices, slice('FQDN', [{ addresses: ['db.example.com.', 'localhost'] }])), [
    'endpoints[0].addresses[1]: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
  ]);
});

test('hostnames are DNS labels and zone hints unique', () => {
  const s = slice('IPv4', [{ addresses: ['10.0.0.1'], hostname: 'a.b', hints: { forZones: [{ name: 'z1' }, { name: 'z1' }] } }]);
  assert.deepEqual(createErrors(endpointSlices, s), [
    'endpoints[0].hostname: Invalid value: "a.b": must not contain dots',
    'endpoints[0].hints.forZones[1].name: Duplicate value: "z1"',
  ]);
});

test('port names are unique DNS labels, protocols known', () => {
  const s = slice('IPv4', [], [{ name: 'http', port: 80 }, { name: 'http', port: 81 }, { name: 'Web', protocol: 'ICMP' }, { appProtocol: 'a/b/c' }]);
  const errs = createErrors(endpointSlices, s);
  assert.deepEqual(errs.slice(0, 3), [
    'ports[1].name: Duplicate value: "http"',
    "ports[2].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    'ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.match(errs[3], /^ports\[3\]\.appProtocol: Invalid value: "a\/b\/c": a qualified name must consist of/);
});

test('table: NAME ADDRESSTYPE PORTS ENDPOINTS AGE', () => {
  assert.deepEqual(columns(endpointSlices), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  const s = slice(
    'IPv4',
    [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
    [{ port: 80 }, { name: 'metrics' }, {}, { port: 9000 }],
  );
  assert.deepEqual(cells(endpointSlices, s), ['web-abc12', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '5h']);
  assert.deepEqual(cells(endpointSlices, slice('IPv6', [])).slice(2, 4), ['<unset>', '<unset>']);
});
