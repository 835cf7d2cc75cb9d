// RBAC rules without a server: what a rule allows, whether rules cover others (the escalation
// check), and how the rules that are not covered are described.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { compactRules, compactString, covers, ruleAllows } from '../../../src/apiserver/authz/rules.js';
import type { Attributes } from '../../../src/apiserver/authz/attributes.js';

const user = { username: 'jane', groups: [] };
const request = (a: Partial<Attributes>): Attributes => ({
  user,
  verb: 'get',
  resourceRequest: true,
  path: '',
  namespace: 'ns-1',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  name: '',
  ...a,
});
const nonResource = (path: string, verb = 'get') => request({ resourceRequest: false, path, verb, resource: '' });

test('verbs, groups, resources and names match exactly or by *', () => {
  const rule: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] };
  assert.ok(ruleAllows(request({}), rule));
  assert.ok(!ruleAllows(request({ verb: 'watch' }), rule));
  assert.ok(!ruleAllows(request({ apiGroup: 'apps' }), rule));
  assert.ok(!ruleAllows(request({ resource: 'services' }), rule));
  assert.ok(ruleAllows(request({ verb: 'delete', apiGroup: 'apps', resource: 'deployments' }), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }));
  const named: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['allowed'] };
  assert.ok(ruleAllows(request({ resource: 'configmaps', name: 'allowed' }), named));
  assert.ok(!ruleAllows(request({ resource: 'configmaps', name: 'other' }), named));
  assert.ok(!ruleAllows(request({ resource: 'configmaps', verb: 'get' }), named), 'a rule with names never allows a request without one');
});

test('a subresource needs its own resource, or */subresource', () => {
  assert.ok(!ruleAllows(request({ subresource: 'log' }), { verbs: ['get'], apiGroups: [''], resources: ['pods'] }));
  assert.ok(ruleAllows(request({ subresource: 'log' }), { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }));
  assert.ok(ruleAllows(request({ subresource: 'status', resource: 'nodes' }), { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }));
  assert.ok(ruleAllows(request({ subresource: 'status' }), { verbs: ['get'], apiGroups: [''], resources: ['*'] }));
});

test('non-resource URLs match exactly, by a trailing *, or *', () => {
  const rule: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
  assert.ok(ruleAllows(nonResource('/healthz'), rule));
  assert.ok(!ruleAllows(nonResource('/healthz/etcd'), rule));
  assert.ok(ruleAllows(nonResource('/apis/apps/v1'), rule));
  assert.ok(!ruleAllows(nonResource('/apis'), rule));
  assert.ok(!ruleAllows(nonResource('/healthz', 'post'), rule));
  assert.ok(ruleAllows(nonResource('/anything'), { verbs: ['*'], nonResourceURLs: ['*'] }));
  assert.ok(!ruleAllows(request({}), rule), 'URL rules allow no resource');
});

test('covers: what the owner lacks, broken down, then compacted for the message', () => {
  const owner: PolicyRule[] = [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] },
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
    { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
  ];
  assert.deepEqual(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'nodes/status'] }]), []);
  assert.deepEqual(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }]), []);
  assert.deepEqual(covers(owner, [{ verbs: ['get'], nonResourceURLs: ['/apis/apps'] }]), []);
  const missing = covers(owner, [
    { verbs: ['get', 'watch', 'delete'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] },
    { verbs: ['get'], nonResourceURLs: ['/healthz'] },
  ]);
  assert.deepEqual(compactRules(missing).map(compactString), [
    '{NonResourceURLs:["/healthz"], Verbs:["get"]}',
    '{APIGroups:[""], Resources:["pods"], Verbs:["watch" "delete"]}',
    '{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}',
  ]);
  assert.equal(compactString({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['b'] }), '{APIGroups:[""], Resources:["configmaps"], ResourceNames:["b"], Verbs:["get"]}');
});
