// apps/v1 Deployment: declarative rollouts of ReplicaSets.
import type { Deployment, DeploymentSpec, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, int64, intOrString, kindSchema, labelSelector, mergeList, object, ref, str, time } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { labelSelectorValue } from '../../meta/labels.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateNonnegativeField } from '../../meta/validation.js';
import { containerCells, defaultPodTemplateSpec, semanticEqual } from '../core/podspec.js';
import { table } from '../table.js';
import { containersColumn, imagesColumn, selectorColumn } from './printing.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  parsedSelector,
  validateCollisionCount,
  validateNonnegativeCounters,
  validatePositiveIntOrPercent,
  validateReplicaCounts,
  validateReplicatedTemplate,
  validateSpecSelector,
  type Writable,
} from './validation.js';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.apps.v1.Deployment': kindSchema(
    { group: 'apps', version: 'v1', kind: 'Deployment' },
    {
      spec: ref('io.k8s.api.apps.v1.DeploymentSpec', { default: {}, description: 'The desired state of the Deployment.' }),
      status: ref('io.k8s.api.apps.v1.DeploymentStatus', { default: {}, description: 'The observed state of the Deployment.' }),
    },
    {
      proto: { metadata: 1, spec: 2, status: 3 },
      description: 'Deployment declares the desired state of a replicated set of pods and rolls it out through ReplicaSets.',
    },
  ),
  'io.k8s.api.apps.v1.DeploymentSpec': object(
    {
      replicas: int32({ description: 'How many pods are wanted; defaults to 1.' }),
      selector: labelSelector({ description: 'The pods this Deployment manages; must match the template labels and cannot change.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { default: {}, description: 'The pods to create; restartPolicy must be Always.' }),
      strategy: ref('io.k8s.api.apps.v1.DeploymentStrategy', {
        default: {},
        'x-kubernetes-patch-strategy': 'retainKeys',
        description: 'How old pods are replaced by new ones.',
      }),
      minReadySeconds: int32({ description: 'Seconds a new pod must be ready before it counts as available.' }),
      revisionHistoryLimit: int32({ description: 'How many old ReplicaSets to keep for rollback; defaults to 10.' }),
      paused: bool({ description: 'When true, template changes are not rolled out.' }),
      progressDeadlineSeconds: int32({ description: 'Seconds a rollout may make no progress before it is reported as failed; defaults to 600.' }),
    },
    {
      proto: { replicas: 1, selector: 2, template: 3, strategy: 4, minReadySeconds: 5, revisionHistoryLimit: 6, paused: 7, progressDeadlineSeconds: 9 },
      protoPointers: ['replicas', 'revisionHistoryLimit', 'progressDeadlineSeconds'],
      required: ['selector', 'template'],
      description: 'The desired state of a Deployment.',
    },
  ),
  'io.k8s.api.apps.v1.DeploymentStrategy': object(
    {
      type: enumOf(['Recreate', 'RollingUpdate'], { description: 'Recreate or RollingUpdate (the default).' }),
      rollingUpdate: ref('io.k8s.api.apps.v1.RollingUpdateDeployment', { description: 'Rolling update parameters, when type is RollingUpdate.' }),
    },
    { proto: { type: 1, rollingUpdate: 2 }, description: 'How a Deployment replaces its pods.' },
  ),
  'io.k8s.api.apps.v1.RollingUpdateDeployment': object(
    {
      maxUnavailable: intOrString({ description: 'How many pods (or what percentage) may be unavailable during the update; defaults to 25%.' }),
      maxSurge: intOrString({ description: 'How many pods (or what percentage) may exist above the desired count; defaults to 25%.' }),
    },
    { proto: { maxUnavailable: 1, maxSurge: 2 }, description: 'Bounds of a rolling update.' },
  ),
  'io.k8s.api.apps.v1.DeploymentStatus': object(
    {
      observedGeneration: int64({ description: 'The generation the controller last acted on.' }),
      replicas: int32({ description: 'Pods targeted by this Deployment (their labels match the selector).' }),
      updatedReplicas: int32({ description: 'Pods that have the current template.' }),
      readyReplicas: int32({ description: 'Pods with a Ready condition.' }),
      availableReplicas: int32({ description: 'Pods ready for at least minReadySeconds.' }),
      unavailableReplicas: int32({ description: 'Pods still needed for 100% availability.' }),
      conditions: mergeList(ref('io.k8s.api.apps.v1.DeploymentCondition', { default: {} }), 'type', { description: 'The latest observations of the rollout.' }),
      collisionCount: int32({ description: 'Hash collisions met while naming ReplicaSets.' }),
    },
    {
      proto: {
        observedGeneration: 1, replicas: 2, updatedReplicas: 3, readyReplicas: 7, availableReplicas: 4, unavailableReplicas: 5, conditions: 6,
        collisionCount: 8,
      },
      protoPointers: ['collisionCount'],
      description: 'The observed state of a Deployment.',
    },
  ),
  'io.k8s.api.apps.v1.DeploymentCondition': object(
    {
      type: str({ default: '', description: 'The type of the condition.' }),
      status: str({ default: '', description: 'True, False or Unknown.' }),
      lastUpdateTime: time({ description: 'When the condition was last updated.' }),
      lastTransitionTime: time({ description: 'When the condition last changed status.' }),
      reason: str({ description: 'A machine-readable reason for the last transition.' }),
      message: str({ description: 'A human-readable message about the last transition.' }),
    },
    {
      proto: { type: 1, status: 2, lastUpdateTime: 6, lastTransitionTime: 7, reason: 4, message: 5 },
      required: ['type', 'status'],
      description: 'An observation of a Deployment at a point in time.',
    },
  ),
});

