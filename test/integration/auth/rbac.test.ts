// RBAC as scenario 55 walks through it, with real kubectl: a service account with a token
// kubeconfig, Roles and RoleBindings per namespace, ClusterRoles bound cluster-wide or in one
// namespace, resourceNames, subresources, non-resource URLs, `kubectl auth can-i` (with --as,
// -n, --list) and impersonation, which needs the impersonate verb.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, kubectlSkip, type KubectlResult } from '../../support/kubectl.js';
import { eventually, http, trustKubeconfig } from '../../support/cluster.js';
import { startSession, type KubectlSession } from '../kubectl/support.js';
import { agentFor, serviceAccountKubeconfig } from './support.js';

const READER = 'system:serviceaccount:ns-1:reader';

describe('RBAC', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  let kubeconfig: string;
  /** kubectl as the reader service account. */
  const reader = (args: string[]) => kubectl(args, { kubeconfig, timeoutMs: 30_000 });
  /** Waits until the reader's `args` succeed (a binding reaches the authorizer's cache shortly after it is written). */
  const readerCan = (args: string[]) =>
    eventually(async () => {
      const r = await reader(args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
      return r;
    });
  const forbidden = (r: KubectlResult, message: string) => {
    assert.notEqual(r.code, 0, r.stdout);
    assert.equal(r.stderr.trim(), `Error from server (Forbidden): ${message}`);
  };
  const canI = async (...args: string[]) => {
    const r = await s.k(['auth', 'can-i', ...args]);
    return { answer: r.stdout.trim(), code: r.code };
  };

  before(async () => {
    s = await startSession({ nodes: 1 });
    trustKubeconfig(s.cluster.kubeconfigPath);
    for (const ns of ['ns-1', 'ns-2']) await s.ok(['create', 'namespace', ns]);
    await s.ok(['create', 'serviceaccount', 'reader', '-n', 'ns-1']);
    kubeconfig = await serviceAccountKubeconfig(s, 'ns-1', 'reader');
    await s.ok(['run', 'web', '--image=nginx', '-n', 'ns-1']);
  });
  after(async () => {
    await s?.stop();
  });

  test('a Role and RoleBinding allow get and list on pods in ns-1; services and ns-2 stay forbidden until bound there', async () => {
    await s.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'ns-1']);
    await s.ok(['create', 'rolebinding', 'reader-pods', '--role=pod-reader', '--serviceaccount=ns-1:reader', '-n', 'ns-1']);
    const pods = await readerCan(['get', 'pods', '-o', 'name']);
    assert.equal(pods.stdout.trim(), 'pod/web');
    assert.match((await reader(['get', 'pod', 'web'])).stdout, /^web\s/m);
    forbidden(
      await reader(['get', 'services']),
      `services is forbidden: User "${READER}" cannot list resource "services" in API group "" in the namespace "ns-1"`,
    );
    forbidden(await reader(['get', 'pods', '-n', 'ns-2']), `pods is forbidden: User "${READER}" cannot list resource "pods" in API group "" in the namespace "ns-2"`);
    forbidden(await reader(['delete', 'pod', 'web']), `pods "web" is forbidden: User "${READER}" cannot delete resource "pods" in API group "" in the namespace "ns-1"`);

    await s.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'ns-2']);
    await s.ok(['create', 'rolebinding', 'reader-pods', '--role=pod-reader', '--serviceaccount=ns-1:reader', '-n', 'ns-2']);
    const ns2 = await readerCan(['get', 'pods', '-n', 'ns-2']);
    assert.equal(ns2.stderr.trim(), 'No resources found in ns-2 namespace.');
  });

  test('a ClusterRole bound by a ClusterRoleBinding applies cluster-wide; bound by a RoleBinding, in that namespace only', async () => {
    forbidden(await reader(['get', 'namespaces']), `namespaces is forbidden: User "${READER}" cannot list resource "namespaces" in API group "" at the cluster scope`);
    await s.ok(['create', 'clusterrole', 'namespace-reader', '--verb=get,list', '--resource=namespaces']);
    await s.ok(['create', 'clusterrolebinding', 'reader-namespaces', '--clusterrole=namespace-reader', '--serviceaccount=ns-1:reader']);
    const namespaces = await readerCan(['get', 'namespaces', '-o', 'name']);
    assert.match(namespaces.stdout, /^namespace\/ns-2$/m);

    await s.ok(['create', 'clusterrole', 'service-reader', '--verb=list', '--resource=services']);
    await s.ok(['create', 'rolebinding', 'reader-services', '--clusterrole=service-reader', '--serviceaccount=ns-1:reader', '-n', 'ns-2']);
    await readerCan(['get', 'services', '-n', 'ns-2']);
    forbidden(await reader(['get', 'services', '-n', 'ns-1']), `services is forbidden: User "${READER}" cannot list resource "services" in API group "" in the namespace "ns-1"`);
    forbidden(
      await reader(['get', 'services', '-A']),
      `services is forbidden: User "${READER}" cannot list resource "services" in API group "" at the cluster scope`,
    );
  });

  test('resourceNames limit a rule to the objects it names', async () => {
    for (const name of ['allowed', 'other']) await s.ok(['create', 'configmap', name, '-n', 'ns-1', '--from-literal=k=v']);
    await s.ok(['create', 'role', 'one-configmap', '--verb=get', '--resource=configmaps', '--resource-name=allowed', '-n', 'ns-1']);
    await s.ok(['create', 'rolebinding', 'reader-one-configmap', '--role=one-configmap', '--serviceaccount=ns-1:reader', '-n', 'ns-1']);
    const got = await readerCan(['get', 'configmap', 'allowed', '-o', 'jsonpath={.data.k}']);
    assert.equal(got.stdout, 'v');
    forbidden(
      await reader(['get', 'configmap', 'other']),
      `configmaps "other" is forbidden: User "${READER}" cannot get resource "configmaps" in API group "" in the namespace "ns-1"`,
    );
    forbidden(await reader(['get', 'configmaps']), `configmaps is forbidden: User "${READER}" cannot list resource "configmaps" in API group "" in the namespace "ns-1"`);
  });

  test('a subresource needs its own rule: pods/log', async () => {
    const logs = await reader(['logs', 'web']);
    assert.notEqual(logs.code, 0);
    assert.equal(
      logs.stderr.trim(),
      `Error from server (Forbidden): pods "web" is forbidden: User "${READER}" cannot get resource "pods/log" in API group "" in the namespace "ns-1"`,
    );
    await s.ok(['create', 'role', 'log-reader', '--verb=get', '--resource=pods/log', '-n', 'ns-1']);
    await s.ok(['create', 'rolebinding', 'reader-logs', '--role=log-reader', '--serviceaccount=ns-1:reader', '-n', 'ns-1']);
    await eventually(async () => !(await reader(['logs', 'web'])).stderr.includes('Forbidden'));
    assert.deepEqual(await canI('get', 'pods', '--subresource=log', '-n', 'ns-1', `--as=${READER}`), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI('get', 'pods', '--subresource=exec', '-n', 'ns-1', `--as=${READER}`), { answer: 'no', code: 1 });
  });

  test('watching needs the watch verb; non-resource URLs match exactly or by a trailing *', async () => {
    const watch = await reader(['get', 'pods', '--watch', '--request-timeout=5s']);
    forbidden(watch, `pods is forbidden: User "${READER}" cannot watch resource "pods" in API group "" in the namespace "ns-1"`);
    forbidden(await reader(['get', '--raw', '/metrics']), `forbidden: User "${READER}" cannot get path "/metrics"`);
    await s.ok(['create', 'clusterrole', 'metrics-reader', '--verb=get', '--non-resource-url=/metr*']);
    await s.ok(['create', 'clusterrolebinding', 'reader-metrics', '--clusterrole=metrics-reader', '--serviceaccount=ns-1:reader']);
    const metrics = await readerCan(['get', '--raw', '/metrics']);
    assert.match(metrics.stdout, /apiserver_request_total/);
  });

  test('kubectl auth can-i answers for the admin, for another user with --as, in a namespace with -n, and --list', async () => {
    assert.deepEqual(await canI('create', 'clusterroles'), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI('list', 'pods', '-n', 'ns-1', `--as=${READER}`), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI('create', 'pods', '-n', 'ns-1', `--as=${READER}`), { answer: 'no', code: 1 });
    assert.deepEqual(await canI('list', 'pods', '-n', 'kube-system', `--as=${READER}`), { answer: 'no', code: 1 });
    assert.deepEqual(await canI('get', '/version', `--as=${READER}`), { answer: 'yes', code: 0 });
    // system:basic-user is bound to authenticated users only: anonymous may not even ask.
    const anonymous = await s.k(['auth', 'can-i', 'get', '/version', '--as=system:anonymous']);
    forbidden(
      anonymous,
      'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope',
    );
    const asReader = await reader(['auth', 'can-i', 'get', 'configmap/allowed']);
    assert.equal(asReader.stdout.trim(), 'yes');

    const list = await s.ok(['auth', 'can-i', '--list', '-n', 'ns-1', `--as=${READER}`]);
    const lines = list.split('\n');
    assert.match(lines[0], /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    assert.ok(lines.some((l) => /^pods\s+\[\]\s+\[\]\s+\[get list\]$/.test(l)), list);
    assert.ok(lines.some((l) => /^configmaps\s+\[\]\s+\[allowed\]\s+\[get\]$/.test(l)), list);
    assert.ok(lines.some((l) => /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/.test(l)), list);
    assert.ok(lines.some((l) => /^\s+\[\/version\]\s+\[\]\s+\[get\]$/.test(l)), list);
  });

  test('impersonation needs the impersonate verb on what is impersonated', async () => {
    forbidden(await reader(['get', 'pods', '--as=jane']), `users "jane" is forbidden: User "${READER}" cannot impersonate resource "users" in API group "" at the cluster scope`);
    await s.ok(['create', 'clusterrole', 'impersonate-jane', '--verb=impersonate', '--resource=users', '--resource-name=jane']);
    await s.ok(['create', 'clusterrolebinding', 'reader-impersonates-jane', '--clusterrole=impersonate-jane', '--serviceaccount=ns-1:reader']);
    const whoami = await readerCan(['auth', 'whoami', '--as=jane']);
    assert.match(whoami.stdout, /^Username\s+jane$/m);
    assert.match(whoami.stdout, /^Groups\s+\[system:authenticated\]$/m);
    forbidden(
      await reader(['get', 'pods', '--as=jane', '--as-group=admins']),
      `groups "admins" is forbidden: User "${READER}" cannot impersonate resource "groups" in API group "" at the cluster scope`,
    );
    forbidden(
      await reader(['get', 'pods', '--as=system:serviceaccount:ns-2:default']),
      `serviceaccounts "default" is forbidden: User "${READER}" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ns-2"`,
    );
    // The admin may impersonate anyone; the impersonated user is then authorized as itself.
    const asJane = JSON.parse(await s.ok(['auth', 'whoami', '--as=jane', '--as-group=devs', '--as-group=testers', '-o', 'json'])).status.userInfo;
    assert.deepEqual(asJane, { username: 'jane', groups: ['devs', 'testers', 'system:authenticated'] });
    const r = await s.k(['get', 'pods', '-n', 'ns-1', '--as=jane']);
    assert.equal(r.stderr.trim(), 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "ns-1"');
  });

  test('SubjectAccessReview and LocalSubjectAccessReview answer for any user; one that asks nothing is invalid', async () => {
    // kubectl validates these create-only kinds client-side, against the protobuf /openapi/v2.
    const review = async (kind: string, spec: object, metadata: object = {}) =>
      JSON.parse(await s.ok(['create', '-f', '-', '-o', 'json'], JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind, metadata, spec })));
    const sar = (spec: object) => review('SubjectAccessReview', spec);
    const allowed = await sar({ user: READER, groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'ns-1', verb: 'list', resource: 'pods' } });
    assert.deepEqual(allowed.status, { allowed: true, reason: `RBAC: allowed by RoleBinding "reader-pods/ns-1" of Role "pod-reader" to ServiceAccount "reader/ns-1"` });
    const denied = await sar({ user: READER, resourceAttributes: { namespace: 'ns-1', verb: 'delete', resource: 'pods', name: 'web' } });
    assert.deepEqual(denied.status, { allowed: false });
    const group = await sar({ groups: ['system:authenticated'], nonResourceAttributes: { path: '/apis/apps', verb: 'get' } });
    assert.deepEqual(group.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' });

    const local = await review(
      'LocalSubjectAccessReview',
      { user: READER, resourceAttributes: { namespace: 'ns-2', verb: 'get', resource: 'pods' } },
      { namespace: 'ns-2' },
    );
    assert.equal(local.metadata.namespace, 'ns-2');
    assert.equal(local.status.allowed, true);

    const invalid = await s.k(['create', '--raw', '/apis/authorization.k8s.io/v1/subjectaccessreviews', '-f', '-'], JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: {} }));
    assert.equal(
      invalid.stderr.trim(),
      'The SubjectAccessReview "" is invalid: \n' +
        '* spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified\n' +
        '* spec.user: Invalid value: "": at least one of user or group must be specified',
    );
    const elsewhere = await s.k(
      ['create', '--raw', '/apis/authorization.k8s.io/v1/namespaces/ns-2/localsubjectaccessreviews', '-f', '-'],
      JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec: { user: READER, resourceAttributes: { namespace: 'ns-1', verb: 'get', resource: 'pods' } } }),
    );
    assert.match(elsewhere.stderr, /spec\.resourceAttributes\.namespace: Invalid value: "ns-1": must match metadata\.namespace/);
  });

  test('impersonating a UID and extras needs the impersonate verb on uids and userextras', async () => {
    const headers = { 'impersonate-user': 'jane', 'impersonate-uid': 'u-1', 'impersonate-extra-scopes': 'read', 'impersonate-extra-example.com%2fteam': 'blue' };
    const asAdmin = await http(s.cluster.url, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      headers,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    assert.equal(asAdmin.status, 201);
    assert.deepEqual(asAdmin.json.status.userInfo, { username: 'jane', uid: 'u-1', groups: ['system:authenticated'], extra: { scopes: ['read'], 'example.com/team': ['blue'] } });
    const token = (await s.ok(['create', 'token', 'reader', '-n', 'ns-1'])).trim();
    const agent = agentFor(s);
    try {
      const asReader = (h: Record<string, string>) => http(s.cluster.url, '/api', { agent, headers: { authorization: `Bearer ${token}`, 'impersonate-user': 'jane', ...h } });
      const uid = await asReader({ 'impersonate-uid': 'u-1' });
      assert.equal(uid.json.message, `uids.authentication.k8s.io "u-1" is forbidden: User "${READER}" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope`);
      const extra = await asReader({ 'impersonate-extra-scopes': 'read' });
      assert.equal(
        extra.json.message,
        `userextras.authentication.k8s.io "read" is forbidden: User "${READER}" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope`,
      );
    } finally {
      agent.destroy();
    }
  });

  test('a group without a user to impersonate is refused', async () => {
    const r = await http(s.cluster.url, '/api', { headers: { 'impersonate-group': 'devs' } });
    assert.equal(r.status, 500);
    assert.match(r.json.message, /requested \[\{Group  devs +\}\] without impersonating a user/);
  });
});
