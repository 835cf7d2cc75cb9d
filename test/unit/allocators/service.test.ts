import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import { isStatusError, type StatusError } from '../../../src/api/meta/status.js';
import { services as serviceKind } from '../../../src/api/resources/core/service.js';
import type { KubeObject, ResourceDefinition } from '../../../src/api/registry.js';
import type { AdmissionAttributes } from '../../../src/apiserver/admission/types.js';
import { serviceAllocation } from '../../../src/apiserver/allocators/service.js';
import { IPv4Range, pickFree, PortRange } from '../../../src/apiserver/allocators/range.js';

/** A Service as it reaches admission: decoded and defaulted. */
function svc(name: string, spec: Service['spec']): Service {
  const s: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: structuredClone(spec) };
  serviceKind.defaults!(s);
  return s;
}

/** A plugin over a mutable list standing in for the watch cache; creates are "stored" on success. */
function cluster(opts: { random?: () => number; now?: () => number } = {}) {
  const stored: Service[] = [];
  const plugin = serviceAllocation({ services: () => stored, ...opts });
  const attrs = (operation: 'CREATE' | 'UPDATE', object: Service, oldObject?: Service, dryRun = false): AdmissionAttributes => ({
    operation,
    def: serviceKind as ResourceDefinition,
    subresource: '',
    namespace: 'default',
    name: object.metadata?.name ?? '',
    object: object as KubeObject,
    oldObject: oldObject as KubeObject | undefined,
    dryRun,
    lookup: () => undefined, lookupConsistent: async () => undefined,
  });
  return {
    plugin,
    stored,
    create(s: Service, dryRun = false): Service {
      plugin.admit!(attrs('CREATE', s, undefined, dryRun));
      if (!dryRun) stored.push(s);
      return s;
    },
    update(s: Service, old: Service): Service {
      plugin.admit!(attrs('UPDATE', s, old));
      stored.splice(stored.indexOf(old), 1, s);
      return s;
    },
  };
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isStatusError(err));
    return (err as StatusError).status.message ?? '';
  }
  assert.fail('expected an error');
}

test('ranges: the service CIDR without network and broadcast, node ports 30000-32767', () => {
  const ips = new IPv4Range('10.96.0.0/12');
  assert.equal(ips.size, 2 ** 20 - 2);
  assert.equal(ips.dynamicOffset, 256);
  assert.equal(ips.valueAt(0), '10.96.0.1');
  assert.equal(ips.offsetOf('10.111.255.254'), ips.size - 1);
  assert.equal(ips.offsetOf('10.111.255.255'), undefined);
  assert.equal(ips.offsetOf('10.96.0.0'), undefined);
  assert.equal(ips.toString(), '10.96.0.0/12');
  const ports = PortRange.parse('30000-32767');
  assert.equal(ports.size, 2768);
  assert.equal(ports.dynamicOffset, 86);
  assert.equal(ports.offsetOf(29999), undefined);
});

test('dynamic picks prefer the upper band, then fall back to the lower one', () => {
  const used = new Set<number>();
  for (let i = 0; i < 12; i++) {
    const o = pickFree(20, 16, (x) => used.has(x), () => 0.5);
    assert.ok(o !== undefined);
    used.add(o);
    assert.equal(o >= 16, i < 4, `pick ${i} was ${o}`);
  }
  for (let i = 12; i < 20; i++) used.add(pickFree(20, 16, (x) => used.has(x))!);
  assert.equal(pickFree(20, 16, (x) => used.has(x)), undefined);
});

test('a ClusterIP service gets a cluster IP out of the upper band, its family and policy', () => {
  const c = cluster();
  const s = c.create(svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
  const ip = s.spec!.clusterIP!;
  const ips = new IPv4Range('10.96.0.0/12');
  assert.ok(ips.offsetOf(ip)! >= 256, ip);
  assert.deepEqual(s.spec!.clusterIPs, [ip]);
  assert.deepEqual(s.spec!.ipFamilies, ['IPv4']);
  assert.equal(s.spec!.ipFamilyPolicy, 'SingleStack');
  assert.equal(s.spec!.ports![0].nodePort, undefined);
});

test('requested IPs are honoured once; conflicts and strangers are refused as upstream words them', () => {
  const c = cluster();
  c.create(svc('a', { clusterIP: '10.96.0.5', ports: [{ port: 80 }] }));
  assert.equal(
    message(() => c.create(svc('b', { clusterIP: '10.96.0.5', ports: [{ port: 80 }] }))),
    'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated',
  );
  assert.equal(
    message(() => c.create(svc('c', { clusterIP: '10.0.0.5', ports: [{ port: 80 }] }))),
    'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  );
  assert.equal(
    message(() => c.create(svc('d', { clusterIP: 'fd00::5', ports: [{ port: 80 }] }))),
    'Service "d" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::5"}: IPv6 is not configured on this cluster',
  );
  assert.equal(
    message(() => c.create(svc('e', { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] }))),
    'Service "e" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
  );
});

test('10.96.0.1 is kept for the kubernetes service', () => {
  const c = cluster();
  assert.match(message(() => c.create(svc('web', { clusterIP: '10.96.0.1', ports: [{ port: 443 }] }))), /provided IP is already allocated/);
  const k = c.create(svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] }));
  assert.equal(k.spec!.clusterIP, '10.96.0.1');
});

