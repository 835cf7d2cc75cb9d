import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IngressClass } from 'kubernetes-types/networking/v1.js';
import { ingressClasses } from '../../../../src/api/resources/networking/ingressclass.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from './fixture.js';

function ingressClass(spec: IngressClass['spec']): IngressClass {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', creationTimestamp: CREATED }, spec };
}

test('a full ingress class passes schema validation with no unknown fields', () => {
  const full = ingressClass({
    controller: 'k8s.io/ingress-nginx',
    parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb', namespace: 'infra', scope: 'Namespace' },
  });
  assert.deepEqual(schemaProblems(full, ingressClasses.schemaName), []);
  assert.deepEqual(createErrors(ingressClasses, full), []);
});

test('parameters default to cluster scope', () => {
  const ic = created(ingressClasses, ingressClass({ controller: 'example.com/ingress', parameters: { kind: 'ConfigMap', name: 'cfg' } }));
  assert.equal(ic.spec?.parameters?.scope, 'Cluster');
});

test('the controller is a required domain-prefixed path of at most 250 characters', () => {
  assert.deepEqual(createErrors(ingressClasses, ingressClass({})), ['spec.controller: Required value']);
  assert.deepEqual(createErrors(ingressClasses, ingressClass({ controller: 'nginx' })), [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
  ]);
  assert.deepEqual(createErrors(ingressClasses, ingressClass({ controller: 'example.com/a b' })), [
    `spec.controller: Invalid value: "a b": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
  ]);
  assert.deepEqual(createErrors(ingressClasses, ingressClass({ controller: `example.com/${'a'.repeat(250)}` })), [
    'spec.controller: Too long: may not be more than 250 bytes',
  ]);
});

test('namespace-scoped parameters need a namespace; cluster-scoped ones may not have one', () => {
  const params = (p: Record<string, string>) => ingressClass({ controller: 'example.com/ingress', parameters: { kind: 'ConfigMap', name: 'cfg', ...p } });
  assert.deepEqual(createErrors(ingressClasses, params({ scope: 'Namespace' })), [
    "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
  ]);
  assert.deepEqual(createErrors(ingressClasses, params({ scope: 'Cluster', namespace: 'infra' })), [
    "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
  ]);
  assert.deepEqual(createErrors(ingressClasses, params({ scope: 'Global' })), [
    'spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"',
  ]);
});

test('the controller is immutable', () => {
  const old = created(ingressClasses, ingressClass({ controller: 'example.com/a' }));
  assert.deepEqual(updateErrors(ingressClasses, ingressClass({ controller: 'example.com/b' }), old), [
    'spec.controller: Invalid value: "example.com/b": field is immutable',
  ]);
});

test('table: NAME CONTROLLER PARAMETERS AGE', () => {
  assert.deepEqual(columns(ingressClasses), ['Name', 'Controller', 'Parameters', 'Age']);
  assert.deepEqual(cells(ingressClasses, ingressClass({ controller: 'k8s.io/ingress-nginx' })), ['nginx', 'k8s.io/ingress-nginx', '<none>', '5h']);
  const withParams = ingressClass({ controller: 'example.com/lb', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } });
  assert.equal(cells(ingressClasses, withParams)[2], 'Params.k8s.example.com/p');
  assert.equal(cells(ingressClasses, ingressClass({ controller: 'example.com/lb', parameters: { kind: 'ConfigMap', name: 'p' } }))[2], 'ConfigMap/p');
});
