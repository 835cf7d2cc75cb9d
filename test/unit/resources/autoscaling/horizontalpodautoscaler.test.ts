import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import { horizontalPodAutoscalers as hpas } from '../../../../src/api/resources/autoscaling/horizontalpodautoscaler.js';
import { BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION } from '../../../../src/api/resources/autoscaling/v1.js';
import { created, createErrors, decoded, meta, registry, row, unknownFields } from '../apps/fixtures.js';

const v1 = hpas.alsoServedAs![0];
const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });

function hpa(spec: Record<string, unknown> = {}): any {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('web'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } };
}

function hpaV1(spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): any {
  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta('web'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec }, ...extra };
}

test('defaults: minReplicas 1 and an 80% CPU target when no metric is given', () => {
  const h = decoded(hpas, hpa());
  assert.equal(h.spec.minReplicas, 1);
  assert.deepEqual(h.spec.metrics, [cpu(80)]);
  assert.equal(h.spec.behavior, undefined);
});

test('a behavior gets upstream’s scale-up and scale-down rules where unset', () => {
  const h = decoded(hpas, hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } }));
  assert.deepEqual(h.spec.behavior, {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], stabilizationWindowSeconds: 60 },
  });
});

test('autoscaling/v1 targetCPUUtilizationPercentage becomes a Resource cpu Utilization metric and back', () => {
  const stored = v1.toStored(hpaV1({ minReplicas: 2, targetCPUUtilizationPercentage: 50 }));
  assert.equal(stored.apiVersion, 'autoscaling/v2');
  assert.deepEqual(stored.spec, { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, metrics: [cpu(50)] });
  const back = v1.fromStored({ ...stored, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 20, averageValue: '120m' } } }] } });
  assert.equal(back.apiVersion, 'autoscaling/v1');
  assert.deepEqual(back.spec, { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
  assert.deepEqual(back.status, { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 20 });
  // The raw reading is kept in an annotation, in v1's field names.
  assert.equal(back.metadata.annotations[METRIC_STATUSES_ANNOTATION], '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":20,"currentAverageValue":"120m"}}]');
  assert.deepEqual(v1.toStored(hpaV1()).spec.metrics, [cpu(80)]);
});

test('metrics v1 cannot express travel in the autoscaling.alpha.kubernetes.io annotations', () => {
  const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
  const external = { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'Value', value: '30' } } };
  const stored = created(hpas, hpa({ metrics: [cpu(60), pods, external], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } } }));
  stored.status = { desiredReplicas: 1, conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', lastTransitionTime: '2024-05-01T10:00:00Z' }] };
  const out = v1.fromStored(stored);
  assert.equal(out.spec.targetCPUUtilizationPercentage, 60);
  const annotations = out.metadata.annotations;
  assert.equal(
    annotations[METRIC_SPECS_ANNOTATION],
    '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10"}},{"type":"External","external":{"metricName":"queue","metricSelector":{"matchLabels":{"q":"jobs"}},"targetValue":"30"}}]',
  );
  assert.equal(
    annotations[BEHAVIOR_ANNOTATION],
    '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":2,"PeriodSeconds":60}]},"ScaleDown":{"StabilizationWindowSeconds":null,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}]}}',
  );
  assert.equal(annotations[CONDITIONS_ANNOTATION], '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2024-05-01T10:00:00Z","reason":"ReadyForNewScale"}]');
  // A v1 client writing the object back loses nothing.
  const again = v1.toStored(out);
  assert.deepEqual(again.spec.metrics, [pods, external, cpu(60)]);
  assert.deepEqual(again.spec.behavior, stored.spec.behavior);
  assert.deepEqual(again.status.conditions, stored.status.conditions);
  assert.equal(again.metadata.annotations, undefined);
});

test('the v1 schema accepts what the conversion serves', () => {
  const out = v1.fromStored(created(hpas, hpa({ minReplicas: 2, metrics: [cpu(70)] })));
  assert.deepEqual(unknownFields({ ...hpas, schemaName: v1.schemaName }, out), []);
  assert.deepEqual(validateAgainstSchema(out, v1.schemaName, registry.definitions).map(fieldErrorString), []);
});

