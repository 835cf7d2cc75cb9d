// Quota accounting: what pods, services and claims cost, scopes, and the printed resource lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import {
  calculateUsage,
  evaluatorsForHard,
  persistentVolumeClaimEvaluator,
  podEvaluator,
  podResources,
  prettyPrint,
  quotaMatches,
  serviceEvaluator,
  usageFromList,
  usageToList,
} from '../../../src/api/helpers/quota.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function pod(containers: Container[], extra: Partial<NonNullable<Pod['spec']>> = {}, status?: Pod['status']): Pod {
  return { metadata: { name: 'p', namespace: 'ns' }, spec: { containers, ...extra }, ...(status ? { status } : {}) } as Pod;
}

test('pod requests: app containers plus sidecars, or a larger init container, plus overhead', () => {
  const p = pod([{ name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { name: 'b', resources: { requests: { cpu: '200m' } } }], {
    initContainers: [
      { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
      { name: 'init', resources: { requests: { cpu: '1', memory: '32Mi' } } },
    ],
    overhead: { cpu: '10m' },
  });
  // max(100m+200m+50m, 1+50m) + 10m overhead; memory max(64Mi, 32Mi)
  assert.deepEqual(usageToList(podResources(p, 'requests')), { cpu: '1060m', memory: '64Mi' });
  assert.deepEqual(usageToList(podResources(p, 'requests', { excludeOverhead: true })), { cpu: '1050m', memory: '64Mi' });
});

test('pod usage: compute resources while alive, only the object count once finished', () => {
  const spec = [{ name: 'c', resources: { requests: { cpu: '250m', 'example.com/gpu': '1' }, limits: { cpu: '500m', memory: '1Gi' } } }];
  assert.deepEqual(usageToList(podEvaluator.usage(pod(spec), NOW)), {
    'count/pods': '1',
    cpu: '250m',
    'limits.cpu': '500m',
    'limits.memory': '1Gi',
    pods: '1',
    'requests.cpu': '250m',
    'requests.example.com/gpu': '1',
  });
  assert.deepEqual(usageToList(podEvaluator.usage(pod(spec, {}, { phase: 'Succeeded' }), NOW)), { 'count/pods': '1' });
});

test('pod constraints name each missing resource with its containers', () => {
  const p = pod([{ name: 'a', resources: { limits: { cpu: '1' } } }, { name: 'b' }]);
  assert.equal(podEvaluator.constraints!(['limits.cpu', 'requests.memory', 'pods'], p), 'must specify limits.cpu for: b; requests.memory for: a,b');
  assert.equal(podEvaluator.constraints!(['pods'], p), undefined);
});

test('scopes: BestEffort, Terminating and PriorityClass selectors decide which quotas a pod falls under', () => {
  const quota = (spec: ResourceQuota['spec']): ResourceQuota => ({ metadata: { name: 'q' }, spec, status: { hard: spec?.hard } });
  const bestEffort = pod([{ name: 'c' }]);
  const burstable = pod([{ name: 'c', resources: { requests: { cpu: '1' } } }], { activeDeadlineSeconds: 30, priorityClassName: 'high' });
  const be = quota({ hard: { pods: '5' }, scopes: ['BestEffort'] });
  assert.equal(quotaMatches(be, podEvaluator, bestEffort), true);
  assert.equal(quotaMatches(be, podEvaluator, burstable), false);
  const terminating = quota({ hard: { pods: '5' }, scopes: ['Terminating', 'NotBestEffort'] });
  assert.equal(quotaMatches(terminating, podEvaluator, burstable), true);
  const high = quota({ hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } });
  assert.equal(quotaMatches(high, podEvaluator, burstable), true);
  assert.equal(quotaMatches(high, podEvaluator, bestEffort), false);
  // Scoped quotas never cover other kinds.
  assert.equal(quotaMatches(be, serviceEvaluator, { metadata: { name: 's' } }), false);
});

test('services and claims: node ports, load balancers, storage per class', () => {
  const svc: Service = { metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] } };
  assert.deepEqual(usageToList(serviceEvaluator.usage(svc, NOW)), { 'count/services': '1', services: '1', 'services.nodeports': '2' });
  const pvc: PersistentVolumeClaim = { metadata: { name: 'c' }, spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } }, status: { allocatedResources: { storage: '2Gi' } } };
  assert.deepEqual(usageToList(persistentVolumeClaimEvaluator.usage(pvc, NOW)), {
    'count/persistentvolumeclaims': '1',
    'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
    'fast.storageclass.storage.k8s.io/requests.storage': '2Gi',
    persistentvolumeclaims: '1',
    'requests.storage': '2Gi',
  });
});

test('calculateUsage sums what a quota tracks, with zeros for what nothing uses', () => {
  const q: ResourceQuota = { metadata: { name: 'q' }, spec: { hard: { pods: '10', 'requests.memory': '1Gi', 'count/deployments.apps': '2' } } };
  const names = evaluatorsForHard(Object.keys(q.spec!.hard!)).map((e) => `${e.group}/${e.resource}`);
  assert.deepEqual(names.sort(), ['/pods', 'apps/deployments']);
  const used = calculateUsage(q, podEvaluator, [pod([{ name: 'c', resources: { requests: { memory: '100Mi' } } }]), pod([{ name: 'c' }])], NOW);
  assert.equal(prettyPrint(used), 'pods=2,requests.memory=100Mi');
  assert.equal(prettyPrint(usageFromList({ b: '1', a: '500m' })), 'a=500m,b=1');
});
