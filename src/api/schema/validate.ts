// Schema validation with kube-apiserver's messages: CRD-style structural validation
// (kube-openapi's "in body" messages, list-type uniqueness) and, for built-in kinds, the
// JSON decode errors a Go struct decoder reports when a value has the wrong type.
import { isIP } from 'node:net';
import { goFloat, goInterface } from '../meta/go.js';
import { badRequest, fieldErrors, GoValue, type FieldError } from '../meta/status.js';
import { childPath, compileRef, compileSchema, definition, isIntOrString, isNullable, isPlainObject, isQuantity, resolve, type SchemaNode } from './resolve.js';
import type { Definitions, Schema } from './types.js';

/** Validates `obj` against the named definition; field paths and messages as a 1.32 apiserver reports them for CRDs. */
export function validateAgainstSchema(obj: unknown, root: string, defs: Definitions): FieldError[] {
  const errs: FieldError[] = [];
  validateValue(obj, definition(root, defs), '', defs, errs);
  return errs;
}

function validateValue(v: unknown, use: Schema, path: string, defs: Definitions, errs: FieldError[]): void {
  const s = resolve(use, defs);
  const expected = expectedType(s);
  if (v === null || v === undefined) {
    if (expected && !isNullable(use, defs)) errs.push(typeError(path, expected, 'null'));
    return;
  }
  const actual = jsonType(v);
  if (expected && !typeMatches(s, actual)) {
    errs.push(typeError(path, expected, actual));
    return;
  }
  if (s.enum && !s.enum.includes(v as string)) errs.push(fieldErrors.notSupported(path, unstructured(v), s.enum));
  if (typeof v === 'string') validateString(v, s, path, errs);
  else if (typeof v === 'number') validateNumber(v, s, path, errs);
  else if (Array.isArray(v)) validateArray(v, s, path, defs, errs);
  else if (isPlainObject(v)) validateObject(v, s, path, defs, errs);
}

/** Custom resources are held as decoded JSON: their lists and maps print as Go's []interface {} and map[string]interface {}. */
function unstructured(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? new GoValue(goInterface(v)) : v;
}

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

function jsonType(v: unknown): JsonType {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    default:
      return Array.isArray(v) ? 'array' : 'object';
  }
}

/** The type name as kube-openapi prints it; undefined when any type is accepted. */
function expectedType(s: Schema): string | undefined {
  if (isIntOrString(s)) return 'integer,string';
  if (isQuantity(s)) return 'string,number';
  return s.type;
}

function typeMatches(s: Schema, actual: JsonType): boolean {
  if (isIntOrString(s)) return actual === 'integer' || actual === 'string';
  if (isQuantity(s)) return actual === 'string' || actual === 'integer' || actual === 'number';
  if (s.type === 'number') return actual === 'number' || actual === 'integer';
  return s.type === actual;
}

function typeError(path: string, expected: string, actual: string): FieldError {
  return fieldErrors.typeInvalid(path, actual, `${path} in body must be of type ${expected}: ${JSON.stringify(actual)}`);
}

