import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { metaDefinitions } from '../../../../src/api/schema/meta-definitions.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import { applyDefaults } from '../../../../src/api/schema/defaults.js';
import { ResourceRegistry, type ResourceDefinition } from '../../../../src/api/registry.js';
import { dropTypeDependentFields, normalizeClusterIPs, patchAllocatedValues, services } from '../../../../src/api/resources/core/service.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function svc(spec: Service['spec'], extra: Partial<Service> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec, ...extra };
}

/** Schema defaults then the kind's own, as the apiserver decodes a request. */
function decoded(s: Service): Service {
  const reg = new ResourceRegistry(metaDefinitions);
  reg.add(services as ResourceDefinition);
  applyDefaults(s, services.schemaName, reg.definitions);
  services.defaults!(s);
  return s;
}

const errors = (s: Service) => services.validate!(s, {}).map(fieldErrorString);

test('defaults: ClusterIP, no affinity, TCP, targetPort from port, Cluster internal traffic', () => {
  const s = decoded(svc({ selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', name: 'b' }] }));
  assert.equal(s.spec!.type, 'ClusterIP');
  assert.equal(s.spec!.sessionAffinity, 'None');
  assert.equal(s.spec!.internalTrafficPolicy, 'Cluster');
  assert.equal(s.spec!.externalTrafficPolicy, undefined);
  assert.deepEqual(s.spec!.ports![0], { port: 80, protocol: 'TCP', targetPort: 80 });
  assert.equal(s.spec!.ports![1].targetPort, 'https');
  assert.deepEqual(s.status, { loadBalancer: {} });
});

test('defaults for externally reachable services and client IP affinity', () => {
  const np = decoded(svc({ type: 'NodePort', ports: [{ port: 80 }] }));
  assert.equal(np.spec!.externalTrafficPolicy, 'Cluster');
  assert.equal(np.spec!.allocateLoadBalancerNodePorts, undefined);
  const lb = decoded(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }, { status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }));
  assert.equal(lb.spec!.allocateLoadBalancerNodePorts, true);
  assert.equal(lb.status!.loadBalancer!.ingress![0].ipMode, 'VIP');
  const affinity = decoded(svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }));
  assert.deepEqual(affinity.spec!.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const ext = decoded(svc({ type: 'ExternalName', externalName: 'example.com' }));
  assert.equal(ext.spec!.internalTrafficPolicy, undefined);
});

