// scheduling.k8s.io/v1 PriorityClass: a named pod priority; `system-` names are reserved for the two built-in classes.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, kindSchema, str } from '../../schema/build.js';
import { fieldErrors, type FieldError } from '../../meta/status.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../meta/validation.js';
import { age, ageColumn, nameColumn } from '../table.js';

const V1 = 'io.k8s.api.scheduling.v1';

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.PriorityClass`]: kindSchema(
    { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
    {
      value: int32({ default: 0, description: 'The priority pods of the class get; higher schedules first.' }),
      globalDefault: bool({ description: 'Whether pods naming no class get this one; at most one class may say so.' }),
      description: str({ description: 'When to use the class, for people.' }),
      preemptionPolicy: enumOf(['Never', 'PreemptLowerPriority'], {
        description: 'Whether pods of the class may preempt lower-priority pods: PreemptLowerPriority (default) or Never.',
      }),
    },
    {
      proto: { metadata: 1, value: 2, globalDefault: 3, description: 4, preemptionPolicy: 5 },
      protoPointers: ['preemptionPolicy'],
      required: ['value'],
      description: 'PriorityClass maps a class name to a pod priority value.',
    },
  ),
});

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

/** The classes every cluster has (scheduling.SystemPriorityClasses), created by the apiserver at start. */
export const SYSTEM_PRIORITY_CLASSES: PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** scheduling.IsKnownSystemPriorityClass: undefined when it is one, else why not. */
function systemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((pc) => pc.metadata?.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if ((known.globalDefault ?? false) !== globalDefault) return `globalDefault of ${name} PriorityClass must be ${known.globalDefault ?? false}`;
  return undefined;
}

const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

export const priorityClasses: ResourceDefinition<PriorityClass> = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  schemaName: `${V1}.PriorityClass`,
  definitions,
  defaults(pc) {
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate(pc) {
    const errs: FieldError[] = [];
    const name = pc.metadata?.name ?? '';
    const value = pc.value ?? 0;
    if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
      const why = systemClassError(name, value, pc.globalDefault ?? false);
      if (why) {
        errs.push(
          fieldErrors.forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`),
        );
      }
    } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errs.push(fieldErrors.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
    }
    const policy = pc.preemptionPolicy;
    if (policy === '') errs.push(fieldErrors.required('preemptionPolicy', ''));
    else if (policy != null && !PREEMPTION_POLICIES.includes(policy)) errs.push(fieldErrors.notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
    return errs;
  },
  validateUpdate(pc, old) {
    const errs: FieldError[] = [];
    if ((pc.value ?? 0) !== (old.value ?? 0)) errs.push(fieldErrors.forbidden('value', 'may not be changed in an update.'));
    if (pc.preemptionPolicy !== old.preemptionPolicy) errs.push(fieldErrors.invalid('preemptionPolicy', pc.preemptionPolicy ?? null, FIELD_IMMUTABLE_ERROR_MSG));
    return errs;
  },
  // PREEMPTIONPOLICY comes after AGE and shows without -o wide, so the table is spelled out.
  table: {
    columns: [
      nameColumn,
      { name: 'Value', type: 'integer', description: 'The priority value of the class.' },
      { name: 'Global-Default', type: 'boolean', description: 'Whether pods without a class get this one.' },
      ageColumn,
      { name: 'PreemptionPolicy', type: 'string', description: 'Whether pods of the class may preempt others.' },
    ],
    cells: (pc, now) => [
      pc.metadata?.name,
      pc.value ?? 0,
      pc.globalDefault ?? false,
      age(pc.metadata?.creationTimestamp, now),
      pc.preemptionPolicy ?? '<unset>',
    ],
  },
};
