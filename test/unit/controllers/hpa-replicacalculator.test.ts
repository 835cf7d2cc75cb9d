// The HPA's arithmetic, case by case as upstream's replica calculator tests it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { rawResourceReplicas, resourceReplicas, type PodMetricsInfo } from '../../../src/controllers/hpa-replicacalculator.js';
import {
  convertDesiredReplicasWithRules,
  convertWithBehaviorRate,
  scaleDownLimit,
  scaleUpLimit,
  stabilizeRecommendation,
  stabilizeWithBehaviors,
} from '../../../src/controllers/hpa-behavior.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const LONG_AGO = '2024-05-01T11:00:00Z';

/** Pods started an hour ago (past CPU initialisation), ready unless listed otherwise, requesting `request` milli-CPU. */
function pods(n: number, opts: { request?: string; unready?: number[]; pending?: number[]; deleted?: number[] } = {}): Pod[] {
  return Array.from({ length: n }, (_, i) => ({
    metadata: { name: `p${i}`, ...(opts.deleted?.includes(i) ? { deletionTimestamp: LONG_AGO } : {}) },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu: opts.request ?? '1' } } }] },
    status: {
      phase: opts.pending?.includes(i) ? 'Pending' : 'Running',
      startTime: LONG_AGO,
      conditions: [{ type: 'Ready', status: opts.unready?.includes(i) ? 'False' : 'True', lastTransitionTime: LONG_AGO }],
    },
  }));
}

function metrics(values: (number | undefined)[]): PodMetricsInfo {
  const m: PodMetricsInfo = new Map();
  values.forEach((v, i) => {
    if (v !== undefined) m.set(`p${i}`, { value: v, timestamp: NOW - 1000, windowMs: 30_000 });
  });
  return m;
}

const calc = { now: NOW };

test('scale up: ceil(ready × utilization / target)', () => {
  // 1500m of 3000m = 50% against 30%: ceil(3 × 50/30) = 5.
  assert.deepEqual(resourceReplicas(3, 30, 'cpu', '', pods(3), metrics([300, 500, 700]), calc), { replicas: 5, utilization: 50, rawUtilization: 500 });
});

test('scale down: 28% against 50% of 5 pods → 3', () => {
  assert.deepEqual(resourceReplicas(5, 50, 'cpu', '', pods(5), metrics([100, 300, 500, 250, 250]), calc), { replicas: 3, utilization: 28, rawUtilization: 280 });
});

test('within the 10% tolerance the count holds', () => {
  assert.equal(resourceReplicas(3, 100, 'cpu', '', pods(3), metrics([1050, 1050, 1050]), calc).replicas, 3);
  assert.equal(resourceReplicas(3, 100, 'cpu', '', pods(3), metrics([1150, 1150, 1150]), calc).replicas, 4);
});

test('a scale-up counts unready pods as using 0%', () => {
  // Ready pods: 1200m/2000m = 60% (ratio 2); with the unready pod at 0: 1200/3000 = 40% → ceil(3 × 4/3) = 4.
  assert.deepEqual(resourceReplicas(3, 30, 'cpu', '', pods(3, { unready: [0] }), metrics([300, 500, 700]), calc), { replicas: 4, utilization: 60, rawUtilization: 600 });
});

test('pending pods are unready; deleted and failed pods are ignored', () => {
  // Ready pods at 100% (ratio 2) with a pending one counted as 0%: 2000/3000 = 66% → ceil(3 × 1.32) = 4.
  assert.equal(resourceReplicas(3, 50, 'cpu', '', pods(3, { pending: [2] }), metrics([1000, 1000, undefined]), calc).replicas, 4);
  // The deleted pod is left out: 2000/2000 = 100% → ceil(2 × 2) = 4.
  assert.equal(resourceReplicas(3, 50, 'cpu', '', pods(3, { deleted: [2] }), metrics([1000, 1000, 1000]), calc).replicas, 4);
});

test('missing metrics: 0% on a scale-up, 100% on a scale-down, and no change of direction', () => {
  // Up: 2 pods at 100% (ratio 2); 2 missing at 0 → 50% of 4 → ratio 1.0: hold at 4.
  assert.equal(resourceReplicas(4, 50, 'cpu', '', pods(4), metrics([1000, 1000, undefined, undefined]), calc).replicas, 4);
  // Down: 1 pod at 10% (ratio 0.2); the missing one at 100% → 55% → ratio 1.1 would scale up: hold at 2.
  assert.equal(resourceReplicas(2, 50, 'cpu', '', pods(2), metrics([100, undefined]), calc).replicas, 2);
  // Down: 3 pods at 10%, 1 missing at 100% → 32.5% → 32% of 50 → ceil(4 × 0.64) = 3.
  assert.equal(resourceReplicas(4, 50, 'cpu', '', pods(4), metrics([100, 100, 100, undefined]), calc).replicas, 3);
  // Exactly at target with a pod missing: unchanged.
  assert.equal(resourceReplicas(2, 100, 'cpu', '', pods(2), metrics([1000, undefined]), calc).replicas, 2);
});

