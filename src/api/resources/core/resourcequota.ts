// core/v1 ResourceQuota, and the resource names and quantities of ResourceLists shared by the
// core kinds that carry them (nodes, volumes, claims, limit ranges, quotas).
import type { ResourceQuota, ResourceQuotaSpec, ScopeSelector } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition, TableDefinition } from '../../registry.js';
import { define, enumOf, kindSchema, list, mapOf, object, quantity, ref, str } from '../../schema/build.js';
import { goQuote, goSlice, goStringSlice, goStruct } from '../../meta/go.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';
import { FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG, isQualifiedName } from '../../meta/validation.js';
import { Quantity, QuantityParseError } from '../../meta/quantity.js';
import { age, ageColumn, nameColumn } from '../table.js';

/** A ResourceList: resource name to quantity. */
export const resourceList = (description: string) => mapOf(quantity(), { description });

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'] as const;

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.ResourceQuota': kindSchema(
    { group: '', version: 'v1', kind: 'ResourceQuota' },
    {
      spec: ref('io.k8s.api.core.v1.ResourceQuotaSpec', { default: {}, description: 'The hard limits of the quota.' }),
      status: ref('io.k8s.api.core.v1.ResourceQuotaStatus', { default: {}, description: 'The enforced limits and current usage.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'ResourceQuota caps the aggregate resource consumption of a namespace.' },
  ),
  'io.k8s.api.core.v1.ResourceQuotaSpec': object(
    {
      hard: resourceList('The hard limit for each named resource.'),
      scopes: list(str({ default: '', enum: SCOPES }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Filters on the objects the quota counts; all must match.',
      }),
      scopeSelector: ref('io.k8s.api.core.v1.ScopeSelector', { description: 'Scope filters as selector expressions; all must match.' }),
    },
    { proto: { hard: 1, scopes: 2, scopeSelector: 3 }, description: 'The desired hard limits of a quota.' },
  ),
  'io.k8s.api.core.v1.ScopeSelector': object(
    {
      matchExpressions: list(ref('io.k8s.api.core.v1.ScopedResourceSelectorRequirement', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Scope requirements, all of which must hold.',
      }),
    },
    { proto: { matchExpressions: 1 }, 'x-kubernetes-map-type': 'atomic', description: 'A selector over quota scopes.' },
  ),
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': object(
    {
      scopeName: enumOf(SCOPES, { default: '', description: 'The scope the requirement applies to.' }),
      operator: enumOf(['DoesNotExist', 'Exists', 'In', 'NotIn'], { default: '', description: 'How the scope relates to the values.' }),
      values: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description: 'Values for In and NotIn.' }),
    },
    { proto: { scopeName: 1, operator: 2, values: 3 }, required: ['scopeName', 'operator'], description: 'One scope requirement.' },
  ),
  'io.k8s.api.core.v1.ResourceQuotaStatus': object(
    {
      hard: resourceList('The limits being enforced.'),
      used: resourceList('The current usage of each resource in the namespace.'),
    },
    { proto: { hard: 1, used: 2 }, description: 'The enforced hard limits and observed usage of a quota.' },
  ),
});

// ---- resource names (pkg/apis/core/helper) ----

const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD_RESOURCES = new Set([...STANDARD_QUOTA_RESOURCES, 'storage']);
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

export const isHugePageResourceName = (name: string): boolean => name.startsWith('hugepages-');
const isQuotaHugePageResourceName = (name: string): boolean =>
  isHugePageResourceName(name) || name.startsWith('requests.hugepages-') || name.startsWith('limits.hugepages-');

/** Unprefixed, or in the kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Requests may be below limits (everything native except huge pages). */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** validateResourceName: a qualified name; unprefixed ones must be standard. */
export function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => fieldErrors.invalid(path.path, name, msg));
  if (errs.length) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePageResourceName(name)) {
    return [fieldErrors.invalid(path.path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** validateContainerResourceName: cpu, memory, ephemeral-storage, huge pages, or extended resources. */
export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) {
      return [...errs, fieldErrors.invalid(path.path, name, 'must be a standard resource for containers')];
    }
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    return [...errs, fieldErrors.invalid(path.path, name, "doesn't follow extended resource name standard")];
  }
  return errs;
}

function validateQuotaResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/') && !STANDARD_QUOTA_RESOURCES.has(name) && !isQuotaHugePageResourceName(name)) {
    return [...errs, fieldErrors.invalid(path.path, name, 'must be a standard resource for quota')];
  }
  return errs;
}

// ---- quantities ----

/** A ResourceList value as a Quantity; undefined when it does not parse (the schema reports that). */
export function parseResourceQuantity(value: unknown): Quantity | undefined {
  try {
    return Quantity.parse(String(value));
  } catch (err) {
    if (err instanceof QuantityParseError) return undefined;
    throw err;
  }
}

/** ValidateResourceQuantityValue: not negative, and whole for countable resources. */
export function validateResourceQuantityValue(resource: string, q: Quantity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(fieldErrors.invalid(path.path, q.toString(), IS_NEGATIVE_ERROR_MSG));
  if (isIntegerResourceName(resource) && q.milliValue() % 1000 !== 0) errs.push(fieldErrors.invalid(path.path, q.toString(), 'must be an integer'));
  return errs;
}

export function validatePositiveQuantityValue(q: Quantity, path: FieldPath): FieldError[] {
  return q.sign() <= 0 ? [fieldErrors.invalid(path.path, q.toString(), 'must be greater than zero')] : [];
}

/** validateBasicResource: a non-negative whole value. */
export function validateBasicResource(q: Quantity, path: FieldPath): FieldError[] {
  return q.value() < 0 ? [fieldErrors.invalid(path.path, q.value(), 'must be a valid resource quantity')] : [];
}

/** SetDefaults_ResourceList: quantities finer than a thousandth are rounded up to it. */
export function roundUpResourceList(list: Record<string, string> | undefined): void {
  if (!list) return;
  for (const [name, value] of Object.entries(list)) {
    // Only fractional or nano/micro quantities can be finer than milli; others are left as written.
    if (typeof value !== 'string' || !/[.nu]|e-/.test(value)) continue;
    const q = parseResourceQuantity(value);
    if (!q) continue;
    const rounded = Quantity.fromMilli(q.milliValue(), q.format);
    if (!rounded.equal(q)) list[name] = rounded.toString();
  }
}

// ---- validation ----

const POD_COMPUTE_RESOURCES = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

function scopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return resource === 'pods' || POD_COMPUTE_RESOURCES.has(resource);
    case 'BestEffort':
      return resource === 'pods';
    default:
      return true;
  }
}

const isStandardQuotaResourceName = (name: string): boolean => STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePageResourceName(name);
const EXISTS_ONLY_SCOPES = new Set(['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity']);
const CONFLICTING_SCOPES = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];

function validateHard(list: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    const p = path.key(name);
    errs.push(...validateQuotaResourceName(name, p));
    const q = parseResourceQuantity(value);
    if (q) errs.push(...validateResourceQuantityValue(name, q, p));
  }
  return errs;
}

/** Scopes as upstream's messages print them: a []core.ResourceQuotaScope. */
function scopesValue(scopes: readonly string[] | undefined): GoValue {
  return new GoValue(goStringSlice(scopes, 'core.ResourceQuotaScope'));
}

/** The scope selector as upstream's messages print it (a dereferenced *core.ScopeSelector). */
function scopeSelectorValue(selector: ScopeSelector): GoValue {
  const requirements = selector.matchExpressions?.map((r) =>
    goStruct('core.ScopedResourceSelectorRequirement', [
      ['ScopeName', goQuote(r.scopeName)],
      ['Operator', goQuote(r.operator)],
      ['Values', goStringSlice(r.values)],
    ]),
  );
  return new GoValue(goStruct('core.ScopeSelector', [['MatchExpressions', goSlice('core.ScopedResourceSelectorRequirement', requirements)]]));
}

function validateScopes(spec: ResourceQuotaSpec, hard: string[]): FieldError[] {
  const scopes = spec.scopes ?? [];
  if (scopes.length === 0) return [];
  const errs: FieldError[] = [];
  for (const scope of scopes) {
    for (const r of hard) {
      if (isStandardQuotaResourceName(r) && !scopeValidForResource(scope, r)) {
        errs.push(fieldErrors.invalid('spec.scopes', scopesValue(scopes), 'unsupported scope applied to resource'));
      }
    }
  }
  for (const pair of CONFLICTING_SCOPES) {
    if (pair.every((s) => scopes.includes(s))) errs.push(fieldErrors.invalid('spec.scopes', scopesValue(scopes), 'conflicting scopes'));
  }
  return errs;
}

