// apiextensions.k8s.io/v1 CustomResourceDefinition: a kind defined at run time. The apiserver serves
// its custom resources once the names are accepted (see src/apiserver/customresources.ts); this file
// is what the CRD object itself is: schema, defaults, validation, strategy, table.
import type { CustomResourceDefinition, CustomResourceDefinitionCondition, JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import type { Definitions, Schema } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { anyObject, bool, define, int32, int64, kindSchema, list, mapOf, mergeList, num, object, ref, str, time } from '../../schema/build.js';
import { nowRFC3339 } from '../../meta/time.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { isDNS1035Label, isDNS1123Subdomain, validateImmutableField } from '../../meta/validation.js';
import { defaultTable } from '../table.js';
import { isSimpleJsonPath } from '../../meta/jsonpath.js';

/** JSONSchemaProps with the Kubernetes extensions, which kubernetes-types leaves out. */
export type CrdSchema = JSONSchemaProps & {
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
};

export const APIEXTENSIONS_GROUP = 'apiextensions.k8s.io';
const V1 = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
/** Added when a CRD's deletion starts; removed once every custom resource of it is gone. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const APPROVAL_ANNOTATION = 'api-approved.kubernetes.io';

/** A JSON value of any type (JSON in upstream's OpenAPI: defaults, enum values, examples). */
const json = (description: string): Schema => ({ 'x-kubernetes-preserve-unknown-fields': true, description });
const props = (description: string): Schema => ref(`${V1}.JSONSchemaProps`, { description });

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.CustomResourceDefinition`]: kindSchema(
    { group: APIEXTENSIONS_GROUP, version: 'v1', kind: 'CustomResourceDefinition' },
    {
      spec: ref(`${V1}.CustomResourceDefinitionSpec`, { description: 'The resource the definition adds.' }),
      status: ref(`${V1}.CustomResourceDefinitionStatus`, { description: 'Whether the names are accepted and the resource is served.' }),
    },
    { required: ['spec'], description: 'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.' },
  ),
  [`${V1}.CustomResourceDefinitionSpec`]: object(
    {
      group: str({ default: '', description: 'The API group of the resource: /apis/<group>/<version>/... Must be a domain with at least one dot.' }),
      names: ref(`${V1}.CustomResourceDefinitionNames`, { default: {}, description: 'The resource and kind names of the custom resource.' }),
      scope: str({ default: '', description: 'Cluster or Namespaced.' }),
      versions: list(ref(`${V1}.CustomResourceDefinitionVersion`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'The versions served, exactly one of them the storage version.' }),
      conversion: ref(`${V1}.CustomResourceConversion`, { description: 'How custom resources are converted between versions.' }),
      preserveUnknownFields: bool({ description: 'Keep fields the schema does not name (deprecated: use x-kubernetes-preserve-unknown-fields).' }),
    },
    { required: ['group', 'names', 'scope', 'versions'], description: 'The resource a CustomResourceDefinition adds.' },
  ),
  [`${V1}.CustomResourceDefinitionNames`]: object(
    {
      plural: str({ default: '', description: 'The plural name: the path segment /apis/<group>/<version>/<plural>. Lower case.' }),
      singular: str({ description: 'The singular name, lower case; defaults to the lower-cased kind.' }),
      shortNames: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description: 'Short names for `kubectl get <shortname>`.' }),
      kind: str({ default: '', description: 'The serialized kind, CamelCase and singular.' }),
      listKind: str({ description: 'The kind of lists; defaults to `<kind>List`.' }),
      categories: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description: 'Groups of resources, as `all` in `kubectl get all`.' }),
    },
    { required: ['plural', 'kind'], description: 'The names of a custom resource.' },
  ),
  [`${V1}.CustomResourceDefinitionVersion`]: object(
    {
      name: str({ default: '', description: 'The version name, e.g. v1, v2beta1: served at /apis/<group>/<name>/...' }),
      served: bool({ default: false, description: 'Whether the version is served by the REST API.' }),
      storage: bool({ default: false, description: 'Whether objects are stored in this version; exactly one version is.' }),
      deprecated: bool({ description: 'Whether the version is deprecated (clients get a warning).' }),
      deprecationWarning: str({ description: 'The warning returned to clients of a deprecated version.' }),
      schema: ref(`${V1}.CustomResourceValidation`, { description: 'The schema objects of this version are validated, pruned and defaulted by.' }),
      subresources: ref(`${V1}.CustomResourceSubresources`, { description: 'The status and scale subresources.' }),
      additionalPrinterColumns: list(ref(`${V1}.CustomResourceColumnDefinition`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Columns `kubectl get` shows besides the name.' }),
      selectableFields: list(ref(`${V1}.SelectableField`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Fields that may be used in field selectors.' }),
    },
    { required: ['name', 'served', 'storage'], description: 'A version of a custom resource.' },
  ),
  [`${V1}.CustomResourceValidation`]: object({ openAPIV3Schema: props('The OpenAPI v3 schema of the objects.') }, { description: 'How custom resources are validated.' }),
  [`${V1}.CustomResourceSubresources`]: object(
    {
      status: anyObject({ description: 'Enables /status: the main resource then ignores status, /status changes only status.' }),
      scale: ref(`${V1}.CustomResourceSubresourceScale`, { description: 'Enables /scale.' }),
    },
    { description: 'The subresources of a custom resource.' },
  ),
  [`${V1}.CustomResourceSubresourceScale`]: object(
    {
      specReplicasPath: str({ default: '', description: 'The JSON path under .spec of the desired replicas.' }),
      statusReplicasPath: str({ default: '', description: 'The JSON path under .status of the observed replicas.' }),
      labelSelectorPath: str({ description: 'The JSON path under .status of the serialized label selector.' }),
    },
    { required: ['specReplicasPath', 'statusReplicasPath'], description: 'The /scale subresource of a custom resource.' },
  ),
  [`${V1}.CustomResourceColumnDefinition`]: object(
    {
      name: str({ default: '', description: 'The column header.' }),
      type: str({ default: '', description: 'integer, number, string, boolean or date.' }),
      format: str({ description: 'An optional OpenAPI format: int32, int64, float, double, byte, date, date-time, password.' }),
      description: str({ description: 'A human-readable description of the column.' }),
      priority: int32({ description: '0 shows in `kubectl get`; higher only with `-o wide`.' }),
      jsonPath: str({ default: '', description: 'A simple JSON path evaluated against each object for the cell.' }),
    },
    { required: ['name', 'type', 'jsonPath'], description: 'A column of the table `kubectl get` prints.' },
  ),
  [`${V1}.SelectableField`]: object({ jsonPath: str({ default: '', description: 'A simple JSON path to a string, boolean or integer field.' }) }, { required: ['jsonPath'], description: 'A field usable in field selectors.' }),
  [`${V1}.CustomResourceConversion`]: object(
    {
      strategy: str({ default: '', description: 'None (only apiVersion changes) or Webhook.' }),
      webhook: anyObject({ description: 'The conversion webhook, for strategy Webhook.' }),
    },
    { required: ['strategy'], description: 'How custom resources are converted between versions.' },
  ),
  [`${V1}.CustomResourceDefinitionStatus`]: object(
    {
      conditions: mergeList(ref(`${V1}.CustomResourceDefinitionCondition`, { default: {} }), 'type', { description: 'NamesAccepted, Established, Terminating.' }),
      acceptedNames: ref(`${V1}.CustomResourceDefinitionNames`, { description: 'The names actually served; they may differ from spec.names on a conflict.' }),
      storedVersions: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description: 'The versions objects were ever stored in.' }),
    },
    { description: 'The state of a CustomResourceDefinition.' },
  ),
  [`${V1}.CustomResourceDefinitionCondition`]: object(
    {
      type: str({ default: '', description: 'Established, NamesAccepted or Terminating.' }),
      status: str({ default: '', description: 'True, False or Unknown.' }),
      lastTransitionTime: time({ description: 'When the condition last changed status.' }),
      reason: str({ description: 'A machine-readable reason for the last transition.' }),
      message: str({ description: 'A human-readable message about the last transition.' }),
    },
    { required: ['type', 'status'], description: 'A condition of a CustomResourceDefinition.' },
  ),
  [`${V1}.JSONSchemaProps`]: object(
    {
      id: str(),
      $schema: str(),
      $ref: str(),
      description: str(),
      type: str(),
      format: str(),
      title: str(),
      default: json('The default of the field, applied when it is absent.'),
      maximum: num(),
      exclusiveMaximum: bool(),
      minimum: num(),
      exclusiveMinimum: bool(),
      maxLength: int64(),
      minLength: int64(),
      pattern: str(),
      maxItems: int64(),
      minItems: int64(),
      uniqueItems: bool(),
      multipleOf: num(),
      enum: list(json('A permitted value.'), { 'x-kubernetes-list-type': 'atomic' }),
      maxProperties: int64(),
      minProperties: int64(),
      required: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      items: json('The schema of the items (JSONSchemaPropsOrArray).'),
      allOf: list(props(''), { 'x-kubernetes-list-type': 'atomic' }),
      oneOf: list(props(''), { 'x-kubernetes-list-type': 'atomic' }),
      anyOf: list(props(''), { 'x-kubernetes-list-type': 'atomic' }),
      not: props(''),
      properties: mapOf(props('')),
      additionalProperties: json('The schema of map values, or a boolean (JSONSchemaPropsOrBool).'),
      patternProperties: mapOf(props('')),
      dependencies: mapOf(json('')),
      additionalItems: json(''),
      definitions: mapOf(props('')),
      externalDocs: anyObject(),
      example: json(''),
      nullable: bool(),
      'x-kubernetes-preserve-unknown-fields': bool(),
      'x-kubernetes-embedded-resource': bool(),
      'x-kubernetes-int-or-string': bool(),
      'x-kubernetes-list-map-keys': list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      'x-kubernetes-list-type': str(),
      'x-kubernetes-map-type': str(),
      'x-kubernetes-validations': list(anyObject(), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['rule'] }),
    },
    { description: 'A JSON-Schema following Specification Draft 4 (http://json-schema.org/).' },
  ),
});

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'name', 'password'];
const NOT_SUPPORTED_KEYWORDS: [keyof CrdSchema, string][] = [
  ['id', 'id is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
  ['$ref', '$ref is not supported'],
];

type Level = 'root' | 'item' | 'field';

/** The structural-schema rules upstream checks on every schema node (keywords, types, the root). */
function validateSchemaNode(s: CrdSchema, level: Level, path: FieldPath, errs: FieldError[]): void {
  for (const [key, message] of NOT_SUPPORTED_KEYWORDS) if (s[key] !== undefined) errs.push(fieldErrors.forbidden(path.child(key).path, message));
  if (s.type !== undefined && !OPENAPI_TYPES.includes(s.type)) errs.push(fieldErrors.notSupported(path.child('type').path, s.type, OPENAPI_TYPES));
  if (s.items !== undefined && Array.isArray(s.items)) errs.push(fieldErrors.forbidden(path.child('items').path, 'items must be a schema object and not an array'));
  if (s.type === 'array' && s.items === undefined) errs.push(fieldErrors.required(path.child('items').path, 'must be specified'));
  const open = s['x-kubernetes-int-or-string'] || s['x-kubernetes-preserve-unknown-fields'];
  if (s['x-kubernetes-embedded-resource'] && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(s.type ? fieldErrors.invalid(path.child('type').path, s.type, detail) : fieldErrors.required(path.child('type').path, detail));
  } else if (!s.type && !open) {
    const where = { root: 'at the root', item: 'for specified array items', field: 'for specified object fields' }[level];
    errs.push(fieldErrors.required(path.child('type').path, `must not be empty ${where}`));
  }
  if (level === 'root') {
    if (s.type && s.type !== 'object') errs.push(fieldErrors.invalid(path.child('type').path, s.type, 'must be object at the root'));
    if (s.additionalProperties !== undefined) errs.push(fieldErrors.forbidden(path.child('additionalProperties').path, 'must not be used at the root'));
    if (s.nullable) errs.push(fieldErrors.forbidden(path.child('nullable').path, 'nullable cannot be true at the root'));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(fieldErrors.invalid(path.child('x-kubernetes-preserve-unknown-fields').path, false, 'must be true or undefined'));
  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(fieldErrors.forbidden(path.child('additionalProperties').path, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch (err) {
      errs.push(fieldErrors.invalid(path.child('pattern').path, s.pattern, `must be a valid regular expression, but isn't: ${(err as Error).message}`));
    }
  }
  if (s['x-kubernetes-list-type'] !== undefined && !['atomic', 'set', 'map'].includes(s['x-kubernetes-list-type'])) {
    errs.push(fieldErrors.notSupported(path.child('x-kubernetes-list-type').path, s['x-kubernetes-list-type'], ['atomic', 'set', 'map']));
  }
  if (s['x-kubernetes-map-type'] !== undefined && !['atomic', 'granular'].includes(s['x-kubernetes-map-type'])) {
    errs.push(fieldErrors.notSupported(path.child('x-kubernetes-map-type').path, s['x-kubernetes-map-type'], ['atomic', 'granular']));
  }
  for (const [name, child] of Object.entries(s.properties ?? {})) validateSchemaNode(child, 'field', path.child('properties').key(name), errs);
  if (s.items && !Array.isArray(s.items)) validateSchemaNode(s.items as CrdSchema, 'item', path.child('items'), errs);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    validateSchemaNode(s.additionalProperties as CrdSchema, 'field', path.child('additionalProperties'), errs);
  }
}