test('headless and ExternalName services get no cluster IP', () => {
  const c = cluster();
  const headless = c.create(svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }));
  assert.deepEqual(headless.spec!.clusterIPs, ['None']);
  assert.deepEqual(headless.spec!.ipFamilies, ['IPv4']);
  const selectorless = c.create(svc('ext-headless', { clusterIP: 'None', ports: [{ port: 80 }] }));
  assert.equal(selectorless.spec!.ipFamilyPolicy, 'RequireDualStack');
  assert.deepEqual(selectorless.spec!.ipFamilies, ['IPv4', 'IPv6']);
  const ext = c.create(svc('ext', { type: 'ExternalName', externalName: 'example.com' }));
  assert.equal(ext.spec!.clusterIP, undefined);
  assert.equal(ext.spec!.ipFamilies, undefined);
});

test('node ports: assigned, requested, shared by one port number, and refused when taken or out of range', () => {
  const c = cluster();
  const np = c.create(svc('np', { type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'http', port: 80, nodePort: 30080 }] }));
  const [udp, tcp, http] = np.spec!.ports!;
  assert.ok(udp.nodePort! >= 30086 && udp.nodePort! <= 32767, String(udp.nodePort));
  assert.equal(tcp.nodePort, udp.nodePort);
  assert.equal(http.nodePort, 30080);
  assert.equal(
    message(() => c.create(svc('other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))),
    'Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
  );
  assert.equal(
    message(() => c.create(svc('low', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }))),
    'Service "low" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
  );
});

test('LoadBalancer services get node ports, and a health check port with Local traffic policy', () => {
  const c = cluster();
  const lb = c.create(svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }));
  assert.ok(lb.spec!.ports![0].nodePort);
  assert.ok(lb.spec!.healthCheckNodePort);
  assert.notEqual(lb.spec!.healthCheckNodePort, lb.spec!.ports![0].nodePort);
  const noPorts = c.create(svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] }));
  assert.equal(noPorts.spec!.ports![0].nodePort, undefined);
  assert.equal(
    message(() => c.create(svc('lb3', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: lb.spec!.healthCheckNodePort, ports: [{ port: 80 }] }))),
    `Internal error occurred: failed to allocate requested HealthCheck NodePort ${lb.spec!.healthCheckNodePort}: provided port is already allocated`,
  );
});

test('updates keep the service own values, and deletes release them', () => {
  const c = cluster();
  const old = c.create(svc('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
  const put = c.update(svc('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }), old);
  assert.equal(put.spec!.clusterIP, old.spec!.clusterIP);
  assert.equal(put.spec!.ports![0].nodePort, old.spec!.ports![0].nodePort);
  const added = c.update(svc('np', { type: 'NodePort', clusterIP: put.spec!.clusterIP, ports: [{ name: 'http', port: 80, nodePort: put.spec!.ports![0].nodePort }, { name: 'b', port: 81 }] }), put);
  assert.ok(added.spec!.ports![1].nodePort);
  const fromExternal = c.create(svc('ext', { type: 'ExternalName', externalName: 'example.com' }));
  const becameClusterIP = c.update(svc('ext', { type: 'ClusterIP', ports: [{ port: 80 }] }), fromExternal);
  assert.ok(becameClusterIP.spec!.clusterIP);
  // Once the service is gone from the cache, its values can be requested again.
  const clusterIP = added.spec!.clusterIP!;
  c.stored.splice(c.stored.indexOf(added), 1);
  const again = c.create(svc('again', { clusterIP, type: 'NodePort', ports: [{ port: 80, nodePort: added.spec!.ports![0].nodePort }] }));
  assert.equal(again.spec!.clusterIP, clusterIP);
});

test('values picked for a write in flight are reserved until it lands or the reservation expires', () => {
  let now = 0;
  const c = cluster({ now: () => now });
  const first = svc('a', { clusterIP: '10.96.0.7', ports: [{ port: 80 }] });
  c.plugin.admit!({
    operation: 'CREATE',
    def: serviceKind as ResourceDefinition,
    subresource: '',
    namespace: 'default',
    name: 'a',
    object: first as KubeObject,
    dryRun: false,
    lookup: () => undefined, lookupConsistent: async () => undefined,
  });
  assert.match(message(() => c.create(svc('b', { clusterIP: '10.96.0.7', ports: [{ port: 80 }] }))), /provided IP is already allocated/);
  // A retry by the same service is not a conflict with itself.
  c.create(svc('a', { clusterIP: '10.96.0.7', ports: [{ port: 80 }] }));
  c.stored.length = 0;
  now = 60_000;
  assert.equal(c.create(svc('b', { clusterIP: '10.96.0.7', ports: [{ port: 80 }] })).spec!.clusterIP, '10.96.0.7');
});

test('dry runs assign values without reserving them', () => {
  const c = cluster();
  c.create(svc('a', { clusterIP: '10.96.0.8', ports: [{ port: 80 }] }), true);
  assert.equal(c.create(svc('b', { clusterIP: '10.96.0.8', ports: [{ port: 80 }] })).spec!.clusterIP, '10.96.0.8');
});

test('a full node port range is an internal error', () => {
  const stored: Service[] = [];
  const plugin = serviceAllocation({ services: () => stored, nodePortRange: '30000-30001' });
  const admit = (s: Service) =>
    plugin.admit!({ operation: 'CREATE', def: serviceKind as ResourceDefinition, subresource: '', namespace: 'default', name: s.metadata!.name!, object: s as KubeObject, dryRun: false, lookup: () => undefined, lookupConsistent: async () => undefined });
  const s = svc('a', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] });
  admit(s);
  stored.push(s);
  assert.equal(message(() => admit(svc('b', { type: 'NodePort', ports: [{ port: 80 }] }))), 'Internal error occurred: failed to allocate a nodePort: range is full');
});
