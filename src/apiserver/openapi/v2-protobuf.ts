// The swagger 2.0 document in gnostic's protobuf form (message openapi.v2.Document), which client-go's
// discovery client asks for: kubectl validates kinds that have no PATCH operation (a Binding, say)
// against it. Table-driven from the JSON document: each message is a map of JSON property to field
// number and kind; maps become repeated (name, value) pairs; `x-` properties become vendor
// extensions; extension values, defaults, enums and examples are `Any` messages holding YAML.
import { stringify as toYaml } from 'yaml';

/** The media type the protobuf form is served as. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** The media types it may be asked for by: client-go still asks by the deprecated `@` spelling. */
export const OPENAPI_V2_PROTOBUF_ACCEPTS = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', OPENAPI_V2_PROTOBUF];

type Json = Record<string, unknown>;
/** Encodes a JSON value as the body of one message. */
type Message = (value: unknown, path: string) => Buffer;
type Scalar = 'string' | 'bool' | 'double' | 'int64' | 'strings' | 'any' | 'anys';
type FieldKind = Scalar | Message | { repeated: Message };
type Fields = Record<string, [number, FieldKind]>;

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const tag = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, body: Buffer) => Buffer.concat([tag(field, BYTES), varint(body.length), body]);

function fail(path: string, message: string): never {
  throw new Error(`openapi v2 protobuf: ${path}: ${message}`);
}

/** A field's bytes; zero scalars are left out (proto3) unless `present` (a member of a oneof). */
function encodeField(field: number, kind: FieldKind, value: unknown, path: string, present = false): Buffer[] {
  if (typeof kind === 'function') return [bytesField(field, kind(value, path))];
  if (typeof kind === 'object') {
    if (!Array.isArray(value)) fail(path, 'expected an array');
    return value.map((v, i) => bytesField(field, kind.repeated(v, `${path}[${i}]`)));
  }
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') fail(path, 'expected a string');
      return value || present ? [bytesField(field, Buffer.from(value))] : [];
    case 'bool':
      if (typeof value !== 'boolean') fail(path, 'expected a boolean');
      return value || present ? [tag(field, VARINT), varint(value ? 1 : 0)] : [];
    case 'int64':
      if (typeof value !== 'number') fail(path, 'expected a number');
      return value || present ? [tag(field, VARINT), varint(value)] : [];
    case 'double': {
      if (typeof value !== 'number') fail(path, 'expected a number');
      if (!value && !present) return [];
      const b = Buffer.alloc(8);
      b.writeDoubleLE(value);
      return [tag(field, FIXED64), b];
    }
    case 'strings':
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) fail(path, 'expected strings');
      return (value as string[]).map((s) => bytesField(field, Buffer.from(s)));
    case 'any':
      return [bytesField(field, anyValue(value))];
    case 'anys':
      if (!Array.isArray(value)) fail(path, 'expected an array');
      return value.map((v) => bytesField(field, anyValue(v)));
  }
}

/** openapi.v2.Any { yaml = 2 }. */
const anyValue = (value: unknown) => bytesField(2, Buffer.from(toYaml(value)));

/** openapi.v2.NamedX { name = 1; value = 2 }. */
const named = (name: string, kind: FieldKind, value: unknown, path: string) =>
  Buffer.concat([bytesField(1, Buffer.from(name)), ...encodeField(2, kind, value, path, true)]);

function asObject(value: unknown, path: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(path, 'expected an object');
  return value as Json;
}

/** A message of named fields; `x-` properties go to the repeated NamedAny field `extensions`. */
function message(fields: () => Fields, extensions?: number): Message {
  let table: Fields | undefined;
  return (value, path) => {
    table ??= fields();
    const parts: Buffer[] = [];
    for (const [key, v] of Object.entries(asObject(value, path))) {
      if (v === undefined) continue;
      const at = `${path}.${key}`;
      if (extensions && key.startsWith('x-')) {
        parts.push(bytesField(extensions, named(key, 'any', v, at)));
        continue;
      }
      const spec = table[key];
      if (!spec) fail(at, 'no such field');
      parts.push(...encodeField(spec[0], spec[1], v, at));
    }
    return Buffer.concat(parts);
  };
}

