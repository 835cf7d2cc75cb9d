// autoscaling/v2 HorizontalPodAutoscaler (stored as v2, also served as autoscaling/v1).
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  HPAScalingRules,
  MetricSpec,
  MetricStatus,
  MetricTarget,
} from 'kubernetes-types/autoscaling/v2.js';
import type { Definitions, Schema } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, int32, int64, kindSchema, labelSelector, list, mergeList, object, quantity, ref, str, time, statusCondition } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { Quantity } from '../../meta/quantity.js';
import { isDNS1123Label, isValidPathSegmentName, validateNonnegativeField } from '../../meta/validation.js';
import { table } from '../table.js';
import type { Writable } from '../apps/validation.js';
import { DEFAULT_CPU_UTILIZATION, definitions as v1Definitions, hpaV1 } from './v1.js';
import { deepCopy } from '../../patch/json.js';

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

/** An object all of whose fields are required (the metric sources and readings), with their protobuf field numbers. */
const allRequired = (description: string, fields: Record<string, Schema>, proto: Record<string, number>): Schema =>
  object(fields, { proto, required: Object.keys(fields), description });

const definitions: Definitions = new Map(v1Definitions);
define(definitions, {
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler': kindSchema(
    { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
    {
      spec: ref('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', { default: {}, description: 'The desired behaviour of the autoscaler.' }),
      status: ref('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus', { default: {}, description: 'The observed state of the autoscaler.' }),
    },
    {
      proto: { metadata: 1, spec: 2, status: 3 },
      description: 'HorizontalPodAutoscaler scales a workload between bounds to keep its metrics near their targets.',
    },
  ),
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': object(
    {
      scaleTargetRef: ref('io.k8s.api.autoscaling.v2.CrossVersionObjectReference', { default: {}, description: 'The workload to scale, through its scale subresource.' }),
      minReplicas: int32({ description: 'The lower bound of replicas; defaults to 1.' }),
      maxReplicas: int32({ default: 0, description: 'The upper bound of replicas.' }),
      metrics: list(ref('io.k8s.api.autoscaling.v2.MetricSpec', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The metrics to keep near their targets; 80% average CPU when empty.',
      }),
      behavior: ref('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior', { description: 'How fast to scale up and down.' }),
    },
    {
      proto: { scaleTargetRef: 1, minReplicas: 2, maxReplicas: 3, metrics: 4, behavior: 5 },
      protoPointers: ['minReplicas'],
      required: ['scaleTargetRef', 'maxReplicas'],
      description: 'The desired behaviour of an autoscaler.',
    },
  ),
  'io.k8s.api.autoscaling.v2.CrossVersionObjectReference': object(
    {
      kind: str({ default: '', description: 'The kind of the referent.' }),
      name: str({ default: '', description: 'The name of the referent.' }),
      apiVersion: str({ description: 'The API version of the referent.' }),
    },
    { proto: { kind: 1, name: 2, apiVersion: 3 }, required: ['kind', 'name'], description: 'Identifies an object in any API version.' },
  ),
  'io.k8s.api.autoscaling.v2.MetricSpec': object(
    {
      type: str({ default: '', description: 'ContainerResource, External, Object, Pods or Resource: which source is set.' }),
      object: ref('io.k8s.api.autoscaling.v2.ObjectMetricSource', { description: 'A metric of a single object.' }),
      pods: ref('io.k8s.api.autoscaling.v2.PodsMetricSource', { description: 'A metric averaged over the pods.' }),
      resource: ref('io.k8s.api.autoscaling.v2.ResourceMetricSource', { description: 'A resource (CPU, memory) averaged over the pods.' }),
      containerResource: ref('io.k8s.api.autoscaling.v2.ContainerResourceMetricSource', { description: 'A resource of one container, averaged over the pods.' }),
      external: ref('io.k8s.api.autoscaling.v2.ExternalMetricSource', { description: 'A metric from outside the cluster.' }),
    },
    { proto: { type: 1, object: 2, pods: 3, resource: 4, containerResource: 7, external: 5 }, required: ['type'], description: 'One metric to scale on.' },
  ),
  'io.k8s.api.autoscaling.v2.ObjectMetricSource': allRequired(
    'A metric describing one object.',
    {
      describedObject: ref('io.k8s.api.autoscaling.v2.CrossVersionObjectReference', { default: {}, description: 'The object the metric describes.' }),
      target: ref('io.k8s.api.autoscaling.v2.MetricTarget', { default: {}, description: 'The target value.' }),
      metric: ref('io.k8s.api.autoscaling.v2.MetricIdentifier', { default: {}, description: 'The metric.' }),
    },
    { describedObject: 1, target: 2, metric: 3 },
  ),
  'io.k8s.api.autoscaling.v2.PodsMetricSource': allRequired(
    'A metric averaged over the pods.',
    {
      metric: ref('io.k8s.api.autoscaling.v2.MetricIdentifier', { default: {}, description: 'The metric.' }),
      target: ref('io.k8s.api.autoscaling.v2.MetricTarget', { default: {}, description: 'The target average value.' }),
    },
    { metric: 1, target: 2 },
  ),
  'io.k8s.api.autoscaling.v2.ResourceMetricSource': object(
    {
      name: str({ default: '', description: 'The resource, such as cpu or memory.' }),
      target: ref('io.k8s.api.autoscaling.v2.MetricTarget', { default: {}, description: 'The target utilization or average value.' }),
    },
    { proto: { name: 1, target: 2 }, required: ['name', 'target'], description: 'A resource of the pods, as in their requests and limits.' },
  ),
  'io.k8s.api.autoscaling.v2.ContainerResourceMetricSource': object(
    {
      name: str({ default: '', description: 'The resource, such as cpu or memory.' }),
      target: ref('io.k8s.api.autoscaling.v2.MetricTarget', { default: {}, description: 'The target utilization or average value.' }),
      container: str({ default: '', description: 'The container whose use counts.' }),
    },
    { proto: { name: 1, target: 2, container: 3 }, required: ['name', 'target', 'container'], description: 'A resource of one container of the pods.' },
  ),
  'io.k8s.api.autoscaling.v2.ExternalMetricSource': allRequired(
    'A metric not tied to any cluster object.',
    {
      metric: ref('io.k8s.api.autoscaling.v2.MetricIdentifier', { default: {}, description: 'The metric.' }),
      target: ref('io.k8s.api.autoscaling.v2.MetricTarget', { default: {}, description: 'The target value or average value.' }),
    },
    { metric: 1, target: 2 },
  ),
  'io.k8s.api.autoscaling.v2.MetricIdentifier': object(
    {
      name: str({ default: '', description: 'The metric name.' }),
      selector: labelSelector({ description: 'Narrows the metric by its labels.' }),
    },
    { proto: { name: 1, selector: 2 }, required: ['name'], description: 'Names a metric.' },
  ),
  'io.k8s.api.autoscaling.v2.MetricTarget': object(
    {
      type: str({ default: '', description: 'Utilization, Value or AverageValue.' }),
      value: quantity({ description: 'The target value of the metric.' }),
      averageValue: quantity({ description: 'The target value averaged over the pods.' }),
      averageUtilization: int32({ description: 'The target average, as a percentage of the pods’ requests.' }),
    },
    {
      proto: { type: 1, value: 2, averageValue: 3, averageUtilization: 4 },
      protoPointers: ['averageUtilization'],
      required: ['type'],
      description: 'The value a metric should be kept at.',
    },
  ),
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior': object(
    {
      scaleUp: ref('io.k8s.api.autoscaling.v2.HPAScalingRules', { description: 'How to scale up; at most 4 pods or 100% per 15s by default.' }),
      scaleDown: ref('io.k8s.api.autoscaling.v2.HPAScalingRules', { description: 'How to scale down; down to the wanted count after a 300s window by default.' }),
    },
    { proto: { scaleUp: 1, scaleDown: 2 }, description: 'How fast an autoscaler changes the replica count.' },
  ),
  'io.k8s.api.autoscaling.v2.HPAScalingRules': object(
    {
      stabilizationWindowSeconds: int32({ description: 'Seconds of past recommendations considered, to avoid flapping.' }),
      selectPolicy: str({ description: 'Max, Min or Disabled: which policy applies when several allow a change.' }),
      policies: list(ref('io.k8s.api.autoscaling.v2.HPAScalingPolicy', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The allowed changes per period.',
      }),
    },
    {
      proto: { stabilizationWindowSeconds: 3, selectPolicy: 1, policies: 2 },
      protoPointers: ['stabilizationWindowSeconds', 'selectPolicy'],
      description: 'Bounds on scaling in one direction.',
    },
  ),
  'io.k8s.api.autoscaling.v2.HPAScalingPolicy': object(
    {
      type: str({ default: '', description: 'Pods or Percent.' }),
      value: int32({ default: 0, description: 'The change allowed per period.' }),
      periodSeconds: int32({ default: 0, description: 'The period, in seconds (at most 1800).' }),
    },
    { proto: { type: 1, value: 2, periodSeconds: 3 }, required: ['type', 'value', 'periodSeconds'], description: 'A bound on the change within a period.' },
  ),
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': object(
    {
      observedGeneration: int64({ description: 'The generation the autoscaler last acted on.' }),
      lastScaleTime: time({ description: 'When the autoscaler last scaled.' }),
      currentReplicas: int32({ description: 'The replicas seen last.' }),
      desiredReplicas: int32({ default: 0, description: 'The replicas the autoscaler wants.' }),
      currentMetrics: list(ref('io.k8s.api.autoscaling.v2.MetricStatus', { default: {} }), { 'x-kubernetes-list-type': 'atomic', nullable: true, description: 'The metrics last read.' }),
      conditions: mergeList(ref('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerCondition', { default: {} }), 'type', {
        description: 'The latest observations of the autoscaler.',
      }),
    },
    {
      proto: { observedGeneration: 1, lastScaleTime: 2, currentReplicas: 3, desiredReplicas: 4, currentMetrics: 5, conditions: 6 },
      protoPointers: ['observedGeneration', 'lastScaleTime'],
      required: ['desiredReplicas'],
      description: 'The observed state of an autoscaler.',
    },
  ),
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerCondition': statusCondition('An observation of an autoscaler at a point in time.', 'AbleToScale, ScalingActive or ScalingLimited.'),
  'io.k8s.api.autoscaling.v2.MetricStatus': object(
    {
      type: str({ default: '', description: 'Which source is set.' }),
      object: ref('io.k8s.api.autoscaling.v2.ObjectMetricStatus', { description: 'A metric of a single object.' }),
      pods: ref('io.k8s.api.autoscaling.v2.PodsMetricStatus', { description: 'A metric averaged over the pods.' }),
      resource: ref('io.k8s.api.autoscaling.v2.ResourceMetricStatus', { description: 'A resource averaged over the pods.' }),
      containerResource: ref('io.k8s.api.autoscaling.v2.ContainerResourceMetricStatus', { description: 'A resource of one container.' }),
      external: ref('io.k8s.api.autoscaling.v2.ExternalMetricStatus', { description: 'A metric from outside the cluster.' }),
    },
    {
      proto: { type: 1, object: 2, pods: 3, resource: 4, containerResource: 7, external: 5 },
      required: ['type'],
      description: 'The last reading of one metric.',
    },
  ),
  'io.k8s.api.autoscaling.v2.ObjectMetricStatus': allRequired(
    'The reading of a metric of one object.',
    {
      metric: ref('io.k8s.api.autoscaling.v2.MetricIdentifier', { default: {}, description: 'The metric.' }),
      current: ref('io.k8s.api.autoscaling.v2.MetricValueStatus', { default: {}, description: 'The value read.' }),
      describedObject: ref('io.k8s.api.autoscaling.v2.CrossVersionObjectReference', { default: {}, description: 'The object the metric describes.' }),
    },
    { metric: 1, current: 2, describedObject: 3 },
  ),
  'io.k8s.api.autoscaling.v2.PodsMetricStatus': allRequired(
    'The reading of a metric averaged over the pods.',
    {
      metric: ref('io.k8s.api.autoscaling.v2.MetricIdentifier', { default: {}, description: 'The metric.' }),
      current: ref('io.k8s.api.autoscaling.v2.MetricValueStatus', { default: {}, description: 'The value read.' }),
    },
    { metric: 1, current: 2 },
  ),
  'io.k8s.api.autoscaling.v2.ResourceMetricStatus': object(
    {
      name: str({ default: '', description: 'The resource.' }),
      current: ref('io.k8s.api.autoscaling.v2.MetricValueStatus', { default: {}, description: 'The value read.' }),
    },
    { proto: { name: 1, current: 2 }, required: ['name', 'current'], description: 'The reading of a resource of the pods.' },
  ),
  'io.k8s.api.autoscaling.v2.ContainerResourceMetricStatus': object(
    {
      name: str({ default: '', description: 'The resource.' }),
      current: ref('io.k8s.api.autoscaling.v2.MetricValueStatus', { default: {}, description: 'The value read.' }),
      container: str({ default: '', description: 'The container whose use was read.' }),
    },
    { proto: { name: 1, current: 2, container: 3 }, required: ['name', 'current', 'container'], description: 'The reading of a resource of one container.' },
  ),
  'io.k8s.api.autoscaling.v2.ExternalMetricStatus': allRequired(
    'The reading of a metric from outside the cluster.',
    {
      metric: ref('io.k8s.api.autoscaling.v2.MetricIdentifier', { default: {}, description: 'The metric.' }),
      current: ref('io.k8s.api.autoscaling.v2.MetricValueStatus', { default: {}, description: 'The value read.' }),
    },
    { metric: 1, current: 2 },
  ),
  'io.k8s.api.autoscaling.v2.MetricValueStatus': object(
    {
      value: quantity({ description: 'The value of the metric.' }),
      averageValue: quantity({ description: 'The value averaged over the pods.' }),
      averageUtilization: int32({ description: 'The average, as a percentage of the pods’ requests.' }),
    },
    { proto: { value: 1, averageValue: 2, averageUtilization: 3 }, protoPointers: ['averageUtilization'], description: 'A metric reading.' },
  ),
});

