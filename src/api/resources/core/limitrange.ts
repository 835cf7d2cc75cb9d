// core/v1 LimitRange: per-object minimums, maximums and defaults of resources in a namespace.
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1.js';
import { randomUUID } from 'node:crypto';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, list, object, ref, str } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { isQualifiedName } from '../../meta/validation.js';
import { Quantity } from '../../meta/quantity.js';
import { defaultTable } from '../table.js';
import {
  isOvercommitAllowed,
  parseResourceQuantity,
  resourceList,
  roundUpResourceList,
  validateContainerResourceName,
  validateResourceName,
} from './resourcequota.js';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.LimitRange': kindSchema(
    { group: '', version: 'v1', kind: 'LimitRange' },
    { spec: ref('io.k8s.api.core.v1.LimitRangeSpec', { default: {}, description: 'The limits enforced.' }) },
    { proto: { metadata: 1, spec: 2 }, description: 'LimitRange sets resource usage limits for each kind of resource in a namespace.' },
  ),
  'io.k8s.api.core.v1.LimitRangeSpec': object(
    {
      limits: list(ref('io.k8s.api.core.v1.LimitRangeItem', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'The limits, one item per kind of object.',
      }),
    },
    { proto: { limits: 1 }, required: ['limits'], description: 'The limits of a LimitRange.' },
  ),
  'io.k8s.api.core.v1.LimitRangeItem': object(
    {
      type: str({ default: '', description: 'The kind of object limited: Pod, Container or PersistentVolumeClaim.' }),
      max: resourceList('The maximum usage of each resource.'),
      min: resourceList('The minimum usage of each resource.'),
      default: resourceList('The limits a container gets when it sets none.'),
      defaultRequest: resourceList('The requests a container gets when it sets none.'),
      maxLimitRequestRatio: resourceList('The largest allowed ratio of limit to request for each resource.'),
    },
    { proto: { type: 1, max: 2, min: 3, default: 4, defaultRequest: 5, maxLimitRequestRatio: 6 }, required: ['type'], description: 'Limits on one kind of object.' },
  ),
});

type List = Record<string, string>;
const LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);
const LISTS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/** SetDefaults_LimitRangeItem: containers get default limits from max, and default requests from default or min. */
function defaultItem(item: LimitRangeItem): void {
  for (const l of LISTS) roundUpResourceList(item[l]);
  if (item.type !== 'Container') return;
  const defaults: List = (item.default ??= {});
  const requests: List = (item.defaultRequest ??= {});
  for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in defaults)) defaults[k] = v;
  for (const [k, v] of Object.entries(defaults)) if (!(k in requests)) requests[k] = v;
  for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in requests)) requests[k] = v;
}

function validateTypeName(type: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(type).map((msg) => fieldErrors.invalid(path.path, type, msg));
  if (errs.length) return errs;
  if (!type.includes('/') && !LIMIT_TYPES.has(type)) return [fieldErrors.invalid(path.path, type, 'must be a standard limit type or fully qualified')];
  return [];
}

