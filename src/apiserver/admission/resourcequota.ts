// ResourceQuota: a create (or an update that grows usage) is charged against every quota of
// its namespace that covers it. The check and the increment of status.used are one
// compare-and-swap write of the quota, so concurrent requests cannot both take the last unit;
// the ResourceQuota controller later recounts from the objects themselves.
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry.js';
import {
  addUsage,
  evaluatorFor,
  exceeded,
  maskUsage,
  prettyPrint,
  quotaMatches,
  removeZeros,
  subtractNonNegative,
  usageFromList,
  usageToList,
  type QuotaEvaluator,
  type Usage,
} from '../../api/helpers/quota.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbiddenFor } from './forbidden.js';
import { deepCopy } from '../../api/patch/json.js';

export interface ResourceQuotaOptions {
  /** The quotas of a namespace (from the watch cache). */
  quotas(namespace: string): Iterable<Readonly<ResourceQuota>>;
  /**
   * Rewrites a quota's status from its stored version: `mutate` gets the current object and
   * returns the new one, or throws to give up; a concurrent write makes it run again.
   */
  updateQuotaStatus(namespace: string, name: string, mutate: (current: ResourceQuota) => ResourceQuota): Promise<void>;
  now?(): number;
}

/** What the request adds to usage: all of a create, the growth of an update. */
function requestedUsage(attrs: AdmissionAttributes, evaluator: QuotaEvaluator, now: number): Usage {
  let delta = evaluator.usage(attrs.object!, now);
  if (attrs.operation === 'UPDATE' && attrs.oldObject?.metadata?.resourceVersion) {
    delta = subtractNonNegative(delta, evaluator.usage(attrs.oldObject as KubeObject, now));
  }
  return removeZeros(delta);
}

/** The usage the quota would have after the request, or the error upstream gives when it may not. */
function charge(attrs: AdmissionAttributes, quota: Readonly<ResourceQuota>, delta: Usage): Usage {
  const hard = usageFromList(quota.status?.hard);
  const used = usageFromList(quota.status?.used);
  const requested = maskUsage(delta, hard.keys());
  const newUsed = addUsage(used, requested);
  const over = exceeded(maskUsage(newUsed, requested.keys()), hard);
  if (over.length) {
    throw forbiddenFor(
      attrs,
      `exceeded quota: ${quota.metadata?.name}, requested: ${prettyPrint(maskUsage(requested, over))}, used: ${prettyPrint(maskUsage(used, over))}, limited: ${prettyPrint(maskUsage(hard, over))}`,
    );
  }
  return newUsed;
}

export function resourceQuota(opts: ResourceQuotaOptions): AdmissionPlugin {
  const now = opts.now ?? Date.now;
  return {
    name: 'ResourceQuota',
    async validate(attrs) {
      if (!attrs.object || !attrs.namespace) return;
      const evaluator = evaluatorFor(attrs.def.group, attrs.def.plural);
      if (!evaluator.handles(attrs.operation, attrs.subresource)) return;
      const quotas = [...opts.quotas(attrs.namespace)];
      if (quotas.length === 0) return;
      const covering: Readonly<ResourceQuota>[] = [];
      for (const q of quotas) {
        if (!quotaMatches(q as ResourceQuota, evaluator, attrs.object)) continue;
        const restricted = evaluator.matchingResources(Object.keys(q.status?.hard ?? {}));
        const violation = evaluator.constraints?.(restricted, attrs.object);
        if (violation) throw forbiddenFor(attrs, `failed quota: ${q.metadata?.name}: ${violation}`);
        const used = q.status?.used ?? {};
        if (restricted.some((r) => !(r in used))) {
          throw forbiddenFor(attrs, `status unknown for quota: ${q.metadata?.name}, resources: ${[...restricted].sort().join(',')}`);
        }
        covering.push(q);
      }
      const delta = requestedUsage(attrs, evaluator, now());
      const negative = [...delta].filter(([, v]) => v.sign() < 0).map(([k]) => k);
      if (negative.length) throw forbiddenFor(attrs, `quota usage is negative for resource(s): ${negative.sort().join(',')}`);
      if (delta.size === 0 || covering.length === 0) return;
      // Refuse from the cached quotas first; then charge each against its stored version.
      for (const q of covering) charge(attrs, q, delta);
      if (attrs.dryRun) return;
      for (const q of covering) {
        await opts.updateQuotaStatus(attrs.namespace, q.metadata!.name!, (current) => {
          const next = deepCopy(current);
          next.status = { ...next.status, used: usageToList(charge(attrs, current, delta)) };
          return next;
        });
      }
    },
  };
}
