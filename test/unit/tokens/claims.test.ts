// Token claims and TokenRequest rules on their own: what ends up inside a service account JWT,
// and which requests upstream refuses before signing anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeGroupNames,
  makeUsername,
  serviceAccountClaims,
  splitUsername,
  SERVICE_ACCOUNT_ISSUER,
} from '../../../src/api/auth/serviceaccount.js';
import { defaultTokenRequest, validateTokenRequest, type TokenRequest } from '../../../src/api/auth/tokenrequest.js';
import { fieldErrorString } from '../../../src/api/meta/status.js';

const sa = { namespace: 'team', name: 'robot', uid: 'sa-uid' };

test('service account user names and groups', () => {
  assert.equal(makeUsername('team', 'robot'), 'system:serviceaccount:team:robot');
  assert.deepEqual(splitUsername('system:serviceaccount:team:robot'), { namespace: 'team', name: 'robot' });
  assert.equal(splitUsername('system:serviceaccount:team'), undefined);
  assert.equal(splitUsername('alice'), undefined);
  assert.deepEqual(makeGroupNames('team'), ['system:serviceaccounts', 'system:serviceaccounts:team']);
});

test('an unbound token: the standard claims and the account, keys sorted as upstream encodes them', () => {
  const claims = serviceAccountClaims({ serviceAccount: sa, audiences: ['vault'], expirationSeconds: 600, now: 1000, jti: 'j-1' });
  assert.equal(
    JSON.stringify(claims),
    JSON.stringify({
      aud: ['vault'],
      exp: 1600,
      iat: 1000,
      iss: SERVICE_ACCOUNT_ISSUER,
      jti: 'j-1',
      'kubernetes.io': { namespace: 'team', serviceaccount: { name: 'robot', uid: 'sa-uid' } },
      nbf: 1000,
      sub: 'system:serviceaccount:team:robot',
    }),
  );
});

test('a pod-bound token names the pod and its node; warnafter only when asked', () => {
  const claims = serviceAccountClaims({
    serviceAccount: sa,
    pod: { name: 'web', uid: 'pod-uid' },
    node: { name: 'n1' },
    audiences: [SERVICE_ACCOUNT_ISSUER],
    expirationSeconds: 31536000,
    warnAfterSeconds: 3607,
    now: 1000,
  });
  assert.deepEqual(Object.keys(claims['kubernetes.io']), ['namespace', 'node', 'pod', 'serviceaccount', 'warnafter']);
  assert.deepEqual(claims['kubernetes.io'].node, { name: 'n1' });
  assert.deepEqual(claims['kubernetes.io'].pod, { name: 'web', uid: 'pod-uid' });
  assert.equal(claims['kubernetes.io'].warnafter, 4607);
  assert.equal(claims.exp, 1000 + 31536000);
  assert.equal('jti' in claims, false);
});

test('a token binds to one kind of object only', () => {
  assert.throws(
    () => serviceAccountClaims({ serviceAccount: sa, pod: { name: 'p', uid: 'u' }, secret: { name: 's', uid: 'v' }, audiences: ['a'], expirationSeconds: 600, now: 0 }),
    /token can only be bound to one object type/,
  );
});

test('TokenRequest: an hour by default, at least ten minutes, at most 2^32 seconds', () => {
  const req: TokenRequest = { spec: {} };
  defaultTokenRequest(req);
  assert.equal(req.spec.expirationSeconds, 3600);
  assert.deepEqual(validateTokenRequest(req), []);
  assert.deepEqual(validateTokenRequest({ spec: { expirationSeconds: 600 } }), []);
  assert.deepEqual(validateTokenRequest({ spec: { expirationSeconds: 599 } }).map(fieldErrorString), [
    'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
  ]);
  assert.deepEqual(validateTokenRequest({ spec: { expirationSeconds: 2 ** 32 + 1 } }).map(fieldErrorString), [
    'spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds',
  ]);
});