function validateString(v: string, s: Schema, path: string, errs: FieldError[]): void {
  // Lengths count characters (runes), not UTF-16 units; the unit count is an upper bound.
  if (s.maxLength !== undefined && v.length > s.maxLength && runeCount(v) > s.maxLength) errs.push(fieldErrors.tooLong(path, s.maxLength));
  if (s.minLength !== undefined && v.length < 2 * s.minLength && runeCount(v) < s.minLength) {
    errs.push(fieldErrors.invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`));
  }
  if (s.pattern !== undefined && !compiledPattern(s.pattern).test(v)) {
    errs.push(fieldErrors.invalid(path, v, `${path} in body should match '${s.pattern}'`));
  }
  const check = s.format === undefined ? undefined : formatChecks[s.format];
  if (check && !check(v)) errs.push(fieldErrors.typeInvalid(path, v, `${path} in body must be of type ${s.format}: ${JSON.stringify(v)}`));
}

function runeCount(v: string): number {
  let n = 0;
  for (const _ of v) n++;
  return n;
}

const patterns = new Map<string, RegExp>();
function compiledPattern(p: string): RegExp {
  let re = patterns.get(p);
  if (!re) patterns.set(p, (re = new RegExp(p, 'u')));
  return re;
}

const dateRe = /^\d{4}-\d{2}-\d{2}$/;
const dateTimeRe = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const uuidRe = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const macRe = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
const hostnameRe = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$/;
const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The string formats CRD schemas may declare that carry a check; others are annotations. */
const formatChecks: Record<string, (v: string) => boolean> = {
  date: (v) => dateRe.test(v) && !Number.isNaN(Date.parse(v)),
  'date-time': (v) => dateTimeRe.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
  datetime: (v) => dateTimeRe.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
  uuid: (v) => uuidRe.test(v),
  byte: (v) => base64Re.test(v),
  ipv4: (v) => isIP(v) === 4,
  ipv6: (v) => isIP(v) === 6,
  cidr: (v) => {
    const slash = v.indexOf('/');
    if (slash < 0) return false;
    const family = isIP(v.slice(0, slash));
    const bits = v.slice(slash + 1);
    return family !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  },
  mac: (v) => macRe.test(v),
  hostname: (v) => v.length <= 255 && hostnameRe.test(v),
};

function validateNumber(v: number, s: Schema, path: string, errs: FieldError[]): void {
  if (s.maximum !== undefined && v > s.maximum) {
    errs.push(fieldErrors.invalid(path, v, `${path} in body should be less than or equal to ${boundary(v, s.maximum)}`));
  }
  if (s.minimum !== undefined && v < s.minimum) {
    errs.push(fieldErrors.invalid(path, v, `${path} in body should be greater than or equal to ${boundary(v, s.minimum)}`));
  }
}

/** Integer values are compared with an integer boundary (printed %d), others as float64 (printed %v). */
function boundary(value: number, bound: number): string {
  return Number.isInteger(value) ? String(Math.trunc(bound)) : goFloat(bound);
}

function validateArray(v: unknown[], s: Schema, path: string, defs: Definitions, errs: FieldError[]): void {
  if (s.items) for (let i = 0; i < v.length; i++) validateValue(v[i], s.items, `${path}[${i}]`, defs, errs);
  if (s.minItems !== undefined && v.length < s.minItems) {
    errs.push(fieldErrors.invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`));
  }
  if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(fieldErrors.tooMany(path, v.length, s.maxItems));
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') validateListSet(v, path, errs);
  else if (listType === 'map') validateListMap(v, s['x-kubernetes-list-map-keys'] ?? [], path, errs);
}

/** Reports the second occurrence of each repeated item, as upstream's list-type validation does. */
function validateListSet(v: unknown[], path: string, errs: FieldError[]): void {
  if (v.length <= 1) return;
  const seen = new Map<unknown, number>();
  for (let i = 0; i < v.length; i++) {
    if (countSeen(seen, identityKey(v[i])) === 1) errs.push(fieldErrors.duplicate(`${path}[${i}]`, unstructured(v[i])));
  }
}

function validateListMap(v: unknown[], keys: string[], path: string, errs: FieldError[]): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== null && !isPlainObject(x)) {
      errs.push(fieldErrors.invalid(`${path}[${i}]`, unstructured(x), 'must be an object for an array of list-type map'));
      return;
    }
  }
  if (v.length <= 1) return;
  const seen = new Map<unknown, number>();
  for (let i = 0; i < v.length; i++) {
    const item = (v[i] ?? {}) as Record<string, unknown>;
    const identity: Record<string, unknown> = {};
    for (const k of keys) if (item[k] !== undefined) identity[k] = item[k];
    const key = keys.length === 1 ? identityKey(item[keys[0]]) : identityKey(identity);
    if (countSeen(seen, key) === 1) errs.push(fieldErrors.duplicate(`${path}[${i}]`, unstructured(identity)));
  }
}

/** Scalars stand for themselves; objects and arrays by their canonical JSON, marked so they cannot equal a string. */
function identityKey(x: unknown): unknown {
  return typeof x === 'object' && x !== null ? `\0${canonicalJson(x)}` : x;
}

