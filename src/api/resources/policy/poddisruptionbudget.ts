// policy/v1 PodDisruptionBudget: how many pods of a set voluntary disruptions (evictions) may take.
import type { PodDisruptionBudget, PodDisruptionBudgetSpec } from 'kubernetes-types/policy/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, enumOf, int32, int64, intOrString, kindSchema, labelSelector, mapOf, mergeList, object, ref, time } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { regexError, validateLabelName, validateLabelSelector } from '../../meta/validation.js';
import { table } from '../table.js';
import { isNotMoreThan100Percent, labelSelectorHasInvalidLabelValue, validateNonnegativeCounters, validatePositiveIntOrPercent, type Writable } from '../apps/validation.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

const definitions: Definitions = new Map();
define(definitions, {
  // The body of pods/eviction (a subresource, not a kind of its own).
  'io.k8s.api.policy.v1.Eviction': kindSchema(
    { group: 'policy', version: 'v1', kind: 'Eviction' },
    { deleteOptions: ref('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', { description: 'DeleteOptions for the pod being evicted.' }) },
    { description: 'Eviction evicts a pod from its node subject to certain policies and safety constraints.', proto: { metadata: 1, deleteOptions: 2 } },
  ),
  'io.k8s.api.policy.v1.PodDisruptionBudget': kindSchema(
    { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
    {
      spec: ref('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', { default: {}, description: 'The budget.' }),
      status: ref('io.k8s.api.policy.v1.PodDisruptionBudgetStatus', { default: {}, description: 'The observed state of the budget.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'PodDisruptionBudget bounds how many pods of a set may be evicted at once.' },
  ),
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': object(
    {
      minAvailable: intOrString({ description: 'Pods (or a percentage) that must stay available after an eviction.' }),
      selector: labelSelector({ 'x-kubernetes-patch-strategy': 'replace', description: 'The pods the budget covers; empty selects every pod of the namespace.' }),
      maxUnavailable: intOrString({ description: 'Pods (or a percentage) that may be unavailable after an eviction.' }),
      unhealthyPodEvictionPolicy: enumOf(EVICTION_POLICIES, { description: 'When unhealthy pods may be evicted: IfHealthyBudget (the default) or AlwaysAllow.' }),
    },
    {
      proto: { minAvailable: 1, selector: 2, maxUnavailable: 3, unhealthyPodEvictionPolicy: 4 },
      protoPointers: ['unhealthyPodEvictionPolicy'],
      description: 'The pods a budget covers and how many may be disrupted.',
    },
  ),
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': object(
    {
      observedGeneration: int64({ description: 'The generation the disruption controller last acted on.' }),
      disruptedPods: mapOf(time(), { description: 'Pods being evicted, with when the eviction was admitted.' }),
      disruptionsAllowed: int32({ default: 0, description: 'Pods that may be disrupted now.' }),
      currentHealthy: int32({ default: 0, description: 'Healthy pods now.' }),
      desiredHealthy: int32({ default: 0, description: 'Healthy pods the budget requires.' }),
      expectedPods: int32({ default: 0, description: 'Pods the budget counts.' }),
      conditions: mergeList(ref('io.k8s.apimachinery.pkg.apis.meta.v1.Condition', { default: {} }), 'type', {
        description: 'The latest observations of the budget, such as DisruptionAllowed.',
      }),
    },
    {
      proto: { observedGeneration: 1, disruptedPods: 2, disruptionsAllowed: 3, currentHealthy: 4, desiredHealthy: 5, expectedPods: 6, conditions: 7 },
      required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
      description: 'The observed state of a budget.',
    },
  ),
});

const ZERO_STATUS = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } as const;

function validateSpec(spec: PodDisruptionBudgetSpec | undefined, allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const s = spec ?? {};
  const path = new FieldPath('spec');
  const errs: FieldError[] = [];
  if (s.minAvailable !== undefined && s.maxUnavailable !== undefined) {
    errs.push(fieldErrors.invalid(path.path, s, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    const v = s[f];
    if (v === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(v, path.child(f)));
    errs.push(...isNotMoreThan100Percent(v, path.child(f)));
  }
  errs.push(...validateLabelSelector(s.selector, { allowInvalidLabelValueInSelector }, path.child('selector')));
  const policy = s.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy)) errs.push(fieldErrors.notSupported(path.child('unhealthyPodEvictionPolicy').path, policy, EVICTION_POLICIES));
  return errs;
}

const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const CONDITION_REASON_FMT = '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?';
const conditionReason = new RegExp(`^${CONDITION_REASON_FMT}$`);
const CONDITION_REASON_MSG =
  "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'";
const MAX_REASON_LENGTH = 1024;
const MAX_MESSAGE_LENGTH = 32 * 1024;

/** metav1 ValidateConditions: unique types, known statuses, a transition time and a well-formed reason. */
function validateConditions(conditions: readonly Condition[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const p = path.index(i);
    if (seen.has(c.type)) errs.push(fieldErrors.duplicate(p.child('type').path, c.type));
    else seen.add(c.type);
    errs.push(...validateLabelName(c.type ?? '', p.child('type')));
    if (!CONDITION_STATUSES.includes(c.status)) errs.push(fieldErrors.notSupported(p.child('status').path, c.status ?? '', CONDITION_STATUSES));
    if ((c.observedGeneration ?? 0) < 0) errs.push(fieldErrors.invalid(p.child('observedGeneration').path, c.observedGeneration, 'must be greater than or equal to zero'));
    if (!c.lastTransitionTime) errs.push(fieldErrors.required(p.child('lastTransitionTime').path, 'must be set'));
    if (!c.reason) errs.push(fieldErrors.required(p.child('reason').path, 'must be set'));
    else {
      if (!conditionReason.test(c.reason)) {
        errs.push(fieldErrors.invalid(p.child('reason').path, c.reason, regexError(CONDITION_REASON_MSG, CONDITION_REASON_FMT, 'my_name', 'MY_NAME', 'MyName', 'ReasonA,ReasonB', 'ReasonA:ReasonB')));
      }
      if (c.reason.length > MAX_REASON_LENGTH) errs.push(fieldErrors.tooLong(p.child('reason').path, MAX_REASON_LENGTH));
    }
    if ((c.message ?? '').length > MAX_MESSAGE_LENGTH) errs.push(fieldErrors.tooLong(p.child('message').path, MAX_MESSAGE_LENGTH));
  });
  return errs;
}