// ---- defaults ----

const DEFAULT_SCALE_UP: HPAScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
// The scale-down window is left unset: the controller's flag (300s by default) supplies it.
const DEFAULT_SCALE_DOWN: HPAScalingRules = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** GenerateHPAScale{Up,Down}Rules: the defaults, overridden by whatever the user set. */
function scalingRules(user: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  const out = deepCopy(defaults);
  if (user?.selectPolicy !== undefined) out.selectPolicy = user.selectPolicy;
  if (user?.stabilizationWindowSeconds !== undefined) out.stabilizationWindowSeconds = user.stabilizationWindowSeconds;
  if (user?.policies !== undefined) out.policies = user.policies;
  return out;
}

function defaultAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = (hpa.spec ??= {} as HorizontalPodAutoscalerSpec);
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = scalingRules(spec.behavior.scaleUp, DEFAULT_SCALE_UP);
    spec.behavior.scaleDown = scalingRules(spec.behavior.scaleDown, DEFAULT_SCALE_DOWN);
  }
}

// ---- validation ----

function validateObjectReference(ref: { kind?: string; name?: string } | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['kind', 'name'] as const) {
    const v = ref?.[f] ?? '';
    if (!v) errs.push(fieldErrors.required(path.child(f).path));
    else for (const msg of isValidPathSegmentName(v)) errs.push(fieldErrors.invalid(path.child(f).path, v, msg));
  }
  return errs;
}

