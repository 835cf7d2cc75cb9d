// apps/v1 StatefulSet: pods with stable names, ordinals and per-pod volumes.
import type { StatefulSet, StatefulSetSpec, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, enumOf, int32, int64, intOrString, kindSchema, labelSelector, list, mergeList, object, ref, str, statusCondition } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { labelSelectorValue } from '../../meta/labels.js';
import { validateAnnotations, validateLabels, validateNonnegativeField } from '../../meta/validation.js';
import { containerCells, defaultPodTemplateSpec, semanticEqual } from '../core/podspec.js';
import { persistentVolumeClaims } from '../core/persistentvolumeclaim.js';
import { table } from '../table.js';
import { containersColumn, imagesColumn } from './printing.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  parsedSelector,
  validateCollisionCount,
  validateNonnegativeCounters,
  validatePositiveIntOrPercent,
  validateReplicaCounts,
  validateSelectorMatchesTemplate,
  validateSpecSelector,
  type Writable,
} from './validation.js';

const RETENTION_POLICIES = ['Retain', 'Delete'] as const;

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.apps.v1.StatefulSet': kindSchema(
    { group: 'apps', version: 'v1', kind: 'StatefulSet' },
    {
      spec: ref('io.k8s.api.apps.v1.StatefulSetSpec', { default: {}, description: 'The desired state of the StatefulSet.' }),
      status: ref('io.k8s.api.apps.v1.StatefulSetStatus', { default: {}, description: 'The observed state of the StatefulSet.' }),
    },
    {
      proto: { metadata: 1, spec: 2, status: 3 },
      description: 'StatefulSet runs pods with stable identities: ordinal names, stable hostnames and their own volumes.',
    },
  ),
  'io.k8s.api.apps.v1.StatefulSetSpec': object(
    {
      replicas: int32({ description: 'How many pods are wanted; defaults to 1.' }),
      selector: labelSelector({ description: 'The pods this StatefulSet manages; must match the template labels.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { default: {}, description: 'The pods to create, each named <statefulset>-<ordinal>.' }),
      volumeClaimTemplates: list(ref('io.k8s.api.core.v1.PersistentVolumeClaim', { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Claims each pod gets its own copy of, mounted by volume name.',
      }),
      serviceName: str({ default: '', description: 'The headless Service that gives the pods their network identity.' }),
      podManagementPolicy: enumOf(['OrderedReady', 'Parallel'], { description: 'OrderedReady (the default) creates and removes pods one by one; Parallel does not wait.' }),
      updateStrategy: ref('io.k8s.api.apps.v1.StatefulSetUpdateStrategy', { default: {}, description: 'How pods are replaced when the template changes.' }),
      revisionHistoryLimit: int32({ description: 'How many old revisions to keep; defaults to 10.' }),
      minReadySeconds: int32({ description: 'Seconds a new pod must be ready before it counts as available.' }),
      persistentVolumeClaimRetentionPolicy: ref('io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy', {
        description: 'What happens to the claims from volumeClaimTemplates when pods go away.',
      }),
      ordinals: ref('io.k8s.api.apps.v1.StatefulSetOrdinals', { description: 'The numbering of the pods.' }),
    },
    {
      proto: {
        replicas: 1, selector: 2, template: 3, volumeClaimTemplates: 4, serviceName: 5, podManagementPolicy: 6, updateStrategy: 7,
        revisionHistoryLimit: 8, minReadySeconds: 9, persistentVolumeClaimRetentionPolicy: 10, ordinals: 11,
      },
      protoPointers: ['replicas', 'revisionHistoryLimit'],
      required: ['selector', 'template', 'serviceName'],
      description: 'The desired state of a StatefulSet.',
    },
  ),
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': object(
    {
      type: enumOf(['OnDelete', 'RollingUpdate'], { description: 'RollingUpdate (the default) or OnDelete.' }),
      rollingUpdate: ref('io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy', { description: 'Rolling update parameters, when type is RollingUpdate.' }),
    },
    { proto: { type: 1, rollingUpdate: 2 }, description: 'How a StatefulSet replaces its pods.' },
  ),
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy': object(
    {
      partition: int32({ description: 'Only pods with an ordinal at or above this are updated; defaults to 0.' }),
      maxUnavailable: intOrString({ description: 'How many pods may be unavailable during the update (alpha).' }),
    },
    { proto: { partition: 1, maxUnavailable: 2 }, protoPointers: ['partition'], description: 'Bounds of a StatefulSet rolling update.' },
  ),
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': object(
    {
      whenDeleted: str({ description: 'Retain (the default) or Delete the claims when the StatefulSet is deleted.' }),
      whenScaled: str({ description: 'Retain (the default) or Delete the claims of pods removed by scaling down.' }),
    },
    { proto: { whenDeleted: 1, whenScaled: 2 }, description: 'What happens to per-pod claims.' },
  ),
  'io.k8s.api.apps.v1.StatefulSetOrdinals': object(
    { start: int32({ default: 0, description: 'The ordinal of the first pod; defaults to 0.' }) },
    { proto: { start: 1 }, description: 'The numbering of StatefulSet pods.' },
  ),
  'io.k8s.api.apps.v1.StatefulSetStatus': object(
    {
      observedGeneration: int64({ description: 'The generation the controller last acted on.' }),
      replicas: int32({ default: 0, description: 'Pods created by the controller.' }),
      readyReplicas: int32({ description: 'Pods with a Ready condition.' }),
      currentReplicas: int32({ description: 'Pods at the currentRevision.' }),
      updatedReplicas: int32({ description: 'Pods at the updateRevision.' }),
      currentRevision: str({ description: 'The revision of the pods before the update in progress.' }),
      updateRevision: str({ description: 'The revision the pods are being updated to.' }),
      collisionCount: int32({ description: 'Hash collisions met while naming ControllerRevisions.' }),
      conditions: mergeList(ref('io.k8s.api.apps.v1.StatefulSetCondition', { default: {} }), 'type', { description: 'The latest observations of the StatefulSet.' }),
      availableReplicas: int32({ default: 0, description: 'Pods ready for at least minReadySeconds.' }),
    },
    {
      proto: {
        observedGeneration: 1, replicas: 2, readyReplicas: 3, currentReplicas: 4, updatedReplicas: 5, currentRevision: 6, updateRevision: 7,
        collisionCount: 9, conditions: 10, availableReplicas: 11,
      },
      protoPointers: ['collisionCount'],
      required: ['replicas'],
      description: 'The observed state of a StatefulSet.',
    },
  ),
  'io.k8s.api.apps.v1.StatefulSetCondition': statusCondition('An observation of a StatefulSet at a point in time.'),
});

