// Structural defaulting, as the apiserver applies CRD schema defaults: nulls in non-nullable
// fields without a default are dropped, then absent (or null) fields with a default get a copy
// of it, recursing into properties, list items and map values.
//
// Built-in kinds' objects (Go structs: schemas with protobuf field numbers) come out as
// upstream's decode into Go types and encode back writes them: the zero value of an `omitempty`
// field is dropped (`value: ""`, `hostNetwork: false`, `labels: {}`), where the field has a default
// it takes it, as Go's defaulting fills a zero; fields Go always writes with null when unset
// (`lastProbeTime: null`) get their null.
import { compileSchema, definition, isZeroValue, type SchemaNode } from './resolve.js';
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
  // Absent fields first, in schema order; nulls and omitted zeros are replaced (or dropped) where they stand.
  for (const [name, prop] of s.defaultable) {
    if (obj[name] === undefined && prop.defaultValue(defs) !== undefined) obj[name] = prop.defaultCopy(defs);
  }
  const nullWhenUnset = s.nullWhenUnset;
  if (nullWhenUnset) for (const name of nullWhenUnset) if (obj[name] === undefined) obj[name] = null;
  const omitsZero = s.omitsZero;
  const props = s.properties;
  const values = s.additionalProperties;
  for (const key in obj) {
    const prop = props?.get(key) ?? values;
    if (!prop) continue;
    const v = obj[key];
    if (v === null) {
      if (nullWhenUnset?.has(key)) continue;
      if (!prop.isNullable(defs)) {
        if (prop.defaultValue(defs) === undefined) {
          delete obj[key];
          continue;
        }
        obj[key] = prop.defaultCopy(defs);
      }
    } else if (omitsZero?.has(key) && isZeroValue(v)) {
      if (prop.default === undefined || isZeroValue(prop.default)) {
        delete obj[key];
        continue;
      }
      obj[key] = prop.defaultCopy(defs);
    }
    defaultValue(obj[key], prop, defs);
  }
}