function validateNames(names: CustomResourceDefinition['spec']['names'] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!names) return errs;
  const label = (field: string, value: string | undefined, prefix = '', lower = false) => {
    const problems = value ? isDNS1035Label(lower ? value.toLowerCase() : value) : [];
    if (problems.length) errs.push(fieldErrors.invalid(path.child(field).path, value, prefix + problems.join(',')));
  };
  label('plural', names.plural);
  label('singular', names.singular);
  label('kind', names.kind, 'may have mixed case, but should otherwise match: ', true);
  label('listKind', names.listKind, 'may have mixed case, but should otherwise match: ', true);
  (names.shortNames ?? []).forEach((n, i) => {
    const problems = isDNS1035Label(n);
    if (problems.length) errs.push(fieldErrors.invalid(path.child('shortNames').index(i).path, n, problems.join(',')));
  });
  if (names.kind && names.kind === names.listKind) errs.push(fieldErrors.invalid(path.child('listKind').path, names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c, i) => {
    const problems = isDNS1035Label(c);
    if (problems.length) errs.push(fieldErrors.invalid(path.child('categories').index(i).path, c, problems.join(',')));
  });
  return errs;
}

function validateVersion(v: NonNullable<CustomResourceDefinition['spec']['versions']>[number], path: FieldPath, preserveUnknownFields: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const nameProblems = isDNS1035Label(v.name ?? '');
  if (nameProblems.length) errs.push(fieldErrors.invalid(path.child('name').path, v.name, nameProblems.join(',')));
  const schema = v.schema?.openAPIV3Schema;
  if (!schema && v.served && !preserveUnknownFields) errs.push(fieldErrors.required(path.child('schema').child('openAPIV3Schema').path, 'because otherwise all fields are pruned'));
  if (schema) {
    const schemaPath = path.child('schema').child('openAPIV3Schema');
    validateSchemaNode(schema, 'root', schemaPath, errs);
    if (v.subresources?.status && schema.properties) {
      const extra = Object.keys(schema.properties).filter((k) => !['metadata', 'apiVersion', 'kind', 'spec', 'status'].includes(k));
      if (extra.length) errs.push(fieldErrors.invalid(schemaPath.path, '', 'only [metadata apiVersion kind spec status] fields are allowed at the root of the schema if the status subresource is enabled'));
    }
  }
  const scale = v.subresources?.scale;
  if (scale) {
    const sub = path.child('subresources');
    if (!scale.specReplicasPath) errs.push(fieldErrors.required(sub.child('scale.specReplicasPath').path, ''));
    else if (!scale.specReplicasPath.startsWith('.spec.') || !isSimpleJsonPath(scale.specReplicasPath)) errs.push(fieldErrors.invalid(sub.child('scale.specReplicasPath').path, scale.specReplicasPath, 'should be a json path under .spec'));
    if (!scale.statusReplicasPath) errs.push(fieldErrors.required(sub.child('scale.statusReplicasPath').path, ''));
    else if (!scale.statusReplicasPath.startsWith('.status.') || !isSimpleJsonPath(scale.statusReplicasPath)) errs.push(fieldErrors.invalid(sub.child('scale.statusReplicasPath').path, scale.statusReplicasPath, 'should be a json path under .status'));
  }
  (v.additionalPrinterColumns ?? []).forEach((col, i) => {
    const p = path.child('additionalPrinterColumns').index(i);
    if (!col.name) errs.push(fieldErrors.required(p.child('name').path, ''));
    if (!col.type) errs.push(fieldErrors.required(p.child('type').path, `must be one of ${COLUMN_TYPES.join(',')}`));
    else if (!COLUMN_TYPES.includes(col.type)) errs.push(fieldErrors.invalid(p.child('type').path, col.type, `must be one of ${COLUMN_TYPES.join(',')}`));
    if (col.format && !COLUMN_FORMATS.includes(col.format)) errs.push(fieldErrors.invalid(p.child('format').path, col.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
    if (!col.jsonPath) errs.push(fieldErrors.required(p.child('JSONPath').path, ''));
    else if (!isSimpleJsonPath(col.jsonPath)) errs.push(fieldErrors.invalid(p.child('JSONPath').path, col.jsonPath, 'must be a simple json path starting with .'));
  });
  return errs;
}

function isProtectedGroup(group: string): boolean {
  return ['k8s.io', 'kubernetes.io'].some((d) => group === d || group.endsWith(`.${d}`));
}

function validateCrd(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const path = new FieldPath('spec');
  const group = spec.group ?? '';
  const plural = spec.names?.plural ?? '';
  if (crd.metadata?.name !== `${plural}.${group}`) errs.push(fieldErrors.invalid('metadata.name', crd.metadata?.name, 'must be spec.names.plural+"."+spec.group'));
  if (isProtectedGroup(group) && crd.metadata?.annotations?.[APPROVAL_ANNOTATION] === undefined) {
    errs.push(fieldErrors.required(`metadata.annotations[${APPROVAL_ANNOTATION}]`, `protected groups must have approval annotation "${APPROVAL_ANNOTATION}", see https://github.com/kubernetes/enhancements/pull/1111`));
  }
  if (!group) errs.push(fieldErrors.required('spec.group', ''));
  else if (isDNS1123Subdomain(group).length) errs.push(fieldErrors.invalid('spec.group', group, isDNS1123Subdomain(group).join(',')));
  else if (!group.includes('.')) errs.push(fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot'));
  if (!spec.scope) errs.push(fieldErrors.required('spec.scope', ''));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(fieldErrors.notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = spec.versions ?? [];
  if (!versions.length) errs.push(fieldErrors.required('spec.versions', 'must have exactly one version marked as storage version'));
  versions.forEach((v, i) => errs.push(...validateVersion(v, path.child('versions').index(i), !!spec.preserveUnknownFields)));
  if (new Set(versions.map((v) => v.name)).size !== versions.length) errs.push(fieldErrors.invalid('spec.versions', versions, 'must contain unique version names'));
  if (versions.length && versions.filter((v) => v.storage).length !== 1) errs.push(fieldErrors.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  for (const f of ['plural', 'singular', 'kind', 'listKind'] as const) if (!spec.names?.[f]) errs.push(fieldErrors.required(`spec.names.${f}`, ''));
  errs.push(...validateNames(spec.names, path.child('names')));
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') errs.push(fieldErrors.notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (strategy === 'Webhook' && !spec.conversion?.webhook?.clientConfig) errs.push(fieldErrors.required('spec.conversion.webhookClientConfig', 'required when strategy is set to Webhook'));
  return errs;
}

function validateStatus(crd: CustomResourceDefinition): FieldError[] {
  const errs = validateNames(crd.status?.acceptedNames, new FieldPath('status').child('acceptedNames'));
  const stored = crd.status?.storedVersions ?? [];
  const versions = crd.spec?.versions ?? [];
  if (!stored.length) return [...errs, fieldErrors.invalid('status.storedVersions', stored, 'must have at least one stored version')];
  const storage = versions.find((v) => v.storage);
  if (storage && !stored.includes(storage.name)) errs.push(fieldErrors.invalid('status.storedVersions', stored, `must have the storage version ${storage.name}`));
  stored.forEach((v, i) => {
    if (!versions.some((sv) => sv.name === v)) {
      errs.push(fieldErrors.invalid(`status.storedVersions[${i}]`, v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`));
    }
  });
  return errs;
}

/** The condition of `type`, if set. */
export function crdCondition(crd: CustomResourceDefinition, type: string): CustomResourceDefinitionCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

/** Sets a condition, keeping lastTransitionTime when the status does not change (upstream SetCRDCondition). */
export function setCrdCondition(crd: CustomResourceDefinition, condition: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>, now: string): void {
  const status = (crd.status ??= {});
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === condition.type);
  if (!existing) {
    conditions.push({ ...condition, lastTransitionTime: now });
    return;
  }
  if (existing.status !== condition.status) existing.lastTransitionTime = now;
  existing.status = condition.status;
  existing.reason = condition.reason;
  existing.message = condition.message;
}

export const customResourceDefinitions: ResourceDefinition<CustomResourceDefinition> = {
  group: APIEXTENSIONS_GROUP,
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  schemaName: `${V1}.CustomResourceDefinition`,
  definitions,
  subresources: { status: true },
  tracksGeneration: true,
  defaults(crd) {
    const spec = crd.spec;
    if (!spec) return;
    const names = (spec.names ??= { plural: '', kind: '' });
    if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
    if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
    spec.conversion ??= { strategy: 'None' };
  },
  prepareForCreate(crd) {
    const storage = crd.spec?.versions?.find((v) => v.storage);
    crd.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage.name] : [] };
  },
  prepareForUpdate(crd, old) {
    // A new storage version is recorded as stored from now on (upstream's strategy does the same).
    const storage = crd.spec?.versions?.find((v) => v.storage);
    const stored = [...(old.status?.storedVersions ?? [])];
    if (storage && !stored.includes(storage.name)) stored.push(storage.name);
    crd.status = { ...(old.status ?? {}), storedVersions: stored };
  },
  prepareForDelete(crd) {
    const finalizers = (crd.metadata!.finalizers ??= []);
    if (!finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) finalizers.push(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
    setCrdCondition(
      crd,
      { type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' },
      nowRFC3339(),
    );
  },
  validate(crd, ctx) {
    return ctx.subresource === 'status' ? validateStatus(crd) : validateCrd(crd);
  },
  validateUpdate(crd, old) {
    // Group and plural never change (they make the name); scope and kind only until the CRD is established.
    const spec = new FieldPath('spec');
    const errs = [
      ...validateImmutableField(crd.spec?.group, old.spec?.group, spec.child('group')),
      ...validateImmutableField(crd.spec?.names?.plural, old.spec?.names?.plural, spec.child('names').child('plural')),
    ];
    if (crdCondition(old, 'Established')?.status === 'True') {
      errs.push(...validateImmutableField(crd.spec?.scope, old.spec?.scope, spec.child('scope')));
      errs.push(...validateImmutableField(crd.spec?.names?.kind, old.spec?.names?.kind, spec.child('names').child('kind')));
    }
    return errs;
  },
  table: defaultTable as ResourceDefinition<CustomResourceDefinition>['table'],
};