test('a pod still starting (CPU) whose readiness is newer than a metric window is unready', () => {
  const starting = pods(2);
  starting[1].status!.startTime = new Date(NOW - 60_000).toISOString();
  starting[1].status!.conditions![0].lastTransitionTime = new Date(NOW - 10_000).toISOString();
  // p1's sample (1 s old, 30 s window) predates a full window since it became ready: counted as 0% on the way up.
  const r = resourceReplicas(2, 50, 'cpu', '', starting, metrics([1000, 1000]), calc);
  assert.equal(r.utilization, 100);
  assert.equal(r.replicas, 2);
});

test('errors: no pods, no usable metrics, missing requests', () => {
  assert.throws(() => resourceReplicas(1, 50, 'cpu', '', [], metrics([1]), calc), /^Error: no pods returned by selector while calculating replica count$/);
  assert.throws(() => resourceReplicas(1, 50, 'cpu', '', pods(1, { pending: [0] }), metrics([1]), calc), /did not receive metrics for targeted pods \(pods might be unready\)/);
  const noRequest = pods(1);
  delete noRequest[0].spec!.containers[0].resources;
  assert.throws(() => resourceReplicas(1, 50, 'cpu', '', noRequest, metrics([1]), calc), /^Error: missing request for cpu in container c of Pod p0$/);
});

test('average-value targets: ceil(ready × average / target)', () => {
  assert.deepEqual(rawResourceReplicas(3, 10, 'cpu', pods(3), metrics([10, 20, 30]), calc), { replicas: 6, usage: 20 });
  assert.deepEqual(rawResourceReplicas(3, 20, 'cpu', pods(3), metrics([20, 21, 19]), calc), { replicas: 3, usage: 20 });
});

test('classic limits: at most max(2 × current, 4), within min and max', () => {
  assert.deepEqual(convertDesiredReplicasWithRules(3, 10, 1, 20), { replicas: 6, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
  assert.deepEqual(convertDesiredReplicasWithRules(1, 10, 1, 3), { replicas: 3, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
  assert.deepEqual(convertDesiredReplicasWithRules(5, 0, 2, 10), { replicas: 2, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' });
  assert.equal(convertDesiredReplicasWithRules(5, 7, 2, 10).reason, 'DesiredWithinRange');
});

test('downscale stabilization takes the highest recommendation within the window', () => {
  const recs = [
    { recommendation: 5, timestamp: NOW - 60_000 },
    { recommendation: 9, timestamp: NOW - 400_000 },
  ];
  assert.equal(stabilizeRecommendation(recs, 2, NOW, 300_000), 5);
  // The sample older than the window was replaced by this one.
  assert.deepEqual(recs.map((r) => r.recommendation).sort(), [2, 5]);
});

test('behavior policies: Pods/Percent per period, Max and Min selection, and past events', () => {
  const up = { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
  assert.equal(scaleUpLimit(3, [], [], up, NOW), 7);
  assert.equal(scaleUpLimit(3, [], [], { ...up, selectPolicy: 'Min' }, NOW), 6);
  assert.equal(scaleUpLimit(3, [], [], { ...up, selectPolicy: 'Disabled' }, NOW), 3);
  // 2 added within the period: the period began at 4 → 4 + 4 = 8, 4 × 2 = 8.
  assert.equal(scaleUpLimit(6, [{ replicaChange: 2, timestamp: NOW - 5000, outdated: false }], [], up, NOW), 8);
  const down = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] };
  assert.equal(scaleDownLimit(10, [], [], down, NOW), 5);
  assert.equal(scaleDownLimit(10, [], [{ replicaChange: 2, timestamp: NOW - 5000, outdated: false }], down, NOW), 6);
  const args = { current: 10, desired: 1, min: 1, max: 20, scaleUp: up, scaleDown: down };
  assert.deepEqual(convertWithBehaviorRate(args, [], [], NOW), { replicas: 5, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' });
  // Up from 10: at most max(10 + 4, 10 × 2) = 20; a max of 20 itself is the limit that binds.
  assert.equal(convertWithBehaviorRate({ ...args, desired: 30 }, [], [], NOW).reason, 'TooManyReplicas');
  assert.deepEqual(convertWithBehaviorRate({ ...args, max: 50, desired: 30 }, [], [], NOW), { replicas: 20, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
});

test('behavior stabilization clamps between the up and down windows', () => {
  const recs = [{ recommendation: 8, timestamp: NOW - 30_000 }];
  const args = { current: 5, desired: 3, min: 1, max: 10, scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: 300 } };
  assert.deepEqual(stabilizeWithBehaviors(recs, args, NOW), {
    replicas: 5,
    reason: 'ScaleDownStabilized',
    message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
  });
});
