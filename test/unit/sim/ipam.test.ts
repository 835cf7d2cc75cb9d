import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, nodeInternalIP, nodePodCIDR, parseIPv4, PodIPAllocator } from '../../../src/sim/ipam.js';

test('each node gets its own /24 of the cluster range, the first 10.244.0.0/24', () => {
  assert.equal(nodePodCIDR('10.244.0.0/16', 0), '10.244.0.0/24');
  assert.equal(nodePodCIDR('10.244.0.0/16', 1), '10.244.1.0/24');
  assert.equal(nodePodCIDR('10.244.0.0/16', 255), '10.244.255.0/24');
  // Past the /16 (more than 256 nodes) the ranges go on, still distinct.
  assert.equal(nodePodCIDR('10.244.0.0/16', 256), '10.245.0.0/24');
  assert.equal(nodePodCIDR('10.244.0.0/16', 9_999), '11.27.15.0/24');
  // A base written with host bits starts at its network.
  assert.equal(nodePodCIDR('192.168.7.9/16', 2), '192.168.2.0/24');
  assert.throws(() => nodePodCIDR('10.244.0.0/25', 0), /\/24 or larger/);
  assert.throws(() => nodePodCIDR('10.244.0/16', 0), /invalid IPv4/);
});

test('node addresses count up from 172.18.0.2 as kind does', () => {
  assert.equal(nodeInternalIP(0), '172.18.0.2');
  assert.equal(nodeInternalIP(253), '172.18.0.255');
  assert.equal(nodeInternalIP(254), '172.18.1.0');
  assert.equal(formatIPv4(parseIPv4('255.255.255.255')), '255.255.255.255');
});

test('pod IPs start at .2 and are unique within the node', () => {
  const ips = new PodIPAllocator('10.244.3.0/24');
  assert.equal(ips.allocate(), '10.244.3.2');
  assert.equal(ips.allocate(), '10.244.3.3');
  const seen = new Set<string>(['10.244.3.2', '10.244.3.3']);
  for (let i = 0; i < 251; i++) {
    const ip = ips.allocate()!;
    assert.ok(!seen.has(ip), `${ip} handed out twice`);
    seen.add(ip);
  }
  assert.equal(ips.used, 253);
  assert.ok(!seen.has('10.244.3.1') && !seen.has('10.244.3.255') && !seen.has('10.244.3.0'));
  assert.equal(ips.allocate(), undefined, 'a full range has nothing left');
});

test('released IPs are reused only after the rest of the range, as host-local does', () => {
  const ips = new PodIPAllocator('10.244.0.0/24');
  const a = ips.allocate()!;
  ips.allocate();
  ips.release(a);
  assert.equal(ips.allocate(), '10.244.0.4', 'the next after the last, not the freed one');
  assert.equal(ips.used, 2);
});

test('a pod that already had an IP keeps it', () => {
  const ips = new PodIPAllocator('10.244.9.0/24');
  assert.equal(ips.reserve('10.244.9.7'), true);
  assert.equal(ips.reserve('10.244.9.7'), false, 'taken');
  assert.equal(ips.reserve('10.244.8.7'), false, 'another node');
  assert.equal(ips.reserve('10.244.9.1'), false, 'the gateway');
  assert.equal(ips.reserve('not-an-ip'), false);
  for (let i = 0; i < 5; i++) assert.notEqual(ips.allocate(), '10.244.9.7');
  assert.throws(() => new PodIPAllocator('10.244.0.0/23'), /not a \/24/);
});
