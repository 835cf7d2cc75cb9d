import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { roles } from '../../../../src/api/resources/rbac/role.js';
import { clusterRoles } from '../../../../src/api/resources/rbac/clusterrole.js';
import { roleBindings } from '../../../../src/api/resources/rbac/rolebinding.js';
import { clusterRoleBindings } from '../../../../src/api/resources/rbac/clusterrolebinding.js';
import { rbacResources } from '../../../../src/api/resources/rbac/index.js';
import { CREATED, cells, columns, createErrors, created, schemaProblems, updateErrors } from '../networking/fixture.js';

const GROUP = 'rbac.authorization.k8s.io';
const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), creationTimestamp: CREATED });

function role(rules: Role['rules']): Role {
  return { apiVersion: `${GROUP}/v1`, kind: 'Role', metadata: meta('reader', 'default'), rules };
}

function binding(roleRef: Partial<RoleBinding['roleRef']>, subjects: RoleBinding['subjects']): RoleBinding {
  return { apiVersion: `${GROUP}/v1`, kind: 'RoleBinding', metadata: meta('read', 'default'), roleRef: roleRef as RoleBinding['roleRef'], subjects };
}

function clusterBinding(roleRef: Partial<ClusterRoleBinding['roleRef']>, subjects: ClusterRoleBinding['subjects']): ClusterRoleBinding {
  return { apiVersion: `${GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: meta('read'), roleRef: roleRef as ClusterRoleBinding['roleRef'], subjects };
}

test('full RBAC objects pass schema validation with no unknown fields', () => {
  const clusterRole: ClusterRole = {
    apiVersion: `${GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: meta('monitoring'),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] },
    rules: [
      { apiGroups: ['', 'apps'], resources: ['pods', 'deployments/scale'], resourceNames: ['web'], verbs: ['get', 'list', 'watch'] },
      { nonResourceURLs: ['/metrics', '/healthz/*'], verbs: ['get'] },
    ],
  };
  const subjects = [
    { kind: 'User', apiGroup: GROUP, name: 'jane' },
    { kind: 'Group', apiGroup: GROUP, name: 'devs' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'kube-system' },
  ];
  assert.deepEqual(schemaProblems(role(clusterRole.rules!.slice(0, 1)), roles.schemaName), []);
  assert.deepEqual(schemaProblems(clusterRole, clusterRoles.schemaName), []);
  assert.deepEqual(schemaProblems(binding({ apiGroup: GROUP, kind: 'Role', name: 'reader' }, subjects), roleBindings.schemaName), []);
  assert.deepEqual(schemaProblems(clusterBinding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'view' }, subjects), clusterRoleBindings.schemaName), []);
  assert.deepEqual(createErrors(clusterRoles, clusterRole), []);
  assert.deepEqual(createErrors(clusterRoleBindings, clusterBinding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'view' }, subjects)), []);
});

test('all four kinds are named as path segments and may be created by PUT', () => {
  for (const def of rbacResources) {
    assert.equal(def.nameRule, 'path-segment', def.kind);
    assert.equal(def.allowCreateOnUpdate, true, def.kind);
  }
  assert.deepEqual(
    rbacResources.map((d) => [d.plural, d.namespaced]),
    [
      ['roles', true],
      ['rolebindings', true],
      ['clusterroles', false],
      ['clusterrolebindings', false],
    ],
  );
});

test('policy rules need verbs, and groups and resources or (cluster-wide only) non-resource URLs', () => {
  assert.deepEqual(createErrors(roles, role([{ verbs: [] }, { verbs: ['get'], nonResourceURLs: ['/metrics'], resources: ['pods'] }])), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[0].resources: Required value: resource rules must supply at least one resource',
    'rules[1].nonResourceURLs: Invalid value: []string{"/metrics"}: namespaced rules cannot apply to non-resource URLs',
    'rules[1].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs',
  ]);
  const cr: ClusterRole = { apiVersion: `${GROUP}/v1`, kind: 'ClusterRole', metadata: meta('m'), rules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }] };
  assert.deepEqual(createErrors(clusterRoles, cr), []);
});

test('an aggregation rule needs selectors', () => {
  const cr: ClusterRole = { apiVersion: `${GROUP}/v1`, kind: 'ClusterRole', metadata: meta('m'), aggregationRule: {} };
  assert.deepEqual(createErrors(clusterRoles, cr), [
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
});

test('roleRef: the RBAC group, a role kind the binding may reference, a name', () => {
  assert.deepEqual(createErrors(roleBindings, binding({}, [])), [
    'roleRef.apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
    'roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
  ]);
  assert.deepEqual(createErrors(clusterRoleBindings, clusterBinding({ apiGroup: GROUP, kind: 'Role', name: 'a/b' }, [])), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    "roleRef.name: Invalid value: \"a/b\": may not contain '/'",
  ]);
});

test('subjects: kinds, their API groups, namespaces of service accounts in cluster bindings', () => {
  const ref = { apiGroup: GROUP, kind: 'ClusterRole', name: 'view' };
  const subjects = [
    { kind: 'User', name: 'jane' },
    { kind: 'ServiceAccount', apiGroup: GROUP, name: 'Default' },
    { kind: 'Robot', name: 'r2' },
    { kind: 'Group', apiGroup: GROUP, name: '' },
  ];
  assert.deepEqual(createErrors(clusterRoleBindings, clusterBinding(ref, subjects)), [
    'subjects[0].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
    "subjects[1].name: Invalid value: \"Default\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    'subjects[1].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
    'subjects[1].namespace: Required value',
    'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    'subjects[3].name: Required value',
  ]);
  // A RoleBinding's service accounts default to the binding's namespace.
  assert.deepEqual(createErrors(roleBindings, binding(ref, [{ kind: 'ServiceAccount', name: 'default' }])), []);
});

test('roleRef cannot change', () => {
  const old = created(roleBindings, binding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'view' }, []));
  const errs = updateErrors(roleBindings, binding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'edit' }, []), old);
  assert.equal(errs.length, 1);
  assert.match(errs[0], /^roleRef: Invalid value: .*: cannot change roleRef$/);
  assert.deepEqual(updateErrors(roleBindings, binding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', apiGroup: GROUP, name: 'bob' }]), old), []);
});

test('roles and cluster roles have the default NAME CREATED AT table', () => {
  assert.deepEqual(columns(roles), ['Name', 'Created At']);
  assert.deepEqual(columns(clusterRoles), ['Name', 'Created At']);
  assert.deepEqual(cells(roles, role([])), ['reader', CREATED]);
});

test('bindings: NAME ROLE AGE, and USERS GROUPS SERVICEACCOUNTS with -o wide', () => {
  const expected = ['Name', 'Role', 'Age', 'Users (wide)', 'Groups (wide)', 'ServiceAccounts (wide)'];
  assert.deepEqual(columns(roleBindings), expected);
  assert.deepEqual(columns(clusterRoleBindings), expected);
  const subjects = [
    { kind: 'User', apiGroup: GROUP, name: 'jane' },
    { kind: 'User', apiGroup: GROUP, name: 'bob' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'kube-system' },
  ];
  assert.deepEqual(cells(clusterRoleBindings, clusterBinding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'cluster-admin' }, subjects)), [
    'read',
    'ClusterRole/cluster-admin',
    '5h',
    'jane, bob',
    '',
    'kube-system/default',
  ]);
});
