// Authentication as users meet it (scenarios 54 and 56): anonymous requests, service account
// tokens over HTTPS, with kubectl (a kubeconfig made with `kubectl create token` and
// `kubectl config`) and with @kubernetes/client-node; client certificates of the cluster CA and of
// another; 401 for a credential that does not hold; who the server takes a user for (whoami,
// SelfSubjectReview) and TokenReview.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { kubectl, kubectlSkip } from '../../support/kubectl.js';
import { eventually, http } from '../../support/cluster.js';
import { writeKubeconfig } from '../../../src/client/kubeconfig.js';
import { Client } from '../../../src/client/client.js';
import { resources, type ResourceRef } from '../../../src/client/resource.js';
import { isStatusError } from '../../../src/api/meta/status.js';
import { startSession, type KubectlSession } from '../kubectl/support.js';
import { agentFor, clientCertificate, clusterCA, pkiDir, serviceAccountKubeconfig } from './support.js';

describe('authentication', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  let anonymous: ReturnType<typeof agentFor>;
  const get = (path: string, headers: Record<string, string> = {}) => http(s.cluster.url, path, { agent: anonymous, headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const token = async (name: string, ns = 'default', ...flags: string[]) => (await s.ok(['create', 'token', name, '-n', ns, ...flags])).trim();

  before(async () => {
    s = await startSession();
    anonymous = agentFor(s);
    await s.ok(['create', 'namespace', 'ns-1']);
    await s.ok(['create', 'serviceaccount', 'reader', '-n', 'ns-1']);
  });
  after(async () => {
    anonymous?.destroy();
    await s?.stop();
  });

  test('anonymous GET / is a 403 Status naming system:anonymous and the path', async () => {
    const r = await get('/');
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'forbidden: User "system:anonymous" cannot get path "/"',
      reason: 'Forbidden',
      details: {},
      code: 403,
    });
  });

  test('anonymous reads /healthz, /livez, /readyz and /version, nothing else', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const r = await get(path);
      assert.equal(r.status, 200, path);
      assert.equal(r.text, 'ok');
    }
    assert.equal((await get('/version')).json.major, '1');
    assert.equal((await get('/api')).json.message, 'forbidden: User "system:anonymous" cannot get path "/api"');
    const list = await get('/api/v1/namespaces');
    assert.equal(list.status, 403);
    assert.equal(list.json.message, 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope');
    assert.deepEqual(list.json.details, { kind: 'namespaces' });
  });

  test('a service account token reads discovery; listing pods cluster-wide is forbidden', async () => {
    const t = await token('default');
    const api = await get('/api', bearer(t));
    assert.equal(api.status, 200);
    assert.deepEqual(api.json.versions, ['v1']);
    const pods = await get('/api/v1/pods', bearer(t));
    assert.equal(pods.status, 403);
    assert.equal(pods.json.message, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" at the cluster scope');
    const named = await get('/api/v1/namespaces/ns-1/pods/web', bearer(t));
    assert.equal(named.json.message, 'pods "web" is forbidden: User "system:serviceaccount:default:default" cannot get resource "pods" in API group "" in the namespace "ns-1"');
    assert.deepEqual(named.json.details, { name: 'web', kind: 'pods' });
  });

  test('a bad token, a token for another audience and a token of a deleted account are 401 Unauthorized', async () => {
    const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
    for (const t of ['not-a-token', 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', await token('default', 'default', '--audience=https://elsewhere.example')]) {
      const r = await get('/api', bearer(t));
      assert.equal(r.status, 401, t);
      assert.deepEqual(r.json, unauthorized);
    }
    await s.ok(['create', 'serviceaccount', 'leaving', '-n', 'ns-1']);
    const t = await token('leaving', 'ns-1');
    assert.equal((await get('/api', bearer(t))).status, 200);
    await s.ok(['delete', 'serviceaccount', 'leaving', '-n', 'ns-1']);
    await eventually(async () => (await get('/api', bearer(t))).status === 401);
  });

  test('kubectl with a token kubeconfig made by kubectl config: whoami, and a 403 for what the account may not do', async () => {
    const kubeconfig = await serviceAccountKubeconfig(s, 'ns-1', 'reader');
    const whoami = await kubectl(['auth', 'whoami'], { kubeconfig });
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.match(whoami.stdout, /^Username\s+system:serviceaccount:ns-1:reader$/m);
    assert.match(whoami.stdout, /^Groups\s+\[system:serviceaccounts system:serviceaccounts:ns-1 system:authenticated\]$/m);
    const pods = await kubectl(['get', 'pods'], { kubeconfig });
    assert.notEqual(pods.code, 0);
    assert.equal(
      pods.stderr.trim(),
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:ns-1:reader" cannot list resource "pods" in API group "" in the namespace "ns-1"',
    );
    const contexts = await kubectl(['config', 'get-contexts', '-o', 'name'], { kubeconfig });
    assert.equal(contexts.stdout.trim(), 'reader@k8ts');
  });

  test('a client certificate of the cluster CA names the user (CN) and groups (O); one of another CA is 401', async () => {
    const jane = await clientCertificate('CN=jane, O=devs, O=testers', pkiDir(s));
    const kubeconfig = s.file('jane.kubeconfig', '');
    writeKubeconfig(kubeconfig, { server: s.cluster.url, contextName: 'jane', caData: clusterCA(s), certData: jane.certPem, keyData: jane.keyPem });
    const whoami = await kubectl(['auth', 'whoami', '-o', 'json'], { kubeconfig });
    assert.equal(whoami.code, 0, whoami.stderr);
    const user = JSON.parse(whoami.stdout).status.userInfo;
    assert.equal(user.username, 'jane');
    assert.deepEqual(user.groups, ['devs', 'testers', 'system:authenticated']);
    assert.match(user.extra['authentication.kubernetes.io/credential-id'][0], /^X509SHA256=[0-9a-f]{64}$/);

    const stranger = await clientCertificate('CN=mallory, O=system:masters');
    const agent = agentFor(s, stranger);
    try {
      const r = await http(s.cluster.url, '/api', { agent });
      assert.equal(r.status, 401);
      assert.equal(r.json.reason, 'Unauthorized');
    } finally {
      agent.destroy();
    }
  });

  test('@kubernetes/client-node with a bearer token: allowed in its namespace once bound, 403 ApiException elsewhere', async () => {
    await s.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'ns-1']);
    await s.ok(['create', 'rolebinding', 'reader-pods', '--role=pod-reader', '--serviceaccount=ns-1:reader', '-n', 'ns-1']);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'k8ts', server: s.cluster.url, caData: Buffer.from(clusterCA(s)).toString('base64') }],
      users: [{ name: 'reader', token: await token('reader', 'ns-1') }],
      contexts: [{ name: 'reader', cluster: 'k8ts', user: 'reader' }],
      currentContext: 'reader',
    });
    const core = kc.makeApiClient(CoreV1Api);
    const list = await eventually(() => core.listNamespacedPod({ namespace: 'ns-1' }));
    assert.deepEqual(list.items, []);
    await assert.rejects(core.listNamespacedService({ namespace: 'ns-1' }), (err: unknown) => {
      assert.ok(err instanceof ApiException);
      assert.equal(err.code, 403);
      const body = JSON.parse(err.body as string);
      assert.equal(body.message, 'services is forbidden: User "system:serviceaccount:ns-1:reader" cannot list resource "services" in API group "" in the namespace "ns-1"');
      return true;
    });
  });

  test('in-process clients are the API server itself, unless they name a user: then RBAC decides', async () => {
    const selfSubjectReviews: ResourceRef = { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false };
    const self = await s.cluster.client.resource(selfSubjectReviews).create({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    assert.equal(self.status.userInfo.username, 'system:apiserver');
    assert.deepEqual(self.status.userInfo.groups, ['system:masters', 'system:authenticated']);
    const jane = Client.local(s.cluster.apiserver, { user: { username: 'jane', groups: ['system:authenticated'] } });
    await assert.rejects(jane.resource(resources.pods).namespace('ns-1').list(), (err: unknown) => {
      assert.ok(isStatusError(err, 'Forbidden'));
      assert.equal(err.status.message, 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "ns-1"');
      return true;
    });
  });

  test('TokenReview says whose a token is, or why it is not valid; SelfSubjectReview answers the admin', async () => {
    const t = await token('reader', 'ns-1');
    const path = '/apis/authentication.k8s.io/v1/tokenreviews';
    const body = (spec: object) => JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });
    const review = (spec: object) => s.ok(['create', '-f', '-', '-o', 'json'], body(spec));
    const ok = JSON.parse(await review({ token: t })).status;
    assert.equal(ok.authenticated, true);
    assert.equal(ok.user.username, 'system:serviceaccount:ns-1:reader');
    assert.deepEqual(ok.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns-1', 'system:authenticated']);
    assert.deepEqual(ok.audiences, ['https://kubernetes.default.svc.cluster.local']);
    assert.deepEqual(Object.keys(ok.user.extra).sort(), ['authentication.kubernetes.io/credential-id']);
    const other = JSON.parse(await review({ token: t, audiences: ['https://elsewhere.example'] })).status;
    assert.equal(other.authenticated, undefined);
    assert.equal(
      other.error,
      'token audiences ["https://kubernetes.default.svc.cluster.local"] is invalid for the target audiences ["https://elsewhere.example"]',
    );
    assert.equal(JSON.parse(await review({ token: 'nonsense' })).status.error, 'invalid bearer token');
    const empty = await s.failed(['create', '--raw', path, '-f', '-'], body({}));
    assert.match(empty.stderr, /token is required for TokenReview in authentication/);

    const self = JSON.parse(await s.ok(['auth', 'whoami', '-o', 'json']));
    assert.equal(self.kind, 'SelfSubjectReview');
    assert.equal(self.status.userInfo.username, 'kubernetes-admin');
    assert.deepEqual(self.status.userInfo.groups, ['system:masters', 'system:authenticated']);
  });
});
