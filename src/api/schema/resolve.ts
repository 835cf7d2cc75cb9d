// Shared lookups for the schema walkers (validation, defaulting, pruning, decoding, OpenAPI).
import type { Definitions, ProtoInline, Schema } from './types.js';
import { deepCopy } from '../patch/json.js';

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META_V1}.ObjectMeta`;
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const TIME = `${META_V1}.Time`;
export const MICRO_TIME = `${META_V1}.MicroTime`;

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

/**
 * A schema prepared once for the per-request walkers (pruning, decoding, defaulting): one
 * object shape for every schema, so the walkers' property reads stay monomorphic, and the
 * children compiled ahead. References are followed at walk time and re-checked against the
 * definitions, which change when custom resources come and go.
 */
export class SchemaNode {
  readonly ref: string | undefined;
  /** The Go struct name of a referenced definition (`PodSpec`), as decode errors print it. */
  readonly refShortName: string;
  readonly type: string | undefined;
  readonly format: string | undefined;
  readonly properties: Map<string, SchemaNode> | undefined;
  /** Properties that may have a default (their own, or their definition's): the only ones defaulting visits when absent. */
  readonly defaultable: readonly (readonly [string, SchemaNode])[];
  readonly items: SchemaNode | undefined;
  readonly additionalProperties: SchemaNode | undefined;
  readonly default: unknown;
  /** Whether the default is an object or array, which every use gets its own copy of. */
  readonly defaultIsComposite: boolean;
  readonly nullable: boolean;
  readonly quantity: boolean;
  readonly intOrString: boolean;
  readonly preserveUnknownFields: boolean;
  readonly embeddedResource: boolean;
  /**
   * Of a Go struct (a schema with protobuf field numbers): the properties whose zero value
   * (`""`, 0, false, an empty list or map) Go's encoding/json leaves out, as `omitempty` does for
   * a field that is no pointer. Undefined for other schemas: custom resources keep what they are sent.
   */
  readonly omitsZero: ReadonlySet<string> | undefined;
  /** Of a Go struct: the properties Go always writes, null when unset (non-pointer metav1.Time, nullable slices). */
  readonly nullWhenUnset: ReadonlySet<string> | undefined;
  private target: Schema | undefined;
  private targetNode: SchemaNode | undefined;

  constructor(readonly schema: Schema) {
    // Registered before the children are compiled, so that a schema containing itself ends.
    compiled.set(schema, this);
    this.ref = schema.ref;
    this.refShortName = schema.ref === undefined ? '' : schema.ref.slice(schema.ref.lastIndexOf('.') + 1);
    this.type = schema.type;
    this.format = schema.format;
    this.items = schema.items && compileSchema(schema.items);
    this.additionalProperties = schema.additionalProperties && compileSchema(schema.additionalProperties);
    this.default = schema.default;
    this.defaultIsComposite = typeof schema.default === 'object' && schema.default !== null;
    this.nullable = schema.nullable === true;
    this.quantity = isQuantity(schema);
    this.intOrString = isIntOrString(schema);
    this.preserveUnknownFields = schema['x-kubernetes-preserve-unknown-fields'] === true;
    this.embeddedResource = schema['x-kubernetes-embedded-resource'] === true;
    const defaultable: [string, SchemaNode][] = [];
    const goStruct = schema.proto !== undefined;
    const omitsZero = goStruct ? new Set<string>() : undefined;
    const nullWhenUnset = goStruct ? new Set<string>() : undefined;
    if (schema.properties) {
      this.properties = new Map();
      const pointers = goStruct ? goPointers(schema) : undefined;
      for (const name in schema.properties) {
        const prop = schema.properties[name];
        const node = compileSchema(prop);
        this.properties.set(name, node);
        if (pointers && !pointers.has(name)) {
          if (prop.nullable || prop.ref === TIME || prop.ref === MICRO_TIME) nullWhenUnset!.add(name);
          else if (omitsZeroValue(prop, schema.required?.includes(name) ?? false)) omitsZero!.add(name);
        }
        // A zero default of an omitempty field would only be dropped again.
        if ((node.default !== undefined && !(omitsZero?.has(name) && isZeroValue(node.default))) || node.ref !== undefined) defaultable.push([name, node]);
      }
    }
    this.defaultable = defaultable;
    this.omitsZero = omitsZero;
    this.nullWhenUnset = nullWhenUnset;
  }

  /** The node a `ref` names in `defs`. */
  referenced(defs: Definitions): SchemaNode {
    const s = definition(this.ref!, defs);
    if (s !== this.target) {
      this.target = s;
      this.targetNode = compileSchema(s);
    }
    return this.targetNode!;
  }

  /** Follows `ref`s to the node that describes the value. */
  resolve(defs: Definitions): SchemaNode {
    let n: SchemaNode = this;
    while (n.ref !== undefined) n = n.referenced(defs);
    return n;
  }

  /** The use site's default, else the definition's. */
  defaultValue(defs: Definitions): unknown {
    if (this.default !== undefined || this.ref === undefined) return this.default;
    return this.referenced(defs).defaultValue(defs);
  }

  /** A fresh copy of the default (composite defaults must not be shared between objects). */
  defaultCopy(defs: Definitions): unknown {
    if (this.default !== undefined || this.ref === undefined) return this.defaultIsComposite ? deepCopy(this.default) : this.default;
    return this.referenced(defs).defaultCopy(defs);
  }

  isNullable(defs: Definitions): boolean {
    return this.nullable || (this.ref !== undefined && this.referenced(defs).isNullable(defs));
  }
}

/** The pointer properties of a Go struct, with those of the structs it embeds inline. */
function goPointers(s: { protoPointers?: string[]; protoInline?: ProtoInline[] }, into = new Set<string>()): Set<string> {
  for (const name of s.protoPointers ?? []) into.add(name);
  for (const inline of s.protoInline ?? []) goPointers(inline, into);
  return into;
}

/**
 * Whether a Go struct's non-pointer field drops its zero value: a scalar, list or map tagged
 * `omitempty`. Upstream publishes the zero as the default of a scalar without `omitempty`, and
 * required fields have none; quantities, int-or-strings and other named types are Go structs,
 * which `omitempty` never drops.
 */
function omitsZeroValue(prop: Schema, required: boolean): boolean {
  if (required || prop.ref !== undefined || isIntOrString(prop) || isQuantity(prop)) return false;
  switch (prop.type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return prop.default === undefined || !isZeroValue(prop.default);
    case 'array':
      return true;
    case 'object':
      return prop.additionalProperties !== undefined && prop.properties === undefined;
    default:
      return false;
  }
}

/** Go's empty values as JSON: `""`, 0, false, an empty list or map. */
export function isZeroValue(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return v.length === 0;
  for (const _ in v) return false;
  return true;
}

const compiled = new WeakMap<Schema, SchemaNode>();

/** The walkers' form of `s`, made once per schema object. */
export function compileSchema(s: Schema): SchemaNode {
  return compiled.get(s) ?? new SchemaNode(s);
}

const references = new Map<string, SchemaNode>();

/** The node of a use of the named definition (`{ ref: name }`), made once per name. */
export function compileRef(name: string): SchemaNode {
  let node = references.get(name);
  if (!node) references.set(name, (node = compileSchema({ ref: name })));
  return node;
}
