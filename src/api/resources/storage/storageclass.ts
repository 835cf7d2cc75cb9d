// storage.k8s.io/v1 StorageClass: how volumes of a class are provisioned; provisioner and parameters are fixed at creation.
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { TopologySelectorTerm } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, enumOf, kindSchema, list, object, ref, str, stringMap } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { byteLength, FIELD_IMMUTABLE_ERROR_MSG, isQualifiedName, validateLabelName } from '../../meta/validation.js';
import { age, ageColumn, nameColumn } from '../table.js';

const V1 = 'io.k8s.api.storage.v1';
const CORE_V1 = 'io.k8s.api.core.v1';
const atomic = { 'x-kubernetes-list-type': 'atomic' } as const;

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.StorageClass`]: kindSchema(
    { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' },
    {
      provisioner: str({ default: '', description: 'The volume plugin or CSI driver that provisions volumes; immutable.' }),
      parameters: stringMap({ additionalProperties: str({ default: '' }), description: 'Settings for the provisioner; immutable.' }),
      reclaimPolicy: enumOf(['Delete', 'Recycle', 'Retain'], { description: 'What happens to provisioned volumes when released: Delete (default) or Retain.' }),
      mountOptions: list(str({ default: '' }), { ...atomic, description: 'Mount options of provisioned volumes, such as ro or soft.' }),
      allowVolumeExpansion: bool({ description: 'Whether claims of the class may be resized.' }),
      volumeBindingMode: enumOf(['Immediate', 'WaitForFirstConsumer'], {
        description: 'When claims are bound and provisioned: Immediate (default) or WaitForFirstConsumer.',
      }),
      allowedTopologies: list(ref(`${CORE_V1}.TopologySelectorTerm`, { default: {} }), {
        ...atomic,
        description: 'Where volumes may be provisioned; empty means anywhere.',
      }),
    },
    {
      proto: {
        metadata: 1,
        provisioner: 2,
        parameters: 3,
        reclaimPolicy: 4,
        mountOptions: 5,
        allowVolumeExpansion: 6,
        volumeBindingMode: 7,
        allowedTopologies: 8,
      },
      protoPointers: ['reclaimPolicy', 'allowVolumeExpansion', 'volumeBindingMode'],
      required: ['provisioner'],
      description: 'StorageClass describes a class of dynamically provisioned storage.',
    },
  ),
  [`${CORE_V1}.TopologySelectorTerm`]: object(
    {
      matchLabelExpressions: list(ref(`${CORE_V1}.TopologySelectorLabelRequirement`, { default: {} }), {
        ...atomic,
        description: 'Label requirements, all of which must hold.',
      }),
    },
    { proto: { matchLabelExpressions: 1 }, 'x-kubernetes-map-type': 'atomic', description: 'A topology domain, as label requirements.' },
  ),
  [`${CORE_V1}.TopologySelectorLabelRequirement`]: object(
    {
      key: str({ default: '', description: 'The topology label key.' }),
      values: list(str({ default: '' }), { ...atomic, description: 'Values the label may have.' }),
    },
    { proto: { key: 1, values: 2 }, required: ['key', 'values'], description: 'A label that must have one of some values.' },
  ),
});

export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
const MAX_PARAMETER_COUNT = 512;
const MAX_PARAMETER_BYTES = 256 * 1024;
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

/** Whether a class is annotated as the cluster default (GA or beta annotation). */
export function isDefaultStorageClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** A term's requirements as key → value set, for spotting duplicate terms. */
function validateTopologyTerm(term: TopologySelectorTerm, path: FieldPath): { keys: Map<string, Set<string>>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const keys = new Map<string, Set<string>>();
  (term.matchLabelExpressions ?? []).forEach((req, i) => {
    const p = path.child('matchLabelExpressions').index(i);
    const values = new Set<string>();
    if (!req.values?.length) errs.push(fieldErrors.required(p.child('values').path, ''));
    (req.values ?? []).forEach((v, j) => {
      if (values.has(v)) errs.push(fieldErrors.duplicate(p.child('values').index(j).path, v));
      values.add(v);
    });
    errs.push(...validateLabelName(req.key, p.child('key')));
    if (keys.has(req.key)) errs.push(fieldErrors.duplicate(p.child('key').path, req.key));
    keys.set(req.key, values);
  });
  return { keys, errs };
}

function sameTerms(a: Map<string, Set<string>>, b: Map<string, Set<string>>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (!vb || vb.size !== va.size || [...va].some((v) => !vb.has(v))) return false;
  }
  return true;
}

function validateAllowedTopologies(terms: TopologySelectorTerm[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen: Map<string, Set<string>>[] = [];
  terms.forEach((term, i) => {
    const p = new FieldPath('allowedTopologies').index(i);
    const { keys, errs: termErrs } = validateTopologyTerm(term, p);
    errs.push(...termErrs);
    for (const other of seen) if (sameTerms(keys, other)) errs.push(fieldErrors.duplicate(p.child('matchLabelExpressions').path, ''));
    seen.push(keys);
  });
  return errs;
}

function validateParameters(params: Record<string, string>): FieldError[] {
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMETER_COUNT) return [fieldErrors.tooLong('parameters', MAX_PARAMETER_COUNT)];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries) {
    if (!k) errs.push(fieldErrors.invalid('parameters', k, 'field can not be empty.'));
    size += byteLength(k) + byteLength(v);
  }
  if (size > MAX_PARAMETER_BYTES) errs.push(fieldErrors.tooLong('parameters', MAX_PARAMETER_BYTES));
  return errs;
}

function sameParameters(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

export const storageClasses: ResourceDefinition<StorageClass> = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  schemaName: `${V1}.StorageClass`,
  definitions,
  defaults(sc) {
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  validate(sc) {
    const errs: FieldError[] = [];
    const provisioner = sc.provisioner ?? '';
    if (!provisioner) errs.push(fieldErrors.required('provisioner', ''));
    else for (const msg of isQualifiedName(provisioner.toLowerCase())) errs.push(fieldErrors.invalid('provisioner', provisioner.toLowerCase(), msg));
    errs.push(...validateParameters(sc.parameters ?? {}));
    if (sc.reclaimPolicy && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) {
      errs.push(fieldErrors.notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM_POLICIES));
    }
    if (sc.volumeBindingMode == null) errs.push(fieldErrors.required('volumeBindingMode', ''));
    else if (!BINDING_MODES.includes(sc.volumeBindingMode)) errs.push(fieldErrors.notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
    errs.push(...validateAllowedTopologies(sc.allowedTopologies ?? []));
    return errs;
  },
  validateUpdate(sc, old) {
    const errs: FieldError[] = [];
    if (!sameParameters(sc.parameters, old.parameters)) errs.push(fieldErrors.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (sc.provisioner !== old.provisioner) errs.push(fieldErrors.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(fieldErrors.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (sc.volumeBindingMode !== old.volumeBindingMode) errs.push(fieldErrors.invalid('volumeBindingMode', sc.volumeBindingMode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
    return errs;
  },
  // NAME carries a `(default)` suffix, so the table is spelled out rather than built by table().
  table: {
    columns: [
      nameColumn,
      { name: 'Provisioner', type: 'string', description: 'The provisioner of the class.' },
      { name: 'ReclaimPolicy', type: 'string', description: 'What happens to released volumes.' },
      { name: 'VolumeBindingMode', type: 'string', description: 'When claims are bound and provisioned.' },
      { name: 'AllowVolumeExpansion', type: 'string', description: 'Whether claims may be resized.' },
      ageColumn,
    ],
    cells: (sc, now) => [
      isDefaultStorageClass(sc) ? `${sc.metadata?.name} (default)` : sc.metadata?.name,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      age(sc.metadata?.creationTimestamp, now),
    ],
  },
};
