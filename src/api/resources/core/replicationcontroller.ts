// core/v1 ReplicationController: the original replica keeper, with status and scale
// subresources; selector and labels default from the template's labels.
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, int32, int64, kindSchema, mapOf, mergeList, object, objectMeta, ref, str, statusCondition } from '../../schema/build.js';
import { goStringMap } from '../../meta/go.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';
import { validateNonnegativeField } from '../../meta/validation.js';
import { selectorFromSet } from '../../meta/labels.js';
import { table } from '../table.js';
import { containerCells, definitions as podSpecDefinitions, defaultPodTemplateSpec, formatLabels, validatePodTemplateSpec } from './podspec.js';

const definitions: Definitions = new Map(podSpecDefinitions);
define(definitions, {
  'io.k8s.api.core.v1.ReplicationController': kindSchema(
    { group: '', version: 'v1', kind: 'ReplicationController' },
    {
      metadata: objectMeta({ default: {}, description: "Standard object metadata; labels default to the template's." }),
      spec: ref('io.k8s.api.core.v1.ReplicationControllerSpec', { default: {}, description: 'The desired behaviour of the replication controller.' }),
      status: ref('io.k8s.api.core.v1.ReplicationControllerStatus', { default: {}, description: 'The most recently observed status of the replication controller.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'ReplicationController keeps a number of pod replicas running.' },
  ),
  'io.k8s.api.core.v1.ReplicationControllerSpec': object(
    {
      replicas: int32({ description: 'Desired number of pods; defaults to 1.' }),
      minReadySeconds: int32({ description: 'Seconds a new pod must be ready, without crashing, to count as available.' }),
      selector: mapOf(str({ default: '' }), { 'x-kubernetes-map-type': 'atomic', description: 'Label query the pods must match; defaults to the template labels.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { description: 'The pods created when there are too few replicas.' }),
    },
    { proto: { replicas: 1, minReadySeconds: 4, selector: 2, template: 3 }, protoPointers: ['replicas'], description: 'The desired behaviour of a replication controller.' },
  ),
  'io.k8s.api.core.v1.ReplicationControllerStatus': object(
    {
      replicas: int32({ default: 0, description: 'Number of pods observed most recently.' }),
      fullyLabeledReplicas: int32({ description: 'Number of pods whose labels match the template labels.' }),
      readyReplicas: int32({ description: 'Number of ready pods.' }),
      availableReplicas: int32({ description: 'Number of pods ready for at least minReadySeconds.' }),
      observedGeneration: int64({ description: 'The generation the controller last acted on.' }),
      conditions: mergeList(ref('io.k8s.api.core.v1.ReplicationControllerCondition', { default: {} }), 'type', {
        description: "Latest observations of the controller's state.",
      }),
    },
    {
      proto: { replicas: 1, fullyLabeledReplicas: 2, readyReplicas: 4, availableReplicas: 5, observedGeneration: 3, conditions: 6 },
      required: ['replicas'],
      description: 'The observed state of a replication controller.',
    },
  ),
  'io.k8s.api.core.v1.ReplicationControllerCondition': statusCondition('A condition of a replication controller at one point in time.', 'Type of the condition.'),
});

/** SetDefaults_ReplicationController: selector and labels from the template's labels, one replica. */
function defaultReplicationController(rc: ReplicationController): void {
  const spec = ((rc as { spec?: ReplicationController['spec'] }).spec ??= {});
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    const meta = (rc.metadata ??= {});
    if (!meta.labels || Object.keys(meta.labels).length === 0) meta.labels = { ...labels };
  }
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template);
}

/** ValidateReplicationControllerSpec. */
function validateSpec(rc: ReplicationController): FieldError[] {
  const spec = rc.spec ?? {};
  const path = new FieldPath('spec');
  const errs = validateNonnegativeField(spec.minReadySeconds ?? 0, path.child('minReadySeconds'));
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(fieldErrors.required(path.child('selector').path));
  errs.push(...validateNonnegativeField(spec.replicas ?? 0, path.child('replicas')));
  const tp = path.child('template');
  const template = spec.template;
  if (!template) return [...errs, fieldErrors.required(tp.path)];
  const templateLabels = template.metadata?.labels;
  if (Object.keys(selector).length && !selectorFromSet(selector).matches(templateLabels)) {
    errs.push(fieldErrors.invalid(tp.child('metadata').child('labels').path, new GoValue(goStringMap(templateLabels)), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, tp));
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(tp.child('spec').child('restartPolicy').path, restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec.activeDeadlineSeconds !== null) {
    errs.push(fieldErrors.forbidden(tp.child('spec').child('activeDeadlineSeconds').path, 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

/** ValidateReplicationControllerStatus: counts are non-negative and consistent. */
function validateStatus(rc: ReplicationController): FieldError[] {
  const s = rc.status ?? { replicas: 0 };
  const path = new FieldPath('status');
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const) {
    errs.push(...validateNonnegativeField(s[f] ?? 0, path.child(f)));
  }
  const replicas = s.replicas ?? 0;
  const msg = 'cannot be greater than status.replicas';
  if ((s.fullyLabeledReplicas ?? 0) > replicas) errs.push(fieldErrors.invalid(path.child('fullyLabeledReplicas').path, s.fullyLabeledReplicas, msg));
  if ((s.readyReplicas ?? 0) > replicas) errs.push(fieldErrors.invalid(path.child('readyReplicas').path, s.readyReplicas, msg));
  if ((s.availableReplicas ?? 0) > replicas) errs.push(fieldErrors.invalid(path.child('availableReplicas').path, s.availableReplicas, msg));
  if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0)) errs.push(fieldErrors.invalid(path.child('availableReplicas').path, s.availableReplicas, 'cannot be greater than readyReplicas'));
  return errs;
}

export const replicationControllers: ResourceDefinition<ReplicationController> = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  schemaName: 'io.k8s.api.core.v1.ReplicationController',
  definitions,
  // Scale.status.selector is the spec selector as a string (`app=web`).
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
  tracksGeneration: true,
  defaults: defaultReplicationController,
  prepareForCreate(rc) {
    (rc as { status?: ReplicationController['status'] }).status = { replicas: 0 };
  },
  validate: validateSpec,
  validateUpdate: validateStatus,
  table: table<ReplicationController>(
    [
      { name: 'Desired', type: 'integer', description: 'Desired number of pods.' },
      { name: 'Current', type: 'integer', description: 'Number of pods observed.' },
      { name: 'Ready', type: 'integer', description: 'Number of ready pods.' },
    ],
    (rc) => [rc.spec?.replicas ?? 0, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0],
    {
      columns: [
        { name: 'Containers', type: 'string', description: 'Names of each container in the template.' },
        { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.' },
        { name: 'Selector', type: 'string', description: 'The label query over the pods.' },
      ],
      cells: (rc) => [...containerCells(rc.spec?.template?.spec), formatLabels(rc.spec?.selector)],
    },
  ),
  fieldSelectors: { 'status.replicas': (rc) => String(rc.status?.replicas ?? 0) },
};
