// The default RBAC policy and ClusterRole aggregation through real kubectl: the roles and bindings
// a new cluster has, admin/edit/view filled from the system:aggregate-to-* roles, and a user's own
// aggregated role following the roles its selector picks as they come, change and go.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';
import { startSession, parseTable, type KubectlSession } from '../kubectl/support.js';

describe('default RBAC policy and ClusterRole aggregation', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  const role = async (name: string) => JSON.parse(await s.ok(['get', 'clusterrole', name, '-o', 'json'])) as ClusterRole;
  const rulesOf = async (name: string) => (await role(name)).rules ?? [];
  /** `kubectl apply` of a cluster role with one rule, labelled `label: "true"` (kubectl create cannot label, nor name unknown resources). */
  const applyClusterRole = (name: string, label: string, rule: PolicyRule) => {
    const manifest = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: { [label]: 'true' } }, rules: [rule] };
    return s.ok(['apply', '-f', '-'], JSON.stringify(manifest));
  };
  const grants = (rules: PolicyRule[], group: string, resource: string, verb: string) =>
    rules.some((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes(verb));

  before(async () => {
    s = await startSession();
  });
  after(async () => {
    await s?.stop();
  });

  test('a new cluster has the default cluster roles and bindings, labelled as bootstrapping defaults', async () => {
    const roles = parseTable(await s.ok(['get', 'clusterroles'])).rows.map((r) => r[0]);
    for (const name of ['admin', 'cluster-admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer']) {
      assert.ok(roles.includes(name), `${name} in ${roles.join(' ')}`);
    }
    const bindings = parseTable(await s.ok(['get', 'clusterrolebindings', '-o', 'wide'])).rows;
    const admin = bindings.find((r) => r[0] === 'cluster-admin');
    assert.deepEqual(admin?.slice(1, 2), ['ClusterRole/cluster-admin']);
    assert.equal(admin?.[4], 'system:masters');
    const publicInfo = bindings.find((r) => r[0] === 'system:public-info-viewer');
    assert.equal(publicInfo?.[4], 'system:authenticated, system:unauthenticated');
    const clusterAdmin = await role('cluster-admin');
    assert.deepEqual(clusterAdmin.metadata?.labels, { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    assert.deepEqual(clusterAdmin.metadata?.annotations, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    assert.deepEqual(clusterAdmin.rules, [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]);
  });

  test('view, edit and admin are aggregated: each holds the rules of the one below and its own', async () => {
    const view = await eventually(async () => {
      const rules = await rulesOf('view');
      return grants(rules, '', 'pods', 'list') && rules;
    });
    assert.deepEqual((await role('view')).aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
    assert.ok(!grants(view, '', 'secrets', 'get'), 'view does not read secrets');
    const edit = await eventually(async () => {
      const rules = await rulesOf('edit');
      return grants(rules, '', 'pods', 'list') && grants(rules, 'apps', 'deployments', 'create') && rules;
    });
    assert.ok(grants(edit, '', 'secrets', 'get'));
    assert.ok(!grants(edit, 'rbac.authorization.k8s.io', 'roles', 'create'), 'edit does not write roles');
    const admin = await eventually(async () => {
      const rules = await rulesOf('admin');
      return grants(rules, 'rbac.authorization.k8s.io', 'roles', 'create') && grants(rules, '', 'pods', 'list') && rules;
    });
    assert.ok(grants(admin, 'apps', 'deployments', 'create'));
  });

  test('an aggregated ClusterRole follows the roles its selector picks as they are added, changed and deleted', async () => {
    await s.ok(['create', 'clusterrole', 'monitoring', '--aggregation-rule=example.com/aggregate-to-monitoring=true']);
    await applyClusterRole('monitoring-endpoints', 'example.com/aggregate-to-monitoring', { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] });
    await s.ok(['create', 'clusterrole', 'monitoring-unlabelled', '--verb=get', '--resource=nodes']);
    const expected = [{ apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] }];
    await eventually(async () => JSON.stringify(await rulesOf('monitoring')) === JSON.stringify(expected));

    await s.ok(['label', 'clusterrole', 'monitoring-unlabelled', 'example.com/aggregate-to-monitoring=true']);
    await eventually(async () => (await rulesOf('monitoring')).length === 2);
    // Roles are gathered by name: monitoring-endpoints before monitoring-unlabelled.
    assert.deepEqual(await rulesOf('monitoring'), [...expected, { apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);

    await s.ok(['delete', 'clusterrole', 'monitoring-endpoints']);
    await eventually(async () => JSON.stringify(await rulesOf('monitoring')) === JSON.stringify([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]));
  });

  test('a role labelled aggregate-to-view reaches view, and through it edit and admin', async () => {
    // As a CRD's installer adds read access to its kind for every viewer.
    await applyClusterRole('widgets-viewer', 'rbac.authorization.k8s.io/aggregate-to-view', { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] });
    for (const name of ['view', 'edit', 'admin']) {
      await eventually(async () => grants(await rulesOf(name), 'example.com', 'widgets', 'list'));
    }
  });
});
