// Name, label, annotation and ObjectMeta validation with upstream's messages
// (k8s.io/apimachinery/pkg/util/validation, pkg/api/validation, pkg/apis/meta/v1/validation).
import type { LabelSelector, ManagedFieldsEntry, ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { goPointer, goQuote, goSlice, goStringSlice, goStruct } from './go.js';
import { FieldPath, fieldErrors, GoValue, type FieldError } from './status.js';

// ---- messages ----

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** Go's len(): limits are in UTF-8 bytes, not UTF-16 units. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no counting. */
export function longerThan(s: string, max: number): boolean {
  return s.length > max || (s.length * 3 > max && byteLength(s) > max);
}

// ---- names ----

const qnameCharFmt = '[A-Za-z0-9]';
const qnameExtCharFmt = '[-A-Za-z0-9_.]';
const qualifiedNameFmt = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`;
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRegexp = new RegExp(`^${qualifiedNameFmt}$`);

/** Label and annotation keys, finalizers: `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    errs.push(
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return errs;
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (longerThan(name, qualifiedNameMaxLength)) errs.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  if (!qualifiedNameRegexp.test(name)) errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRegexp = new RegExp(`^${labelValueFmt}$`);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, LABEL_VALUE_MAX_LENGTH)) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRegexp = new RegExp(`^${dns1123LabelFmt}$`);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_LABEL_MAX_LENGTH)) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRegexp = new RegExp(`^${dns1123SubdomainFmt}$`);

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_SUBDOMAIN_MAX_LENGTH)) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRegexp = new RegExp(`^${dns1035LabelFmt}$`);

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1035_LABEL_MAX_LENGTH)) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRegexp.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const identifierErrMsg = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const cIdentifierRegexp = new RegExp(`^${cIdentifierFmt}$`);

export function isCIdentifier(value: string): string[] {
  return cIdentifierRegexp.test(value) ? [] : [regexError(identifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

const portNameCharsetRegexp = /^[-a-z0-9]+$/;
const portNameOneLetterRegexp = /[a-z]/;

export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!portNameCharsetRegexp.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!portNameOneLetterRegexp.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port[0] === '-' || port[port.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

const percentFmt = '[0-9]+%';
const percentRegexp = new RegExp(`^${percentFmt}$`);

export function isValidPercent(percent: string): string[] {
  return percentRegexp.test(percent)
    ? []
    : [regexError("a valid percent string must be a numeric string followed by an ending '%'", percentFmt, '1%', '93%')];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameRegexp = new RegExp(`^${envVarNameFmt}$`);

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRegexp.test(value)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        envVarNameFmt,
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyRegexp = new RegExp(`^${configMapKeyFmt}$`);

export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_SUBDOMAIN_MAX_LENGTH)) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRegexp.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

const httpHeaderNameFmt = '[-A-Za-z0-9]+';
const httpHeaderNameRegexp = new RegExp(`^${httpHeaderNameFmt}$`);

export function isHTTPHeaderName(value: string): string[] {
  return httpHeaderNameRegexp.test(value)
    ? []
    : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", httpHeaderNameFmt, 'X-Header-Name')];
}

/** Names used as a single path segment (RBAC roles and bindings …): k8s.io/apimachinery/pkg/api/validation/path. */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return isValidPathSegmentPrefix(name);
}

export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
}

// ---- IP addresses (k8s.io/utils/net's sloppy parser: IPv4 octets may have leading zeros) ----

function parseIPv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Go's xtoi: the leading hex number and its length; length 0 when there is none or it passes 0xFFFFFF. */
function xtoi(s: string): [number, number] {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i], 16);
    if (Number.isNaN(d)) break;
    n = n * 16 + d;
    if (n >= 0xffffff) return [0, 0];
  }
  return [n, i];
}

/** 16 bytes, or null; an IPv4 tail is allowed where Go's net.ParseIP allows it. */
function parseIPv6(s: string): number[] | null {
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  let rest = s;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    const [n, c] = xtoi(rest);
    if (c === 0 || n > 0xffff) return null;
    if (rest[c] === '.') {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return null;
      const v4 = parseIPv4(rest);
      if (!v4) return null;
      ip.splice(i, 4, ...v4);
      rest = '';
      i += 4;
      break;
    }
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    rest = rest.slice(c);
    if (rest.length === 0) break;
    if (rest[0] !== ':' || rest.length === 1) return null;
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      rest = rest.slice(1);
      if (rest.length === 0) break;
    }
  }
  if (rest.length !== 0) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return null;
  }
  return ip;
}

