// RBAC escalation prevention through real kubectl: a namespace admin (the `admin` ClusterRole
// bound in ns-1) can write roles and bindings there, but only grant what it holds, unless it has
// `escalate` on roles or `bind` on the role it binds; aggregation rules take cluster-admin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';
import { startSession, type KubectlSession } from '../kubectl/support.js';
import { serviceAccountKubeconfig } from './support.js';

const OWNER = 'system:serviceaccount:ns-1:owner';
const GROUPS = '["system:serviceaccounts" "system:serviceaccounts:ns-1" "system:authenticated"]';
const NOT_HELD = `user "${OWNER}" (groups=${GROUPS}) is attempting to grant RBAC permissions not currently held:`;

describe('RBAC escalation prevention', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  let kubeconfig: string;
  const owner = (args: string[], input?: string) => kubectl(args, { kubeconfig, input, timeoutMs: 30_000 });
  const refused = async (args: string[], message: string, input?: string) => {
    const r = await owner(args, input);
    assert.notEqual(r.code, 0, r.stdout);
    assert.equal(r.stderr.trim(), message);
  };

  before(async () => {
    s = await startSession();
    await s.ok(['create', 'namespace', 'ns-1']);
    await s.ok(['create', 'serviceaccount', 'owner', '-n', 'ns-1']);
    await s.ok(['create', 'rolebinding', 'owner-admin', '--clusterrole=admin', '--serviceaccount=ns-1:owner', '-n', 'ns-1']);
    kubeconfig = await serviceAccountKubeconfig(s, 'ns-1', 'owner');
    await eventually(async () => (await owner(['auth', 'can-i', 'create', 'roles'])).stdout.trim() === 'yes');
  });
  after(async () => {
    await s?.stop();
  });

  test('a role with rules the writer holds is created; one with more is refused, naming what is missing', async () => {
    const ok = await owner(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
    assert.equal(ok.code, 0, ok.stderr);
    await refused(
      ['create', 'role', 'everything-on-secrets', '--verb=*', '--resource=secrets'],
      `Error from server (Forbidden): roles.rbac.authorization.k8s.io "everything-on-secrets" is forbidden: ${NOT_HELD}\n{APIGroups:[""], Resources:["secrets"], Verbs:["*"]}`,
    );
    await refused(
      ['create', 'role', 'nodes-and-pods', '--verb=get,list', '--resource=nodes,pods', '--resource=persistentvolumes'],
      `Error from server (Forbidden): roles.rbac.authorization.k8s.io "nodes-and-pods" is forbidden: ${NOT_HELD}\n` +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}\n{APIGroups:[""], Resources:["persistentvolumes"], Verbs:["get" "list"]}',
    );
  });

  test('an update that adds a rule the writer does not hold is refused; one touching only finalizers is not', async () => {
    const patch = JSON.stringify([{ op: 'add', path: '/rules/-', value: { apiGroups: [''], resources: ['nodes'], verbs: ['get'] } }]);
    await refused(
      ['patch', 'role', 'pod-reader', '--type=json', `-p=${patch}`],
      `Error from server (Forbidden): roles.rbac.authorization.k8s.io "pod-reader" is forbidden: ${NOT_HELD}\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}`,
    );
    const gc = await owner(['patch', 'role', 'pod-reader', '--type=merge', '-p={"metadata":{"finalizers":["example.com/keep"]}}']);
    assert.equal(gc.code, 0, gc.stderr);
    await s.ok(['patch', 'role', 'pod-reader', '-n', 'ns-1', '--type=merge', '-p={"metadata":{"finalizers":null}}']);
  });

  test('binding a role grants it: refused unless the writer holds its rules', async () => {
    const ok = await owner(['create', 'rolebinding', 'default-views', '--clusterrole=view', '--serviceaccount=ns-1:default']);
    assert.equal(ok.code, 0, ok.stderr);
    await refused(
      ['create', 'rolebinding', 'default-is-admin', '--clusterrole=cluster-admin', '--serviceaccount=ns-1:default'],
      `error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "default-is-admin" is forbidden: ${NOT_HELD}\n` +
        '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}',
    );
    await refused(
      ['create', 'rolebinding', 'to-nothing', '--clusterrole=no-such-role', '--serviceaccount=ns-1:default'],
      'error: failed to create rolebinding: clusterroles.rbac.authorization.k8s.io "no-such-role" not found',
    );
  });

  test('the bind verb on a role, or escalate on roles, lets a writer grant what it does not hold', async () => {
    await s.ok(['create', 'clusterrole', 'bind-cluster-admin', '--verb=bind', '--resource=clusterroles', '--resource-name=cluster-admin']);
    await s.ok(['create', 'rolebinding', 'owner-binds', '--clusterrole=bind-cluster-admin', '--serviceaccount=ns-1:owner', '-n', 'ns-1']);
    await eventually(async () => (await owner(['create', 'rolebinding', 'default-is-admin', '--clusterrole=cluster-admin', '--serviceaccount=ns-1:default'])).code === 0);

    await s.ok(['create', 'clusterrole', 'escalate-roles', '--verb=escalate', '--resource=roles']);
    await s.ok(['create', 'rolebinding', 'owner-escalates', '--clusterrole=escalate-roles', '--serviceaccount=ns-1:owner', '-n', 'ns-1']);
    await eventually(async () => (await owner(['create', 'role', 'everything-on-secrets', '--verb=*', '--resource=secrets'])).code === 0);
  });

  test('an aggregation rule takes cluster-admin, even with no rules of its own', async () => {
    await s.ok(['create', 'clusterrole', 'clusterrole-writer', '--verb=create', '--resource=clusterroles']);
    await s.ok(['create', 'clusterrolebinding', 'owner-writes-clusterroles', '--clusterrole=clusterrole-writer', '--serviceaccount=ns-1:owner']);
    await eventually(async () => (await owner(['auth', 'can-i', 'create', 'clusterroles'])).stdout.trim() === 'yes');
    const plain = await owner(['create', 'clusterrole', 'plain', '--verb=get', '--resource=pods']);
    assert.notEqual(plain.code, 0, 'the owner holds pods only in ns-1, not cluster-wide');
    await refused(
      ['create', 'clusterrole', 'gatherer', '--aggregation-rule=example.com/gather=true'],
      'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "gatherer" is forbidden: must have cluster-admin privileges to use the aggregationRule',
    );
  });
});
