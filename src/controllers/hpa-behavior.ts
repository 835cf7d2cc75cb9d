// How the HPA turns a metric-based recommendation into the replica count it sets
// (pkg/controller/podautoscaler/horizontal.go): stabilization over recent recommendations,
// then either the classic limits (scale up at most to max(2×current, 4)) or, with
// spec.behavior, the scaling policies' rate limits over their periods.
import type { HPAScalingRules } from 'kubernetes-types/autoscaling/v2.js';

export interface TimestampedRecommendation {
  recommendation: number;
  timestamp: number;
}

export interface ScaleEvent {
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

export interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

/** The default --horizontal-pod-autoscaler-downscale-stabilization (5 minutes). */
export const DEFAULT_DOWNSCALE_STABILIZATION_MS = 5 * 60_000;

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: upstream's defaults for unset fields. */
export function scaleUpRules(r: HPAScalingRules | undefined): Required<Pick<HPAScalingRules, 'selectPolicy' | 'policies'>> & HPAScalingRules {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? 0,
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies ?? [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

export function scaleDownRules(r: HPAScalingRules | undefined, defaultWindowSeconds: number): Required<Pick<HPAScalingRules, 'selectPolicy' | 'policies'>> & HPAScalingRules {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? defaultWindowSeconds,
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

/** Records a recommendation, reusing the slot of one older than `cutoff` (upstream keeps the list this way). */
function record(recs: TimestampedRecommendation[], recommendation: number, now: number, isOld: (r: TimestampedRecommendation) => boolean): void {
  const old = recs.findIndex(isOld);
  if (old >= 0) recs[old] = { recommendation, timestamp: now };
  else recs.push({ recommendation, timestamp: now });
}

/** stabilizeRecommendation (no behavior): the highest recommendation within the downscale window. */
export function stabilizeRecommendation(recs: TimestampedRecommendation[], desired: number, now: number, windowMs: number): number {
  const cutoff = now - windowMs;
  let max = desired;
  let oldIndex = -1;
  recs.forEach((r, i) => {
    if (r.timestamp < cutoff) oldIndex = i;
    else if (r.recommendation > max) max = r.recommendation;
  });
  if (oldIndex >= 0) recs[oldIndex] = { recommendation: desired, timestamp: now };
  else recs.push({ recommendation: desired, timestamp: now });
  return max;
}

/** convertDesiredReplicasWithRules: min/max and the classic scale-up limit. */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): Limited {
  const scaleUpLimit = Math.max(2 * current, 4);
  let maximum: number;
  let reason: string;
  let message: string;
  if (max > scaleUpLimit) {
    maximum = scaleUpLimit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maximum = max;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > maximum) return { replicas: maximum, reason, message };
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

export interface BehaviorArgs {
  current: number;
  desired: number;
  min: number;
  max: number;
  scaleUp: HPAScalingRules;
  scaleDown: HPAScalingRules;
}

/** stabilizeRecommendationWithBehaviors: clamp between the lowest (up window) and highest (down window) recent recommendations. */
export function stabilizeWithBehaviors(recs: TimestampedRecommendation[], args: BehaviorArgs, now: number): Limited {
  const upCutoff = now - (args.scaleUp.stabilizationWindowSeconds ?? 0) * 1000;
  const downCutoff = now - (args.scaleDown.stabilizationWindowSeconds ?? 0) * 1000;
  let up = args.desired;
  let down = args.desired;
  for (const r of recs) {
    if (r.timestamp > upCutoff) up = Math.min(r.recommendation, up);
    if (r.timestamp > downCutoff) down = Math.max(r.recommendation, down);
  }
  let recommendation = args.current;
  if (recommendation < up) recommendation = up;
  if (recommendation > down) recommendation = down;
  record(recs, args.desired, now, (r) => r.timestamp < upCutoff && r.timestamp < downCutoff);
  return args.desired >= args.current
    ? { replicas: recommendation, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas: recommendation, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

/** The replicas added (or removed) by events within the last `periodSeconds`. */
export function replicasChangePerPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const since = now - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.timestamp > since) sum += e.replicaChange;
  return sum;
}

export function scaleUpLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: HPAScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, up, now) + replicasChangePerPeriod(p.periodSeconds, down, now);
    // Percent rounds up, or a small target might never grow.
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

export function scaleDownLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: HPAScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, up, now) + replicasChangePerPeriod(p.periodSeconds, down, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** convertDesiredReplicasWithBehaviorRate: min/max and the policies' rate limits. */
export function convertWithBehaviorRate(args: BehaviorArgs, up: readonly ScaleEvent[], down: readonly ScaleEvent[], now: number): Limited {
  if (args.desired > args.current) {
    const limit = Math.max(scaleUpLimit(args.current, up, down, args.scaleUp, now), args.current);
    const byRate = args.max > limit;
    const maximum = byRate ? limit : args.max;
    if (args.desired > maximum) {
      return byRate
        ? { replicas: maximum, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { replicas: maximum, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    }
  } else if (args.desired < args.current) {
    const limit = Math.min(scaleDownLimit(args.current, up, down, args.scaleDown, now), args.current);
    const byRate = args.min < limit;
    const minimum = byRate ? limit : args.min;
    if (args.desired < minimum) {
      return byRate
        ? { replicas: minimum, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { replicas: minimum, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
  }
  return { replicas: args.desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** storeScaleEvent: remembers a change for the rate limits, reusing a slot older than the longest period. */
export function storeScaleEvent(events: ScaleEvent[], rules: HPAScalingRules, change: number, now: number): void {
  const longest = Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds));
  for (const e of events) if (e.timestamp < now - longest * 1000) e.outdated = true;
  const slot = events.findIndex((e) => e.outdated);
  const event = { replicaChange: change, timestamp: now, outdated: false };
  if (slot >= 0) events[slot] = event;
  else events.push(event);
}