function isPositive(q: string | undefined): boolean {
  try {
    return q !== undefined && Quantity.parse(q).sign() === 1;
  } catch {
    return false;
  }
}

function validateMetricTarget(t: MetricTarget | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (!type) errs.push(fieldErrors.required(path.child('type').path, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errs.push(fieldErrors.invalid(path.child('type').path, type, 'must be either Utilization, Value, or AverageValue'));
  }
  if (t?.value !== undefined && !isPositive(t.value)) errs.push(fieldErrors.invalid(path.child('value').path, t.value, 'must be positive'));
  if (t?.averageValue !== undefined && !isPositive(t.averageValue)) errs.push(fieldErrors.invalid(path.child('averageValue').path, t.averageValue, 'must be positive'));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1) {
    errs.push(fieldErrors.invalid(path.child('averageUtilization').path, t.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateMetricIdentifier(id: { name?: string } | undefined, path: FieldPath): FieldError[] {
  const name = id?.name ?? '';
  if (!name) return [fieldErrors.required(path.child('name').path, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((msg) => fieldErrors.invalid(path.child('name').path, name, msg));
}

/** The target rules resource sources share: utilization or average value, not both. */
function validateResourceTarget(t: MetricTarget | undefined, path: FieldPath): FieldError[] {
  const errs = validateMetricTarget(t, path);
  if (t?.averageUtilization === undefined && t?.averageValue === undefined) {
    errs.push(fieldErrors.required(path.child('averageUtilization').path, 'must set either a target raw value or a target utilization'));
  }
  if (t?.averageUtilization !== undefined && t.averageValue !== undefined) {
    errs.push(fieldErrors.forbidden(path.child('averageValue').path, 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

/** The metric source fields, in the order upstream checks them. */
const SOURCES = ['object', 'external', 'pods', 'resource', 'containerResource'] as const;
const SOURCE_OF_TYPE: Record<string, (typeof SOURCES)[number]> = {
  Object: 'object',
  External: 'external',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
};

function validateSource(spec: MetricSpec, source: (typeof SOURCES)[number], path: FieldPath): FieldError[] {
  switch (source) {
    case 'object': {
      const src = spec.object!;
      const errs = validateObjectReference(src.describedObject, path.child('describedObject'));
      errs.push(...validateMetricIdentifier(src.metric, path.child('metric')));
      errs.push(...validateMetricTarget(src.target, path.child('target')));
      if (src.target?.value === undefined && src.target?.averageValue === undefined) {
        errs.push(fieldErrors.required(path.child('target').child('averageValue').path, 'must set either a target value or averageValue'));
      }
      return errs;
    }
    case 'external': {
      const src = spec.external!;
      const errs = validateMetricIdentifier(src.metric, path.child('metric'));
      errs.push(...validateMetricTarget(src.target, path.child('target')));
      if (src.target?.value === undefined && src.target?.averageValue === undefined) {
        errs.push(fieldErrors.required(path.child('target').child('averageValue').path, 'must set either a target value for metric or a per-pod target'));
      }
      if (src.target?.value !== undefined && src.target.averageValue !== undefined) {
        errs.push(fieldErrors.forbidden(path.child('target').child('value').path, 'may not set both a target value for metric and a per-pod target'));
      }
      return errs;
    }
    case 'pods': {
      const src = spec.pods!;
      const errs = validateMetricIdentifier(src.metric, path.child('metric'));
      errs.push(...validateMetricTarget(src.target, path.child('target')));
      if (src.target?.averageValue === undefined) {
        errs.push(fieldErrors.required(path.child('target').child('averageValue').path, 'must specify a positive target averageValue'));
      }
      return errs;
    }
    case 'resource': {
      const src = spec.resource!;
      const errs = src.name ? [] : [fieldErrors.required(path.child('name').path, 'must specify a resource name')];
      errs.push(...validateResourceTarget(src.target, path.child('target')));
      return errs;
    }
    case 'containerResource': {
      const src = spec.containerResource!;
      const errs = src.name ? [] : [fieldErrors.required(path.child('name').path, 'must specify a resource name')];
      if (!src.container) errs.push(fieldErrors.required(path.child('container').path, 'must specify a container'));
      else for (const msg of isDNS1123Label(src.container)) errs.push(fieldErrors.invalid(path.child('container').path, src.container, msg));
      errs.push(...validateResourceTarget(src.target, path.child('target')));
      return errs;
    }
  }
}

function validateMetricSpec(spec: MetricSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = spec.type ?? '';
  if (!type) errs.push(fieldErrors.required(path.child('type').path, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(fieldErrors.notSupported(path.child('type').path, type, METRIC_SOURCE_TYPES));
  // Only the first source present is validated; the others are refused below.
  const present = SOURCES.filter((s) => spec[s] !== undefined);
  if (present.length) errs.push(...validateSource(spec, present[0], path.child(present[0])));
  const expected = Object.hasOwn(SOURCE_OF_TYPE, type) ? SOURCE_OF_TYPE[type] : undefined;
  if (expected) {
    if (spec[expected] === undefined) errs.push(fieldErrors.required(path.child(expected).path, 'must populate information for the given metric source'));
  } else errs.push(fieldErrors.notSupported(path.child('type').path, type, METRIC_SOURCE_TYPES));
  if (present.length !== 1) {
    for (const s of present) if (s !== expected) errs.push(fieldErrors.forbidden(path.child(s).path, 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: FieldPath): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  const windowPath = path.child('stabilizationWindowSeconds').path;
  if (window !== undefined && window < 0) errs.push(fieldErrors.invalid(windowPath, window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(fieldErrors.invalid(windowPath, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy)) {
    errs.push(fieldErrors.notSupported(path.child('selectPolicy').path, rules.selectPolicy, SELECT_POLICIES));
  }
  const policiesPath = path.child('policies');
  if (!rules.policies?.length) errs.push(fieldErrors.required(policiesPath.path, 'must specify at least one Policy'));
  (rules.policies ?? []).forEach((policy, i) => {
    const p = policiesPath.index(i);
    if (policy.type !== 'Pods' && policy.type !== 'Percent') errs.push(fieldErrors.notSupported(p.child('type').path, policy.type, POLICY_TYPES));
    if (policy.value <= 0) errs.push(fieldErrors.invalid(p.child('value').path, policy.value, 'must be greater than zero'));
    const period = policy.periodSeconds;
    if (period <= 0) errs.push(fieldErrors.invalid(p.child('periodSeconds').path, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(fieldErrors.invalid(p.child('periodSeconds').path, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

function validateAutoscalerSpec(spec: HorizontalPodAutoscalerSpec | undefined, minReplicasLowerBound: number): FieldError[] {
  const s = spec ?? ({} as HorizontalPodAutoscalerSpec);
  const path = new FieldPath('spec');
  const errs: FieldError[] = [];
  const min = s.minReplicas;
  const max = s.maxReplicas ?? 0;
  if (min !== undefined && min < minReplicasLowerBound) {
    errs.push(fieldErrors.invalid(path.child('minReplicas').path, min, `must be greater than or equal to ${minReplicasLowerBound}`));
  }
  if (max < 1) errs.push(fieldErrors.invalid(path.child('maxReplicas').path, max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(fieldErrors.invalid(path.child('maxReplicas').path, max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateObjectReference(s.scaleTargetRef, path.child('scaleTargetRef')));
  const metricsPath = path.child('metrics');
  const metrics = s.metrics ?? [];
  metrics.forEach((m, i) => errs.push(...validateMetricSpec(m, metricsPath.index(i))));
  if (min === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
    errs.push(fieldErrors.forbidden(metricsPath.path, 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  if (s.behavior) {
    errs.push(...validateScalingRules(s.behavior.scaleUp, path.child('behavior').child('scaleUp')));
    errs.push(...validateScalingRules(s.behavior.scaleDown, path.child('behavior').child('scaleDown')));
  }
  return errs;
}

// ---- table ----

/** resource.Quantity's String(); `<nil>` for an unset one, as Go prints a nil *Quantity. */
function quantityString(q: string | undefined): string {
  if (q === undefined) return '<nil>';
  try {
    return Quantity.parse(q).toString();
  } catch {
    return q;
  }
}

function targetCell(spec: MetricSpec, status: MetricStatus | undefined): string {
  const unknown = '<unknown>';
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const source = spec.type === 'External' ? spec.external : spec.object;
      const current = spec.type === 'External' ? status?.external?.current : status?.object?.current;
      const present = spec.type === 'External' ? status?.external : status?.object;
      if (source?.target?.averageValue !== undefined) {
        const now = current?.averageValue !== undefined ? quantityString(current.averageValue) : unknown;
        return `${now}/${quantityString(source.target.averageValue)} (avg)`;
      }
      return `${present ? quantityString(current?.value) : unknown}/${quantityString(source?.target?.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? quantityString(status.pods.current?.averageValue) : unknown}/${quantityString(spec.pods?.target?.averageValue)}`;
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const read = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const name = source?.name ?? '';
      if (source?.target?.averageValue !== undefined) {
        return `${name}: ${read ? quantityString(read.current?.averageValue) : unknown}/${quantityString(source.target.averageValue)}`;
      }
      const now = read?.current?.averageUtilization !== undefined ? `${read.current.averageUtilization}%` : unknown;
      const target = source?.target?.averageUtilization !== undefined ? `${source.target.averageUtilization}%` : '<auto>';
      return `${name}: ${now}/${target}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: the first two targets, `cpu: 20%/50%`, then `+ N more...`. */
function formatTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const cells = specs.map((m, i) => targetCell(m, statuses[i]));
  const shown = cells.slice(0, 2).join(', ');
  return cells.length > 2 ? `${shown} + ${cells.length - 2} more...` : shown;
}

export const horizontalPodAutoscalers: ResourceDefinition<HorizontalPodAutoscaler> = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  schemaName: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  definitions,
  subresources: { status: true },
  alsoServedAs: [hpaV1],
  defaults: defaultAutoscaler,
  prepareForCreate(hpa) {
    (hpa as Writable<HorizontalPodAutoscaler>).status = { desiredReplicas: 0 };
  },
  prepareForUpdate(hpa, old) {
    (hpa as Writable<HorizontalPodAutoscaler>).status = old.status;
  },
  validate(hpa, ctx) {
    // Scale-to-zero (minReplicas 0) is alpha; objects that already have it may keep it.
    const oldMin = (ctx.old as HorizontalPodAutoscaler | undefined)?.spec?.minReplicas;
    return validateAutoscalerSpec(hpa.spec, oldMin === 0 ? 0 : 1);
  },
  validateUpdate(hpa) {
    const path = new FieldPath('status');
    return [
      ...validateNonnegativeField(hpa.status?.currentReplicas ?? 0, path.child('currentReplicas')),
      ...validateNonnegativeField(hpa.status?.desiredReplicas ?? 0, path.child('desiredReplicas')),
    ];
  },
  table: table<HorizontalPodAutoscaler>(
    [
      { name: 'Reference', type: 'string', description: 'The workload being scaled.' },
      { name: 'Targets', type: 'string', description: 'Current and target values of the metrics.' },
      { name: 'MinPods', type: 'string', description: 'The lower bound of replicas.' },
      { name: 'MaxPods', type: 'string', description: 'The upper bound of replicas.' },
      { name: 'Replicas', type: 'string', description: 'The replicas seen last.' },
    ],
    (hpa) => [
      `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`,
      formatTargets(hpa),
      hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
    ],
  ),
};
