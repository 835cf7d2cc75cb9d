// Validation shared by the workload kinds (apps, batch, policy), as upstream's
// pkg/apis/apps/validation helpers: int-or-percent values, selectors against templates,
// and the status counters controllers write.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { goStringMap } from '../../meta/go.js';
import { labelSelectorValue, selectorFromLabelSelector, type Selector } from '../../meta/labels.js';
import { intOrStringValue, type IntOrString } from '../../meta/intstr.js';
import { fieldErrors, GoValue, type FieldError, type FieldPath } from '../../meta/status.js';
import { isValidLabelValue, isValidPercent, validateLabelSelector, validateNonnegativeField } from '../../meta/validation.js';
import { validatePodTemplateSpec } from '../core/podspec.js';

const SELECTOR_MISMATCH = '`selector` does not match template `labels`';
const GREATER_THAN_REPLICAS = 'cannot be greater than status.replicas';

/** ValidatePositiveIntOrPercent: a non-negative integer or a `N%` string. */
export function validatePositiveIntOrPercent(v: IntOrString, path: FieldPath): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => fieldErrors.invalid(path.path, v, msg));
  return validateNonnegativeField(v, path);
}

function percentValue(v: IntOrString | undefined): number | undefined {
  if (typeof v !== 'string' || isValidPercent(v).length) return undefined;
  return Number(v.slice(0, -1));
}

/** getIntOrPercentValue: the number of a percentage, else the integer (0 for other strings). */
export function intOrPercentValue(v: IntOrString | undefined): number {
  const percent = percentValue(v);
  if (percent !== undefined) return percent;
  return v === undefined ? 0 : intOrStringValue(v);
}

export function isNotMoreThan100Percent(v: IntOrString, path: FieldPath): FieldError[] {
  const percent = percentValue(v);
  return percent !== undefined && percent > 100 ? [fieldErrors.invalid(path.path, v, 'must not be greater than 100%')] : [];
}

/** A selector with neither matchLabels nor matchExpressions (it selects everything). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0;
}

/** A selector validated strictly (no invalid label values) and refused when empty. */
export function validateSpecSelector(selector: LabelSelector | undefined, emptyMessage: string, path: FieldPath): FieldError[] {
  if (!selector) return [];
  const errs = validateLabelSelector(selector, { allowInvalidLabelValueInSelector: false }, path);
  if (isEmptySelector(selector)) {
    errs.push(fieldErrors.invalid(path.path, labelSelectorValue(selector), emptyMessage));
  }
  return errs;
}

/** metav1.LabelSelectorAsSelector, or undefined when the selector cannot be converted. */
export function parsedSelector(selector: LabelSelector | undefined): Selector | undefined {
  try {
    return selectorFromLabelSelector(selector);
  } catch {
    return undefined;
  }
}

/** The template's labels must be selected by a non-empty selector. */
export function validateSelectorMatchesTemplate(selector: Selector, template: PodTemplateSpec | undefined, path: FieldPath): FieldError[] {
  const labels = template?.metadata?.labels;
  if (selector.empty() || selector.matches(labels)) return [];
  return [fieldErrors.invalid(path.child('metadata').child('labels').path, new GoValue(goStringMap(labels)), SELECTOR_MISMATCH)];
}

/**
 * ValidatePodTemplateSpecForReplicaSet (Deployment, ReplicaSet): the template matches the
 * selector, is a valid pod template, restarts Always and has no active deadline.
 */
export function validateReplicatedTemplate(template: PodTemplateSpec | undefined, selector: Selector, kind: string, path: FieldPath): FieldError[] {
  const errs = validateSelectorMatchesTemplate(selector, template, path);
  errs.push(...validateAlwaysRestartingTemplate(template ?? {}, kind, path));
  return errs;
}

/** The pod template rules every long-running workload shares (ReplicaSet, Deployment, DaemonSet). */
export function validateAlwaysRestartingTemplate(template: PodTemplateSpec, kind: string, path: FieldPath): FieldError[] {
  const errs = validatePodTemplateSpec(template, path);
  const restartPolicy = template.spec?.restartPolicy ?? '';
  const specPath = path.child('spec');
  if (restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(specPath.child('restartPolicy').path, restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(fieldErrors.forbidden(specPath.child('activeDeadlineSeconds').path, `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** LabelSelectorHasInvalidLabelValue: selectors stored with such values stay accepted on update. */
export function labelSelectorHasInvalidLabelValue(selector: LabelSelector | undefined): boolean {
  const values = [...Object.values(selector?.matchLabels ?? {}), ...(selector?.matchExpressions ?? []).flatMap((e) => e.values ?? [])];
  return values.some((v) => isValidLabelValue(v).length > 0);
}

/** kubernetes-types marks status and metadata.generation read-only; strategies still reset them. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Non-negative counters of a status, by field name. */
export function validateNonnegativeCounters<T extends object>(status: T, fields: readonly (keyof T & string)[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of fields) {
    const v = status[f];
    if (typeof v === 'number') errs.push(...validateNonnegativeField(v, path.child(f)));
  }
  return errs;
}

/** Counters that may not exceed `status.replicas` (and `available` not `ready`). */
export function validateReplicaCounts<T extends { replicas?: number }>(status: T, fields: readonly (keyof T & string)[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const replicas = status.replicas ?? 0;
  for (const f of fields) {
    const v = (status[f] as number | undefined) ?? 0;
    if (v > replicas) errs.push(fieldErrors.invalid(path.child(f).path, v, GREATER_THAN_REPLICAS));
  }
  return errs;
}

/** IsDecremented on status.collisionCount: controllers only ever raise it. */
export function validateCollisionCount(next: number | undefined, prev: number | undefined, path: FieldPath): FieldError[] {
  if (prev === undefined || (next !== undefined && next >= prev)) return [];
  return [fieldErrors.invalid(path.child('collisionCount').path, next ?? 0, 'cannot be decremented')];
}
