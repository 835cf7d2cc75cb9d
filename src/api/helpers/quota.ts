// Quota accounting shared by the ResourceQuota admission plugin and the ResourceQuota
// controller (upstream's k8s.io/apiserver/pkg/quota/v1 and pkg/quota/v1/evaluator/core):
// resource-list arithmetic, what a pod, service, claim or any other object costs, and which
// quotas an object falls under by their scopes. Pure logic: no I/O.
import type { Container, PersistentVolumeClaim, Pod, ResourceQuota, ScopedResourceSelectorRequirement, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../registry.js';
import { Quantity } from '../meta/quantity.js';
import { isExtendedResourceName, isNativeResource, parseResourceQuantity } from '../resources/core/resourcequota.js';
import { claimClassName } from './volume-binding.js';

/** A ResourceList with parsed quantities. */
export type Usage = Map<string, Quantity>;

const ONE = Quantity.fromInt(1);

export function usageFromList(list: Readonly<Record<string, unknown>> | undefined): Usage {
  const out: Usage = new Map();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parseResourceQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}

export function usageToList(u: Usage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...u.keys()].sort()) out[k] = u.get(k)!.toString();
  return out;
}

export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? out.get(k)!.add(v) : v);
  return out;
}

/** a - b, never below zero per resource (quota.SubtractWithNonNegativeResult). */
export function subtractNonNegative(a: Usage, b: Usage): Usage {
  const out: Usage = new Map();
  for (const [k, v] of a) {
    const d = b.has(k) ? v.sub(b.get(k)!) : v;
    out.set(k, d.sign() < 0 ? Quantity.fromInt(0) : d);
  }
  return out;
}

/** Only the named resources. */
export function maskUsage(u: Usage, names: Iterable<string>): Usage {
  const out: Usage = new Map();
  for (const n of names) if (u.has(n)) out.set(n, u.get(n)!);
  return out;
}

export function removeZeros(u: Usage): Usage {
  const out: Usage = new Map();
  for (const [k, v] of u) if (!v.isZero()) out.set(k, v);
  return out;
}

export function usageEqual(a: Usage, b: Usage): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || b.get(k)!.cmp(v) !== 0) return false;
  return true;
}

/** Resources of `a` that exceed their value in `limit` (resources `limit` lacks are not limited). */
export function exceeded(a: Usage, limit: Usage): string[] {
  const out: string[] = [];
  for (const [k, v] of a) if (limit.has(k) && v.cmp(limit.get(k)!) > 0) out.push(k);
  return out;
}

/** `cpu=1,pods=2`: sorted by name, as upstream prints resource lists in quota errors. */
export function prettyPrint(u: Usage): string {
  return [...u.keys()]
    .sort()
    .map((k) => `${k}=${u.get(k)!.toString()}`)
    .join(',');
}

// ---- pod resources (resourcehelper.PodRequests / PodLimits) ----

type ResourceSide = 'requests' | 'limits';

function containerList(c: Container, side: ResourceSide): Usage {
  return usageFromList(c.resources?.[side] as Record<string, string> | undefined);
}

function maxUsage(a: Usage, b: Usage): Usage {
  const out: Usage = new Map(a);
  for (const [k, v] of b) if (!out.has(k) || v.cmp(out.get(k)!) > 0) out.set(k, v);
  return out;
}

/**
 * The pod's effective requests or limits: app containers plus sidecars (restartable init
 * containers), or a larger init container together with the sidecars started before it;
 * plus the pod overhead unless asked not to.
 */
export function podResources(pod: Pod, side: ResourceSide, opts: { excludeOverhead?: boolean } = {}): Usage {
  let sum: Usage = new Map();
  for (const c of pod.spec?.containers ?? []) sum = addUsage(sum, containerList(c, side));
  let sidecars: Usage = new Map();
  let initPeak: Usage = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = containerList(c, side);
    if (c.restartPolicy === 'Always') {
      sidecars = addUsage(sidecars, own);
      initPeak = maxUsage(initPeak, sidecars);
    } else {
      initPeak = maxUsage(initPeak, addUsage(own, sidecars));
    }
  }
  let total = maxUsage(addUsage(sum, sidecars), initPeak);
  if (!opts.excludeOverhead && pod.spec?.overhead) total = addUsage(total, usageFromList(pod.spec.overhead as Record<string, string>));
  return total;
}

/** Guaranteed, Burstable or BestEffort, from cpu and memory requests and limits (qos.GetPodQOS). */
export function isBestEffort(pod: Pod): boolean {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const side of ['requests', 'limits'] as const) {
      const list = c.resources?.[side] as Record<string, string> | undefined;
      for (const name of ['cpu', 'memory']) {
        const q = list?.[name] !== undefined ? parseResourceQuantity(list[name]) : undefined;
        if (q && q.sign() > 0) return false;
      }
    }
  }
  return true;
}

// ---- evaluators ----

