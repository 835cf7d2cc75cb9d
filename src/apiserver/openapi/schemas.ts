// Definitions as OpenAPI documents carry them: the schema language rendered for swagger 2.0
// (`$ref` with sibling annotations) or OpenAPI 3.0 (`allOf: [{$ref}]` when annotated),
// the definitions reachable from a set of roots, and x-kubernetes-group-version-kind.
import type { ResourceRegistry } from '../../api/registry.js';
import { groupVersionString } from '../../api/registry.js';
import { isIntOrString, isQuantity, META_V1 } from '../../api/schema/resolve.js';
import { object, list, listMeta, ref, str } from '../../api/schema/build.js';
import type { Definitions, Schema } from '../../api/schema/types.js';
import { listKind, listSchemaName, SCALE, SCALE_GVK, type GroupVersionKind } from './operations.js';

export type Flavor = 'v2' | 'v3';

type Json = Record<string, unknown>;

const refPrefix: Record<Flavor, string> = { v2: '#/definitions/', v3: '#/components/schemas/' };

/** Renders one schema; `ref`s point into the document's definitions. */
export function renderSchema(s: Schema, flavor: Flavor): Json {
  if (s.ref !== undefined) {
    const target = { $ref: refPrefix[flavor] + s.ref };
    const annotations = renderKeys(s, flavor);
    if (Object.keys(annotations).length === 0) return target;
    return flavor === 'v3' ? { allOf: [target], ...annotations } : { $ref: target.$ref, ...annotations };
  }
  return renderKeys(s, flavor);
}

function renderKeys(s: Schema, flavor: Flavor): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(s)) {
    if (value === undefined) continue;
    switch (key) {
      case 'ref':
      case 'proto':
      case 'protoPointers':
      case 'protoInline':
        break;
      case 'properties': {
        const props: Json = {};
        for (const [name, p] of Object.entries(value as Record<string, Schema>)) props[name] = renderSchema(p, flavor);
        out.properties = props;
        break;
      }
      case 'items':
      case 'additionalProperties':
        out[key] = renderSchema(value as Schema, flavor);
        break;
      case 'required':
        if ((value as string[]).length) out.required = value;
        break;
      case 'nullable':
        // Swagger 2.0 has no nullable.
        if (flavor === 'v3') out.nullable = value;
        break;
      default:
        out[key] = value;
    }
  }
  if (flavor === 'v3') renderV3Alternatives(s, out);
  return out;
}

/** OpenAPI 3 states what a value may be with oneOf/anyOf where swagger 2.0 needs a single type. */
function renderV3Alternatives(s: Schema, out: Json): void {
  if (isQuantity(s)) {
    delete out.type;
    delete out.format;
    out.oneOf = [{ type: 'string' }, { type: 'number' }];
  } else if (isIntOrString(s)) {
    // Built-in IntOrString keeps its format (oneOf); CRD fields declare it with the extension (anyOf).
    const alternatives = [{ type: 'integer' }, { type: 'string' }];
    if (s.format === 'int-or-string') out.oneOf = alternatives;
    else out.anyOf = alternatives;
    delete out.type;
  }
}

/** Every definition name `roots` refer to, directly or through other definitions, sorted. */
export function reachableDefinitions(roots: Iterable<string>, defs: Definitions): string[] {
  const seen = new Set<string>();
  const visit = (s: Schema): void => {
    if (s.ref !== undefined) visitName(s.ref);
    if (s.properties) for (const p of Object.values(s.properties)) visit(p);
    if (s.items) visit(s.items);
    if (s.additionalProperties) visit(s.additionalProperties);
  };
  const visitName = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const s = defs.get(name);
    if (s) visit(s);
  };
  for (const r of roots) visitName(r);
  return [...seen].filter((n) => defs.has(n)).sort();
}

/**
 * The registry's definitions plus a list definition for every served kind that has none,
 * shaped as upstream's `<Kind>List` types are.
 */
export function documentDefinitions(registry: ResourceRegistry): Definitions {
  const defs: Definitions = new Map(registry.definitions);
  for (const s of registry.servedResources()) {
    const name = listSchemaName(s);
    if (defs.has(name)) continue;
    defs.set(
      name,
      object(
        {
          apiVersion: str({ description: 'The versioned schema of this representation of an object.' }),
          items: list(ref(s.schemaName), { description: `List of ${s.def.plural}.` }),
          kind: str({ description: 'The REST resource this object represents, in CamelCase.' }),
          metadata: listMeta({ default: {}, description: 'Standard list metadata.' }),
        },
        { description: `A list of ${s.kind} objects.`, required: ['items'] },
      ),
    );
  }
  return defs;
}

const byGvk = (a: GroupVersionKind, b: GroupVersionKind): number =>
  a.group !== b.group ? (a.group < b.group ? -1 : 1) : a.version !== b.version ? (a.version < b.version ? -1 : 1) : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;

/** Which group-version-kinds each definition serializes, as x-kubernetes-group-version-kind lists them. */
export function groupVersionKinds(registry: ResourceRegistry): Map<string, GroupVersionKind[]> {
  const out = new Map<string, GroupVersionKind[]>();
  const add = (name: string, gvk: GroupVersionKind) => {
    const list = out.get(name) ?? [];
    if (!list.some((g) => byGvk(g, gvk) === 0)) list.push(gvk);
    out.set(name, list);
  };
  const groupVersions = new Map<string, { group: string; version: string }>([['v1', { group: '', version: 'v1' }]]);
  for (const s of registry.servedResources()) {
    const { group } = s;
    add(s.schemaName, { group, version: s.version, kind: s.kind });
    add(listSchemaName(s), { group, version: s.version, kind: listKind(s) });
    groupVersions.set(groupVersionString({ group, version: s.version }), { group, version: s.version });
    if (s.def.subresources?.scale) add(SCALE, SCALE_GVK);
  }
  // Options and watch events are registered in every group-version; discovery types only in v1.
  for (const gv of groupVersions.values()) {
    add(`${META_V1}.DeleteOptions`, { ...gv, kind: 'DeleteOptions' });
    add(`${META_V1}.WatchEvent`, { ...gv, kind: 'WatchEvent' });
  }
  for (const kind of ['Status', 'APIResourceList', 'APIGroup', 'APIGroupList', 'APIVersions']) add(`${META_V1}.${kind}`, { group: '', version: 'v1', kind });
  for (const [name, schema] of registry.definitions) for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) add(name, gvk);
  for (const list of out.values()) list.sort(byGvk);
  return out;
}

/** The definitions section of a document: every reachable definition, with its group-version-kinds. */
export function renderDefinitions(roots: Iterable<string>, defs: Definitions, gvks: Map<string, GroupVersionKind[]>, flavor: Flavor): Json {
  const out: Json = {};
  for (const name of reachableDefinitions(roots, defs)) {
    const rendered = renderSchema(defs.get(name)!, flavor);
    const kinds = gvks.get(name);
    if (kinds) rendered['x-kubernetes-group-version-kind'] = kinds.map((k) => ({ group: k.group, kind: k.kind, version: k.version }));
    out[name] = rendered;
  }
  return out;
}
