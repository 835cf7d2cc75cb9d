// autoscaling/v1: HorizontalPodAutoscaler as served to v1 clients (converted from the stored v2
// form, with what v1 cannot express kept in annotations, as upstream does) and Scale, the body
// of every /scale subresource.
import type * as v1 from 'kubernetes-types/autoscaling/v1.js';
import type * as v2 from 'kubernetes-types/autoscaling/v2.js';
import type { Definitions } from '../../schema/types.js';
import type { AlternateVersion, KubeObject } from '../../registry.js';
import { define, int32, int64, kindSchema, object, ref, str, time } from '../../schema/build.js';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

/** autoscaling/v1's implicit target when no metric is given. */
export const DEFAULT_CPU_UTILIZATION = 80;

export const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler': kindSchema(
    { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' },
    {
      spec: ref('io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec', { default: {}, description: 'The desired behaviour of the autoscaler.' }),
      status: ref('io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus', { default: {}, description: 'The observed state of the autoscaler.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'HorizontalPodAutoscaler scales a workload between bounds to keep its CPU use near a target.' },
  ),
  'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec': object(
    {
      scaleTargetRef: ref('io.k8s.api.autoscaling.v1.CrossVersionObjectReference', { default: {}, description: 'The workload to scale.' }),
      minReplicas: int32({ description: 'The lower bound of replicas; defaults to 1.' }),
      maxReplicas: int32({ default: 0, description: 'The upper bound of replicas.' }),
      targetCPUUtilizationPercentage: int32({ description: 'The average CPU use, as a percentage of requests, to aim for; 80 when unset.' }),
    },
    {
      proto: { scaleTargetRef: 1, minReplicas: 2, maxReplicas: 3, targetCPUUtilizationPercentage: 4 },
      protoPointers: ['minReplicas', 'targetCPUUtilizationPercentage'],
      required: ['scaleTargetRef', 'maxReplicas'],
      description: 'The desired behaviour of an autoscaler.',
    },
  ),
  'io.k8s.api.autoscaling.v1.CrossVersionObjectReference': object(
    {
      kind: str({ default: '', description: 'The kind of the referent.' }),
      name: str({ default: '', description: 'The name of the referent.' }),
      apiVersion: str({ description: 'The API version of the referent.' }),
    },
    {
      proto: { kind: 1, name: 2, apiVersion: 3 },
      required: ['kind', 'name'],
      'x-kubernetes-map-type': 'atomic',
      description: 'Identifies an object in any API version.',
    },
  ),
  'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus': object(
    {
      observedGeneration: int64({ description: 'The generation the autoscaler last acted on.' }),
      lastScaleTime: time({ description: 'When the autoscaler last scaled.' }),
      currentReplicas: int32({ default: 0, description: 'The replicas seen last.' }),
      desiredReplicas: int32({ default: 0, description: 'The replicas the autoscaler wants.' }),
      currentCPUUtilizationPercentage: int32({ description: 'The average CPU use, as a percentage of requests.' }),
    },
    {
      proto: { observedGeneration: 1, lastScaleTime: 2, currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 5 },
      protoPointers: ['observedGeneration', 'currentCPUUtilizationPercentage', 'lastScaleTime'],
      required: ['currentReplicas', 'desiredReplicas'],
      description: 'The observed state of an autoscaler.',
    },
  ),
  'io.k8s.api.autoscaling.v1.Scale': kindSchema(
    { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    {
      spec: ref('io.k8s.api.autoscaling.v1.ScaleSpec', { default: {}, description: 'The desired number of replicas.' }),
      status: ref('io.k8s.api.autoscaling.v1.ScaleStatus', { default: {}, description: 'The current number of replicas.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'Scale is the replica count of a scalable resource.' },
  ),
  'io.k8s.api.autoscaling.v1.ScaleSpec': object(
    { replicas: int32({ description: 'The desired number of replicas.' }) },
    { proto: { replicas: 1 }, description: 'The desired scale.' },
  ),
  'io.k8s.api.autoscaling.v1.ScaleStatus': object(
    {
      replicas: int32({ default: 0, description: 'The observed number of replicas.' }),
      selector: str({ description: 'The label selector of the pods counted, in string form.' }),
    },
    { proto: { replicas: 1, selector: 2 }, required: ['replicas'], description: 'The observed scale.' },
  ),
});

// ---- metrics: autoscaling/v1's flat fields ↔ v2's metric, target and current ----

// v1 metric types exist only inside the annotations, so they are declared here.
interface V1MetricSpec {
  type: string;
  object?: { target: v1.CrossVersionObjectReference; metricName: string; targetValue: string; selector?: unknown; averageValue?: string };
  pods?: { metricName: string; targetAverageValue: string; selector?: unknown };
  resource?: { name: string; targetAverageUtilization?: number; targetAverageValue?: string };
  containerResource?: { name: string; targetAverageUtilization?: number; targetAverageValue?: string; container: string };
  external?: { metricName: string; metricSelector?: unknown; targetValue?: string; targetAverageValue?: string };
}

interface V1MetricStatus {
  type: string;
  object?: { target: v1.CrossVersionObjectReference; metricName: string; currentValue: string; selector?: unknown; averageValue?: string };
  pods?: { metricName: string; currentAverageValue: string; selector?: unknown };
  resource?: { name: string; currentAverageUtilization?: number; currentAverageValue: string };
  containerResource?: { name: string; currentAverageUtilization?: number; currentAverageValue: string; container: string };
  external?: { metricName: string; metricSelector?: unknown; currentValue: string; currentAverageValue?: string };
}

/** Go's zero Quantity, as a non-pointer quantity field marshals when unset. */
const ZERO = '0';

/** Drops undefined members, as Go's omitempty does, keeping declaration order. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function refToV1(r: v2.CrossVersionObjectReference | undefined): v1.CrossVersionObjectReference {
  return compact({ kind: r?.kind ?? '', name: r?.name ?? '', apiVersion: r?.apiVersion });
}

function metricSpecToV1(m: v2.MetricSpec): V1MetricSpec {
  const out: V1MetricSpec = { type: m.type };
  if (m.object) {
    const t = m.object.target;
    out.object = compact({
      target: refToV1(m.object.describedObject),
      metricName: m.object.metric?.name ?? '',
      targetValue: t?.value ?? ZERO,
      selector: m.object.metric?.selector,
      averageValue: t?.averageValue,
    });
  }
  if (m.pods) out.pods = compact({ metricName: m.pods.metric?.name ?? '', targetAverageValue: m.pods.target?.averageValue ?? ZERO, selector: m.pods.metric?.selector });
  if (m.resource) {
    const t = m.resource.target;
    out.resource = compact({ name: m.resource.name, targetAverageUtilization: t?.averageUtilization, targetAverageValue: t?.averageValue });
  }
  if (m.containerResource) {
    const t = m.containerResource.target;
    out.containerResource = compact({
      name: m.containerResource.name,
      targetAverageUtilization: t?.averageUtilization,
      targetAverageValue: t?.averageValue,
      container: m.containerResource.container,
    });
  }
  if (m.external) {
    const t = m.external.target;
    out.external = compact({ metricName: m.external.metric?.name ?? '', metricSelector: m.external.metric?.selector, targetValue: t?.value, targetAverageValue: t?.averageValue });
  }
  return out;
}

function refToV2(r: v1.CrossVersionObjectReference | undefined): v2.CrossVersionObjectReference {
  return compact({ kind: r?.kind ?? '', name: r?.name ?? '', apiVersion: r?.apiVersion });
}

function identifier(name: string | undefined, selector: unknown): v2.MetricIdentifier {
  return compact({ name: name ?? '', selector: selector as v2.MetricIdentifier['selector'] });
}

function metricSpecToV2(m: V1MetricSpec): v2.MetricSpec {
  const out: v2.MetricSpec = { type: m.type };
  if (m.object) {
    const o = m.object;
    out.object = {
      describedObject: refToV2(o.target),
      metric: identifier(o.metricName, o.selector),
      target: compact({ type: o.averageValue === undefined ? 'Value' : 'AverageValue', value: o.targetValue ?? ZERO, averageValue: o.averageValue }),
    };
  }
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue ?? ZERO } };
  if (m.resource) out.resource = { name: m.resource.name, target: resourceTarget(m.resource.targetAverageUtilization, m.resource.targetAverageValue) };
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = { name: c.name, target: resourceTarget(c.targetAverageUtilization, c.targetAverageValue), container: c.container };
  }
  if (m.external) {
    const e = m.external;
    out.external = {
      metric: identifier(e.metricName, e.metricSelector),
      target: compact({ type: e.targetValue === undefined ? 'AverageValue' : 'Value', value: e.targetValue, averageValue: e.targetAverageValue }),
    };
  }
  return out;
}

function resourceTarget(utilization: number | undefined, averageValue: string | undefined): v2.MetricTarget {
  return compact({ type: utilization === undefined ? 'AverageValue' : 'Utilization', averageUtilization: utilization, averageValue });
}

function metricStatusToV1(m: v2.MetricStatus): V1MetricStatus {
  const out: V1MetricStatus = { type: m.type };
  if (m.object) {
    const c = m.object.current;
    out.object = compact({
      target: refToV1(m.object.describedObject),
      metricName: m.object.metric?.name ?? '',
      currentValue: c?.value ?? ZERO,
      selector: m.object.metric?.selector,
      averageValue: c?.averageValue,
    });
  }
  if (m.pods) out.pods = compact({ metricName: m.pods.metric?.name ?? '', currentAverageValue: m.pods.current?.averageValue ?? ZERO, selector: m.pods.metric?.selector });
  if (m.resource) {
    const c = m.resource.current;
    out.resource = compact({ name: m.resource.name, currentAverageUtilization: c?.averageUtilization, currentAverageValue: c?.averageValue ?? ZERO });
  }
  if (m.containerResource) {
    const c = m.containerResource.current;
    out.containerResource = compact({
      name: m.containerResource.name,
      currentAverageUtilization: c?.averageUtilization,
      currentAverageValue: c?.averageValue ?? ZERO,
      container: m.containerResource.container,
    });
  }
  if (m.external) {
    const c = m.external.current;
    out.external = compact({
      metricName: m.external.metric?.name ?? '',
      metricSelector: m.external.metric?.selector,
      currentValue: c?.value ?? ZERO,
      currentAverageValue: c?.averageValue,
    });
  }
  return out;
}

function metricStatusToV2(m: V1MetricStatus): v2.MetricStatus {
  const out: v2.MetricStatus = { type: m.type };
  if (m.object) {
    const o = m.object;
    out.object = {
      describedObject: refToV2(o.target),
      metric: identifier(o.metricName, o.selector),
      current: compact({ value: o.currentValue ?? ZERO, averageValue: o.averageValue }),
    };
  }
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), current: { averageValue: m.pods.currentAverageValue ?? ZERO } };
  if (m.resource) {
    const r = m.resource;
    out.resource = { name: r.name, current: compact({ averageValue: r.currentAverageValue ?? ZERO, averageUtilization: r.currentAverageUtilization }) };
  }
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = {
      name: r.name,
      current: compact({ averageValue: r.currentAverageValue ?? ZERO, averageUtilization: r.currentAverageUtilization }),
      container: r.container,
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = { metric: identifier(e.metricName, e.metricSelector), current: compact({ averageValue: e.currentAverageValue, value: e.currentValue ?? ZERO }) };
  }
  return out;
}

// ---- behavior: kept in the annotation as upstream's internal Go type marshals it ----

type GoRules = { StabilizationWindowSeconds: number | null; SelectPolicy: string | null; Policies: { Type: string; Value: number; PeriodSeconds: number }[] | null };

function rulesToGo(r: v2.HPAScalingRules | undefined): GoRules | null {
  if (!r) return null;
  return {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: r.policies ? r.policies.map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) : null,
  };
}

/** Go's json.Unmarshal matches field names case-insensitively. */
function field(o: unknown, name: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function numberOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function rulesFromGo(o: unknown): v2.HPAScalingRules | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const policies = field(o, 'Policies');
  return compact({
    stabilizationWindowSeconds: numberOrUndefined(field(o, 'StabilizationWindowSeconds')),
    selectPolicy: typeof field(o, 'SelectPolicy') === 'string' ? (field(o, 'SelectPolicy') as string) : undefined,
    policies: Array.isArray(policies)
      ? policies.map((p) => ({ type: String(field(p, 'Type') ?? ''), value: numberOrUndefined(field(p, 'Value')) ?? 0, periodSeconds: numberOrUndefined(field(p, 'PeriodSeconds')) ?? 0 }))
      : undefined,
  });
}

/** An annotation's JSON, or undefined when absent or unparsable (upstream ignores bad ones). */
function parseAnnotation(annotations: Record<string, string> | undefined, key: string): unknown {
  const text = annotations?.[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function withoutRoundTripAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  const out = { ...annotations };
  for (const k of ROUND_TRIP_ANNOTATIONS) delete out[k];
  return out;
}

function isCPU(m: { type?: string; resource?: { name?: string } }): boolean {
  return m.type === 'Resource' && m.resource?.name === 'cpu';
}

/** The stored (v2) autoscaler as an autoscaling/v1 one. */
export function toV1(obj: KubeObject): KubeObject {
  const hpa = obj as v2.HorizontalPodAutoscaler;
  const spec = hpa.spec;
  const status = hpa.status;
  const annotations = withoutRoundTripAnnotations(hpa.metadata?.annotations);
  const metrics = spec?.metrics ?? [];
  const otherMetrics = metrics.filter((m) => !(isCPU(m) && m.resource?.target?.averageUtilization !== undefined)).map(metricSpecToV1);
  if (otherMetrics.length) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(otherMetrics);
  const currentMetrics = status?.currentMetrics ?? [];
  if (currentMetrics.length) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  if (spec?.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify({ ScaleUp: rulesToGo(spec.behavior.scaleUp), ScaleDown: rulesToGo(spec.behavior.scaleDown) });
  const conditions = status?.conditions ?? [];
  if (conditions.length) {
    // metav1.Time is a struct, so an unset time still marshals (as null).
    const v1Conditions = conditions.map((c) => compact({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime ?? null, reason: c.reason, message: c.message }));
    annotations[CONDITIONS_ANNOTATION] = JSON.stringify(v1Conditions);
  }
  const cpu = metrics.find(isCPU);
  const cpuStatus = currentMetrics.filter((m) => isCPU(m) && m.resource?.current?.averageUtilization !== undefined).at(-1);
  const metadata = { ...hpa.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: v1.HorizontalPodAutoscaler = {
    ...hpa,
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: compact({
      scaleTargetRef: refToV1(spec?.scaleTargetRef),
      minReplicas: spec?.minReplicas,
      maxReplicas: spec?.maxReplicas ?? 0,
      targetCPUUtilizationPercentage: cpu?.resource?.target?.averageUtilization,
    }),
    status: compact({
      observedGeneration: status?.observedGeneration,
      lastScaleTime: status?.lastScaleTime,
      currentReplicas: status?.currentReplicas ?? 0,
      desiredReplicas: status?.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: cpuStatus?.resource?.current?.averageUtilization,
    }),
  };
  return out as KubeObject;
}

/** An autoscaling/v1 autoscaler as the stored (v2) one; the annotations it carried are consumed. */
export function fromV1(obj: KubeObject): KubeObject {
  const hpa = obj as v1.HorizontalPodAutoscaler;
  const annotations = hpa.metadata?.annotations;
  const spec = hpa.spec;
  const metrics: v2.MetricSpec[] = [];
  const other = parseAnnotation(annotations, METRIC_SPECS_ANNOTATION);
  if (Array.isArray(other)) metrics.push(...(other as V1MetricSpec[]).map(metricSpecToV2));
  if (spec?.targetCPUUtilizationPercentage !== undefined) metrics.push(cpuUtilizationMetric(spec.targetCPUUtilizationPercentage));
  if (metrics.length === 0) metrics.push(cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION));
  const behaviorJSON = parseAnnotation(annotations, BEHAVIOR_ANNOTATION);
  const scaleUp = rulesFromGo(field(behaviorJSON, 'ScaleUp'));
  const scaleDown = rulesFromGo(field(behaviorJSON, 'ScaleDown'));
  const behavior = scaleUp || scaleDown ? compact({ scaleUp, scaleDown }) : undefined;

  const status = hpa.status;
  let currentMetrics: v2.MetricStatus[] | undefined;
  const annotatedMetrics = parseAnnotation(annotations, METRIC_STATUSES_ANNOTATION);
  if (Array.isArray(annotatedMetrics)) currentMetrics = (annotatedMetrics as V1MetricStatus[]).map(metricStatusToV2);
  else if (status?.currentCPUUtilizationPercentage !== undefined) {
    currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  const annotatedConditions = parseAnnotation(annotations, CONDITIONS_ANNOTATION);
  const conditions = Array.isArray(annotatedConditions)
    ? (annotatedConditions as v2.HorizontalPodAutoscalerCondition[]).map((c) =>
        compact({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime ?? undefined, reason: c.reason, message: c.message }),
      )
    : undefined;

  const metadata = { ...hpa.metadata };
  const kept = withoutRoundTripAnnotations(annotations);
  if (annotations && Object.keys(kept).length) metadata.annotations = kept;
  else delete metadata.annotations;
  const out: v2.HorizontalPodAutoscaler = {
    ...hpa,
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: compact({ scaleTargetRef: refToV2(spec?.scaleTargetRef), minReplicas: spec?.minReplicas, maxReplicas: spec?.maxReplicas ?? 0, metrics, behavior }),
  };
  if (status) {
    (out as { status?: v2.HorizontalPodAutoscalerStatus }).status = compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas,
      desiredReplicas: status.desiredReplicas,
      currentMetrics,
      conditions,
    });
  } else delete (out as { status?: unknown }).status;
  return out as KubeObject;
}

function cpuUtilizationMetric(percent: number): v2.MetricSpec {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } };
}

export const hpaV1: AlternateVersion = {
  version: 'v1',
  schemaName: 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler',
  toStored: fromV1,
  fromStored: toV1,
};