function defaultDeployment(d: Deployment): void {
  const spec = (d.spec ??= {} as DeploymentSpec);
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}

function validateStrategy(strategy: DeploymentSpec['strategy'], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  switch (strategy?.type) {
    case 'Recreate':
      if (strategy.rollingUpdate) {
        errs.push(fieldErrors.forbidden(path.child('rollingUpdate').path, "may not be specified when strategy `type` is 'Recreate'"));
      }
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      const ruPath = path.child('rollingUpdate');
      if (!ru) {
        errs.push(fieldErrors.required(ruPath.path, 'this should be defaulted and never be nil'));
        break;
      }
      const maxUnavailable = ru.maxUnavailable ?? 0;
      const maxSurge = ru.maxSurge ?? 0;
      errs.push(...validatePositiveIntOrPercent(maxUnavailable, ruPath.child('maxUnavailable')));
      errs.push(...validatePositiveIntOrPercent(maxSurge, ruPath.child('maxSurge')));
      if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0) {
        errs.push(fieldErrors.invalid(ruPath.child('maxUnavailable').path, maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...isNotMoreThan100Percent(maxUnavailable, ruPath.child('maxUnavailable')));
      break;
    }
    default:
      errs.push(fieldErrors.notSupported(path.path, strategy ?? null, ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** ValidateDeploymentSpec; a missing selector is reported by the schema (it is required). */
function validateDeploymentSpec(spec: DeploymentSpec | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? ({} as DeploymentSpec);
  const errs = validateNonnegativeField(s.replicas ?? 0, path.child('replicas'));
  errs.push(...validateSpecSelector(s.selector, 'empty selector is invalid for deployment', path.child('selector')));
  const selector = parsedSelector(s.selector);
  if (!selector) errs.push(fieldErrors.invalid(path.child('selector').path, labelSelectorValue(s.selector), 'invalid label selector'));
  else errs.push(...validateReplicatedTemplate(s.template, selector, 'ReplicaSet', path.child('template')));
  errs.push(...validateStrategy(s.strategy, path.child('strategy')));
  errs.push(...validateNonnegativeField(s.minReadySeconds ?? 0, path.child('minReadySeconds')));
  if (s.revisionHistoryLimit !== undefined) errs.push(...validateNonnegativeField(s.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  if (s.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonnegativeField(s.progressDeadlineSeconds, path.child('progressDeadlineSeconds')));
    if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      errs.push(fieldErrors.invalid(path.child('progressDeadlineSeconds').path, s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

function validateDeploymentStatus(d: Deployment, old: Deployment): FieldError[] {
  const status: DeploymentStatus = d.status ?? {};
  const path = new FieldPath('status');
  const counters: (keyof DeploymentStatus)[] = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'];
  const errs = validateNonnegativeCounters(status, counters, path);
  errs.push(...validateReplicaCounts(status, ['updatedReplicas', 'readyReplicas', 'availableReplicas'], path));
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    errs.push(fieldErrors.invalid(path.child('availableReplicas').path, status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  errs.push(...validateCollisionCount(status.collisionCount, old.status?.collisionCount, path));
  return errs;
}

export const deployments: ResourceDefinition<Deployment> = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  schemaName: 'io.k8s.api.apps.v1.Deployment',
  definitions,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  tracksGeneration: true,
  defaults: defaultDeployment,
  prepareForCreate(d) {
    (d as Writable<Deployment>).status = {};
  },
  prepareForStatusUpdate(d, old) {
    // Upstream's deploymentStatusStrategy: /status may change annotations (the controller's revision) but not labels.
    (d.metadata as Writable<ObjectMeta>).labels = old.metadata?.labels;
  },
  prepareForUpdate(d, old) {
    (d as Writable<Deployment>).status = old.status;
    // Annotations are copied to the ReplicaSets, so a change to them is a change of desired state.
    if (!semanticEqual(d.metadata?.annotations, old.metadata?.annotations)) {
      (d.metadata as Writable<ObjectMeta>).generation = (old.metadata?.generation ?? 0) + 1;
    }
  },
  validate(d) {
    return validateDeploymentSpec(d.spec, new FieldPath('spec'));
  },
  validateUpdate(d, old) {
    const errs = validateDeploymentStatus(d, old);
    if (!semanticEqual(d.spec?.selector, old.spec?.selector)) errs.push(fieldErrors.invalid('spec.selector', labelSelectorValue(d.spec?.selector), FIELD_IMMUTABLE_ERROR_MSG));
    return errs;
  },
  table: table<Deployment>(
    [
      { name: 'Ready', type: 'string', description: 'Ready pods out of the desired count.' },
      { name: 'Up-to-date', type: 'string', description: 'Pods that have the current template.' },
      { name: 'Available', type: 'string', description: 'Pods ready for at least minReadySeconds.' },
    ],
    (d) => [`${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0],
    {
      columns: [containersColumn, imagesColumn, selectorColumn],
      cells: (d) => {
        const selector = parsedSelector(d.spec?.selector);
        return [...containerCells(d.spec?.template?.spec), selector ? selector.toString() : '<invalid>'];
      },
    },
  ),
};
