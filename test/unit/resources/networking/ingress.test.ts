import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import { ingresses } from '../../../../src/api/resources/networking/ingress.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from './fixture.js';

function ingress(spec: Ingress['spec'], annotations?: Record<string, string>): Ingress {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default', annotations, creationTimestamp: CREATED }, spec };
}

const svc = (name = 'web', port: { number?: number; name?: string } = { number: 80 }) => ({ service: { name, port } });
const rule = (host: string | undefined, path: Record<string, unknown>) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc(), ...path }] } });

test('a full ingress passes schema validation with no unknown fields', () => {
  const full: Ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default', annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
    spec: {
      ingressClassName: 'nginx',
      defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } },
      tls: [{ hosts: ['example.com'], secretName: 'example-tls' }],
      rules: [
        {
          host: 'example.com',
          http: {
            paths: [
              { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
              { path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'http' } } } },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '10.0.0.1', ports: [{ port: 443, protocol: 'TCP', error: 'Pending' }] }, { hostname: 'lb.example.com' }] } },
  };
  assert.deepEqual(schemaProblems(full, ingresses.schemaName), []);
});

test('a new ingress starts with an empty load balancer status', () => {
  const ing = ingress({ defaultBackend: svc() });
  ing.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  assert.deepEqual(created(ingresses, ing).status, { loadBalancer: {} });
});

test('pathType is required and must be a known type', () => {
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('a.com', { pathType: undefined })] })), [
    'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('a.com', { pathType: 'Regex' })] })), [
    'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  ]);
});

test('Exact and Prefix paths must be absolute and clean; ImplementationSpecific may be empty', () => {
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('a.com', { path: 'api' })] })), [
    'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('a.com', { path: '/a//b/..' })] })), [
    `spec.rules[0].http.paths[0].path: Invalid value: "/a//b/..": must not contain '//'`,
    `spec.rules[0].http.paths[0].path: Invalid value: "/a//b/..": cannot end with '/..'`,
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('a.com', { path: undefined, pathType: 'ImplementationSpecific' })] })), []);
});

test('hosts: DNS names or one leading wildcard label, never IP addresses', () => {
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('*.example.com', {})] })), []);
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('10.0.0.1', {})] })), [
    'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [rule('foo.*.com', {})] })), [
    `spec.rules[0].host: Invalid value: "foo.*.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
  assert.match(createErrors(ingresses, ingress({ rules: [rule('Example.com', {})] }))[0], /^spec\.rules\[0\]\.host: Invalid value: "Example\.com": a lowercase RFC 1123 subdomain/);
});

test('a backend is exactly one of service and resource, and a service needs a port', () => {
  const both = { service: { name: 'web', port: { number: 80 } }, resource: { kind: 'Bucket', name: 'b' } };
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: both })), ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends']);
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: {} })), ['spec.defaultBackend: Invalid value: "": resource or service backend is required']);
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: { service: { name: 'web' } } })), [
    'spec.defaultBackend: Required value: port name or number is required',
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: svc('web', { name: 'http', number: 80 }) })), [
    'spec.defaultBackend: Invalid value: "": cannot set both port name & port number',
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: svc('web', { number: 70000 }) })), [
    'spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: svc('1web') })), [
    "spec.defaultBackend.service.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: { resource: { kind: 'a/b', name: '' } } })), [
    "spec.defaultBackend.resource.kind: Invalid value: \"a/b\": may not contain '/'",
    'spec.defaultBackend.resource.name: Required value',
  ]);
});

test('an ingress needs rules or a default backend', () => {
  const errs = createErrors(ingresses, ingress({}));
  assert.equal(errs.length, 1);
  assert.match(errs[0], /^spec: Invalid value: .*: either `defaultBackend` or `rules` must be specified$/);
});

test('an http rule needs paths', () => {
  assert.deepEqual(createErrors(ingresses, ingress({ rules: [{ host: 'a.com', http: { paths: [] } }] })), ['spec.rules[0].http.paths: Required value']);
});

test('TLS hosts and secret names are checked', () => {
  assert.deepEqual(createErrors(ingresses, ingress({ defaultBackend: svc(), tls: [{ hosts: ['*.example.com', 'a_b'], secretName: 'Bad' }] })), [
    "spec.tls[0].hosts[1]: Invalid value: \"a_b\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    "spec.tls[0].secretName: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
});

test('an update may keep an invalid TLS secret name the stored ingress already had', () => {
  const old = created(ingresses, ingress({ defaultBackend: svc(), tls: [{ secretName: 'Bad' }] }));
  assert.deepEqual(updateErrors(ingresses, old, old), []);
});

test('the ingress.class annotation must agree with ingressClassName on create', () => {
  const ing = ingress({ ingressClassName: 'nginx', defaultBackend: svc() }, { 'kubernetes.io/ingress.class': 'traefik' });
  assert.deepEqual(createErrors(ingresses, ing), ['annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified']);
});

test('status addresses must be IPs and DNS names', () => {
  const ing = created(ingresses, ingress({ defaultBackend: svc() }));
  const updated = { ...ing, status: { loadBalancer: { ingress: [{ ip: '1.2.3' }, { hostname: '10.0.0.1' }] } } };
  assert.deepEqual(updateErrors(ingresses, updated, ing), [
    'status.loadBalancer.ingress[0].ip: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'status.loadBalancer.ingress[1].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
  ]);
});

test('table: NAME CLASS HOSTS ADDRESS PORTS AGE', () => {
  assert.deepEqual(columns(ingresses), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  const ing = ingress({ rules: ['a.com', 'b.com', undefined, 'c.com', 'd.com'].map((h) => rule(h, {})), tls: [{ hosts: ['a.com'] }] });
  ing.status = { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.1' }, { ip: '10.0.0.2' }] } };
  assert.deepEqual(cells(ingresses, ing), ['web', '<none>', 'a.com,b.com,c.com + 2 more...', '10.0.0.1,10.0.0.2,lb.example.com', '80, 443', '5h']);
  const plain = ingress({ ingressClassName: 'nginx', defaultBackend: svc() });
  assert.deepEqual(cells(ingresses, plain).slice(1, 5), ['nginx', '*', '', '80']);
});
