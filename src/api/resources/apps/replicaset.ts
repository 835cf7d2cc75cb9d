// apps/v1 ReplicaSet: keeps a number of identical pods running.
import type { ReplicaSet, ReplicaSetSpec } from 'kubernetes-types/apps/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, int32, int64, kindSchema, labelSelector, mergeList, object, ref, statusCondition } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateNonnegativeField } from '../../meta/validation.js';
import { labelSelectorAsString, labelSelectorValue } from '../../meta/labels.js';
import { containerCells, defaultPodTemplateSpec, semanticEqual } from '../core/podspec.js';
import { table } from '../table.js';
import { containersColumn, imagesColumn, selectorColumn } from './printing.js';
import {
  parsedSelector,
  validateNonnegativeCounters,
  validateReplicaCounts,
  validateReplicatedTemplate,
  validateSpecSelector,
  type Writable,
} from './validation.js';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.apps.v1.ReplicaSet': kindSchema(
    { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
    {
      spec: ref('io.k8s.api.apps.v1.ReplicaSetSpec', { default: {}, description: 'The desired state of the ReplicaSet.' }),
      status: ref('io.k8s.api.apps.v1.ReplicaSetStatus', { default: {}, description: 'The observed state of the ReplicaSet.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'ReplicaSet keeps a stable number of identical pods running.' },
  ),
  'io.k8s.api.apps.v1.ReplicaSetSpec': object(
    {
      replicas: int32({ description: 'How many pods are wanted; defaults to 1.' }),
      minReadySeconds: int32({ description: 'Seconds a new pod must be ready before it counts as available.' }),
      selector: labelSelector({ description: 'The pods this ReplicaSet counts; must match the template labels and cannot change.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { default: {}, description: 'The pods to create when too few exist.' }),
    },
    {
      proto: { replicas: 1, minReadySeconds: 4, selector: 2, template: 3 },
      protoPointers: ['replicas'],
      required: ['selector'],
      description: 'The desired state of a ReplicaSet.',
    },
  ),
  'io.k8s.api.apps.v1.ReplicaSetStatus': object(
    {
      replicas: int32({ default: 0, description: 'The most recently observed number of pods.' }),
      fullyLabeledReplicas: int32({ description: 'Pods whose labels match the template labels.' }),
      readyReplicas: int32({ description: 'Pods with a Ready condition.' }),
      availableReplicas: int32({ description: 'Pods ready for at least minReadySeconds.' }),
      observedGeneration: int64({ description: 'The generation the controller last acted on.' }),
      conditions: mergeList(ref('io.k8s.api.apps.v1.ReplicaSetCondition', { default: {} }), 'type', { description: 'The latest observations of the ReplicaSet.' }),
    },
    {
      proto: { replicas: 1, fullyLabeledReplicas: 2, readyReplicas: 4, availableReplicas: 5, observedGeneration: 3, conditions: 6 },
      required: ['replicas'],
      description: 'The observed state of a ReplicaSet.',
    },
  ),
  'io.k8s.api.apps.v1.ReplicaSetCondition': statusCondition('An observation of a ReplicaSet at a point in time.'),
});

/** ValidateReplicaSetSpec; a missing selector is reported by the schema (it is required). */
function validateReplicaSetSpec(spec: ReplicaSetSpec | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? ({} as ReplicaSetSpec);
  const errs = validateNonnegativeField(s.replicas ?? 0, path.child('replicas'));
  errs.push(...validateNonnegativeField(s.minReadySeconds ?? 0, path.child('minReadySeconds')));
  // Upstream names deployments here too.
  errs.push(...validateSpecSelector(s.selector, 'empty selector is invalid for deployment', path.child('selector')));
  const selector = parsedSelector(s.selector);
  if (!selector) errs.push(fieldErrors.invalid(path.child('selector').path, labelSelectorValue(s.selector), 'invalid label selector'));
  else errs.push(...validateReplicatedTemplate(s.template, selector, 'ReplicaSet', path.child('template')));
  return errs;
}

function validateReplicaSetStatus(rs: ReplicaSet): FieldError[] {
  const status = rs.status ?? { replicas: 0 };
  const path = new FieldPath('status');
  const errs = validateNonnegativeCounters(status, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'], path);
  errs.push(...validateReplicaCounts(status, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'], path));
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    errs.push(fieldErrors.invalid(path.child('availableReplicas').path, status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errs;
}

export const replicaSets: ResourceDefinition<ReplicaSet> = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  schemaName: 'io.k8s.api.apps.v1.ReplicaSet',
  definitions,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  tracksGeneration: true,
  defaults(rs) {
    const spec = (rs.spec ??= {} as ReplicaSetSpec);
    spec.replicas ??= 1;
    defaultPodTemplateSpec(spec.template);
  },
  prepareForCreate(rs) {
    (rs as Writable<ReplicaSet>).status = { replicas: 0 };
  },
  prepareForUpdate(rs, old) {
    (rs as Writable<ReplicaSet>).status = old.status;
  },
  validate(rs) {
    return validateReplicaSetSpec(rs.spec, new FieldPath('spec'));
  },
  validateUpdate(rs, old) {
    const errs = validateReplicaSetStatus(rs);
    if (!semanticEqual(rs.spec?.selector, old.spec?.selector)) errs.push(fieldErrors.invalid('spec.selector', labelSelectorValue(rs.spec?.selector), FIELD_IMMUTABLE_ERROR_MSG));
    return errs;
  },
  table: table<ReplicaSet>(
    [
      { name: 'Desired', type: 'integer', description: 'How many pods are wanted.' },
      { name: 'Current', type: 'integer', description: 'How many pods exist.' },
      { name: 'Ready', type: 'integer', description: 'How many pods are ready.' },
    ],
    (rs) => [rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0],
    {
      columns: [containersColumn, imagesColumn, selectorColumn],
      cells: (rs) => [...containerCells(rs.spec?.template?.spec), labelSelectorAsString(rs.spec?.selector)],
    },
  ),
  fieldSelectors: { 'status.replicas': (rs) => String(rs.status?.replicas ?? 0) },
};