/**
 * A JSON map: each entry a named value in field `entries`; in maps that allow them, `x-` keys are
 * vendor extensions in field `extensions` instead.
 */
function map(entries: number, kind: FieldKind, extensions?: number): Message {
  return (value, path) => {
    const parts: Buffer[] = [];
    for (const [key, v] of Object.entries(asObject(value, path))) {
      const at = `${path}.${key}`;
      if (extensions && key.startsWith('x-')) parts.push(bytesField(extensions, named(key, 'any', v, at)));
      else parts.push(bytesField(entries, named(key, kind, v, at)));
    }
    return Buffer.concat(parts);
  };
}

/** A message of one oneof: `choose` names the member field the JSON value fills. */
function oneof(choose: (value: Json, path: string) => [number, FieldKind]): Message {
  return (value, path) => {
    const [field, kind] = choose(asObject(value, path), path);
    return Buffer.concat(encodeField(field, kind, value, path, true));
  };
}

/** A message whose single repeated field holds the JSON value, itself or as a one-element list. */
const listOf = (kind: 'strings' | { repeated: Message }): Message => (value, path) =>
  Buffer.concat(encodeField(1, kind, Array.isArray(value) ? value : [value], path));

const externalDocs = message(() => ({ description: [1, 'string'], url: [2, 'string'] }), 3);
const jsonReference = message(() => ({ $ref: [1, 'string'], description: [2, 'string'] }));

const schema: Message = message(
  () => ({
    $ref: [1, 'string'],
    format: [2, 'string'],
    title: [3, 'string'],
    description: [4, 'string'],
    default: [5, 'any'],
    multipleOf: [6, 'double'],
    maximum: [7, 'double'],
    exclusiveMaximum: [8, 'bool'],
    minimum: [9, 'double'],
    exclusiveMinimum: [10, 'bool'],
    maxLength: [11, 'int64'],
    minLength: [12, 'int64'],
    pattern: [13, 'string'],
    maxItems: [14, 'int64'],
    minItems: [15, 'int64'],
    uniqueItems: [16, 'bool'],
    maxProperties: [17, 'int64'],
    minProperties: [18, 'int64'],
    required: [19, 'strings'],
    enum: [20, 'anys'],
    additionalProperties: [21, additionalProperties],
    type: [22, listOf('strings')],
    items: [23, listOf({ repeated: schema })],
    allOf: [24, { repeated: schema }],
    properties: [25, map(1, schema)],
    discriminator: [26, 'string'],
    readOnly: [27, 'bool'],
    externalDocs: [29, externalDocs],
    example: [30, 'any'],
  }),
  31,
);

/** AdditionalPropertiesItem { oneof: Schema schema = 1; bool boolean = 2 }. */
function additionalProperties(value: unknown, path: string): Buffer {
  return Buffer.concat(typeof value === 'boolean' ? encodeField(2, 'bool', value, path, true) : encodeField(1, schema, value, path, true));
}

/** A primitive (non-body) parameter: the query and form-data messages have allowEmptyValue (field 5), the path and header ones do not. */
function primitiveParameter(allowEmptyValue: boolean): Message {
  return message(() => {
    const names = ['required', 'in', 'description', 'name', ...(allowEmptyValue ? ['allowEmptyValue'] : []), 'type', 'format', 'items', 'collectionFormat', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'enum', 'multipleOf'];
    const kinds: Record<string, FieldKind> = {
      required: 'bool', allowEmptyValue: 'bool', items: primitivesItems, default: 'any', maximum: 'double', exclusiveMaximum: 'bool',
      minimum: 'double', exclusiveMinimum: 'bool', maxLength: 'int64', minLength: 'int64', maxItems: 'int64', minItems: 'int64',
      uniqueItems: 'bool', enum: 'anys', multipleOf: 'double',
    };
    return Object.fromEntries(names.map((n, i) => [n, [i + 1, kinds[n] ?? 'string']]));
  }, allowEmptyValue ? 23 : 22);
}

