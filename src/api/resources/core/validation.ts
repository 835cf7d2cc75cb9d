// Validation rules shared by several core/v1 kinds.
import { fieldErrors, type FieldError, type FieldPath } from '../../meta/status.js';
import type { KubeObject } from '../../registry.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** Keys of ConfigMap and Secret data: config keys, at most 253 characters, not `.` or `..`. */
export function validateConfigKeys(keys: string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of keys) {
    const p = path.key(k).toString();
    if (k.length > 253) errs.push(fieldErrors.invalid(p, k, 'must be no more than 253 characters'));
    if (!CONFIG_KEY.test(k)) errs.push(fieldErrors.invalid(p, k, CONFIG_KEY_MESSAGE));
    if (k === '.') errs.push(fieldErrors.invalid(p, k, "must not be '.'"));
    else if (k === '..') errs.push(fieldErrors.invalid(p, k, "must not be '..'"));
    else if (k.startsWith('..')) errs.push(fieldErrors.invalid(p, k, "must not start with '..'"));
  }
  return errs;
}

/** `immutable: true` freezes data and binaryData (ConfigMap) or data (Secret), and itself. */
export function validateImmutableData(obj: KubeObject, old: KubeObject): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of ['data', 'binaryData'] as const) {
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) errs.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}
