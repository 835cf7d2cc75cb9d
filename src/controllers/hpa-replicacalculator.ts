// The HPA's replica calculator (pkg/controller/podautoscaler/replica_calculator.go): from
// per-pod metrics and the pods a target selects, the replica count that brings usage to the
// target. Pods that are pending, unready or still starting (CPU) and pods without metrics are
// handled as upstream does: left out, then counted as 0% on a scale-up or as 100% (or the
// target) on a scale-down, and a result that would change direction keeps the current count.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../api/meta/quantity.js';

export const DEFAULT_TOLERANCE = 0.1;
export const DEFAULT_CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
export const DEFAULT_DELAY_OF_INITIAL_READINESS_STATUS_MS = 30_000;

/** One pod's usage (milli-units) as the metrics API reported it. */
export interface PodMetric {
  value: number;
  timestamp: number;
  windowMs: number;
}

export type PodMetricsInfo = Map<string, PodMetric>;

export interface CalculatorOptions {
  now: number;
  tolerance?: number;
  cpuInitializationPeriodMs?: number;
  delayOfInitialReadinessStatusMs?: number;
}

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods: which pods count, which are unready, which lack metrics, which are ignored. */
export function groupPods(pods: readonly Pod[], metrics: PodMetricsInfo, resource: string, opts: CalculatorOptions): PodGroups {
  const cpuInit = opts.cpuInitializationPeriodMs ?? DEFAULT_CPU_INITIALIZATION_PERIOD_MS;
  const readinessDelay = opts.delayOfInitialReadinessStatusMs ?? DEFAULT_DELAY_OF_INITIAL_READINESS_STATUS_MS;
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata!.name!;
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!ready || start === undefined) {
        unready = true;
      } else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        if (start + cpuInit > opts.now) {
          // Still initialising: unready, or no full metric window since the last transition.
          unready = ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
        } else {
          // Unready and never ready since it started.
          unready = ready.status === 'False' && start + readinessDelay > transition;
        }
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** calculatePodRequests: each pod's request (milli-units) of the resource, summed over its (or one) container(s). */
export function calculatePodRequests(pods: readonly Pod[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const containers: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
    let sum = 0;
    for (const c of containers) {
      if (container !== '' && container !== c.name) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata!.name}`);
      sum += Quantity.parse(String(request)).milliValue();
    }
    requests.set(pod.metadata!.name!, sum);
  }
  return requests;
}

/** GetResourceUtilizationRatio: usage over requests in whole percent, its ratio to the target, and the raw average. */
export function resourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, m] of metrics) {
    const request = requests.get(name);
    // Metrics of pods we have no request for are extraneous.
    if (request === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / entries) };
}

/** GetMetricUsageRatio: the average usage and its ratio to the target average. */
export function metricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}

function without(metrics: PodMetricsInfo, ...sets: Set<string>[]): PodMetricsInfo {
  const out = new Map(metrics);
  for (const s of sets) for (const name of s) out.delete(name);
  return out;
}

export interface ResourceReplicas {
  replicas: number;
  /** Average utilization in percent of request. */
  utilization: number;
  /** Average usage in milli-units. */
  rawUtilization: number;
}

/** GetResourceReplicas (after the metrics are fetched): replicas for a utilization target. */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  container: string,
  pods: readonly Pod[],
  podMetrics: PodMetricsInfo,
  opts: CalculatorOptions,
): ResourceReplicas {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, podMetrics, resource, opts);
  const metrics = without(podMetrics, g.ignored, g.unready);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const requests = calculatePodRequests(pods, container, resource);
  const { ratio, utilization, rawAverage } = resourceUtilizationRatio(metrics, requests, targetUtilization);
  const keep = { replicas: currentReplicas, utilization, rawUtilization: rawAverage };
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= tolerance) return keep;
    return { ...keep, replicas: Math.ceil(ratio * g.readyPodCount) };
  }
  if (g.missing.size > 0) {
    // Scale-down: missing pods use 100% of their request (or the target, above 100%); scale-up: 0%.
    const fallback = Math.max(100, targetUtilization);
    for (const name of g.missing) {
      if (ratio < 1.0) metrics.set(name, { value: Math.trunc(((requests.get(name) ?? 0) * fallback) / 100), timestamp: 0, windowMs: 0 });
      else if (ratio > 1.0) metrics.set(name, { value: 0, timestamp: 0, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestamp: 0, windowMs: 0 });
  const newRatio = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
  if (Math.abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) return keep;
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) return keep;
  return { ...keep, replicas };
}

/** calcPlainMetricReplicas, as GetRawResourceReplicas uses it: replicas for an average-value target. */
export function rawResourceReplicas(
  currentReplicas: number,
  targetUsage: number,
  resource: string,
  pods: readonly Pod[],
  podMetrics: PodMetricsInfo,
  opts: CalculatorOptions,
): { replicas: number; usage: number } {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, podMetrics, resource, opts);
  const metrics = without(podMetrics, g.ignored, g.unready);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = metricUsageRatio(metrics, targetUsage);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= tolerance) return { replicas: currentReplicas, usage };
    return { replicas: Math.ceil(ratio * g.readyPodCount), usage };
  }
  if (g.missing.size > 0) {
    for (const name of g.missing) metrics.set(name, { value: ratio < 1.0 ? targetUsage : 0, timestamp: 0, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestamp: 0, windowMs: 0 });
  const newRatio = metricUsageRatio(metrics, targetUsage).ratio;
  if (Math.abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) return { replicas: currentReplicas, usage };
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) return { replicas: currentReplicas, usage };
  return { replicas, usage };
}
