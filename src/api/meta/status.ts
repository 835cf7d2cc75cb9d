// Status errors as kube-apiserver returns them: metav1.Status with reason, code,
// message and details (causes with field paths for Invalid).
import { goInterface, goNumber, goQuote, goStringMap, goStringSlice } from './go.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isStatusError(err: unknown, reason?: string): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.status.reason === reason);
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

/** Identifies a resource in messages: `pods`, `deployments.apps`. */
export interface QualifiedResource {
  group: string;
  resource: string;
}

export function qualifiedResourceString(r: QualifiedResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

function resourceDetails(r: QualifiedResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: r.resource };
  if (r.group) d.group = r.group;
  return d;
}

export function notFound(r: QualifiedResource, name: string): StatusError {
  return failure(404, 'NotFound', `${qualifiedResourceString(r)} "${name}" not found`, resourceDetails(r, name));
}

export function alreadyExists(r: QualifiedResource, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualifiedResourceString(r)} "${name}" already exists`, resourceDetails(r, name));
}

export const OBJECT_MODIFIED_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(r: QualifiedResource, name: string, why: string = OBJECT_MODIFIED_MESSAGE): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResourceString(r)} "${name}": ${why}`, resourceDetails(r, name));
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function forbidden(r: QualifiedResource, name: string, why: string): StatusError {
  const subject = name ? `${qualifiedResourceString(r)} "${name}"` : qualifiedResourceString(r);
  return failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, resourceDetails(r, name));
}

export function methodNotSupported(r: QualifiedResource, action: string, message = `${action} is not supported on resources of kind "${qualifiedResourceString(r)}"`): StatusError {
  return failure(405, 'MethodNotAllowed', message, {
    kind: r.resource,
    ...(r.group ? { group: r.group } : {}),
  });
}

/** 410 for a watch or list at a compacted resourceVersion. */
export function resourceExpired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function tooOldResourceVersion(requested: number, oldest: number): StatusError {
  return resourceExpired(`too old resource version: ${requested} (${oldest})`);
}

export function unsupportedMediaType(): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml',
  );
}

export function notAcceptable(message: string): StatusError {
  return failure(406, 'NotAcceptable', message);
}

export function requestEntityTooLarge(message: string): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function tooManyRequests(message: string, retryAfterSeconds?: number): StatusError {
  return failure(429, 'TooManyRequests', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
}

export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function serverTimeout(message: string): StatusError {
  return failure(504, 'Timeout', message);
}

export function timeoutError(message: string, retryAfterSeconds = 0): StatusError {
  return failure(504, 'Timeout', message, { retryAfterSeconds });
}

export function notFoundPath(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
}

/** A bad value printed as Go's %#v prints it (`rbac.RoleRef{APIGroup:"…", …}`), where JSON would differ. */
export class GoValue {
  constructor(readonly text: string) {}
}

/**
 * Renders a bad value as a 1.32 apiserver's field errors do: strings quoted (%q), numbers and
 * bools bare, nil as the string "null", anything else as fmt's %#v. A JSON value without a Go
 * type is taken for what it mostly is: a list of strings a []string, a map of strings a
 * map[string]string, anything else a value decoded into interface{}.
 */
function formatBadValue(v: unknown): string {
  if (v instanceof GoValue) return v.text;
  if (v === undefined || v === null) return '"null"';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return goStringSlice(v);
  if (!Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) return goStringMap(v as Record<string, string>);
  return goInterface(v);
}

/** The message of one field error without its field path (the Status cause message). */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueNotFound':
      return `Not found: ${formatBadValue(e.badValue)}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${formatBadValue(e.badValue)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueTooLong':
      return `Too long: ${e.detail ?? ''}`.trimEnd();
    case 'FieldValueTooMany':
      return `Too many: ${formatBadValue(e.badValue)}: ${e.detail ?? ''}`.trimEnd();
    case 'InternalError':
      return `Internal error: ${e.detail ?? ''}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${formatBadValue(e.badValue)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueTypeInvalid':
    case 'FieldValueInvalid':
    default: {
      const bad = e.badValue === undefined ? '' : `: ${formatBadValue(e.badValue)}`;
      return `Invalid value${bad}${e.detail ? `: ${e.detail}` : ''}`;
    }
  }
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

export const fieldErrors = {
  required: (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, badValue: unknown, detail?: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail }),
  typeInvalid: (field: string, badValue: unknown, detail?: string): FieldError => ({ type: 'FieldValueTypeInvalid', field, badValue, detail }),
  notSupported: (field: string, badValue: unknown, supported: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    badValue,
    detail: supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : undefined,
  }),
  duplicate: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  notFound: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue }),
  tooLong: (field: string, maxLength: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    detail: `may not be more than ${maxLength} bytes`,
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field,
    badValue: actual,
    detail: `must have at most ${max} items`,
  }),
};

/** 422 Invalid: `Pod "x" is invalid: [a: ..., b: ...]`, one cause per field error. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const parts = errs.map(fieldErrorString);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const details: StatusDetails = { name, kind, causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })) };
  if (group) details.group = group;
  // Upstream names the kind with its group: `Deployment.apps "x" is invalid`.
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, details);
}

/** Field paths: `spec.containers[0].name`, `metadata.labels[app]`. */
export class FieldPath {
  constructor(readonly path: string = '') {}
  child(name: string): FieldPath {
    return new FieldPath(this.path ? `${this.path}.${name}` : name);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.path}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.path}[${k}]`);
  }
  toString(): string {
    return this.path;
  }
}