/** One upstream quota evaluator: which quota resources it tracks and what an object costs. */
export interface QuotaEvaluator {
  group: string;
  resource: string;
  /** Whether admission charges this operation (create, or an update that can grow usage). */
  handles(operation: string, subresource: string): boolean;
  /** The resources among `names` this evaluator tracks. */
  matchingResources(names: Iterable<string>): string[];
  /** Whether the object falls under one scope selector of a quota. */
  matchesScope(selector: ScopedResourceSelectorRequirement, obj: KubeObject): boolean;
  usage(obj: KubeObject, nowMs: number): Usage;
  /** An error text when the object must declare something a quota requires (pods' cpu and memory). */
  constraints?(required: string[], obj: KubeObject): string | undefined;
}

export function objectCountName(resource: string, group: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

const noScopes = (): boolean => false;

/** Names kept from before count/<resource> existed. */
const LEGACY_COUNT_ALIASES: Record<string, string> = {
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  secrets: 'secrets',
};

/** The generic evaluator: one of each object, charged on create. */
export function objectCountEvaluator(group: string, resource: string): QuotaEvaluator {
  const names = [objectCountName(resource, group)];
  const alias = group === '' ? LEGACY_COUNT_ALIASES[resource] : undefined;
  if (alias) names.push(alias);
  return {
    group,
    resource,
    handles: (op, sub) => op === 'CREATE' && sub === '',
    matchingResources: (input) => [...input].filter((n) => names.includes(n)),
    matchesScope: noScopes,
    usage: () => new Map(names.map((n) => [n, ONE])),
  };
}

const POD_RESOURCES = new Set([
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
]);

/** If a quota tracks cpu or memory, every container must declare it (an upstream mistake kept for compatibility). */
const POD_VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** podComputeUsageHelper: what given requests and limits cost in quota terms. */
function podComputeUsage(requests: Usage, limits: Usage): Usage {
  const out: Usage = new Map([['pods', ONE]]);
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(name);
    if (req) {
      out.set(name, req);
      out.set(`requests.${name}`, req);
    }
    const lim = limits.get(name);
    if (lim) out.set(`limits.${name}`, lim);
  }
  for (const [name, req] of requests) {
    if (name.startsWith('hugepages-')) {
      out.set(name, req);
      out.set(`requests.${name}`, req);
    }
    if (isExtendedResourceName(name)) out.set(`requests.${name}`, req);
  }
  return out;
}

/** Terminal pods, and pods past their deletion grace period, no longer count for compute resources (QuotaV1Pod). */
export function podCountsForQuota(pod: Pod, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletion && grace !== undefined && grace !== null) {
    if (nowMs > Date.parse(deletion) + grace * 1000) return false;
  }
  return true;
}

function scopeValuesMatch(selector: ScopedResourceSelectorRequirement, value: string | undefined): boolean {
  const values = selector.values ?? [];
  switch (selector.operator) {
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    default:
      return false;
  }
}