function intOrPercentCell(v: number | string | undefined): string {
  return v === undefined ? 'N/A' : String(v);
}

export const podDisruptionBudgets: ResourceDefinition<PodDisruptionBudget> = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  schemaName: 'io.k8s.api.policy.v1.PodDisruptionBudget',
  definitions,
  subresources: { status: true },
  tracksGeneration: true,
  prepareForCreate(pdb) {
    (pdb as Writable<PodDisruptionBudget>).status = { ...ZERO_STATUS };
  },
  prepareForUpdate(pdb, old) {
    (pdb as Writable<PodDisruptionBudget>).status = old.status;
  },
  validate(pdb, ctx) {
    const old = ctx.old as PodDisruptionBudget | undefined;
    return validateSpec(pdb.spec, labelSelectorHasInvalidLabelValue(old?.spec?.selector));
  },
  validateUpdate(pdb) {
    const path = new FieldPath('status');
    const status = pdb.status ?? ZERO_STATUS;
    const errs = validateConditions(pdb.status?.conditions, path.child('conditions'));
    errs.push(...validateNonnegativeCounters(status, ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'], path));
    return errs;
  },
  table: table<PodDisruptionBudget>(
    [
      { name: 'Min Available', type: 'string', description: 'Pods that must stay available.' },
      { name: 'Max Unavailable', type: 'string', description: 'Pods that may be unavailable.' },
      { name: 'Allowed Disruptions', type: 'integer', description: 'Pods that may be disrupted now.' },
    ],
    (pdb) => [intOrPercentCell(pdb.spec?.minAvailable), intOrPercentCell(pdb.spec?.maxUnavailable), pdb.status?.disruptionsAllowed ?? 0],
  ),
};
