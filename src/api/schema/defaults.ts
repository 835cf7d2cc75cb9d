// Structural defaulting, as the apiserver applies CRD schema defaults: nulls in non-nullable
// fields without a default are dropped, then absent (or null) fields with a default get a copy
// of it, recursing into properties, list items and map values.
import { compileSchema, definition, type SchemaNode } from './resolve.js';
import type { Definitions } from './types.js';

/** Applies the schema defaults of the named definition to `obj` in place. */
export function applyDefaults(obj: unknown, root: string, defs: Definitions): void {
  defaultValue(obj, compileSchema(definition(root, defs)), defs);
}

function defaultValue(x: unknown, use: SchemaNode, defs: Definitions): void {
  if (typeof x !== 'object' || x === null) return;
  const s = use.resolve(defs);
  if (Array.isArray(x)) {
    const items = s.items;
    if (!items) return;
    const hasDefault = items.defaultValue(defs) !== undefined;
    for (let i = 0; i < x.length; i++) {
      if (hasDefault && x[i] === null && !items.isNullable(defs)) x[i] = items.defaultCopy(defs);
      defaultValue(x[i], items, defs);
    }
    return;
  }
  const obj = x as Record<string, unknown>;
  // Absent fields first, in schema order; nulls are replaced (or dropped) where they stand.
  for (const [name, prop] of s.defaultable) {
    if (obj[name] === undefined && prop.defaultValue(defs) !== undefined) obj[name] = prop.defaultCopy(defs);
  }
  const props = s.properties;
  const values = s.additionalProperties;
  for (const key in obj) {
    const prop = props?.get(key) ?? values;
    if (!prop) continue;
    if (obj[key] === null && !prop.isNullable(defs)) {
      if (prop.defaultValue(defs) === undefined) {
        delete obj[key];
        continue;
      }
      obj[key] = prop.defaultCopy(defs);
    }
    defaultValue(obj[key], prop, defs);
  }
}