const primitivesItems: Message = message(
  () => ({
    type: [1, 'string'], format: [2, 'string'], items: [3, primitivesItems], collectionFormat: [4, 'string'], default: [5, 'any'],
    maximum: [6, 'double'], exclusiveMaximum: [7, 'bool'], minimum: [8, 'double'], exclusiveMinimum: [9, 'bool'],
    maxLength: [10, 'int64'], minLength: [11, 'int64'], pattern: [12, 'string'], maxItems: [13, 'int64'], minItems: [14, 'int64'],
    uniqueItems: [15, 'bool'], enum: [16, 'anys'], multipleOf: [17, 'double'],
  }),
  18,
);

const bodyParameter = message(
  () => ({ description: [1, 'string'], name: [2, 'string'], in: [3, 'string'], required: [4, 'bool'], schema: [5, schema] }),
  6,
);
const queryOrFormParameter = primitiveParameter(true);
const pathOrHeaderParameter = primitiveParameter(false);
const nonBodyParameter = oneof((p, path): [number, FieldKind] => {
  switch (p.in) {
    case 'header': return [1, pathOrHeaderParameter];
    case 'formData': return [2, queryOrFormParameter];
    case 'query': return [3, queryOrFormParameter];
    case 'path': return [4, pathOrHeaderParameter];
    default: return fail(path, `unknown parameter location ${String(p.in)}`);
  }
});
const parameter = oneof((p) => (p.in === 'body' ? [1, bodyParameter] : [2, nonBodyParameter]));
const parametersItem = oneof((p) => ('$ref' in p ? [2, jsonReference] : [1, parameter]));

const response = message(
  () => ({ description: [1, 'string'], schema: [2, oneof(() => [1, schema])], examples: [4, map(1, 'any')] }),
  5,
);
const responses = map(1, oneof((r) => ('$ref' in r ? [2, jsonReference] : [1, response])), 2);

const securityRequirement = map(1, listOf('strings'));

const operation = message(
  () => ({
    tags: [1, 'strings'],
    summary: [2, 'string'],
    description: [3, 'string'],
    externalDocs: [4, externalDocs],
    operationId: [5, 'string'],
    produces: [6, 'strings'],
    consumes: [7, 'strings'],
    parameters: [8, { repeated: parametersItem }],
    responses: [9, responses],
    schemes: [10, 'strings'],
    deprecated: [11, 'bool'],
    security: [12, { repeated: securityRequirement }],
  }),
  13,
);

const pathItem = message(
  () => ({
    $ref: [1, 'string'], get: [2, operation], put: [3, operation], post: [4, operation], delete: [5, operation],
    options: [6, operation], head: [7, operation], patch: [8, operation], parameters: [9, { repeated: parametersItem }],
  }),
  10,
);

const info = message(() => ({ title: [1, 'string'], version: [2, 'string'], description: [3, 'string'], termsOfService: [4, 'string'] }), 7);

const apiKeySecurity = message(() => ({ type: [1, 'string'], name: [2, 'string'], in: [3, 'string'], description: [4, 'string'] }), 5);
const basicSecurity = message(() => ({ type: [1, 'string'], description: [2, 'string'] }), 3);
const securityDefinition = oneof((d, path): [number, FieldKind] => {
  if (d.type === 'basic') return [1, basicSecurity];
  if (d.type === 'apiKey') return [2, apiKeySecurity];
  return fail(path, `unsupported security definition type ${String(d.type)}`);
});

const tagObject = message(() => ({ name: [1, 'string'], description: [2, 'string'], externalDocs: [3, externalDocs] }), 4);

const document = message(
  () => ({
    swagger: [1, 'string'],
    info: [2, info],
    host: [3, 'string'],
    basePath: [4, 'string'],
    schemes: [5, 'strings'],
    consumes: [6, 'strings'],
    produces: [7, 'strings'],
    paths: [8, map(2, pathItem, 1)],
    definitions: [9, map(1, schema)],
    parameters: [10, map(1, parameter)],
    responses: [11, map(1, response)],
    security: [12, { repeated: securityRequirement }],
    securityDefinitions: [13, map(1, securityDefinition)],
    tags: [14, { repeated: tagObject }],
    externalDocs: [15, externalDocs],
  }),
  16,
);

/** The serialized openapi.v2.Document for a swagger 2.0 JSON document. */
export function openapiV2Protobuf(swagger: Record<string, unknown>): Buffer {
  return document(swagger, '$');
}
