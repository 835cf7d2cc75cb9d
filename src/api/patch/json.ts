// JSON value helpers shared by the three patch types. Patches never mutate their
// inputs (stored objects are frozen and shared by the watch cache): each patch copies
// the original once and edits the copy, copying every value it takes from the patch.
import { goNumber } from '../meta/go.js';

export type JSONObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(o: JSONObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** Sets a key, keeping `__proto__` an ordinary key as JSON.parse does. */
export function setKey(o: JSONObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

export function deepCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = deepCopy(v[i]);
    return out as T;
  }
  const out: JSONObject = {};
  for (const k of Object.keys(v)) setKey(out, k, deepCopy((v as JSONObject)[k]));
  return out as T;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) {
    if (!hasOwn(b as JSONObject, k) || !deepEqual((a as JSONObject)[k], (b as JSONObject)[k])) return false;
  }
  return true;
}

/** The Go type a JSON value decodes to (`map[string]interface {}`, `int64` …), as upstream's messages name it. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'object':
      return 'map[string]interface {}';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64';
    default:
      return typeof v;
  }
}

/** The JSON type name Go's decoder reports in "cannot unmarshal X into Go value of type T". */
export function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'object':
      return 'object';
    case 'boolean':
      return 'bool';
    default:
      return typeof v;
  }
}

/** Formats a decoded JSON value as Go's `%v` does; upstream's error messages embed it. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as JSONObject;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goFormat(o[k])}`)
      .join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** Go's `%s` of a decoded value: strings as they are, anything else flagged as Go does. */
export function goString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeName(v)}=${goFormat(v)})`;
}