test('ports: range, names required when several, unique names', () => {
  assert.deepEqual(errors(decoded(svc({ ports: [{ port: 70000 }] }))), [
    'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(errors(decoded(svc({ ports: [{ port: 80 }, { port: 81, name: 'b' }] }))), ['spec.ports[0].name: Required value']);
  assert.deepEqual(errors(decoded(svc({ ports: [{ port: 80, name: 'a' }, { port: 81, name: 'a' }] }))), ['spec.ports[1].name: Duplicate value: "a"']);
  assert.deepEqual(errors(decoded(svc({}))), ['spec.ports: Required value']);
  assert.deepEqual(errors(decoded(svc({ type: 'ClusterIP', ports: [{ port: 80, nodePort: 30001 }] }))), [
    "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  ]);
});

test('ExternalName services need a DNS name and no cluster IPs', () => {
  assert.deepEqual(errors(decoded(svc({ type: 'ExternalName' }))), ['spec.externalName: Required value']);
  assert.deepEqual(errors(decoded(svc({ type: 'ExternalName', externalName: 'db.example.com.' }))), []);
  assert.deepEqual(errors(decoded(svc({ type: 'ExternalName', externalName: 'x', clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'] }))), [
    'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
  ]);
});

test('cluster IP fields must agree, and may not change once set', () => {
  assert.deepEqual(errors(decoded(svc({ clusterIP: '10.96.0.9', ports: [{ port: 80 }] }))), ['spec.clusterIPs: Required value']);
  assert.deepEqual(errors(decoded(svc({ clusterIP: 'None', clusterIPs: ['None'], type: 'NodePort', ports: [{ port: 80 }] }))), [
    "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
  ]);
  const old = decoded(svc({ clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'], ports: [{ port: 80 }] }));
  const changed = decoded(svc({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] }));
  assert.deepEqual(services.validateUpdate!(changed, old).map(fieldErrorString), [
    'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.10"}: may not change once set',
  ]);
});

test('external traffic policy and health check port belong to external services', () => {
  assert.deepEqual(errors(decoded(svc({ externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }))), [
    'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  ]);
  assert.deepEqual(errors(decoded(svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }))), [
    'spec.healthCheckNodePort: Required value',
  ]);
  assert.deepEqual(errors(decoded(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ports: [{ port: 80 }] }))), [
    'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
  ]);
});

test('the schema refuses unknown types with the supported values', () => {
  const reg = new ResourceRegistry(metaDefinitions);
  reg.add(services as ResourceDefinition);
  const errs = validateAgainstSchema(svc({ type: 'Internal' as 'ClusterIP', ports: [{ port: 80 }] }), services.schemaName, reg.definitions);
  assert.deepEqual(errs.map(fieldErrorString), ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']);
});

test('an update without allocated values keeps them; a type change drops node ports', () => {
  const old = decoded(svc({ type: 'NodePort', clusterIP: '10.96.3.4', clusterIPs: ['10.96.3.4'], ports: [{ name: 'http', port: 80, nodePort: 30080 }] }));
  const put = decoded(svc({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
  patchAllocatedValues(put, old);
  normalizeClusterIPs(put, old);
  assert.equal(put.spec!.clusterIP, '10.96.3.4');
  assert.deepEqual(put.spec!.clusterIPs, ['10.96.3.4']);
  assert.equal(put.spec!.ports![0].nodePort, 30080);
  const toClusterIP = structuredClone(old);
  toClusterIP.spec!.type = 'ClusterIP';
  dropTypeDependentFields(toClusterIP, old);
  assert.equal(toClusterIP.spec!.ports![0].nodePort, undefined);
  assert.equal(toClusterIP.spec!.externalTrafficPolicy, undefined);
});

test('table: type, cluster IP, external IP, ports and selector as kubectl shows them', () => {
  const cells = (s: Service) => services.table!.cells(s, NOW);
  assert.deepEqual(
    services.table!.columns.map((c) => c.name),
    ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'],
  );
  assert.equal(services.table!.columns[6].priority, 1);
  const base = { metadata: { name: 'web', creationTimestamp: '2024-05-01T11:55:00Z' } };
  const np = { ...base, spec: { type: 'NodePort', clusterIPs: ['10.96.1.7'], selector: { b: '2', a: '1' }, ports: [{ port: 80, nodePort: 31073, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] } } as Service;
  assert.deepEqual(cells(np), ['web', 'NodePort', '10.96.1.7', '<none>', '80:31073/TCP,443/TCP', '5m', 'a=1,b=2']);
  const lb = { ...base, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.1.8'], ports: [{ port: 80, nodePort: 30001, protocol: 'TCP' }] } } as Service;
  assert.equal(cells(lb)[3], '<pending>');
  const lbReady = { ...lb, status: { loadBalancer: { ingress: [{ ip: '192.0.2.9' }, { hostname: 'lb.example.com' }] } } } as Service;
  assert.equal(cells(lbReady)[3], '192.0.2.9,lb.example.com');
  const headless = { ...base, spec: { type: 'ClusterIP', clusterIPs: ['None'] } } as Service;
  assert.deepEqual(cells(headless).slice(1, 5), ['ClusterIP', 'None', '<none>', '<none>']);
  const ext = { ...base, spec: { type: 'ExternalName', externalName: 'db.example.com' } } as Service;
  assert.deepEqual(cells(ext).slice(2, 4), ['<none>', 'db.example.com']);
});

test('field selectors spec.clusterIP and spec.type', () => {
  const s = svc({ type: 'ClusterIP', clusterIP: 'None' });
  assert.equal(services.fieldSelectors!['spec.clusterIP'](s), 'None');
  assert.equal(services.fieldSelectors!['spec.type'](s), 'ClusterIP');
});