function defaultStatefulSet(sts: StatefulSet): void {
  const spec = (sts.spec ??= {} as StatefulSetSpec);
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
  // Claim templates are defaulted as claims are (upstream's generated defaulters do the same).
  for (const pvc of spec.volumeClaimTemplates ?? []) persistentVolumeClaims.defaults?.(pvc);
}

/** maxUnavailable is behind the MaxUnavailableStatefulSet gate, off by default: dropped unless already in use. */
function dropMaxUnavailable(sts: StatefulSet, old?: StatefulSet): void {
  const ru = sts.spec?.updateStrategy?.rollingUpdate;
  if (ru && old?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable === undefined) delete ru.maxUnavailable;
}

function validateUpdateStrategy(strategy: StatefulSetSpec['updateStrategy'], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const ruPath = path.child('rollingUpdate');
  switch (strategy?.type ?? '') {
    case '':
      errs.push(fieldErrors.required(path.path));
      break;
    case 'OnDelete':
      if (strategy!.rollingUpdate) errs.push(fieldErrors.invalid(ruPath.path, strategy!.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate': {
      const ru = strategy!.rollingUpdate;
      if (!ru) break;
      errs.push(...validateNonnegativeField(ru.partition ?? 0, ruPath.child('partition')));
      if (ru.maxUnavailable !== undefined) {
        const maxPath = ruPath.child('maxUnavailable');
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, maxPath));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(fieldErrors.invalid(maxPath.path, ru.maxUnavailable, 'cannot be 0'));
        errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, maxPath));
      }
      break;
    }
    default:
      errs.push(fieldErrors.invalid(path.path, strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  return errs;
}

/** ValidateStatefulSetSpec; a missing selector is reported by the schema (it is required). */
function validateStatefulSetSpec(spec: StatefulSetSpec | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? ({} as StatefulSetSpec);
  const errs: FieldError[] = [];
  const policy = s.podManagementPolicy ?? '';
  if (policy === '') errs.push(fieldErrors.required(path.child('podManagementPolicy').path));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(fieldErrors.invalid(path.child('podManagementPolicy').path, policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(s.updateStrategy, path.child('updateStrategy')));
  const retention = s.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    const retentionPath = path.child('persistentVolumeClaimRetentionPolicy');
    for (const f of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[f] ?? '';
      if (!(RETENTION_POLICIES as readonly string[]).includes(v)) errs.push(fieldErrors.notSupported(retentionPath.child(f).path, v, RETENTION_POLICIES));
    }
  }
  errs.push(...validateNonnegativeField(s.replicas ?? 0, path.child('replicas')));
  errs.push(...validateNonnegativeField(s.minReadySeconds ?? 0, path.child('minReadySeconds')));
  if (s.ordinals) errs.push(...validateNonnegativeField(s.ordinals.start ?? 0, path.child('ordinals').child('start')));
  errs.push(...validateSpecSelector(s.selector, 'empty selector is invalid for statefulset', path.child('selector')));
  const selector = parsedSelector(s.selector);
  const templatePath = path.child('template');
  if (!selector) errs.push(fieldErrors.invalid(path.child('selector').path, labelSelectorValue(s.selector), ''));
  else {
    // Upstream checks only the template's labels and annotations here, not its pod spec.
    errs.push(...validateSelectorMatchesTemplate(selector, s.template, templatePath));
    errs.push(...validateLabels(s.template?.metadata?.labels, templatePath.child('labels')));
    errs.push(...validateAnnotations(s.template?.metadata?.annotations, templatePath.child('annotations')));
  }
  const restartPolicy = s.template?.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(templatePath.child('spec').child('restartPolicy').path, restartPolicy, ['Always']));
  if (s.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(fieldErrors.forbidden(templatePath.child('spec').child('activeDeadlineSeconds').path, 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

/** The spec fields an update may change; any other difference is refused. */
const MUTABLE_SPEC_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const;
export const STATEFULSET_SPEC_UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function withoutMutableFields(spec: StatefulSetSpec | undefined): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...spec };
  for (const f of MUTABLE_SPEC_FIELDS) delete rest[f];
  return rest;
}

function validateStatefulSetStatus(sts: StatefulSet, old: StatefulSet): FieldError[] {
  const status: StatefulSetStatus = sts.status ?? { replicas: 0 };
  const path = new FieldPath('status');
  const counters: (keyof StatefulSetStatus)[] = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'];
  const errs = validateNonnegativeCounters(status, counters, path);
  errs.push(...validateReplicaCounts(status, ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'], path));
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    errs.push(fieldErrors.invalid(path.child('availableReplicas').path, status.availableReplicas, 'cannot be greater than status.readyReplicas'));
  }
  errs.push(...validateCollisionCount(status.collisionCount, old.status?.collisionCount, path));
  return errs;
}

export const statefulSets: ResourceDefinition<StatefulSet> = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  // Pod hostnames come from the name, so it must be a DNS label.
  nameRule: 'label',
  schemaName: 'io.k8s.api.apps.v1.StatefulSet',
  definitions,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  tracksGeneration: true,
  defaults: defaultStatefulSet,
  prepareForCreate(sts) {
    (sts as Writable<StatefulSet>).status = { replicas: 0, availableReplicas: 0 };
    dropMaxUnavailable(sts);
  },
  prepareForUpdate(sts, old) {
    (sts as Writable<StatefulSet>).status = old.status;
    dropMaxUnavailable(sts, old);
  },
  validate(sts) {
    return validateStatefulSetSpec(sts.spec, new FieldPath('spec'));
  },
  validateUpdate(sts, old) {
    const errs = validateStatefulSetStatus(sts, old);
    if (!semanticEqual(withoutMutableFields(sts.spec), withoutMutableFields(old.spec))) errs.push(fieldErrors.forbidden('spec', STATEFULSET_SPEC_UPDATE_FORBIDDEN));
    return errs;
  },
  table: table<StatefulSet>(
    [{ name: 'Ready', type: 'string', description: 'Ready pods out of the desired count.' }],
    (sts) => [`${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`],
    { columns: [containersColumn, imagesColumn], cells: (sts) => containerCells(sts.spec?.template?.spec) },
  ),
};