test('validation messages of the spec', () => {
  const h = decoded(hpas, hpa({ minReplicas: 0, maxReplicas: 0, scaleTargetRef: { kind: 'Deployment', name: 'a/b' } }));
  assert.deepEqual(createErrors(hpas, h), [
    'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
    'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
    'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
  ]);
  const missing = decoded(hpas, hpa({ maxReplicas: 2, minReplicas: 3, scaleTargetRef: {} }));
  assert.deepEqual(createErrors(hpas, missing), [
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.kind: Required value',
    'spec.scaleTargetRef.name: Required value',
  ]);
});

test('validation messages of metrics and behavior', () => {
  const h = decoded(
    hpas,
    hpa({
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0, averageValue: '1' } } },
        { type: 'Pods', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1' } }, resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
      ],
      behavior: { scaleUp: { stabilizationWindowSeconds: 4000, policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } },
    }),
  );
  assert.deepEqual(hpas.validate!(h, {}).map(fieldErrorString), [
    'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    'spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization',
    'spec.metrics[1].pods: Required value: must populate information for the given metric source',
    'spec.metrics[2].resource: Forbidden: must populate the given metric source only',
    'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
    'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
    'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
  ]);
});

test('kubectl get hpa: TARGETS as 1.32 prints them', () => {
  const h = created(hpas, hpa({ metrics: [cpu(50)] }));
  assert.deepEqual(row(hpas, h), { Name: 'web', Reference: 'Deployment/web', Targets: 'cpu: <unknown>/50%', MinPods: '1', MaxPods: 5, Replicas: 0, Age: '120m' });
  h.status = { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 20, averageValue: '100m' } } }] };
  assert.equal(row(hpas, h).Targets, 'cpu: 20%/50%');
  const many = created(hpas, hpa({
    metrics: [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1536Mi' } } },
      { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '0.5' } } },
      cpu(50),
    ],
  }));
  assert.equal(row(hpas, many).Targets, 'memory: <unknown>/1536Mi, <unknown>/500m (avg) + 1 more...');
  assert.deepEqual(hpas.shortNames, ['hpa']);
  assert.deepEqual(hpas.categories, ['all']);
});

test('create resets status to zero and updates keep it', () => {
  const h = created(hpas, { ...hpa(), status: { currentReplicas: 3 } });
  assert.deepEqual(h.status, { desiredReplicas: 0 });
  const next = { ...structuredClone(h), status: { desiredReplicas: 4 } };
  hpas.prepareForUpdate!(next, h);
  assert.deepEqual(next.status, { desiredReplicas: 0 });
});

test('a full HorizontalPodAutoscaler has no unknown fields and passes schema validation', () => {
  const q = '2024-05-01T10:00:00Z';
  const full = hpa({
    minReplicas: 1,
    metrics: [
      cpu(50),
      { type: 'ContainerResource', containerResource: { name: 'memory', container: 'web', target: { type: 'AverageValue', averageValue: '1Gi' } } },
      { type: 'Pods', pods: { metric: { name: 'qps', selector: { matchLabels: { a: 'b' } } }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target: { type: 'Value', value: '100' } } },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
    ],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    },
  });
  full.status = {
    observedGeneration: 1,
    lastScaleTime: q,
    currentReplicas: 2,
    desiredReplicas: 2,
    currentMetrics: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 20, averageValue: '100m' } } },
      { type: 'ContainerResource', containerResource: { name: 'memory', container: 'web', current: { averageValue: '500Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '5' } } },
      { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, current: { value: '80' } } },
      { type: 'External', external: { metric: { name: 'queue' }, current: { averageValue: '12' } } },
    ],
    conditions: [{ type: 'ScalingActive', status: 'True', lastTransitionTime: q, reason: 'ValidMetricFound', message: 'ok' }],
  };
  assert.deepEqual(unknownFields(hpas, full), []);
  assert.deepEqual(validateAgainstSchema(full, hpas.schemaName, registry.definitions).map(fieldErrorString), []);
  assert.deepEqual(hpas.validate!(full, {}).map(fieldErrorString), []);
});
