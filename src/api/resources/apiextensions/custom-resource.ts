// The resource a CustomResourceDefinition adds, as the registry serves it: one ResourceDefinition
// stored in the CRD's storage version and served in every served version (conversion None: only
// apiVersion changes), its schema taken from openAPIV3Schema, its table from additionalPrinterColumns.
import type { CustomResourceColumnDefinition, CustomResourceDefinition, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import type { CrdSchema } from './customresourcedefinition.js';
import type { AlternateVersion, KubeObject, ResourceDefinition, TableColumn, TableDefinition } from '../../registry.js';
import type { Definitions, Schema, SchemaType } from '../../schema/types.js';
import { objectMeta, str } from '../../schema/build.js';
import { compileJsonPath } from '../../meta/jsonpath.js';
import { translateTimestampSince } from '../../meta/time.js';
import { nameColumn } from '../table.js';

const CREATION_TIMESTAMP_DESCRIPTION = 'CreationTimestamp is a timestamp representing the server time when this object was created.';

/** Upstream names a custom resource's OpenAPI definition by its reversed group: `com.example.crd.v1.MyPod`. */
export function customResourceSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** One schema node of openAPIV3Schema in the schema language (value validations it does not model are left out). */
function toSchema(s: CrdSchema): Schema {
  const out: Schema = {};
  if (s.type) out.type = s.type as SchemaType;
  if (s.format) out.format = s.format;
  if (s.description) out.description = s.description;
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toSchema(v)]));
  if (s.required) out.required = s.required;
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = toSchema(s.additionalProperties as CrdSchema);
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) out.items = toSchema(s.items as CrdSchema);
  if (s.enum) out.enum = s.enum as string[];
  if (s.default !== undefined) out.default = s.default;
  if (s.pattern !== undefined) out.pattern = s.pattern;
  if (s.minimum !== undefined) out.minimum = s.minimum;
  if (s.maximum !== undefined) out.maximum = s.maximum;
  if (s.minLength !== undefined) out.minLength = s.minLength;
  if (s.maxLength !== undefined) out.maxLength = s.maxLength;
  if (s.minItems !== undefined) out.minItems = s.minItems;
  if (s.maxItems !== undefined) out.maxItems = s.maxItems;
  if (s.nullable) out.nullable = true;
  if (s['x-kubernetes-int-or-string']) out['x-kubernetes-int-or-string'] = true;
  if (s['x-kubernetes-preserve-unknown-fields']) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (s['x-kubernetes-embedded-resource']) out['x-kubernetes-embedded-resource'] = true;
  if (s['x-kubernetes-list-type']) out['x-kubernetes-list-type'] = s['x-kubernetes-list-type'] as Schema['x-kubernetes-list-type'];
  if (s['x-kubernetes-list-map-keys']) out['x-kubernetes-list-map-keys'] = s['x-kubernetes-list-map-keys'];
  if (s['x-kubernetes-map-type']) out['x-kubernetes-map-type'] = s['x-kubernetes-map-type'] as Schema['x-kubernetes-map-type'];
  return out;
}

/** The root schema of a version: apiVersion, kind and ObjectMeta as every kind has them, tagged with the GVK. */
function rootSchema(crd: CustomResourceDefinition, version: CustomResourceDefinitionVersion): Schema {
  const given = version.schema?.openAPIV3Schema as CrdSchema | undefined;
  const root = given ? toSchema(given) : { type: 'object' as const, 'x-kubernetes-preserve-unknown-fields': true as const };
  if (crd.spec.preserveUnknownFields) root['x-kubernetes-preserve-unknown-fields'] = true;
  root.type = 'object';
  root.properties = {
    ...root.properties,
    apiVersion: str({ description: 'APIVersion defines the versioned schema of this representation of an object.' }),
    kind: str({ description: 'Kind is a string value representing the REST resource this object represents.' }),
    metadata: objectMeta({ description: "Standard object's metadata." }),
  };
  root['x-kubernetes-group-version-kind'] = [{ group: crd.spec.group, version: version.name, kind: crd.spec.names.kind }];
  return root;
}

/** A cell as upstream's CRD table convertor makes it from the first value the path reaches. */
function cell(column: CustomResourceColumnDefinition, value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      if (value === '') return '<unknown>';
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : translateTimestampSince(value, now);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** The columns a version serves: its additionalPrinterColumns, or AGE when it names none. */
function tableFor(version: CustomResourceDefinitionVersion): TableDefinition {
  const columns = version.additionalPrinterColumns?.length
    ? version.additionalPrinterColumns
    : [{ name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' }];
  const paths = columns.map((c) => compileJsonPath(c.jsonPath));
  const definitions: TableColumn[] = columns.map((c) => ({
    name: c.name,
    type: c.type as TableColumn['type'],
    ...(c.format ? { format: c.format } : {}),
    description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    priority: c.priority ?? 0,
  }));
  return {
    columns: [nameColumn, ...definitions],
    cells: (obj, now) => [obj.metadata?.name, ...columns.map((c, i) => cell(c, paths[i](obj)[0], now))],
  };
}

const withApiVersion = (apiVersion: string) => (obj: KubeObject): KubeObject => ({ ...obj, apiVersion });

/** The resource of a CRD, or undefined while it has no storage version; `terminating` says whether the CRD is being deleted. */
export function customResourceFor(crd: CustomResourceDefinition, terminating: () => boolean): ResourceDefinition | undefined {
  const { group, names, scope } = crd.spec;
  const storage = crd.spec.versions.find((v) => v.storage);
  if (!storage) return undefined;
  const definitions: Definitions = new Map();
  const schemaNameOf = (v: CustomResourceDefinitionVersion) => customResourceSchemaName(group, v.name, names.kind);
  definitions.set(schemaNameOf(storage), rootSchema(crd, storage));
  const alternates: AlternateVersion[] = crd.spec.versions
    .filter((v) => v.served && v !== storage)
    .map((v) => ({
      version: v.name,
      schemaName: schemaNameOf(v),
      definitions: new Map([[schemaNameOf(v), rootSchema(crd, v)]]),
      toStored: withApiVersion(`${group}/${storage.name}`),
      fromStored: withApiVersion(`${group}/${v.name}`),
    }));
  const scale = storage.subresources?.scale;
  return {
    group,
    version: storage.name,
    kind: names.kind,
    listKind: names.listKind,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    namespaced: scope === 'Namespaced',
    ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
    ...(names.categories?.length ? { categories: names.categories } : {}),
    schemaName: schemaNameOf(storage),
    definitions,
    customResource: true,
    createRefused: () => (terminating() ? 'create not allowed while custom resource definition is terminating' : undefined),
    tracksGeneration: true,
    subresources: {
      status: !!storage.subresources?.status,
      ...(scale ? { scale: { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath, ...(scale.labelSelectorPath ? { labelSelectorPath: scale.labelSelectorPath } : {}) } } : {}),
    },
    table: tableFor(storage),
    // With the status subresource, status is written through /status only, never by a create.
    ...(storage.subresources?.status ? { prepareForCreate: (obj: KubeObject) => void delete obj.status } : {}),
    alsoServedAs: alternates,
  };
}
