// Signing and verifying service account tokens without a server: a token this cluster signed
// authenticates as its account until it expires or what it is bound to goes away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { serviceAccountClaims, SERVICE_ACCOUNT_ISSUER, type ClaimsInput } from '../../../src/api/auth/serviceaccount.js';
import { ServiceAccountTokenSigner, ServiceAccountTokenVerifier, type BoundObjectGetter } from '../../../src/api/auth/token.js';

function keyPair(type: 'ec' | 'rsa') {
  const { privateKey, publicKey } =
    type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

const ec = keyPair('ec');
const NOW_S = 1_800_000_000;

/** Objects by `plural/namespace/name`, as the API server's caches would answer. */
function world(objects: Record<string, { uid: string; deletionTimestamp?: string }>): BoundObjectGetter {
  return (_group, plural, namespace, name) => {
    const o = objects[`${plural}/${namespace}/${name}`];
    return o && { metadata: o };
  };
}

const objects = {
  'serviceaccounts/team/robot': { uid: 'sa-uid' },
  'pods/team/web': { uid: 'pod-uid' },
  'secrets/team/s': { uid: 'secret-uid' },
  'nodes//n1': { uid: 'node-uid' },
};

function verifier(opts: { getObject?: BoundObjectGetter; nowS?: number; publicKeyPem?: string } = {}) {
  return new ServiceAccountTokenVerifier({
    publicKeyPems: [opts.publicKeyPem ?? ec.publicKeyPem],
    getObject: opts.getObject ?? world(objects),
    now: () => (opts.nowS ?? NOW_S) * 1000,
  });
}

function claims(extra: Partial<ClaimsInput> = {}) {
  return serviceAccountClaims({
    serviceAccount: { namespace: 'team', name: 'robot', uid: 'sa-uid' },
    audiences: [SERVICE_ACCOUNT_ISSUER],
    expirationSeconds: 3600,
    now: NOW_S,
    jti: 'the-jti',
    ...extra,
  });
}

test('an EC key signs ES256 with a kid; the verifier returns the account as a user', async () => {
  const signer = new ServiceAccountTokenSigner(ec.keyPem);
  assert.equal(signer.algorithm, 'ES256');
  const token = await signer.sign(claims());
  const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
  assert.deepEqual(header, { alg: 'ES256', kid: signer.keyId });
  assert.deepEqual(await verifier().verifyServiceAccountToken(token), {
    username: 'system:serviceaccount:team:robot',
    uid: 'sa-uid',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/credential-id': ['JTI=the-jti'] },
  });
});

test('an RSA key signs RS256', async () => {
  const rsa = keyPair('rsa');
  const signer = new ServiceAccountTokenSigner(rsa.keyPem);
  assert.equal(signer.algorithm, 'RS256');
  const user = await verifier({ publicKeyPem: rsa.publicKeyPem }).verifyServiceAccountToken(await signer.sign(claims()));
  assert.equal(user?.username, 'system:serviceaccount:team:robot');
});

test('a pod-bound token carries the pod and node in the user extra', async () => {
  const token = await new ServiceAccountTokenSigner(ec.keyPem).sign(claims({ pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } }));
  assert.deepEqual((await verifier().verifyServiceAccountToken(token))?.extra, {
    'authentication.kubernetes.io/pod-name': ['web'],
    'authentication.kubernetes.io/pod-uid': ['pod-uid'],
    'authentication.kubernetes.io/node-name': ['n1'],
    'authentication.kubernetes.io/node-uid': ['node-uid'],
    'authentication.kubernetes.io/credential-id': ['JTI=the-jti'],
  });
});

test('refused: not a JWT, another issuer, another key, another audience', async () => {
  const signer = new ServiceAccountTokenSigner(ec.keyPem);
  const v = verifier();
  assert.equal(await v.verifyServiceAccountToken('not-a-token'), undefined);
  assert.equal(await v.verifyServiceAccountToken(await signer.sign(claims({ issuer: 'https://elsewhere' }))), undefined);
  assert.equal(await v.verifyServiceAccountToken(await new ServiceAccountTokenSigner(keyPair('ec').keyPem).sign(claims())), undefined);
  assert.equal(await v.verifyServiceAccountToken(await signer.sign(claims({ audiences: ['vault'] }))), undefined);
  // Same claims, same issuer, but an unsigned token.
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
  assert.equal(await v.verifyServiceAccountToken(unsigned), undefined);
  // Signed with an algorithm the key does not use.
  const hs = await new SignJWT({ ...claims() }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
  assert.equal(await v.verifyServiceAccountToken(hs), undefined);
});

test('refused after expiry (with a minute of leeway) and before it is valid', async () => {
  const token = await new ServiceAccountTokenSigner(ec.keyPem).sign(claims({ expirationSeconds: 600 }));
  assert.ok(await verifier({ nowS: NOW_S + 650 }).verifyServiceAccountToken(token));
  assert.equal(await verifier({ nowS: NOW_S + 700 }).verifyServiceAccountToken(token), undefined);
  assert.equal(await verifier({ nowS: NOW_S - 120 }).verifyServiceAccountToken(token), undefined);
});

test('refused once the account or the bound object is gone, replaced or long deleted', async () => {
  const signer = new ServiceAccountTokenSigner(ec.keyPem);
  const plain = await signer.sign(claims());
  const podBound = await signer.sign(claims({ pod: { name: 'web', uid: 'pod-uid' } }));
  const secretBound = await signer.sign(claims({ secret: { name: 's', uid: 'secret-uid' } }));
  const nodeBound = await signer.sign(claims({ node: { name: 'n1', uid: 'node-uid' } }));
  const without = (key: string, replacement?: { uid: string; deletionTimestamp?: string }) =>
    verifier({ getObject: world({ ...objects, [key]: replacement as never }) });
  assert.equal(await without('serviceaccounts/team/robot').verifyServiceAccountToken(plain), undefined);
  assert.equal(await without('serviceaccounts/team/robot', { uid: 'other' }).verifyServiceAccountToken(plain), undefined);
  assert.equal(await without('pods/team/web').verifyServiceAccountToken(podBound), undefined);
  assert.equal(await without('secrets/team/s', { uid: 'other' }).verifyServiceAccountToken(secretBound), undefined);
  assert.equal(await without('nodes//n1').verifyServiceAccountToken(nodeBound), undefined);
  const deletedAgo = (s: number) => new Date((NOW_S - s) * 1000).toISOString();
  assert.equal(await without('pods/team/web', { uid: 'pod-uid', deletionTimestamp: deletedAgo(120) }).verifyServiceAccountToken(podBound), undefined);
  // A deletion that just started is within the leeway: the token still works.
  assert.ok(await without('pods/team/web', { uid: 'pod-uid', deletionTimestamp: deletedAgo(10) }).verifyServiceAccountToken(podBound));
});
