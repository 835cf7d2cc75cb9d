// Structural defaulting, as the apiserver applies CRD schema defaults: nulls in non-nullable
// fields without a default are dropped, then absent (or null) fields with a default get a copy
// of it, recursing into properties, list items and map values.
import { defaultOf, definition, isNullable, isPlainObject, resolve } from './resolve.js';
import type { Definitions, Schema } from './types.js';

/** Applies the schema defaults of the named definition to `obj` in place. */
export function applyDefaults(obj: unknown, root: string, defs: Definitions): void {
  defaultValue(obj, definition(root, defs), defs);
}

/** A null where the schema allows none: a default replaces it, else it is dropped. */
function fillsNull(x: unknown, s: Schema, defs: Definitions): boolean {
  return x === null && !isNullable(s, defs);
}

function defaultValue(x: unknown, use: Schema, defs: Definitions): void {
  if (Array.isArray(x)) {
    const s = resolve(use, defs);
    if (!s.items) return;
    const itemDefault = defaultOf(s.items, defs);
    for (let i = 0; i < x.length; i++) {
      if (itemDefault !== undefined && fillsNull(x[i], s.items, defs)) x[i] = structuredClone(itemDefault);
      defaultValue(x[i], s.items, defs);
    }
    return;
  }
  if (!isPlainObject(x)) return;
  const s = resolve(use, defs);
  const props = s.properties;
  if (props) {
    for (const name in props) {
      const prop = props[name];
      const value = x[name];
      if (value === undefined || fillsNull(value, prop, defs)) {
        const d = defaultOf(prop, defs);
        if (d !== undefined) x[name] = structuredClone(d);
        else if (value === null) delete x[name];
      }
    }
  }
  for (const key in x) {
    const prop = props && Object.hasOwn(props, key) ? props[key] : undefined;
    if (prop) {
      defaultValue(x[key], prop, defs);
    } else if (s.additionalProperties) {
      const ap = s.additionalProperties;
      if (fillsNull(x[key], ap, defs)) {
        const d = defaultOf(ap, defs);
        if (d === undefined) {
          delete x[key];
          continue;
        }
        x[key] = structuredClone(d);
      }
      defaultValue(x[key], ap, defs);
    }
  }
}