/** Parses an IPv4 or IPv6 address to 16 bytes (IPv4 as IPv4-mapped IPv6), as netutils.ParseIPSloppy. */
export function parseIPSloppy(s: string): number[] | null {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '.') {
      const v4 = parseIPv4(s);
      return v4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4] : null;
    }
    if (s[i] === ':') return parseIPv6(s);
  }
  return null;
}

/** Go's IP.To4() != nil: IPv4, including IPv4-mapped IPv6. */
function isIPv4Bytes(ip: number[]): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

export function isValidIP(path: FieldPath, value: string): FieldError[] {
  return parseIPSloppy(value) ? [] : [fieldErrors.invalid(path.path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function isValidIPv4Address(path: FieldPath, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip && isIPv4Bytes(ip) ? [] : [fieldErrors.invalid(path.path, value, 'must be a valid IPv4 address')];
}

export function isValidIPv6Address(path: FieldPath, value: string): FieldError[] {
  const ip = parseIPSloppy(value);
  return ip && !isIPv4Bytes(ip) ? [] : [fieldErrors.invalid(path.path, value, 'must be a valid IPv6 address')];
}

/** `address/prefix` as netutils.ParseCIDRSloppy accepts it. */
export function parseCIDRSloppy(s: string): { ip: number[]; prefix: number; bits: 32 | 128 } | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  let bits: 32 | 128 = 32;
  let ip: number[] | null = null;
  const v4 = parseIPv4(addr);
  if (v4) ip = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  else {
    bits = 128;
    ip = parseIPv6(addr);
  }
  if (!ip || !/^[0-9]+$/.test(mask)) return null;
  const prefix = Number(mask);
  if (prefix > bits) return null;
  return { ip, prefix, bits };
}

export function isValidCIDR(path: FieldPath, value: string): FieldError[] {
  return parseCIDRSloppy(value) ? [] : [fieldErrors.invalid(path.path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

// ---- object names (ValidateNameFunc: prefix is true for generateName) ----

export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

/** generateName gets a random suffix, so a trailing '-' is fine there. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
export const validatePathSegmentName: ValidateNameFunc = (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));
export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel;

export type NameRule = 'subdomain' | 'label' | 'dns1035-label' | 'path-segment';

const nameRules: Record<NameRule, ValidateNameFunc> = {
  subdomain: nameIsDNSSubdomain,
  label: nameIsDNSLabel,
  'dns1035-label': nameIsDNS1035Label,
  'path-segment': validatePathSegmentName,
};

// ---- labels, annotations, selectors ----

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

export function validateLabelName(labelName: string, path: FieldPath): FieldError[] {
  return isQualifiedName(labelName).map((msg) => fieldErrors.invalid(path.path, labelName, msg));
}

export function validateLabels(labels: Record<string, string> | undefined | null, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels) return errs;
  for (const k in labels) {
    errs.push(...validateLabelName(k, path));
    const v = labels[k];
    for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid(path.path, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined | null, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations) return errs;
  let totalSize = 0;
  for (const k in annotations) {
    // Keys are checked case-insensitively: upper case is allowed in annotation keys.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path.path, k, msg));
    totalSize += byteLength(k) + byteLength(annotations[k]);
  }
  if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(fieldErrors.tooLong(path.path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

export interface LabelSelectorValidationOptions {
  allowInvalidLabelValueInSelector?: boolean;
  allowUnknownOperatorInRequirement?: boolean;
}

/** metav1 LabelSelector as written in specs (Deployment.spec.selector …). */
export function validateLabelSelector(ps: LabelSelector | undefined | null, opts: LabelSelectorValidationOptions, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!ps) return errs;
  errs.push(...validateLabels(ps.matchLabels, path.child('matchLabels')));
  (ps.matchExpressions ?? []).forEach((expr, i) => {
    const p = path.child('matchExpressions').index(i);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldErrors.required(p.child('values').path, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldErrors.forbidden(p.child('values').path, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        if (!opts.allowUnknownOperatorInRequirement) errs.push(fieldErrors.invalid(p.child('operator').path, expr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key, p.child('key')));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, vi) => {
        for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid(p.child('values').index(vi).path, v, msg));
      });
    }
  });
  return errs;
}

// ---- ownerReferences, finalizers, managedFields ----

/** schema.FromAPIVersionAndKind's version: "" for "", "/" or more than one '/'. */
function versionOf(apiVersion: string): string {
  const first = apiVersion.indexOf('/');
  if (first < 0) return apiVersion;
  if (apiVersion.indexOf('/', first + 1) >= 0) return '';
  return apiVersion.slice(first + 1);
}

function groupOf(apiVersion: string): string {
  const first = apiVersion.indexOf('/');
  return first < 0 || apiVersion.indexOf('/', first + 1) >= 0 ? '' : apiVersion.slice(0, first);
}

/** An owner reference as upstream's messages print it (%#v of a metav1.OwnerReference). */
function goOwnerReference(ref: OwnerReference): string {
  return goStruct('v1.OwnerReference', [
    ['APIVersion', goQuote(ref.apiVersion ?? '')],
    ['Kind', goQuote(ref.kind ?? '')],
    ['Name', goQuote(ref.name ?? '')],
    ['UID', goQuote(ref.uid ?? '')],
    ['Controller', goPointer('bool', ref.controller != null)],
    ['BlockOwnerDeletion', goPointer('bool', ref.blockOwnerDeletion != null)],
  ]);
}

function validateOwnerReference(ref: OwnerReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = ref.apiVersion ?? '';
  const version = versionOf(apiVersion);
  const kind = ref.kind ?? '';
  if (!version) errs.push(fieldErrors.invalid(path.child('apiVersion').path, apiVersion, 'version must not be empty'));
  if (!kind) errs.push(fieldErrors.invalid(path.child('kind').path, kind, 'kind must not be empty'));
  if (!ref.name) errs.push(fieldErrors.invalid(path.child('name').path, ref.name ?? '', 'name must not be empty'));
  if (!ref.uid) errs.push(fieldErrors.invalid(path.child('uid').path, ref.uid ?? '', 'uid must not be empty'));
  // Events are banned owners: they expire, and would take their dependents with them.
  if (groupOf(apiVersion) === '' && version === 'v1' && kind === 'Event') {
    errs.push(fieldErrors.invalid(path.path, new GoValue(goOwnerReference(ref)), '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errs;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined | null, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!refs) return errs;
  let firstController = '';
  for (const ref of refs) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller === true) {
      const current = `${ref.kind ?? ''}/${ref.name ?? ''}`;
      if (firstController) {
        errs.push(
          fieldErrors.invalid(
            path.path,
            new GoValue(goSlice('v1.OwnerReference', refs.map(goOwnerReference))),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export function validateFinalizerName(name: string, path: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldErrors.invalid(path.path, name, msg));
}

export function validateFinalizers(finalizers: string[] | undefined | null, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!finalizers) return errs;
  for (const f of finalizers) errs.push(...validateFinalizerName(f, path));
  if (finalizers.includes(FINALIZER_ORPHAN_DEPENDENTS) && finalizers.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      fieldErrors.invalid(path.path, finalizers, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`),
    );
  }
  return errs;
}

export function validateNoNewFinalizers(newFinalizers: string[] | undefined, oldFinalizers: string[] | undefined, path: FieldPath): FieldError[] {
  const old = new Set(oldFinalizers ?? []);
  const extra = [...new Set((newFinalizers ?? []).filter((f) => !old.has(f)))].sort();
  if (extra.length === 0) return [];
  return [fieldErrors.forbidden(path.path, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`)];
}

export const FIELD_MANAGER_MAX_LENGTH = 128;
const MAX_SUBRESOURCE_NAME_LENGTH = 256;
/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function validateFieldManager(fieldManager: string | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!fieldManager) return errs;
  if (longerThan(fieldManager, FIELD_MANAGER_MAX_LENGTH)) errs.push(fieldErrors.tooLong(path.path, FIELD_MANAGER_MAX_LENGTH));
  let pos = 0;
  for (const ch of fieldManager) {
    if (!printable.test(ch)) {
      // Go's %#U prints the character only when it is printable, so here just the code point.
      const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(fieldErrors.invalid(path.path, fieldManager, `invalid character U+${hex} (at position ${pos})`));
    }
    pos += byteLength(ch);
  }
  return errs;
}

export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined | null, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = path.index(i);
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      errs.push(fieldErrors.invalid(p.child('operation').path, e.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(fieldErrors.invalid(p.child('fieldsType').path, e.fieldsType, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(e.manager, p.child('manager')));
    if (e.subresource && longerThan(e.subresource, MAX_SUBRESOURCE_NAME_LENGTH)) {
      errs.push(fieldErrors.tooLong(p.child('subresource').path, MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errs;
}

export function validateNonnegativeField(value: number, path: FieldPath): FieldError[] {
  return value < 0 ? [fieldErrors.invalid(path.path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

// ---- ObjectMeta ----

export interface ObjectMetaRules {
  namespaced: boolean;
  nameRule: NameRule | ValidateNameFunc;
}

/** ValidateObjectMetaAccessor: what every kind checks of metadata on create (and on update, with the update rules). */
export function validateObjectMeta(meta: ObjectMeta, rules: ObjectMetaRules, path: FieldPath = new FieldPath('metadata')): FieldError[] {
  const errs: FieldError[] = [];
  const nameFn = typeof rules.nameRule === 'function' ? rules.nameRule : nameRules[rules.nameRule];
  if (meta.generateName) {
    for (const msg of nameFn(meta.generateName, true)) errs.push(fieldErrors.invalid(path.child('generateName').path, meta.generateName, msg));
  }
  if (!meta.name) {
    errs.push(fieldErrors.required(path.child('name').path, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(meta.name, false)) errs.push(fieldErrors.invalid(path.child('name').path, meta.name, msg));
  }
  if (rules.namespaced) {
    if (!meta.namespace) errs.push(fieldErrors.required(path.child('namespace').path, ''));
    else for (const msg of validateNamespaceName(meta.namespace, false)) errs.push(fieldErrors.invalid(path.child('namespace').path, meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(fieldErrors.forbidden(path.child('namespace').path, 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(meta.generation ?? 0, path.child('generation')));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')));
  return errs;
}

/** ValidateImmutableField: `field is immutable` when the value changed. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: FieldPath): FieldError[] {
  return newVal === oldVal ? [] : [fieldErrors.invalid(path.path, newVal ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** Timestamps compare by the instant, not the spelling (metav1.Time is semantically equal across formats). */
function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return Date.parse(a) === Date.parse(b);
}

/** ValidateObjectMetaAccessorUpdate: what may not change between the stored and the new metadata. */
export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta, path: FieldPath = new FieldPath('metadata')): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) errs.push(...validateNoNewFinalizers(newMeta.finalizers, oldMeta.finalizers, path.child('finalizers')));
  if (!newMeta.resourceVersion) errs.push(fieldErrors.invalid(path.child('resourceVersion').path, newMeta.resourceVersion ?? '', 'must be specified for an update'));
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(fieldErrors.invalid(path.child('generation').path, newMeta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(newMeta.name ?? '', oldMeta.name ?? '', path.child('name')));
  errs.push(...validateImmutableField(newMeta.namespace ?? '', oldMeta.namespace ?? '', path.child('namespace')));
  errs.push(...validateImmutableField(newMeta.uid ?? '', oldMeta.uid ?? '', path.child('uid')));
  if (!sameInstant(newMeta.creationTimestamp, oldMeta.creationTimestamp)) {
    errs.push(...validateImmutableField(newMeta.creationTimestamp, oldMeta.creationTimestamp, path.child('creationTimestamp')));
  }
  if (!sameInstant(newMeta.deletionTimestamp, oldMeta.deletionTimestamp)) {
    errs.push(...validateImmutableField(newMeta.deletionTimestamp, oldMeta.deletionTimestamp, path.child('deletionTimestamp')));
  }
  errs.push(...validateImmutableField(newMeta.deletionGracePeriodSeconds, oldMeta.deletionGracePeriodSeconds, path.child('deletionGracePeriodSeconds')));
  errs.push(...validateLabels(newMeta.labels, path.child('labels')));
  errs.push(...validateAnnotations(newMeta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateManagedFields(newMeta.managedFields, path.child('managedFields')));
  return errs;
}
