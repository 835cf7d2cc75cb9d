// The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler, autoscaling/v2):
// every sync period it reads the target's scale subresource, computes a replica count from
// each metric (resource metrics from metrics.k8s.io PodMetrics), takes the largest, stabilizes
// and limits it, and writes the scale. What it saw is reported as status, conditions
// (AbleToScale, ScalingActive, ScalingLimited) and events with upstream's reasons.
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, MetricSpec, MetricStatus, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseSelector, type Selector } from '../api/meta/labels.js';
import { Quantity } from '../api/meta/quantity.js';
import { formatRFC3339 } from '../api/meta/time.js';
import type { Client, ResourceClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { NAMESPACE_INDEX, type Informer } from '../client/informer.js';
import { resources, type ResourceRef } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import {
  convertDesiredReplicasWithRules,
  convertWithBehaviorRate,
  DEFAULT_DOWNSCALE_STABILIZATION_MS,
  scaleDownRules,
  scaleUpRules,
  stabilizeRecommendation,
  stabilizeWithBehaviors,
  storeScaleEvent,
  type ScaleEvent,
  type TimestampedRecommendation,
} from './hpa-behavior.js';
import { rawResourceReplicas, resourceReplicas, type CalculatorOptions, type PodMetricsInfo } from './hpa-replicacalculator.js';
import { deepCopy } from '../api/patch/json.js';

const COMPONENT = 'horizontal-pod-autoscaler';

export interface HorizontalPodAutoscalerOptions {
  /** --horizontal-pod-autoscaler-sync-period (15 s). */
  syncPeriodMs?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
  downscaleStabilizationMs?: number;
  /** --horizontal-pod-autoscaler-tolerance (0.1). */
  tolerance?: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
  cpuInitializationPeriodMs?: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30 s). */
  initialReadinessDelayMs?: number;
}

interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, any>;
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

interface PodMetricsItem {
  metadata?: { name?: string };
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: Record<string, string> }[];
}

/** Go duration text (`30s`, `1m0s`) in milliseconds. */
function durationMs(text: string | undefined): number {
  if (!text) return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return total;
}

