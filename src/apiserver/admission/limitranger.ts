// LimitRanger: the LimitRanges of a namespace give containers default requests and limits
// (recorded in the `kubernetes.io/limit-ranger` annotation), and bound what containers, pods
// and claims may ask for: min, max and maxLimitRequestRatio, with upstream's messages.
import type { Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { Quantity } from '../../api/meta/quantity.js';
import { podResources, usageFromList, type Usage } from '../../api/helpers/quota.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { aggregateMessage, forbiddenFor } from './forbidden.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

/** Above this, milli-units overflow an int64 and comparisons fall back to whole units. */
const MAX_MILLI_VALUE = Number.MAX_SAFE_INTEGER / 1000;

export interface LimitRangerOptions {
  /** The LimitRanges of a namespace (from the watch cache). */
  limitRanges(namespace: string): Iterable<Readonly<LimitRange>>;
}

type List = Record<string, string>;

/** requestLimitEnforcedValues: compared in milli-units when nothing overflows, else in units. */
function comparable(...qs: (Quantity | undefined)[]): number[] {
  const units = qs.map((q) => q?.value() ?? 0);
  if (units.every((v) => v <= MAX_MILLI_VALUE)) return qs.map((q) => q?.milliValue() ?? 0);
  return units;
}

function minConstraint(type: string, name: string, enforced: Quantity, requests: Usage, limits: Usage): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = comparable(req, lim, enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: Usage, limits: Usage): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = comparable(req, lim, enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${enforced}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${enforced}, but limit is ${lim}`;
  if (req && r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
}

/** For claims, which have no limits: the request is held to the max. */
function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: Usage): string | undefined {
  const req = requests.get(name);
  const [r, , e] = comparable(req, undefined, enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
}

/** Go's %f: six decimals. */
function ratioConstraint(type: string, name: string, enforced: Quantity, requests: Usage, limits: Usage): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l] = comparable(req, lim, enforced);
  if (!req || r === 0) return `${name} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  if (!lim || l === 0) return `${name} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  const observed = l / r;
  const small = enforced.value() <= MAX_MILLI_VALUE;
  const max = small ? enforced.milliValue() : enforced.value();
  if ((small ? observed * 1000 : observed) > max) {
    return `${name} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${observed.toFixed(6)}`;
  }
  return undefined;
}

/** Default requests and limits a Container-type item gives, merged over every item of the range. */
function containerDefaults(lr: Readonly<LimitRange>): { requests: List; limits: List } {
  const requests: List = {};
  const limits: List = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** Fills what a container leaves out; returns the annotation parts (`cpu request for container c`). */
function mergeContainer(c: Container, defaults: { requests: List; limits: List }, what: string): string[] {
  const resources = (c.resources ??= {});
  const limits = (resources.limits ??= {}) as List;
  const requests = (resources.requests ??= {}) as List;
  const setLimits = Object.keys(defaults.limits).filter((k) => !(k in limits));
  const setRequests = Object.keys(defaults.requests).filter((k) => !(k in requests));
  for (const k of setLimits) limits[k] = defaults.limits[k];
  for (const k of setRequests) requests[k] = defaults.requests[k];
  const out: string[] = [];
  if (setRequests.length) out.push(`${setRequests.sort().join(', ')} request for ${what} ${c.name}`);
  if (setLimits.length) out.push(`${setLimits.sort().join(', ')} limit for ${what} ${c.name}`);
  return out;
}

function mutatePod(lr: Readonly<LimitRange>, pod: Pod): void {
  const defaults = containerDefaults(lr);
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) notes.push(...mergeContainer(c, defaults, 'container'));
  for (const c of pod.spec?.initContainers ?? []) notes.push(...mergeContainer(c, defaults, 'init container'));
  if (notes.length) {
    const meta = (pod.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  }
}

/** min, max and ratio of one item against one set of requests and limits. */
function checkItem(item: LimitRangeItem, requests: Usage, limits: Usage, errs: string[]): void {
  const push = (e: string | undefined) => e && errs.push(e);
  for (const [k, v] of usageFromList(item.min)) push(minConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of usageFromList(item.max)) push(maxConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of usageFromList(item.maxLimitRequestRatio)) push(ratioConstraint(item.type, k, v, requests, limits));
}

function validatePod(lr: Readonly<LimitRange>, pod: Pod): string[] {
  const errs: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        checkItem(item, usageFromList(c.resources?.requests), usageFromList(c.resources?.limits), errs);
      }
    } else if (item.type === 'Pod') {
      checkItem(item, podResources(pod, 'requests', { excludeOverhead: true }), podResources(pod, 'limits', { excludeOverhead: true }), errs);
    }
  }
  return errs;
}

function validateClaim(lr: Readonly<LimitRange>, pvc: PersistentVolumeClaim): string[] {
  const errs: string[] = [];
  const requests = usageFromList(pvc.spec?.resources?.requests);
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of usageFromList(item.min)) {
      const e = minConstraint(item.type, k, v, requests, new Map());
      if (e) errs.push(e);
    }
    for (const [k, v] of usageFromList(item.max)) {
      const e = maxRequestConstraint(item.type, k, v, requests);
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** Pod creates and claim creates and updates; pods being deleted are left alone. */
function kindOf(attrs: AdmissionAttributes): 'pod' | 'claim' | undefined {
  if (attrs.subresource || attrs.def.group !== '' || !attrs.object) return undefined;
  if (attrs.oldObject?.metadata?.deletionTimestamp) return undefined;
  if (attrs.def.plural === 'pods' && attrs.operation === 'CREATE') return 'pod';
  if (attrs.def.plural === 'persistentvolumeclaims' && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE')) return 'claim';
  return undefined;
}

export function limitRanger(opts: LimitRangerOptions): AdmissionPlugin {
  return {
    name: 'LimitRanger',
    admit(attrs) {
      if (kindOf(attrs) !== 'pod') return;
      for (const lr of opts.limitRanges(attrs.namespace)) mutatePod(lr, attrs.object as Pod);
    },
    validate(attrs) {
      const kind = kindOf(attrs);
      if (!kind) return;
      for (const lr of opts.limitRanges(attrs.namespace)) {
        const errs = kind === 'pod' ? validatePod(lr, attrs.object as Pod) : validateClaim(lr, attrs.object as PersistentVolumeClaim);
        if (errs.length) throw forbiddenFor(attrs, aggregateMessage(errs));
      }
    },
  };
}