function usesCrossNamespacePodAffinity(pod: Pod): boolean {
  const affinity = pod.spec?.affinity;
  const terms = [
    ...(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
    ...(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ];
  return terms.some((t) => (t?.namespaces?.length ?? 0) > 0 || !!t?.namespaceSelector);
}

export const podEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'pods',
  handles: (op, sub) => op === 'CREATE' && sub === '',
  matchingResources(input) {
    const out: string[] = [];
    for (const n of input) {
      if (POD_RESOURCES.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-')) out.push(n);
      else if (n.startsWith('requests.') && !isNativeResource(n)) out.push(n);
    }
    return out;
  },
  matchesScope(selector, obj) {
    const pod = obj as Pod;
    const terminating = pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds !== null && pod.spec.activeDeadlineSeconds >= 0;
    switch (selector.scopeName) {
      case 'Terminating':
        return terminating;
      case 'NotTerminating':
        return !terminating;
      case 'BestEffort':
        return isBestEffort(pod);
      case 'NotBestEffort':
        return !isBestEffort(pod);
      case 'PriorityClass':
        return scopeValuesMatch(selector, pod.spec?.priorityClassName || undefined);
      case 'CrossNamespacePodAffinity':
        return usesCrossNamespacePodAffinity(pod);
      default:
        return false;
    }
  },
  usage(obj, nowMs) {
    const pod = obj as Pod;
    // The object count holds for every stored pod; compute resources only for live ones.
    const out: Usage = new Map([['count/pods', ONE]]);
    if (!podCountsForQuota(pod, nowMs)) return out;
    for (const [k, v] of podComputeUsage(podResources(pod, 'requests'), podResources(pod, 'limits'))) out.set(k, v);
    return out;
  },
  constraints(required, obj) {
    const pod = obj as Pod;
    const wanted = required.filter((r) => POD_VALIDATION_SET.has(r));
    if (wanted.length === 0) return undefined;
    const missing = new Map<string, Set<string>>();
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      const has = podComputeUsage(containerList(c, 'requests'), containerList(c, 'limits'));
      for (const r of wanted) {
        if (has.has(r)) continue;
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(c.name);
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
};

const SERVICE_RESOURCES = new Set(['count/services', 'services', 'services.nodeports', 'services.loadbalancers']);

export const serviceEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'services',
  handles: (op, sub) => (op === 'CREATE' || op === 'UPDATE') && sub === '',
  matchingResources: (input) => [...input].filter((n) => SERVICE_RESOURCES.has(n)),
  matchesScope: noScopes,
  usage(obj) {
    const svc = obj as Service;
    const out: Usage = new Map([
      ['count/services', ONE],
      ['services', ONE],
    ]);
    const ports = svc.spec?.ports?.length ?? 0;
    switch (svc.spec?.type) {
      case 'NodePort':
        out.set('services.nodeports', Quantity.fromInt(ports));
        break;
      case 'LoadBalancer':
        out.set('services.loadbalancers', ONE);
        // Without node ports allocated only the explicitly given ones count.
        out.set(
          'services.nodeports',
          Quantity.fromInt(svc.spec.allocateLoadBalancerNodePorts === false ? (svc.spec.ports ?? []).filter((p) => p.nodePort).length : ports),
        );
        break;
    }
    return out;
  },
};

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const PVC_RESOURCES = new Set(['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage']);

export const persistentVolumeClaimEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: (op, sub) => (op === 'CREATE' || op === 'UPDATE') && sub === '',
  matchingResources(input) {
    return [...input].filter(
      (n) => PVC_RESOURCES.has(n) || (n.includes(STORAGE_CLASS_SUFFIX) && (n.endsWith('/requests.storage') || n.endsWith('/persistentvolumeclaims'))),
    );
  },
  matchesScope: noScopes,
  usage(obj) {
    const pvc = obj as PersistentVolumeClaim;
    const out: Usage = new Map([
      ['count/persistentvolumeclaims', ONE],
      ['persistentvolumeclaims', ONE],
    ]);
    const cls = claimClassName(pvc);
    if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, ONE);
    // A claim being expanded is charged for the larger of what it asks and what it got.
    let storage = parseResourceQuantity(pvc.spec?.resources?.requests?.storage ?? undefined);
    const allocated = parseResourceQuantity(pvc.status?.allocatedResources?.storage ?? undefined);
    if (allocated && (!storage || allocated.cmp(storage) > 0)) storage = allocated;
    if (storage) {
      out.set('requests.storage', storage);
      if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
    }
    return out;
  },
};

const SPECIAL: Record<string, QuotaEvaluator> = {
  '/pods': podEvaluator,
  '/services': serviceEvaluator,
  '/persistentvolumeclaims': persistentVolumeClaimEvaluator,
};

export function evaluatorFor(group: string, resource: string): QuotaEvaluator {
  return SPECIAL[`${group}/${resource}`] ?? objectCountEvaluator(group, resource);
}

/** The resources a `count/<resource>.<group>` quota name counts, or undefined for other names. */
export function parseObjectCountName(name: string): { group: string; resource: string } | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

/** The evaluators that track at least one of a quota's hard resources. */
export function evaluatorsForHard(hard: Iterable<string>): QuotaEvaluator[] {
  const names = [...hard];
  const out = new Map<string, QuotaEvaluator>();
  for (const e of [podEvaluator, serviceEvaluator, persistentVolumeClaimEvaluator]) {
    if (e.matchingResources(names).length) out.set(`${e.group}/${e.resource}`, e);
  }
  for (const n of names) {
    const counted = parseObjectCountName(n) ?? (LEGACY_COUNT_ALIASES[n] ? { group: '', resource: n } : undefined);
    if (!counted) continue;
    const key = `${counted.group}/${counted.resource}`;
    if (!out.has(key)) out.set(key, evaluatorFor(counted.group, counted.resource));
  }
  return [...out.values()];
}

/** The scope selectors of a quota: its scopes (as Exists) and its scopeSelector's expressions. */
export function quotaScopeSelectors(quota: ResourceQuota): ScopedResourceSelectorRequirement[] {
  const out: ScopedResourceSelectorRequirement[] = (quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' }));
  out.push(...(quota.spec?.scopeSelector?.matchExpressions ?? []));
  return out;
}

/** generic.Matches: the quota tracks something this evaluator counts and every scope admits the object. */
export function quotaMatches(quota: ResourceQuota, evaluator: QuotaEvaluator, obj: KubeObject): boolean {
  const hard = Object.keys(quota.status?.hard ?? {});
  if (evaluator.matchingResources(hard).length === 0) return false;
  return quotaScopeSelectors(quota).every((s) => evaluator.matchesScope(s, obj));
}

/** What the objects (of one evaluator's resource, in the quota's namespace) use, restricted to the quota's resources. */
export function calculateUsage(quota: ResourceQuota, evaluator: QuotaEvaluator, objects: Iterable<KubeObject>, nowMs: number): Usage {
  const tracked = evaluator.matchingResources(Object.keys(quota.spec?.hard ?? {}));
  const scopes = quotaScopeSelectors(quota);
  let used: Usage = new Map(tracked.map((n) => [n, Quantity.fromInt(0)]));
  for (const obj of objects) {
    if (!scopes.every((s) => evaluator.matchesScope(s, obj))) continue;
    used = addUsage(used, maskUsage(evaluator.usage(obj, nowMs), tracked));
  }
  return used;
}
