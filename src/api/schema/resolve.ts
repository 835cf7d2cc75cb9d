// Shared lookups for the schema walkers (validation, defaulting, pruning, decoding, OpenAPI).
import type { Definitions, Schema } from './types.js';

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META_V1}.ObjectMeta`;
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** A named definition; a missing name is a programming error in a resource file. */
export function definition(name: string, defs: Definitions): Schema {
  const s = defs.get(name);
  if (!s) throw new Error(`schema ${name} is not defined`);
  return s;
}

/** Follows `ref`s to the schema that describes the value; use-site annotations are dropped. */
export function resolve(s: Schema, defs: Definitions): Schema {
  while (s.ref !== undefined) s = definition(s.ref, defs);
  return s;
}

/** The default for a value described by `s`: the use site's, else the definition's. */
export function defaultOf(s: Schema, defs: Definitions): unknown {
  if (s.default !== undefined || s.ref === undefined) return s.default;
  return defaultOf(definition(s.ref, defs), defs);
}

/** Whether null is allowed: at the use site or on the definition. */
export function isNullable(s: Schema, defs: Definitions): boolean {
  if (s.nullable) return true;
  return s.ref !== undefined && isNullable(definition(s.ref, defs), defs);
}

/** IntOrString as built-ins present it (format) or as CRDs do (the extension). */
export function isIntOrString(s: Schema): boolean {
  return s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string';
}

/** Quantities travel as strings but numbers are accepted too. */
export function isQuantity(s: Schema): boolean {
  return s.format === 'quantity';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b` path joins as upstream's error paths print them. */
export function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}
