// Service account tokens as users meet them: `kubectl create token` (protobuf TokenRequest),
// @kubernetes/client-node's createNamespacedServiceAccountToken (JSON), the JWT checked with
// the cluster's public key (<data-dir>/pki/sa.pub), and the token volume every new pod gets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import { jwtVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { resources } from '../../../src/client/index.js';
import { serviceAccountTokenVerifier } from '../../../src/apiserver/subresources/serviceaccounttoken.js';
import { kubectlSkip } from '../../support/kubectl.js';
import { eventually } from '../../support/cluster.js';
import { startSession, type KubectlSession } from '../kubectl/support.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NS = 'tokens';

describe('service account tokens', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  let publicKeyPem: string;

  /** Verifies the signature with sa.pub and returns header and claims. */
  async function verified(token: string, audience = ISSUER): Promise<JWTPayload & { 'kubernetes.io': any }> {
    const { payload } = await jwtVerify(token, createPublicKey(publicKeyPem), { issuer: ISSUER, audience, algorithms: ['ES256'] });
    return payload as JWTPayload & { 'kubernetes.io': any };
  }
  const account = (name: string) => s.cluster.client.resource<ServiceAccount>(resources.serviceAccounts).namespace(NS).get(name);
  const pods = () => s.cluster.client.resource<Pod>(resources.pods).namespace(NS);

  before(async () => {
    s = await startSession({ nodes: 1 });
    publicKeyPem = readFileSync(join(dirname(s.cluster.kubeconfigPath), 'pki', 'sa.pub'), 'utf8');
    await s.ok(['create', 'namespace', NS]);
    await s.ok(['create', 'serviceaccount', 'robot', '-n', NS]);
    await s.ok(['run', 'web', '--image=nginx', '-n', NS]);
    await eventually(async () => (await pods().get('web')).spec?.nodeName);
  });
  after(async () => {
    await s?.stop();
  });

  test('kubectl create token: an hour-long ES256 JWT for the account, for the API server', async () => {
    const token = (await s.ok(['create', 'token', 'robot', '-n', NS])).trimEnd();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const sa = await account('robot');
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, 'ES256');
    assert.ok(header.kid);
    const claims = await verified(token);
    assert.deepEqual(claims.aud, [ISSUER]);
    assert.equal(claims.sub, `system:serviceaccount:${NS}:robot`);
    assert.equal(claims.exp! - claims.iat!, 3600);
    assert.equal(claims.nbf, claims.iat);
    assert.match(claims.jti!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(Math.abs(claims.iat! - Date.now() / 1000) < 30);
    assert.deepEqual(claims['kubernetes.io'], { namespace: NS, serviceaccount: { name: 'robot', uid: sa.metadata!.uid } });
  });

  test('--duration, --audience and a bound pod', async () => {
    const pod = await pods().get('web');
    const token = (await s.ok(['create', 'token', 'default', '-n', NS, '--duration=10m', '--audience=x', '--bound-object-kind=Pod', '--bound-object-name=web'])).trimEnd();
    const claims = await verified(token, 'x');
    assert.deepEqual(claims.aud, ['x']);
    assert.equal(claims.exp! - claims.iat!, 600);
    const node = await s.cluster.client.resource(resources.nodes).get(pod.spec!.nodeName!);
    assert.deepEqual(claims['kubernetes.io'], {
      namespace: NS,
      node: { name: pod.spec!.nodeName, uid: node.metadata!.uid },
      pod: { name: 'web', uid: pod.metadata!.uid },
      serviceaccount: { name: 'default', uid: (await account('default')).metadata!.uid },
    });
  });

  test('-o yaml prints the TokenRequest with its status', async () => {
    const yaml = await s.ok(['create', 'token', 'robot', '-n', NS, '--duration=20m', '-o', 'yaml']);
    const created = /\n {2}creationTimestamp: "([^"]+)"\n/.exec(yaml)?.[1];
    const expires = /\n {2}expirationTimestamp: "([^"]+)"\n/.exec(yaml)?.[1];
    assert.ok(created && expires, yaml);
    assert.equal(Date.parse(expires) - Date.parse(created), 20 * 60_000);
    assert.match(
      yaml,
      new RegExp(
        `^apiVersion: authentication\\.k8s\\.io/v1\\nkind: TokenRequest\\nmetadata:\\n {2}creationTimestamp: "[^"]+"\\n {2}name: robot\\n {2}namespace: ${NS}\\n` +
          `spec:\\n {2}audiences:\\n {2}- ${ISSUER.replace(/\./g, '\\.')}\\n {2}boundObjectRef: null\\n {2}expirationSeconds: 1200\\nstatus:\\n`,
      ),
    );
  });

  test('refusals, with upstream messages', async () => {
    const failed = async (args: string[]) => (await s.failed(['create', 'token', ...args, '-n', NS])).stderr;
    assert.equal(
      await failed(['robot', '--duration=1m']),
      'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n',
    );
    assert.equal(await failed(['nobody']), 'error: failed to create token: serviceaccounts "nobody" not found\n');
    assert.equal(await failed(['robot', '--bound-object-kind=Pod', '--bound-object-name=gone']), 'error: failed to create token: pods "gone" not found\n');
    assert.equal(
      await failed(['robot', '--bound-object-kind=Pod', '--bound-object-name=web']),
      'error: failed to create token: cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.\n',
    );
    assert.equal(
      await failed(['default', '--bound-object-kind=Pod', '--bound-object-name=web', '--bound-object-uid=not-the-uid']),
      'error: failed to create token: Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (not-the-uid) does not match the UID in record. The object might have been deleted and then recreated\n',
    );
  });

  test('client-node: JSON TokenRequest, Secret binding, and an unbindable kind', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(s.cluster.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const secret = await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'anchor' }, stringData: { a: 'b' } } });
    const answer = await core.createNamespacedServiceAccountToken({
      name: 'robot',
      namespace: NS,
      body: { spec: { audiences: ['vault', 'db'], expirationSeconds: 900, boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'anchor' } } },
    });
    assert.equal(answer.kind, 'TokenRequest');
    assert.equal(answer.apiVersion, 'authentication.k8s.io/v1');
    assert.deepEqual(answer.spec.audiences, ['vault', 'db']);
    const claims = await verified(answer.status!.token, 'db');
    assert.deepEqual(claims['kubernetes.io'].secret, { name: 'anchor', uid: secret.metadata!.uid });
    assert.equal(claims.exp! - claims.iat!, 900);
    await assert.rejects(
      core.createNamespacedServiceAccountToken({ name: 'robot', namespace: NS, body: { spec: { audiences: [], boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } } } }),
      (err: unknown) => {
        assert.ok(err instanceof ApiException);
        assert.equal(err.code, 400);
        assert.equal(JSON.parse(err.body as string).message, 'cannot bind token to object of type /v1, Kind=ConfigMap');
        return true;
      },
    );
  });

  test("the kubelet's pod token (3607 s) lives a year and warns after the hour", async () => {
    const token = (await s.ok(['create', 'token', 'default', '-n', NS, '--duration=3607s', '--bound-object-kind=Pod', '--bound-object-name=web'])).trimEnd();
    const claims = await verified(token);
    assert.equal(claims.exp! - claims.iat!, 365 * 24 * 3600);
    assert.equal(claims['kubernetes.io'].warnafter, claims.iat! + 3607);
  });

  test('the verifier accepts issued tokens until what they are bound to is deleted', async () => {
    const verifier = serviceAccountTokenVerifier((g, p) => s.cluster.apiserver.storage(g, p), publicKeyPem);
    await s.ok(['run', 'short', '--image=nginx', '-n', NS]);
    const plain = (await s.ok(['create', 'token', 'robot', '-n', NS])).trimEnd();
    const bound = (await s.ok(['create', 'token', 'default', '-n', NS, '--bound-object-kind=Pod', '--bound-object-name=short'])).trimEnd();
    const robot = await account('robot');
    const user = await verifier.verifyServiceAccountToken(plain);
    assert.equal(user?.username, `system:serviceaccount:${NS}:robot`);
    assert.equal(user?.uid, robot.metadata!.uid);
    assert.deepEqual(user?.groups, ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated']);
    assert.deepEqual((await verifier.verifyServiceAccountToken(bound))?.extra?.['authentication.kubernetes.io/pod-name'], ['short']);
    // The claims of one token under the signature of another.
    const forged = `${plain.slice(0, plain.lastIndexOf('.'))}${bound.slice(bound.lastIndexOf('.'))}`;
    assert.equal(await verifier.verifyServiceAccountToken(forged), undefined);
    await s.ok(['delete', 'pod', 'short', '-n', NS, '--grace-period=0', '--force']);
    await eventually(async () => (await verifier.verifyServiceAccountToken(bound)) === undefined);
    await s.ok(['delete', 'serviceaccount', 'robot', '-n', NS]);
    await eventually(async () => (await verifier.verifyServiceAccountToken(plain)) === undefined);
  });

  test('kubectl describe pod shows the projected token volume and its mount as upstream', async () => {
    const described = await s.ok(['describe', 'pod', 'web', '-n', NS]);
    const volume = (await pods().get('web')).spec!.volumes!.find((v) => v.name.startsWith('kube-api-access-'))!.name;
    assert.match(volume, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.ok(described.includes(`    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from ${volume} (ro)\n`), described);
    assert.ok(
      described.includes(
        [
          'Volumes:',
          `  ${volume}:`,
          '    Type:                    Projected (a volume that contains injected data from multiple sources)',
          '    TokenExpirationSeconds:  3607',
          '    ConfigMapName:           kube-root-ca.crt',
          '    ConfigMapOptional:       <nil>',
          '    DownwardAPI:             true',
          '',
        ].join('\n'),
      ),
      described,
    );
  });

  test('automountServiceAccountToken: false on the account keeps pods without the volume', async () => {
    await s.ok(['create', 'serviceaccount', 'quiet', '-n', NS]);
    await s.ok(['patch', 'serviceaccount', 'quiet', '-n', NS, '-p', '{"automountServiceAccountToken":false}']);
    await s.ok(['run', 'silent', '--image=nginx', '-n', NS, '--overrides={"spec":{"serviceAccountName":"quiet"}}']);
    const pod = await pods().get('silent');
    assert.equal(pod.spec!.volumes, undefined);
    assert.equal(pod.spec!.containers[0].volumeMounts, undefined);
  });
});