function validateScopeSelector(spec: ResourceQuotaSpec, hard: string[]): FieldError[] {
  if (!spec.scopeSelector) return [];
  const errs: FieldError[] = [];
  const path = new FieldPath('spec.scopeSelector.matchExpressions');
  const seen = new Set<string>();
  for (const req of spec.scopeSelector.matchExpressions ?? []) {
    for (const r of hard) {
      if (isStandardQuotaResourceName(r) && !scopeValidForResource(req.scopeName, r)) {
        errs.push(fieldErrors.invalid(path.path, scopeSelectorValue(spec.scopeSelector), 'unsupported scope applied to resource'));
      }
    }
    if (EXISTS_ONLY_SCOPES.has(req.scopeName) && req.operator !== 'Exists') {
      errs.push(
        fieldErrors.invalid(
          path.child('operator').path,
          req.operator,
          "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    const values = req.values ?? [];
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      errs.push(fieldErrors.required(path.child('values').path, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    } else if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length) {
      errs.push(fieldErrors.invalid(path.child('values').path, values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    }
    seen.add(req.scopeName);
  }
  for (const pair of CONFLICTING_SCOPES) {
    if (pair.every((s) => seen.has(s))) errs.push(fieldErrors.invalid(path.path, scopesValue(spec.scopes), 'conflicting scopes'));
  }
  return errs;
}

function validateResourceQuotaSpec(spec: ResourceQuotaSpec): FieldError[] {
  const hard = Object.keys(spec.hard ?? {}).sort();
  return [...validateHard(spec.hard, new FieldPath('spec.hard')), ...validateScopes(spec, hard), ...validateScopeSelector(spec, hard)];
}

/** `pods: 1/10, requests.cpu: 0/1`: used/hard of each enforced resource, requests and limits apart. */
function usageCells(rq: ResourceQuota): [string, string] {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${used[name] === undefined ? '0' : String(used[name])}/${String(hard[name])}`;
    (name.split('.')[0] === 'limits' && name.includes('.') ? limits : requests).push(cell);
  }
  return [requests.join(', '), limits.join(', ')];
}

const quotaTable: TableDefinition<ResourceQuota> = {
  columns: [
    nameColumn,
    ageColumn,
    { name: 'Request', type: 'string', description: 'Request represents a minimum amount of cpu/memory that a container may consume.' },
    {
      name: 'Limit',
      type: 'string',
      description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    },
  ],
  cells: (rq, now) => [rq.metadata?.name, age(rq.metadata?.creationTimestamp, now), ...usageCells(rq)],
};

export const resourceQuotas: ResourceDefinition<ResourceQuota> = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  schemaName: 'io.k8s.api.core.v1.ResourceQuota',
  definitions,
  subresources: { status: true },
  defaults(rq) {
    roundUpResourceList(rq.spec?.hard);
    roundUpResourceList(rq.status?.hard);
    roundUpResourceList(rq.status?.used);
  },
  prepareForCreate(rq) {
    Object.assign(rq, { status: {} });
  },
  prepareForUpdate(rq, old) {
    Object.assign(rq, { status: old.status });
  },
  validate(rq) {
    return [...validateResourceQuotaSpec(rq.spec ?? {}), ...validateHard(rq.status?.hard, new FieldPath('status.hard')), ...validateHard(rq.status?.used, new FieldPath('status.used'))];
  },
  validateUpdate(rq, old) {
    const scopes = new Set(rq.spec?.scopes ?? []);
    const oldScopes = new Set(old.spec?.scopes ?? []);
    const same = scopes.size === oldScopes.size && [...scopes].every((s) => oldScopes.has(s));
    return same ? [] : [fieldErrors.invalid('spec.scopes', scopesValue(rq.spec?.scopes), FIELD_IMMUTABLE_ERROR_MSG)];
  },
  table: quotaTable,
};