/** A milli-value as resource.NewMilliQuantity(v, DecimalSI) prints it. */
function milliQuantity(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** The metrics.k8s.io client (the resource metrics API), as upstream's resourceMetricsClient. */
export async function fetchPodMetrics(client: Client, namespace: string, selector: Selector, resource: string, container: string): Promise<PodMetricsInfo> {
  let list: { items?: PodMetricsItem[] };
  try {
    list = await client.request<{ items?: PodMetricsItem[] }>({
      method: 'GET',
      path: `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`,
      query: { labelSelector: selector.toString() },
    });
  } catch (err) {
    const text = isNotFound(err) ? 'the server could not find the requested resource (get pods.metrics.k8s.io)' : err instanceof Error ? err.message : String(err);
    throw new Error(`unable to fetch metrics from resource metrics API: ${text}`);
  }
  const items = list.items ?? [];
  if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
  const out: PodMetricsInfo = new Map();
  for (const m of items) {
    let sum = 0;
    let missing = false;
    let matched = false;
    for (const c of m.containers ?? []) {
      if (container !== '' && c.name !== container) continue;
      matched = true;
      const usage = c.usage?.[resource];
      if (usage === undefined) {
        missing = true;
        break;
      }
      sum += Quantity.parse(usage).milliValue();
    }
    if (missing || !matched) continue;
    out.set(m.metadata?.name ?? '', { value: sum, timestamp: Date.parse(m.timestamp ?? '') || 0, windowMs: durationMs(m.window) });
  }
  return out;
}

/** What one metric proposes, or why it could not. */
interface Proposal {
  replicas: number;
  metricName: string;
  status: MetricStatus;
}

class MetricError extends Error {
  constructor(
    message: string,
    readonly condition: HorizontalPodAutoscalerCondition,
  ) {
    super(message);
  }
}

export class HorizontalPodAutoscalerController extends Controller {
  readonly name = 'horizontalpodautoscaling';
  private hpas!: Informer<HorizontalPodAutoscaler>;
  private pods!: Informer<Pod>;
  private readonly hpaClient: ResourceClient<HorizontalPodAutoscaler>;
  private readonly recorder: EventRecorder;
  private readonly recommendations = new Map<string, TimestampedRecommendation[]>();
  private readonly scaleUpEvents = new Map<string, ScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, ScaleEvent[]>();
  /** Scale targets' resources, by `apiVersion/kind`, from discovery. */
  private readonly mappings = new Map<string, ResourceRef>();
  private readonly syncPeriodMs: number;
  private readonly downscaleWindowMs: number;

  constructor(
    ctx: ControllerContext,
    private readonly opts: HorizontalPodAutoscalerOptions = {},
  ) {
    super(ctx);
    this.hpaClient = ctx.client.resource<HorizontalPodAutoscaler>(resources.horizontalPodAutoscalers);
    this.recorder = ctx.recorder(COMPONENT);
    this.syncPeriodMs = opts.syncPeriodMs ?? 15_000;
    this.downscaleWindowMs = opts.downscaleStabilizationMs ?? DEFAULT_DOWNSCALE_STABILIZATION_MS;
  }

  setup(): void {
    this.hpas = this.ctx.informers.informerFor<HorizontalPodAutoscaler>(resources.horizontalPodAutoscalers);
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.hpas.addEventHandler({
      onAdd: (h) => this.enqueue(h),
      // Status writes come back as updates: only spec changes need a sync before the period.
      onUpdate: (old, h) => {
        if (old.metadata?.generation !== h.metadata?.generation) this.enqueue(h);
      },
      onDelete: (h) => this.enqueue(h),
    });
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.hpas.store.get(key);
    if (!cached) {
      this.recommendations.delete(key);
      this.scaleUpEvents.delete(key);
      this.scaleDownEvents.delete(key);
      return;
    }
    // Every HPA is looked at again one sync period later, whatever happens now.
    this.queue.addAfter(key, this.syncPeriodMs);
    await this.reconcileAutoscaler(key, deepCopy(cached));
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  private setCondition(hpa: HorizontalPodAutoscaler, type: string, status: 'True' | 'False', reason: string, message: string): void {
    const conditions = (hpa.status!.conditions ??= []);
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push({ type, status, reason, message, lastTransitionTime: formatRFC3339(this.now()) });
      return;
    }
    if (existing.status !== status) existing.lastTransitionTime = formatRFC3339(this.now());
    existing.status = status;
    existing.reason = reason;
    existing.message = message;
  }

  private async scaleTarget(hpa: HorizontalPodAutoscaler): Promise<{ client: ResourceClient<Scale>; name: string }> {
    const target = hpa.spec!.scaleTargetRef;
    const apiVersion = target.apiVersion ?? '';
    const mappingKey = `${apiVersion}/${target.kind}`;
    let ref = this.mappings.get(mappingKey);
    if (!ref) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      let found: { name: string; kind: string; namespaced: boolean } | undefined;
      try {
        const list = await this.ctx.client.request<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>({ method: 'GET', path });
        found = list.resources?.find((r) => r.kind === target.kind && !r.name.includes('/'));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      if (!found) throw new Error(`unable to determine resource for scale target reference: no matches for kind "${target.kind}" in group "${group}"`);
      ref = { group, version, resource: found.name, kind: target.kind, namespaced: found.namespaced };
      this.mappings.set(mappingKey, ref);
    }
    return { client: this.ctx.client.resource<Scale>(ref).namespace(hpa.metadata!.namespace!), name: target.name };
  }

  private async reconcileAutoscaler(key: string, hpa: HorizontalPodAutoscaler): Promise<void> {
    const original = deepCopy(hpa.status);
    hpa.status ??= { desiredReplicas: 0 };
    const reference = `${hpa.spec!.scaleTargetRef.kind}/${hpa.spec!.scaleTargetRef.name}`;
    let scale: Scale;
    let target: { client: ResourceClient<Scale>; name: string };
    try {
      target = await this.scaleTarget(hpa);
      scale = await target.client.getSubresource<Scale>(target.name, 'scale');
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${text}`);
      this.recorder.event(hpa, 'Warning', 'FailedGetScale', text);
      await this.writeStatusIfNeeded(original, hpa);
      throw new Error(`failed to query scale subresource for ${reference}: ${text}`);
    }
    this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const currentReplicas = scale.spec?.replicas ?? 0;
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ recommendation: currentReplicas, timestamp: this.now() }]);
    const minReplicas = hpa.spec!.minReplicas ?? 1;
    const maxReplicas = hpa.spec!.maxReplicas;
    let desired = 0;
    let rescale = true;
    let rescaleReason = '';
    let metricStatuses: MetricStatus[] | undefined = hpa.status.currentMetrics ?? undefined;
    let retError: Error | undefined;

    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      this.setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desired = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desired = minReplicas;
    } else {
      const computed = await this.computeReplicasForMetrics(hpa, scale);
      metricStatuses = computed.statuses;
      if (computed.error && computed.replicas === -1) {
        this.setCurrent(hpa, currentReplicas, metricStatuses);
        await this.writeStatusIfNeeded(original, hpa);
        this.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error.message);
        throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${computed.error.message}`);
      }
      retError = computed.error;
      let rescaleMetric = '';
      if (computed.replicas > desired) {
        desired = computed.replicas;
        rescaleMetric = computed.metricName;
      }
      if (desired > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desired < currentReplicas) rescaleReason = 'All metrics below target';
      desired = hpa.spec!.behavior ? this.normalizeWithBehaviors(key, hpa, currentReplicas, desired, minReplicas) : this.normalize(key, hpa, currentReplicas, desired, minReplicas);
      rescale = desired !== currentReplicas;
    }

    if (rescale) {
      try {
        await target.client.updateSubresource(target.name, 'scale', { ...scale, spec: { ...scale.spec, replicas: desired } });
      } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        this.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${text}`);
        this.setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${text}`);
        this.setCurrent(hpa, currentReplicas, metricStatuses);
        await this.writeStatusIfNeeded(original, hpa);
        throw new Error(`failed to rescale ${reference}: ${text}`);
      }
      this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      this.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
      this.storeScaleEvent(key, hpa, currentReplicas, desired);
      hpa.status.lastScaleTime = formatRFC3339(this.now());
    } else {
      desired = currentReplicas;
    }
    this.setCurrent(hpa, currentReplicas, metricStatuses, desired);
    await this.writeStatusIfNeeded(original, hpa);
    if (retError) throw retError;
  }

  private setCurrent(hpa: HorizontalPodAutoscaler, current: number, metrics: MetricStatus[] | undefined, desired?: number): void {
    const status = hpa.status!;
    status.currentReplicas = current;
    if (desired !== undefined) status.desiredReplicas = desired;
    // Metrics that could not be read are not reported (kubectl shows `<unknown>`); Go writes the nil list as null.
    const known = metrics?.filter((m) => m.type);
    (status as { currentMetrics?: MetricStatus[] | null }).currentMetrics = known?.length ? metrics : null;
  }

  private async writeStatusIfNeeded(original: HorizontalPodAutoscaler['status'], hpa: HorizontalPodAutoscaler): Promise<void> {
    if (JSON.stringify(original) === JSON.stringify(hpa.status)) return;
    await this.hpaClient.namespace(hpa.metadata!.namespace!).updateStatus(hpa);
  }

  private storeScaleEvent(key: string, hpa: HorizontalPodAutoscaler, prev: number, next: number): void {
    const behavior = hpa.spec?.behavior;
    if (!behavior) return;
    if (next > prev) {
      const events = this.scaleUpEvents.get(key) ?? [];
      storeScaleEvent(events, scaleUpRules(behavior.scaleUp), next - prev, this.now());
      this.scaleUpEvents.set(key, events);
    } else {
      const events = this.scaleDownEvents.get(key) ?? [];
      storeScaleEvent(events, scaleDownRules(behavior.scaleDown, this.downscaleWindowMs / 1000), prev - next, this.now());
      this.scaleDownEvents.set(key, events);
    }
  }

  private normalize(key: string, hpa: HorizontalPodAutoscaler, current: number, prenormalized: number, min: number): number {
    const recs = this.recommendations.get(key)!;
    const stabilized = stabilizeRecommendation(recs, prenormalized, this.now(), this.downscaleWindowMs);
    if (stabilized !== prenormalized) {
      this.setCondition(hpa, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    } else {
      this.setCondition(hpa, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    }
    const limited = convertDesiredReplicasWithRules(current, stabilized, min, hpa.spec!.maxReplicas);
    this.setCondition(hpa, 'ScalingLimited', limited.replicas === stabilized ? 'False' : 'True', limited.reason, limited.message);
    return limited.replicas;
  }

  private normalizeWithBehaviors(key: string, hpa: HorizontalPodAutoscaler, current: number, prenormalized: number, min: number): number {
    const behavior = hpa.spec!.behavior!;
    const args = {
      current,
      desired: prenormalized,
      min,
      max: hpa.spec!.maxReplicas,
      scaleUp: scaleUpRules(behavior.scaleUp),
      scaleDown: scaleDownRules(behavior.scaleDown, this.downscaleWindowMs / 1000),
    };
    const stabilized = stabilizeWithBehaviors(this.recommendations.get(key)!, args, this.now());
    if (stabilized.replicas !== prenormalized) this.setCondition(hpa, 'AbleToScale', 'True', stabilized.reason, stabilized.message);
    else this.setCondition(hpa, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    const limited = convertWithBehaviorRate({ ...args, desired: stabilized.replicas }, this.scaleUpEvents.get(key) ?? [], this.scaleDownEvents.get(key) ?? [], this.now());
    this.setCondition(hpa, 'ScalingLimited', limited.replicas === stabilized.replicas ? 'False' : 'True', limited.reason, limited.message);
    return limited.replicas;
  }

  /** computeReplicasForMetrics: the largest proposal; -1 when every metric (or, scaling down, any) failed. */
  private async computeReplicasForMetrics(hpa: HorizontalPodAutoscaler, scale: Scale): Promise<{ replicas: number; metricName: string; statuses: MetricStatus[]; error?: Error }> {
    const specs: MetricSpec[] = hpa.spec?.metrics?.length ? hpa.spec.metrics : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    const statuses: MetricStatus[] = specs.map(() => ({ type: '' }) as MetricStatus);
    if (!scale.status?.selector) {
      this.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      this.setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
      return { replicas: 0, metricName: '', statuses, error: new Error('selector is required') };
    }
    let selector: Selector;
    try {
      selector = parseSelector(scale.status.selector);
    } catch (err) {
      const text = `couldn't convert selector into a corresponding internal selector object: ${err instanceof Error ? err.message : String(err)}`;
      this.recorder.event(hpa, 'Warning', 'InvalidSelector', text);
      this.setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', text);
      return { replicas: 0, metricName: '', statuses, error: new Error(text) };
    }
    const specReplicas = scale.spec?.replicas ?? 0;
    let replicas = 0;
    let metricName = '';
    let invalid = 0;
    let firstError: MetricError | undefined;
    for (const [i, spec] of specs.entries()) {
      try {
        const p = await this.computeReplicasForMetric(hpa, spec, specReplicas, selector);
        statuses[i] = p.status;
        if (replicas === 0 || p.replicas > replicas) {
          replicas = p.replicas;
          metricName = p.metricName;
        }
      } catch (err) {
        if (!(err instanceof MetricError)) throw err;
        firstError ??= err;
        invalid++;
      }
    }
    const error = firstError ? new Error(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError.message}`) : undefined;
    if (firstError && (invalid >= specs.length || replicas < specReplicas)) {
      const c = firstError.condition;
      this.setCondition(hpa, c.type, c.status as 'True' | 'False', c.reason!, c.message!);
      return { replicas: -1, metricName: '', statuses, error };
    }
    this.setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metricName}`);
    return { replicas, metricName, statuses, error };
  }

  private unableToCompute(hpa: HorizontalPodAutoscaler, reason: string, message: string, wrap: string): MetricError {
    this.recorder.event(hpa, 'Warning', reason, message);
    return new MetricError(`${wrap}: ${message}`, { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${message}` });
  }

  private async computeReplicasForMetric(hpa: HorizontalPodAutoscaler, spec: MetricSpec, specReplicas: number, selector: Selector): Promise<Proposal> {
    switch (spec.type) {
      case 'Resource':
      case 'ContainerResource': {
        const source = spec.type === 'Resource' ? spec.resource! : spec.containerResource!;
        const container = spec.type === 'ContainerResource' ? spec.containerResource!.container : '';
        const wrap = spec.type === 'Resource' ? `failed to get ${source.name} resource metric value` : `failed to get ${source.name} container metric value`;
        const reason = spec.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
        try {
          return await this.resourceProposal(hpa, spec.type, source.name, container, source.target, specReplicas, selector);
        } catch (err) {
          throw this.unableToCompute(hpa, reason, err instanceof Error ? err.message : String(err), wrap);
        }
      }
      case 'Pods':
        throw this.unableToCompute(hpa, 'FailedGetPodsMetric', `unable to get metric ${spec.pods?.metric?.name}: no custom metrics API (custom.metrics.k8s.io) is served`, `failed to get pods metric value`);
      case 'Object':
        throw this.unableToCompute(hpa, 'FailedGetObjectMetric', `unable to get metric ${spec.object?.metric?.name}: no custom metrics API (custom.metrics.k8s.io) is served`, `failed to get object metric value`);
      case 'External':
        throw this.unableToCompute(hpa, 'FailedGetExternalMetric', `unable to get external metric ${spec.external?.metric?.name}: no external metrics API (external.metrics.k8s.io) is served`, `failed to get external metric value`);
      default:
        throw new MetricError(`unknown metric source type "${spec.type}"`, {
          type: 'ScalingActive',
          status: 'False',
          reason: 'InvalidMetricSourceType',
          message: `the HPA was unable to compute the replica count: unknown metric source type "${spec.type}"`,
        });
    }
  }

  /** computeStatusForResourceMetricGeneric: an average value or an average utilization of requests. */
  private async resourceProposal(hpa: HorizontalPodAutoscaler, type: 'Resource' | 'ContainerResource', resource: string, container: string, target: MetricTarget, specReplicas: number, selector: Selector): Promise<Proposal> {
    const ns = hpa.metadata!.namespace!;
    const pods = this.pods.store.byIndex(NAMESPACE_INDEX, ns).filter((p) => selector.matches(p.metadata?.labels));
    const calc: CalculatorOptions = {
      now: this.now(),
      tolerance: this.opts.tolerance,
      cpuInitializationPeriodMs: this.opts.cpuInitializationPeriodMs,
      delayOfInitialReadinessStatusMs: this.opts.initialReadinessDelayMs,
    };
    const metrics = async () => {
      try {
        return await fetchPodMetrics(this.ctx.client, ns, selector, resource, container);
      } catch (err) {
        throw new Error(`unable to get metrics for resource ${resource}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    const current = (value: Record<string, unknown>): MetricStatus =>
      type === 'Resource' ? { type, resource: { name: resource, current: value } } : { type, containerResource: { name: resource, container, current: value } };
    if (target.averageValue !== undefined) {
      let r: { replicas: number; usage: number };
      try {
        r = rawResourceReplicas(specReplicas, Quantity.parse(String(target.averageValue)).milliValue(), resource, pods, await metrics(), calc);
      } catch (err) {
        throw new Error(`failed to get ${resource} usage: ${err instanceof Error ? err.message : String(err)}`);
      }
      return { replicas: r.replicas, metricName: type === 'Resource' ? `${resource} resource` : `${resource} container resource`, status: current({ averageValue: milliQuantity(r.usage) }) };
    }
    if (target.averageUtilization === undefined) {
      throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    }
    let r: { replicas: number; utilization: number; rawUtilization: number };
    try {
      r = resourceReplicas(specReplicas, target.averageUtilization, resource, container, pods, await metrics(), calc);
    } catch (err) {
      throw new Error(`failed to get ${resource} utilization: ${err instanceof Error ? err.message : String(err)}`);
    }
    const metricName = type === 'Resource' ? `${resource} resource utilization (percentage of request)` : `${resource} container resource utilization (percentage of request)`;
    return { replicas: r.replicas, metricName, status: current({ averageUtilization: r.utilization, averageValue: milliQuantity(r.rawUtilization) }) };
  }
}

export function newHorizontalPodAutoscalerControllerFactory(opts: HorizontalPodAutoscalerOptions = {}): ControllerFactory {
  return (ctx) => new HorizontalPodAutoscalerController(ctx, opts);
}

export const horizontalPodAutoscalerControllerFactory: ControllerFactory = newHorizontalPodAutoscalerControllerFactory();