/** How often the key was seen before this occurrence. */
function countSeen(seen: Map<unknown, number>, key: unknown): number {
  const times = seen.get(key) ?? 0;
  seen.set(key, times + 1);
  return times;
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function validateObject(v: Record<string, unknown>, s: Schema, path: string, defs: Definitions, errs: FieldError[]): void {
  const props = s.properties;
  if (props) {
    for (const name in props) {
      if (!Object.hasOwn(v, name)) continue;
      // A Go struct writes null for some unset fields (`lastProbeTime: null`): null is their zero value.
      if (v[name] === null && compileSchema(s).nullWhenUnset?.has(name)) continue;
      validateValue(v[name], props[name], childPath(path, name), defs, errs);
    }
  }
  if (s.additionalProperties) {
    for (const key in v) {
      if (!props || !Object.hasOwn(props, key)) validateValue(v[key], s.additionalProperties, childPath(path, key), defs, errs);
    }
  }
  if (s.required) {
    for (const name of s.required) if (!Object.hasOwn(v, name)) errs.push(fieldErrors.required(childPath(path, name)));
  }
}

// ---- decoding of built-in kinds ----

/**
 * Checks that every value of a built-in kind's object has the JSON type its Go field needs;
 * throws 400 BadRequest with the message a 1.32 apiserver gives for the first mismatch, e.g.
 * `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string
 * into Go struct field DeploymentSpec.spec.replicas of type int32`.
 */
export function decodeTyped(obj: unknown, root: string, defs: Definitions, kind: string, version: string): void {
  const ctx: DecodeContext = { struct: '', fields: [], saved: undefined };
  const fatal = decodeValue(obj, compileRef(root), defs, ctx);
  const err = fatal ?? ctx.saved;
  if (err === undefined) return;
  const bodyKind = isPlainObject(obj) && typeof obj.kind === 'string' && obj.kind ? obj.kind : kind;
  throw badRequest(decodeErrorMessage(bodyKind, version, kind, err));
}

/** `<kind> in version "<version>" cannot be handled as a <target kind>: <detail>`, the shape of every decode failure. */
export function decodeErrorMessage(kind: string, version: string, targetKind: string, detail: string): string {
  return `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${targetKind}: ${detail}`;
}

/** Go's json decoder state that shapes its messages: the struct being filled and the JSON field path. */
interface DecodeContext {
  struct: string;
  fields: string[];
  /** The first type mismatch; decoding goes on after it, as Go's decoder does. */
  saved: string | undefined;
}

const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";
const quantityShape = /^[+-]?[0-9]*(?:\.[0-9]*)?([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const quantitySuffixes = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/** resource.ParseQuantity's verdict on a string; undefined when it parses. */
function quantityError(str: string): string | undefined {
  const m = str ? quantityShape.exec(str) : null;
  if (!m) return QUANTITY_FORMAT_ERROR;
  const suffix = m[1];
  return quantitySuffixes.has(suffix) || /^[eE][-+]?[0-9]+$/.test(suffix) ? undefined : QUANTITY_SUFFIX_ERROR;
}

/**
 * Walks `v` as Go's decoder fills the Go value `use` stands for. Returns an error that stops
 * decoding (custom unmarshalers: Quantity, IntOrString, Time); plain type mismatches are saved
 * in ctx and decoding goes on.
 */
function decodeValue(v: unknown, use: SchemaNode, defs: Definitions, ctx: DecodeContext): string | undefined {
  if (v === null || v === undefined) return undefined;
  let s = use;
  // The last definition on the way: the Go type being filled.
  let named: SchemaNode | undefined;
  while (s.ref !== undefined) {
    named = s;
    s = s.referenced(defs);
  }
  if (s.quantity) {
    if (typeof v === 'string') return quantityError(v.trim());
    return typeof v === 'number' ? quantityError(String(v)) : QUANTITY_FORMAT_ERROR;
  }
  if (s.intOrString) return typeof v === 'string' ? undefined : intMismatch(v, 'int32', ctx);
  if (s.preserveUnknownFields && !s.properties) return undefined;
  switch (s.type) {
    case 'string':
      if (typeof v === 'string') return undefined;
      // Named string definitions (Time, MicroTime) unmarshal themselves: their error ends decoding.
      if (named) return mismatch(goJsonKind(v), 'string', ctx);
      return save(mismatch(goJsonKind(v), s.format === 'byte' ? '[]uint8' : 'string', ctx), ctx);
    case 'boolean':
      return typeof v === 'boolean' ? undefined : save(mismatch(goJsonKind(v), 'bool', ctx), ctx);
    case 'integer':
      return save(intMismatch(v, s.format === 'int32' ? 'int32' : 'int64', ctx), ctx);
    case 'number':
      return typeof v === 'number' ? undefined : save(mismatch(goJsonKind(v), s.format === 'float' ? 'float32' : 'float64', ctx), ctx);
    case 'array':
      if (!Array.isArray(v)) return save(mismatch(goJsonKind(v), goType(use.schema, defs), ctx), ctx);
      if (s.items) {
        for (const item of v) {
          const fatal = decodeValue(item, s.items, defs, ctx);
          if (fatal) return fatal;
        }
      }
      return undefined;
    case 'object':
      if (!isPlainObject(v)) return save(mismatch(goJsonKind(v), goType(use.schema, defs), ctx), ctx);
      return s.properties ? decodeStruct(v, s.properties, named, defs, ctx) : decodeMap(v, s.additionalProperties, defs, ctx);
    default:
      return undefined;
  }
}

function decodeStruct(v: Record<string, unknown>, props: Map<string, SchemaNode>, named: SchemaNode | undefined, defs: Definitions, ctx: DecodeContext): string | undefined {
  const outer = ctx.struct;
  const struct = named ? named.refShortName : outer;
  for (const key in v) {
    const prop = props.get(key);
    if (!prop) continue;
    ctx.fields.push(key);
    ctx.struct = struct;
    const fatal = decodeValue(v[key], prop, defs, ctx);
    if (fatal) return fatal;
    ctx.fields.pop();
  }
  ctx.struct = outer;
  return undefined;
}

/** Map values keep the enclosing struct and field path in Go's messages. */
function decodeMap(v: Record<string, unknown>, values: SchemaNode | undefined, defs: Definitions, ctx: DecodeContext): string | undefined {
  if (!values) return undefined;
  for (const key in v) {
    const fatal = decodeValue(v[key], values, defs, ctx);
    if (fatal) return fatal;
  }
  return undefined;
}

/** Go's names for JSON values in "cannot unmarshal <value>" messages. */
function goJsonKind(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return Array.isArray(v) ? 'array' : 'object';
  }
}

const INT_RANGE: Record<'int32' | 'int64', [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** A number that is no integer or overflows is reported with its text: `number 1.5`. */
function intMismatch(v: unknown, goTypeName: 'int32' | 'int64', ctx: DecodeContext): string | undefined {
  if (typeof v !== 'number') return mismatch(goJsonKind(v), goTypeName, ctx);
  const [min, max] = INT_RANGE[goTypeName];
  return Number.isInteger(v) && v >= min && v <= max ? undefined : mismatch(`number ${v}`, goTypeName, ctx);
}

/** json.UnmarshalTypeError's text, with the struct and field path Go's decoder adds. */
function mismatch(value: string, goTypeName: string, ctx: DecodeContext): string {
  return ctx.fields.length
    ? `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${goTypeName}`
    : `json: cannot unmarshal ${value} into Go value of type ${goTypeName}`;
}

/** Keeps the first mismatch and lets decoding go on. */
function save(err: string | undefined, ctx: DecodeContext): undefined {
  if (err !== undefined && ctx.saved === undefined) ctx.saved = err;
  return undefined;
}

/** The Go type a schema stands for, as reflect prints it: `int32`, `[]v1.Container`, `map[string]string`, `v1.PodSpec`. */
function goType(use: Schema, defs: Definitions): string {
  if (use.ref !== undefined) {
    const s = definition(use.ref, defs);
    if (s.ref !== undefined) return goType(s, defs);
    const parts = use.ref.split('.');
    if (s.type === 'object' || isQuantity(s) || isIntOrString(s) || s.type === undefined) return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
    return goType(s, defs);
  }
  switch (use.type) {
    case 'string':
      if (isQuantity(use)) return 'resource.Quantity';
      if (isIntOrString(use)) return 'intstr.IntOrString';
      return use.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return use.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return use.format === 'float' ? 'float32' : 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${use.items ? goType(use.items, defs) : 'interface {}'}`;
    case 'object':
      if (use.additionalProperties && !use.properties) return `map[string]${goType(use.additionalProperties, defs)}`;
      return use['x-kubernetes-preserve-unknown-fields'] && !use.properties ? 'map[string]interface {}' : 'struct';
    default:
      return 'interface {}';
  }
}
