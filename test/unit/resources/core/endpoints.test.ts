import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { endpoints } from '../../../../src/api/resources/core/endpoints.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ep = (subsets: Endpoints['subsets']): Endpoints => ({ metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' }, subsets });

test('the ENDPOINTS cell lists three addresses and counts the rest', () => {
  const cells = (e: Endpoints) => endpoints.table!.cells(e, NOW);
  assert.deepEqual(endpoints.table!.columns.map((c) => c.name), ['Name', 'Endpoints', 'Age']);
  assert.deepEqual(cells(ep(undefined)), ['web', '<none>', '60m']);
  const four = ep([{ addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip })), ports: [{ port: 80 }] }]);
  assert.equal(cells(four)[1], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...');
  const twoPorts = ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], ports: [{ name: 'a', port: 80 }, { name: 'b', port: 443 }] }]);
  assert.equal(cells(twoPorts)[1], '10.0.0.1:80,[fd00::1]:80,10.0.0.1:443 + 1 more...');
  assert.equal(cells(ep([{ addresses: [{ ip: '10.0.0.9' }] }]))[1], '10.0.0.9');
});

test('defaults and validation of subsets', () => {
  const e = ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]);
  endpoints.defaults!(e);
  assert.equal(e.subsets![0].ports![0].protocol, 'TCP');
  assert.deepEqual(endpoints.validate!(e, {}), []);
  const bad = ep([
    { ports: [{ port: 80 }] },
    { addresses: [{ ip: '127.0.0.1' }, { ip: 'nope' }], ports: [{ port: 0, protocol: 'TCP' }, { name: 'b', port: 81, protocol: 'TCP' }] },
  ]);
  endpoints.defaults!(bad);
  assert.deepEqual(endpoints.validate!(bad, {}).map(fieldErrorString), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    'subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'subsets[1].addresses[1].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[1].addresses[1].ip: Invalid value: "nope": must be a valid IP address',
    'subsets[1].ports[0].name: Required value',
    'subsets[1].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.equal(endpoints.allowCreateOnUpdate, true);
});
