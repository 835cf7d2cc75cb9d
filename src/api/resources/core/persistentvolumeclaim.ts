// core/v1 PersistentVolumeClaim: a request for storage, bound to one PersistentVolume.
// Its spec is also used by StatefulSet claim templates and ephemeral volumes.
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec, TypedLocalObjectReference, TypedObjectReference } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition, TableDefinition } from '../../registry.js';
import { define, enumOf, kindSchema, labelSelector, mapOf, mergeList, object, ref, str, time } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { FIELD_IMMUTABLE_ERROR_MSG, isDNS1123Subdomain, validateLabelSelector, validateNamespaceName } from '../../meta/validation.js';
import { age, ageColumn, nameColumn } from '../table.js';
import { accessModesSchema, accessModesString, BETA_STORAGE_CLASS_ANNOTATION, validateAccessModes, validateClassName, VOLUME_MODES } from './persistentvolume.js';
import { parseResourceQuantity, resourceList, roundUpResourceList, validatePositiveQuantityValue, validateResourceQuantityValue } from './resourcequota.js';
import { deepCopy } from '../../patch/json.js';

const V1 = 'io.k8s.api.core.v1';
const requiredString = (description: string) => str({ default: '', description });

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.PersistentVolumeClaim`]: kindSchema(
    { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
    {
      spec: ref(`${V1}.PersistentVolumeClaimSpec`, { default: {}, description: 'The storage requested.' }),
      status: ref(`${V1}.PersistentVolumeClaimStatus`, { default: {}, description: 'The current state of the claim.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'PersistentVolumeClaim is a request for a persistent volume.' },
  ),
  [`${V1}.PersistentVolumeClaimSpec`]: object(
    {
      accessModes: accessModesSchema('The ways the volume must be mountable.'),
      selector: labelSelector({ description: 'Labels a volume must have to be bound.' }),
      resources: ref(`${V1}.VolumeResourceRequirements`, { default: {}, description: 'The minimum size of the volume.' }),
      volumeName: str({ description: 'The volume bound to this claim.' }),
      storageClassName: str({ description: 'The storage class to provision from; empty for none.' }),
      volumeMode: enumOf(VOLUME_MODES, { description: 'Whether a filesystem or a raw block device is needed.' }),
      dataSource: ref(`${V1}.TypedLocalObjectReference`, { description: 'A snapshot or claim to populate the volume from.' }),
      dataSourceRef: ref(`${V1}.TypedObjectReference`, { description: 'Any populator object to populate the volume from.' }),
      volumeAttributesClassName: str({ description: 'The VolumeAttributesClass the volume should have.' }),
    },
    {
      proto: {
        accessModes: 1, selector: 4, resources: 2, volumeName: 3, storageClassName: 5, volumeMode: 6, dataSource: 7, dataSourceRef: 8,
        volumeAttributesClassName: 9,
      },
      protoPointers: ['storageClassName', 'volumeMode', 'volumeAttributesClassName'],
      description: 'The desired characteristics of a claimed volume.',
    },
  ),
  [`${V1}.VolumeResourceRequirements`]: object(
    {
      limits: resourceList('The maximum amount of storage.'),
      requests: resourceList('The minimum amount of storage.'),
    },
    { proto: { limits: 1, requests: 2 }, description: 'Storage requested by a claim.' },
  ),
  [`${V1}.TypedLocalObjectReference`]: object(
    {
      apiGroup: str({ description: 'The group of the object; empty for the core group.' }),
      kind: requiredString('The kind of the object.'),
      name: requiredString('The name of the object.'),
    },
    {
      proto: { apiGroup: 1, kind: 2, name: 3 },
      protoPointers: ['apiGroup'],
      required: ['kind', 'name'],
      'x-kubernetes-map-type': 'atomic',
      description: 'An object in the same namespace.',
    },
  ),
  [`${V1}.TypedObjectReference`]: object(
    {
      apiGroup: str({ description: 'The group of the object; empty for the core group.' }),
      kind: requiredString('The kind of the object.'),
      name: requiredString('The name of the object.'),
      namespace: str({ description: 'The namespace of the object, when it is not the claim namespace.' }),
    },
    {
      proto: { apiGroup: 1, kind: 2, name: 3, namespace: 4 },
      protoPointers: ['apiGroup', 'namespace'],
      required: ['kind', 'name'],
      description: 'An object, possibly in another namespace.',
    },
  ),
  [`${V1}.PersistentVolumeClaimStatus`]: object(
    {
      phase: enumOf(['Bound', 'Lost', 'Pending'], { description: 'The lifecycle phase of the claim.' }),
      accessModes: accessModesSchema('The access modes the bound volume has.'),
      capacity: resourceList('The size of the bound volume.'),
      conditions: mergeList(ref(`${V1}.PersistentVolumeClaimCondition`, { default: {} }), 'type', { description: 'The current conditions of the claim.' }),
      allocatedResources: resourceList('The storage allocated to the claim, during and after expansion.'),
      allocatedResourceStatuses: mapOf(str(), {
        'x-kubernetes-map-type': 'granular',
        description: 'The state of resizing each resource of the claim.',
      }),
      currentVolumeAttributesClassName: str({ description: 'The VolumeAttributesClass the volume currently has.' }),
      modifyVolumeStatus: ref(`${V1}.ModifyVolumeStatus`, { description: 'The state of a volume attributes change.' }),
    },
    {
      proto: {
        phase: 1, accessModes: 2, capacity: 3, conditions: 4, allocatedResources: 5, allocatedResourceStatuses: 7,
        currentVolumeAttributesClassName: 8, modifyVolumeStatus: 9,
      },
      protoPointers: ['currentVolumeAttributesClassName'],
      description: 'The current state of a claim.',
    },
  ),
  [`${V1}.PersistentVolumeClaimCondition`]: object(
    {
      type: requiredString('The condition type, such as Resizing or FileSystemResizePending.'),
      status: requiredString('True, False or Unknown.'),
      lastProbeTime: time({ description: 'When the condition was last probed.' }),
      lastTransitionTime: time({ description: 'When the status last changed.' }),
      reason: str({ description: 'Why the condition last changed, in CamelCase.' }),
      message: str({ description: 'A human-readable explanation.' }),
    },
    {
      proto: { type: 1, status: 2, lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6 },
      required: ['type', 'status'],
      description: 'One aspect of the state of a claim.',
    },
  ),
  [`${V1}.ModifyVolumeStatus`]: object(
    {
      targetVolumeAttributesClassName: str({ description: 'The class being applied.' }),
      status: enumOf(['InProgress', 'Infeasible', 'Pending'], { default: '', description: 'The state of the change.' }),
    },
    { proto: { targetVolumeAttributesClassName: 1, status: 2 }, required: ['status'], description: 'The state of a ControllerModifyVolume operation.' },
  ),
});

function validateDataSource(ds: TypedLocalObjectReference | TypedObjectReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!ds.name) errs.push(fieldErrors.required(path.child('name').path));
  if (!ds.kind) errs.push(fieldErrors.required(path.child('kind').path));
  const group = ds.apiGroup ?? '';
  if (!group && ds.kind !== 'PersistentVolumeClaim') {
    errs.push(fieldErrors.invalid(path.path, ds.kind ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  if (group) for (const msg of isDNS1123Subdomain(group)) errs.push(fieldErrors.invalid(path.child('apiGroup').path, group, msg));
  const ns = (ds as TypedObjectReference).namespace;
  if (ns) for (const msg of validateNamespaceName(ns, false)) errs.push(fieldErrors.invalid(path.child('namespace').path, ns, msg));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec, for claims, claim templates and ephemeral volumes. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(fieldErrors.required(path.child('accessModes').path, 'at least 1 access mode is required'));
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, {}, path.child('selector')));
  errs.push(...validateAccessModes(modes, path.child('accessModes')));
  // Upstream's path skips `requests` here.
  const storagePath = path.child('resources').key('storage');
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(fieldErrors.required(storagePath.path));
  else {
    const q = parseResourceQuantity(storage);
    if (q) {
      const positive = validatePositiveQuantityValue(q, storagePath);
      errs.push(...(positive.length ? positive : validateResourceQuantityValue('storage', q, storagePath)));
    }
  }
  if (spec.storageClassName) errs.push(...validateClassName(spec.storageClassName, path.child('storageClassName')));
  if (spec.dataSource) errs.push(...validateDataSource(spec.dataSource, path.child('dataSource')));
  if (spec.dataSourceRef) errs.push(...validateDataSource(spec.dataSourceRef, path.child('dataSourceRef')));
  if (spec.dataSourceRef?.namespace) {
    if (spec.dataSource) errs.push(fieldErrors.invalid(path.path, path.child('dataSource').path, 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (spec.dataSource && spec.dataSourceRef) {
    const a = spec.dataSource;
    const b = spec.dataSourceRef;
    if (a.apiGroup !== b.apiGroup || a.kind !== b.kind || a.name !== b.name) {
      errs.push(fieldErrors.invalid(path.path, path.child('dataSource').path, 'must match dataSourceRef'));
    }
  }
  if (spec.volumeAttributesClassName) errs.push(...validateClassName(spec.volumeAttributesClassName, path.child('volumeAttributesClassName')));
  return errs;
}

/** Mirrors dataSource into dataSourceRef and back when only one is set (upstream NormalizeDataSources). */
export function normalizeDataSources(spec: PersistentVolumeClaimSpec): void {
  const ds = spec.dataSource;
  const ref = spec.dataSourceRef;
  if (ds && !ref) {
    spec.dataSourceRef = { kind: ds.kind, name: ds.name, ...(ds.apiGroup !== undefined ? { apiGroup: ds.apiGroup } : {}) };
  } else if (ref && !ds && !ref.namespace) {
    spec.dataSource = { kind: ref.kind, name: ref.name, ...(ref.apiGroup !== undefined ? { apiGroup: ref.apiGroup } : {}) };
  }
}

/** Fields of the spec compared for immutability, in order; a short diff follows upstream's message. */
const SPEC_FIELDS = ['accessModes', 'selector', 'resources', 'volumeName', 'storageClassName', 'volumeMode', 'dataSource', 'dataSourceRef', 'volumeAttributesClassName'] as const;

function specDiff(before: PersistentVolumeClaimSpec, after: PersistentVolumeClaimSpec): string {
  const lines: string[] = [];
  for (const f of SPEC_FIELDS) {
    const a = JSON.stringify(before[f] ?? null);
    const b = JSON.stringify(after[f] ?? null);
    if (a !== b) lines.push(`-\t${f}: ${a}`, `+\t${f}: ${b}`);
  }
  return lines.join('\n');
}

function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = [];
  const spec = deepCopy(pvc.spec ?? {});
  const oldSpec = deepCopy(old.spec ?? {});
  // The binder sets volumeName once.
  if (!oldSpec.volumeName) oldSpec.volumeName = spec.volumeName;
  const oldAnnotation = old.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  const newAnnotation = pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  const upgradeFromAnnotation =
    oldAnnotation !== undefined &&
    oldSpec.storageClassName === undefined &&
    spec.storageClassName === oldAnnotation &&
    (newAnnotation === undefined || newAnnotation === oldAnnotation);
  if (upgradeFromAnnotation) {
    delete spec.storageClassName;
  } else {
    if (newAnnotation !== oldAnnotation) {
      errs.push(fieldErrors.invalid(`metadata.annotations[${BETA_STORAGE_CLASS_ANNOTATION}]`, newAnnotation ?? '', FIELD_IMMUTABLE_ERROR_MSG));
    }
    // A class may be set once on a claim that had none.
    if (spec.storageClassName !== undefined && oldSpec.storageClassName === undefined && (oldAnnotation === undefined || spec.storageClassName === oldAnnotation)) {
      delete spec.storageClassName;
    }
  }
  // Bound claims may grow and change their attributes class.
  if (pvc.status?.phase === 'Bound') {
    if (spec.resources?.requests) spec.resources.requests.storage = oldSpec.resources?.requests?.storage as string;
    if (spec.volumeAttributesClassName !== undefined) spec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  }
  const diff = specDiff(oldSpec, spec);
  if (diff) {
    errs.push(fieldErrors.forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${diff}`));
  }
  const newSize = parseResourceQuantity(pvc.spec?.resources?.requests?.storage ?? '0');
  const oldSize = parseResourceQuantity(old.spec?.resources?.requests?.storage ?? '0');
  if (newSize && oldSize && newSize.cmp(oldSize) < 0) {
    const statusSize = parseResourceQuantity(old.status?.capacity?.storage ?? '0');
    // Shrinking back towards the actual size is allowed to recover from a failed expansion.
    if (statusSize && newSize.cmp(statusSize) <= 0) {
      errs.push(fieldErrors.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
  }
  if (pvc.spec?.volumeMode !== old.spec?.volumeMode) errs.push(fieldErrors.invalid('volumeMode', pvc.spec?.volumeMode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  if (old.spec?.volumeAttributesClassName !== undefined) {
    if (pvc.spec?.volumeAttributesClassName === undefined) {
      errs.push(fieldErrors.forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
    } else if (pvc.spec.volumeAttributesClassName === '') {
      errs.push(fieldErrors.forbidden('spec.volumeAttributesClassName', 'update from non-nil value to an empty string is forbidden'));
    }
  }
  return errs;
}

const pvcTable: TableDefinition<PersistentVolumeClaim> = {
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'The lifecycle phase of the claim.' },
    { name: 'Volume', type: 'string', description: 'The volume bound to the claim.' },
    { name: 'Capacity', type: 'string', description: 'The size of the bound volume.' },
    { name: 'Access Modes', type: 'string', description: 'The access modes of the bound volume.' },
    { name: 'StorageClass', type: 'string', description: 'StorageClass of the pvc' },
    { name: 'VolumeAttributesClass', type: 'string', description: 'VolumeAttributesClass of the pvc' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1, description: 'Whether the claim needs a filesystem or a raw block device.' },
  ],
  cells(pvc, now) {
    const spec = pvc.spec ?? {};
    // Capacity and modes are the bound volume's, shown once the claim names one.
    const bound = !!spec.volumeName;
    const capacity = pvc.status?.capacity?.storage;
    return [
      pvc.metadata?.name,
      pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
      spec.volumeName ?? '',
      bound ? (capacity === undefined ? '0' : (parseResourceQuantity(capacity)?.toString() ?? String(capacity))) : '',
      bound ? accessModesString(pvc.status?.accessModes) : '',
      pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? spec.storageClassName ?? '',
      spec.volumeAttributesClassName ?? '<unset>',
      age(pvc.metadata?.creationTimestamp, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaims: ResourceDefinition<PersistentVolumeClaim> = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  schemaName: 'io.k8s.api.core.v1.PersistentVolumeClaim',
  definitions,
  subresources: { status: true },
  defaults(pvc) {
    const spec = (pvc.spec ??= {});
    spec.volumeMode ??= 'Filesystem';
    roundUpResourceList(spec.resources?.requests);
    roundUpResourceList(spec.resources?.limits);
    if (pvc.status) pvc.status.phase ||= 'Pending';
  },
  prepareForCreate(pvc) {
    // Upstream clears status and reads the Pending phase back through defaulting.
    Object.assign(pvc, { status: { phase: 'Pending' } });
    if (pvc.spec) normalizeDataSources(pvc.spec);
  },
  prepareForUpdate(pvc, old) {
    Object.assign(pvc, { status: old.status });
  },
  validate: (pvc) => validatePersistentVolumeClaimSpec(pvc.spec ?? {}, new FieldPath('spec')),
  validateUpdate: validatePersistentVolumeClaimUpdate,
  table: pvcTable,
  fieldSelectors: { name: (pvc) => pvc.metadata?.name ?? '' },
};
