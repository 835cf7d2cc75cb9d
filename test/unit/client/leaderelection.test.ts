import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, LeaderElector, resources, type Lease, type LocalApi } from '../../../src/client/index.js';
import { FakeApi } from '../../support/fake-api.js';
import { eventually, sleep } from './helpers.js';

interface Candidate {
  elector: LeaderElector;
  log: string[];
  readonly signal?: AbortSignal;
}

function candidate(api: LocalApi, identity: string, releaseOnCancel = true): Candidate {
  const log: string[] = [];
  let signal: AbortSignal | undefined;
  const elector = new LeaderElector({
    client: Client.local(api),
    namespace: 'kube-system',
    name: 'kube-controller-manager',
    identity,
    leaseDurationSeconds: 1,
    renewDeadlineSeconds: 0.5,
    retryPeriodSeconds: 0.05,
    releaseOnCancel,
    onStartedLeading: (s) => {
      signal = s;
      log.push('started');
    },
    onStoppedLeading: () => log.push('stopped'),
    onNewLeader: (id) => log.push(`leader ${id}`),
  });
  return {
    elector,
    log,
    get signal() {
      return signal;
    },
  };
}

async function lease(api: FakeApi): Promise<Lease> {
  return Client.local(api.direct).resource<Lease>(resources.leases).namespace('kube-system').get('kube-controller-manager');
}

test('one candidate leads; on stop it releases the lease and the other takes over at once', async () => {
  const api = new FakeApi();
  const a = candidate(api, 'node-a');
  const b = candidate(api, 'node-b');
  void a.elector.run();
  await eventually(() => a.elector.isLeader(), 'a to lead');
  void b.elector.run();
  await sleep(150);
  assert.equal(b.elector.isLeader(), false);
  assert.equal(b.elector.leader, 'node-a');
  assert.ok(b.log.includes('leader node-a'));

  const held = await lease(api);
  assert.equal(held.spec?.holderIdentity, 'node-a');
  assert.equal(held.spec?.leaseDurationSeconds, 1);
  assert.equal(held.spec?.leaseTransitions, 0);
  assert.match(held.spec!.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

  const t0 = performance.now();
  await a.elector.stop();
  assert.deepEqual(a.log, ['leader node-a', 'started', 'stopped']);
  assert.equal(a.signal?.aborted, true);
  await eventually(() => b.elector.isLeader(), 'b to take over');
  assert.ok(performance.now() - t0 < 800, 'no need to wait for the lease to expire');
  const taken = await lease(api);
  assert.equal(taken.spec?.holderIdentity, 'node-b');
  assert.equal(taken.spec?.leaseTransitions, 1);
  await b.elector.stop();
});

test('a lease that is not released is taken over only once it has gone unrenewed for its duration', async () => {
  const api = new FakeApi();
  const a = candidate(api, 'node-a', false);
  const b = candidate(api, 'node-b');
  void a.elector.run();
  await eventually(() => a.elector.isLeader(), 'a to lead');
  void b.elector.run();
  await sleep(100);
  const t0 = performance.now();
  await a.elector.stop();
  assert.equal((await lease(api)).spec?.holderIdentity, 'node-a', 'not released');
  await eventually(() => b.elector.isLeader(), 'b to take over', 3000);
  const waited = performance.now() - t0;
  assert.ok(waited >= 800, `took over after ${waited} ms`);
  await b.elector.stop();
});

test('a leader that cannot renew within the deadline stops leading', async () => {
  const api = new FakeApi();
  const a = candidate(api, 'node-a');
  const b = candidate(api.direct, 'node-b');
  const done = a.elector.run();
  await eventually(() => a.elector.isLeader(), 'a to lead');
  void b.elector.run();
  api.down = true; // a loses its connection; b still reaches the server
  await done;
  assert.equal(a.elector.isLeader(), false);
  assert.deepEqual(a.log.slice(-2), ['started', 'stopped']);
  assert.equal(a.signal?.aborted, true);
  await eventually(() => b.elector.isLeader(), 'b to take over', 3000);
  await b.elector.stop();
});

test('timings are validated as client-go does', () => {
  const api = new FakeApi();
  const base = { client: Client.local(api), namespace: 'ns', name: 'l', identity: 'me', onStartedLeading: () => {} };
  assert.throws(() => new LeaderElector({ ...base, leaseDurationSeconds: 10, renewDeadlineSeconds: 10 }), /leaseDuration must be greater than renewDeadline/);
  assert.throws(() => new LeaderElector({ ...base, renewDeadlineSeconds: 2, retryPeriodSeconds: 2 }), /renewDeadline must be greater than retryPeriod\*JitterFactor/);
  assert.throws(() => new LeaderElector({ ...base, identity: '' }), /Lock identity is empty/);
});