/** Go's %f: six decimals. */
const goFloat = (n: number): string => (Number.isFinite(n) ? n.toFixed(6) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

/** resource.MaxMilliValue: beyond it milli values overflow int64. */
const MAX_MILLI_VALUE = Number.MAX_SAFE_INTEGER / 1000;

function validateItem(item: LimitRangeItem, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = item.type ?? '';
  const checkName = type === 'Pod' || type === 'Container' ? validateContainerResourceName : validateResourceName;
  const parsed: Partial<Record<(typeof LISTS)[number], Map<string, Quantity>>> = {};
  const keys = new Set<string>();
  const collect = (l: (typeof LISTS)[number]) => {
    const m = new Map<string, Quantity>();
    for (const [k, v] of Object.entries(item[l] ?? {})) {
      errs.push(...checkName(k, path.child(l).key(k)));
      keys.add(k);
      const q = parseResourceQuantity(v);
      if (q) m.set(k, q);
    }
    parsed[l] = m;
  };
  collect('max');
  collect('min');
  if (type === 'Pod') {
    if (Object.keys(item.default ?? {}).length) errs.push(fieldErrors.forbidden(path.child('default').path, "may not be specified when `type` is 'Pod'"));
    if (Object.keys(item.defaultRequest ?? {}).length) errs.push(fieldErrors.forbidden(path.child('defaultRequest').path, "may not be specified when `type` is 'Pod'"));
  } else {
    collect('default');
    collect('defaultRequest');
  }
  if (type === 'PersistentVolumeClaim' && !('storage' in (item.min ?? {})) && !('storage' in (item.max ?? {}))) {
    errs.push(fieldErrors.required(path.child('limits').path, 'either minimum or maximum storage value is required, but neither was provided'));
  }
  collect('maxLimitRequestRatio');
  const get = (l: (typeof LISTS)[number], k: string) => parsed[l]?.get(k);
  for (const k of keys) {
    const min = get('min', k);
    const max = get('max', k);
    const def = get('default', k);
    const req = get('defaultRequest', k);
    const ratio = get('maxLimitRequestRatio', k);
    const at = (l: string) => path.child(l).key(k).path;
    if (min && max && min.cmp(max) > 0) errs.push(fieldErrors.invalid(at('min'), min.toString(), `min value ${min} is greater than max value ${max}`));
    if (req && min && min.cmp(req) > 0) errs.push(fieldErrors.invalid(at('defaultRequest'), req.toString(), `min value ${min} is greater than default request value ${req}`));
    if (req && max && req.cmp(max) > 0) errs.push(fieldErrors.invalid(at('defaultRequest'), req.toString(), `default request value ${req} is greater than max value ${max}`));
    if (req && def && req.cmp(def) > 0) {
      errs.push(fieldErrors.invalid(at('defaultRequest'), req.toString(), `default request value ${req} is greater than default limit value ${def}`));
    }
    if (def && min && min.cmp(def) > 0) errs.push(fieldErrors.invalid(at('default'), min.toString(), `min value ${min} is greater than default value ${def}`));
    if (def && max && def.cmp(max) > 0) errs.push(fieldErrors.invalid(at('default'), max.toString(), `default value ${def} is greater than max value ${max}`));
    if (ratio && ratio.cmp(Quantity.fromInt(1)) < 0) errs.push(fieldErrors.invalid(at('maxLimitRequestRatio'), ratio.toString(), `ratio ${ratio} is less than 1`));
    if (ratio && min && max) {
      let ratioValue = ratio.value();
      let minValue = min.value();
      let maxValue = max.value();
      if (ratioValue < MAX_MILLI_VALUE && minValue < MAX_MILLI_VALUE && maxValue < MAX_MILLI_VALUE) {
        ratioValue = ratio.milliValue() / 1000;
        minValue = min.milliValue();
        maxValue = max.milliValue();
      }
      const limit = maxValue / minValue;
      if (ratioValue > limit) {
        errs.push(fieldErrors.invalid(at('maxLimitRequestRatio'), ratio.toString(), `ratio ${ratio} is greater than max/min = ${goFloat(limit)}`));
      }
    }
    // Huge pages and extended resources cannot be overcommitted.
    if (!isOvercommitAllowed(k) && def && req && def.cmp(req) !== 0) {
      errs.push(fieldErrors.invalid(at('defaultRequest'), req.toString(), `default value ${def} must equal to defaultRequest value ${req} in ${k}`));
    }
  }
  return errs;
}

function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const path = new FieldPath('spec.limits').index(i);
    const type = item.type ?? '';
    errs.push(...validateTypeName(type, path.child('type')));
    if (seen.has(type)) errs.push(fieldErrors.duplicate(path.child('type').path, type));
    seen.add(type);
    errs.push(...validateItem(item, path));
  });
  return errs;
}

export const limitRanges: ResourceDefinition<LimitRange> = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  schemaName: 'io.k8s.api.core.v1.LimitRange',
  definitions,
  defaults(lr) {
    for (const item of lr.spec?.limits ?? []) defaultItem(item);
  },
  prepareForCreate(lr) {
    // Upstream names a nameless LimitRange with a UUID, even when generateName is set.
    const meta = (lr.metadata ??= {});
    if (!meta.name) meta.name = randomUUID();
  },
  validate: validateLimitRange,
  table: defaultTable as ResourceDefinition<LimitRange>['table'],
};
