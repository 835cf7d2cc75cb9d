// apps/v1 DaemonSet: one pod on every (selected) node.
import type { DaemonSet, DaemonSetSpec, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, enumOf, int32, int64, intOrString, kindSchema, labelSelector, mergeList, object, ref, statusCondition } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { labelSelectorAsString, labelSelectorValue } from '../../meta/labels.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateLabelSelector, validateNonnegativeField } from '../../meta/validation.js';
import { containerCells, defaultPodTemplateSpec, formatLabels, semanticEqual } from '../core/podspec.js';
import { table } from '../table.js';
import { containersColumn, imagesColumn, selectorColumn } from './printing.js';
import {
  intOrPercentValue,
  isEmptySelector,
  isNotMoreThan100Percent,
  parsedSelector,
  validateAlwaysRestartingTemplate,
  validateCollisionCount,
  validateNonnegativeCounters,
  validatePositiveIntOrPercent,
  validateSelectorMatchesTemplate,
  type Writable,
} from './validation.js';

/** apps/v1 keeps the internal spec.templateGeneration in this annotation; it counts template changes. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.apps.v1.DaemonSet': kindSchema(
    { group: 'apps', version: 'v1', kind: 'DaemonSet' },
    {
      spec: ref('io.k8s.api.apps.v1.DaemonSetSpec', { default: {}, description: 'The desired state of the DaemonSet.' }),
      status: ref('io.k8s.api.apps.v1.DaemonSetStatus', { default: {}, description: 'The observed state of the DaemonSet.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'DaemonSet runs a copy of a pod on every node that its template selects.' },
  ),
  'io.k8s.api.apps.v1.DaemonSetSpec': object(
    {
      selector: labelSelector({ description: 'The pods this DaemonSet manages; must match the template labels and cannot change.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { default: {}, description: 'The pod to run on each node; restartPolicy must be Always.' }),
      updateStrategy: ref('io.k8s.api.apps.v1.DaemonSetUpdateStrategy', { default: {}, description: 'How pods are replaced when the template changes.' }),
      minReadySeconds: int32({ description: 'Seconds a new pod must be ready before it counts as available.' }),
      revisionHistoryLimit: int32({ description: 'How many old revisions to keep; defaults to 10.' }),
    },
    {
      proto: { selector: 1, template: 2, updateStrategy: 3, minReadySeconds: 4, revisionHistoryLimit: 6 },
      protoPointers: ['revisionHistoryLimit'],
      required: ['selector', 'template'],
      description: 'The desired state of a DaemonSet.',
    },
  ),
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': object(
    {
      type: enumOf(['OnDelete', 'RollingUpdate'], { description: 'RollingUpdate (the default) or OnDelete.' }),
      rollingUpdate: ref('io.k8s.api.apps.v1.RollingUpdateDaemonSet', { description: 'Rolling update parameters, when type is RollingUpdate.' }),
    },
    { proto: { type: 1, rollingUpdate: 2 }, description: 'How a DaemonSet replaces its pods.' },
  ),
  'io.k8s.api.apps.v1.RollingUpdateDaemonSet': object(
    {
      maxUnavailable: intOrString({ description: 'How many nodes (or what percentage) may lack a ready pod during the update; defaults to 1.' }),
      maxSurge: intOrString({ description: 'How many nodes (or what percentage) may run an old and a new pod at once; defaults to 0.' }),
    },
    { proto: { maxUnavailable: 1, maxSurge: 2 }, description: 'Bounds of a DaemonSet rolling update.' },
  ),
  'io.k8s.api.apps.v1.DaemonSetStatus': object(
    {
      currentNumberScheduled: int32({ default: 0, description: 'Nodes running at least one daemon pod that should.' }),
      numberMisscheduled: int32({ default: 0, description: 'Nodes running a daemon pod that should not.' }),
      desiredNumberScheduled: int32({ default: 0, description: 'Nodes that should run the daemon pod.' }),
      numberReady: int32({ default: 0, description: 'Nodes whose daemon pod is ready.' }),
      observedGeneration: int64({ description: 'The generation the controller last acted on.' }),
      updatedNumberScheduled: int32({ description: 'Nodes running the current template.' }),
      numberAvailable: int32({ description: 'Nodes whose daemon pod has been ready for minReadySeconds.' }),
      numberUnavailable: int32({ description: 'Nodes that should run an available daemon pod but do not.' }),
      collisionCount: int32({ description: 'Hash collisions met while naming ControllerRevisions.' }),
      conditions: mergeList(ref('io.k8s.api.apps.v1.DaemonSetCondition', { default: {} }), 'type', { description: 'The latest observations of the DaemonSet.' }),
    },
    {
      proto: {
        currentNumberScheduled: 1, numberMisscheduled: 2, desiredNumberScheduled: 3, numberReady: 4, observedGeneration: 5,
        updatedNumberScheduled: 6, numberAvailable: 7, numberUnavailable: 8, collisionCount: 9, conditions: 10,
      },
      protoPointers: ['collisionCount'],
      required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
      description: 'The observed state of a DaemonSet.',
    },
  ),
  'io.k8s.api.apps.v1.DaemonSetCondition': statusCondition('An observation of a DaemonSet at a point in time.'),
});

const ZERO_STATUS = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 } as const;

function defaultDaemonSet(ds: DaemonSet): void {
  const spec = (ds.spec ??= {} as DaemonSetSpec);
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
}

function templateGeneration(ds: DaemonSet): number {
  const n = Number(ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isInteger(n) ? n : 0;
}

function setTemplateGeneration(ds: DaemonSet, n: number): void {
  const meta = (ds.metadata ??= {});
  meta.annotations = { ...meta.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(n) };
}

function validateUpdateStrategy(strategy: DaemonSetSpec['updateStrategy'], path: FieldPath): FieldError[] {
  switch (strategy?.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      const ruPath = path.child('rollingUpdate');
      if (!ru) return [fieldErrors.required(ruPath.path)];
      const maxUnavailable = ru.maxUnavailable ?? 0;
      const maxSurge = ru.maxSurge ?? 0;
      const errs = validatePositiveIntOrPercent(maxUnavailable, ruPath.child('maxUnavailable'));
      errs.push(...validatePositiveIntOrPercent(maxSurge, ruPath.child('maxSurge')));
      errs.push(...isNotMoreThan100Percent(maxUnavailable, ruPath.child('maxUnavailable')));
      errs.push(...isNotMoreThan100Percent(maxSurge, ruPath.child('maxSurge')));
      const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(fieldErrors.invalid(ruPath.child('maxSurge').path, maxSurge, 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(fieldErrors.required(ruPath.child('maxUnavailable').path, 'cannot be 0 when maxSurge is 0'));
      return errs;
    }
    default:
      return [fieldErrors.notSupported(path.path, strategy ?? null, ['RollingUpdate', 'OnDelete'])];
  }
}

/** ValidateDaemonSetSpec; a missing selector is also reported by the schema (it is required). */
function validateDaemonSetSpec(spec: DaemonSetSpec | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? ({} as DaemonSetSpec);
  const errs = validateLabelSelector(s.selector, { allowInvalidLabelValueInSelector: false }, path.child('selector'));
  const selector = parsedSelector(s.selector);
  if (selector) errs.push(...validateSelectorMatchesTemplate(selector, s.template, path.child('template')));
  if (s.selector && isEmptySelector(s.selector)) {
    errs.push(fieldErrors.invalid(path.child('selector').path, labelSelectorValue(s.selector), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validateAlwaysRestartingTemplate(s.template ?? {}, 'DaemonSet', path.child('template')));
  errs.push(...validateNonnegativeField(s.minReadySeconds ?? 0, path.child('minReadySeconds')));
  errs.push(...validateUpdateStrategy(s.updateStrategy, path.child('updateStrategy')));
  if (s.revisionHistoryLimit !== undefined) errs.push(...validateNonnegativeField(s.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  return errs;
}

const STATUS_COUNTERS: (keyof DaemonSetStatus)[] = [
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'observedGeneration',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'collisionCount',
];

export const daemonSets: ResourceDefinition<DaemonSet> = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  schemaName: 'io.k8s.api.apps.v1.DaemonSet',
  definitions,
  subresources: { status: true },
  tracksGeneration: true,
  defaults: defaultDaemonSet,
  prepareForCreate(ds) {
    (ds as Writable<DaemonSet>).status = { ...ZERO_STATUS };
    setTemplateGeneration(ds, Math.max(templateGeneration(ds), 1));
  },
  prepareForUpdate(ds, old) {
    (ds as Writable<DaemonSet>).status = old.status;
    const generation = templateGeneration(old);
    setTemplateGeneration(ds, semanticEqual(ds.spec?.template, old.spec?.template) ? generation : generation + 1);
  },
  validate(ds) {
    return validateDaemonSetSpec(ds.spec, new FieldPath('spec'));
  },
  validateUpdate(ds, old) {
    const path = new FieldPath('status');
    const errs = validateNonnegativeCounters<DaemonSetStatus>(ds.status ?? ZERO_STATUS, STATUS_COUNTERS, path);
    errs.push(...validateCollisionCount(ds.status?.collisionCount, old.status?.collisionCount, path));
    if (!semanticEqual(ds.spec?.selector, old.spec?.selector)) errs.push(fieldErrors.invalid('spec.selector', labelSelectorValue(ds.spec?.selector), FIELD_IMMUTABLE_ERROR_MSG));
    return errs;
  },
  table: table<DaemonSet>(
    [
      { name: 'Desired', type: 'integer', description: 'Nodes that should run the daemon pod.' },
      { name: 'Current', type: 'integer', description: 'Nodes running the daemon pod.' },
      { name: 'Ready', type: 'integer', description: 'Nodes whose daemon pod is ready.' },
      { name: 'Up-to-date', type: 'integer', description: 'Nodes running the current template.' },
      { name: 'Available', type: 'integer', description: 'Nodes whose daemon pod is available.' },
      { name: 'Node Selector', type: 'string', description: 'The node selector of the pod template.' },
    ],
    (ds) => {
      const s = ds.status;
      return [
        s?.desiredNumberScheduled ?? 0,
        s?.currentNumberScheduled ?? 0,
        s?.numberReady ?? 0,
        s?.updatedNumberScheduled ?? 0,
        s?.numberAvailable ?? 0,
        formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ];
    },
    {
      columns: [containersColumn, imagesColumn, selectorColumn],
      cells: (ds) => [...containerCells(ds.spec?.template?.spec), labelSelectorAsString(ds.spec?.selector)],
    },
  ),
};
