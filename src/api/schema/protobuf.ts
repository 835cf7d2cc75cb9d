// Decoding of request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`,
// what client-go's typed clients send for built-in kinds) into the JSON value the same object has.
// Table-driven: an object schema's `proto` map (property → field number, from upstream's
// generated.proto) is all a kind needs; the wire type of each field follows from its schema.
import { badRequest, failure, type StatusError } from '../meta/status.js';
import { formatMicroTime, formatRFC3339 } from '../meta/time.js';
import { childPath, compileSchema, definition, isIntOrString, isQuantity, isZeroValue, META_V1, MICRO_TIME } from './resolve.js';
import type { Definitions, ProtoInline, Schema } from './types.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** `k8s\0`: the envelope marker; the rest is a runtime.Unknown message. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

const DURATION = `${META_V1}.Duration`;

/** Values whose protobuf message differs from their JSON form. */
type Special = 'time' | 'microTime' | 'duration' | 'quantity' | 'intOrString' | 'raw';

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/**
 * Decodes a whole protobuf body: the `k8s\0` envelope and the object in it, as the message of
 * `root` or, without one, of the definition tagged with the envelope's group-version-kind.
 * The object carries apiVersion and kind as a JSON body would.
 */
export function decodeProtobufObject(bytes: Uint8Array, defs: Definitions, root?: string): DecodedObject {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0) throw badRequest('empty data');
  if (buf.length < MAGIC.length || MAGIC.some((b, i) => buf[i] !== b)) {
    throw badRequest(`provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`);
  }
  if (buf.length === MAGIC.length) throw badRequest('empty body');
  const d = new Decoder(buf, defs);
  const unknown = d.envelope(MAGIC.length, buf.length);
  const name = root ?? definitionForKind(unknown.apiVersion, unknown.kind, defs);
  const schema = definition(name, defs);
  const object: Record<string, unknown> = {};
  if (unknown.apiVersion) object.apiVersion = unknown.apiVersion;
  if (unknown.kind) object.kind = unknown.kind;
  d.pos = unknown.rawStart;
  Object.assign(object, d.message(schema, shortName(name), unknown.rawEnd, ''));
  return { apiVersion: unknown.apiVersion, kind: unknown.kind, object };
}

/**
 * A request body of the kind `expectedRoot` names (an object, DeleteOptions, Eviction, Binding, Scale …).
 * The envelope's kind must be the expected one; so must its apiVersion when the definition has
 * group-version-kinds (DeleteOptions has none: clients tag it with the group-version they talk to).
 */
export function decodeProtobufBody(bytes: Uint8Array, defs: Definitions, expectedRoot: string): unknown {
  const { apiVersion, kind, object } = decodeProtobufObject(bytes, defs, expectedRoot);
  const gvks = definition(expectedRoot, defs)['x-kubernetes-group-version-kind'] ?? [];
  const expectedKind = gvks[0]?.kind ?? shortName(expectedRoot);
  if (kind && kind !== expectedKind) {
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${expectedKind}: the kind in the data does not match the expected kind`);
  }
  if (apiVersion && gvks.length && !gvks.some((g) => groupVersion(g) === apiVersion)) {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${groupVersion(gvks[0])})`);
  }
  return object;
}

function groupVersion(g: { group: string; version: string }): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

function definitionForKind(apiVersion: string, kind: string, defs: Definitions): string {
  for (const [name, schema] of defs) {
    if (schema['x-kubernetes-group-version-kind']?.some((g) => g.kind === kind && groupVersion(g) === apiVersion)) return name;
  }
  throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in scheme`);
}

/** `io.k8s.api.core.v1.ConfigMap` → `ConfigMap`. */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function unsupported(kind: string): StatusError {
  return failure(415, 'UnsupportedMediaType', `protobuf is not supported for ${kind} yet`);
}

/** A message layout: field number → property, or → an inline-embedded struct with its own layout. */
type Layout = Map<number, string | ProtoInline>;

/** Layouts per object schema (schemas are immutable once defined) and per inline struct. */
const layouts = new WeakMap<object, Layout>();

function layoutOf(source: { proto?: Record<string, number>; protoInline?: ProtoInline[] }, kind: string): Layout {
  let layout = layouts.get(source);
  if (!layout) {
    if (!source.proto) throw unsupported(kind);
    layout = new Map();
    for (const [prop, num] of Object.entries(source.proto)) layout.set(num, prop);
    for (const inline of source.protoInline ?? []) layout.set(inline.field, inline);
    layouts.set(source, layout);
  }
  return layout;
}

/** A value's schema, the name of its definition, and whether its message differs from its JSON form. */
interface Classified {
  schema: Schema;
  name?: string;
  special?: Special;
}

/** Follows a use site's refs to what the value is and how it is encoded. */
function classify(use: Schema, defs: Definitions): Classified {
  let s = use;
  let name: string | undefined;
  while (s.ref !== undefined) {
    name = s.ref;
    if (name === MICRO_TIME) return { schema: definition(name, defs), name, special: 'microTime' };
    if (name === DURATION) return { schema: definition(name, defs), name, special: 'duration' };
    s = definition(name, defs);
  }
  let special: Special | undefined;
  if (isIntOrString(s)) special = 'intOrString';
  else if (isQuantity(s)) special = 'quantity';
  else if (s.format === 'date-time') special = 'time';
  else if (s['x-kubernetes-preserve-unknown-fields'] && !s.proto) special = 'raw';
  return { schema: s, name, special };
}

class Decoder {
  pos = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly defs: Definitions,
  ) {}

  // ---- wire primitives ----

  private malformed(message: string): StatusError {
    return badRequest(`unable to decode protobuf body: ${message}`);
  }

  /** A varint as two 32-bit halves, so that 64-bit values (negative ones take ten bytes) stay exact. */
  private varint(end: number): [lo: number, hi: number] {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw this.malformed('unexpected EOF');
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) return [lo >>> 0, hi >>> 0];
    }
    throw this.malformed('integer overflow');
  }

  private int64(end: number): number {
    const [lo, hi] = this.varint(end);
    return (hi | 0) * 0x1_0000_0000 + lo;
  }

  private int64Big(end: number): bigint {
    const [lo, hi] = this.varint(end);
    return (BigInt(hi | 0) << 32n) | BigInt(lo);
  }

  /** A length prefix; returns where the delimited bytes end. */
  private delimited(end: number): number {
    const [lo, hi] = this.varint(end);
    if (hi !== 0 || lo > end - this.pos) throw this.malformed('unexpected EOF');
    return this.pos + lo;
  }

  private tag(end: number): [num: number, wire: number] {
    const [lo, hi] = this.varint(end);
    const num = lo >>> 3;
    if (hi !== 0 || num === 0) throw this.malformed(`illegal tag ${num} (wire type ${lo & 7})`);
    return [num, lo & 7];
  }

  private expectWire(wire: number, expected: number, path: string): void {
    if (wire !== expected) throw this.malformed(`wrong wire type ${wire} for field ${path || '<root>'}, expected ${expected}`);
  }

  private string(end: number): string {
    const stop = this.delimited(end);
    const s = this.buf.toString('utf8', this.pos, stop);
    this.pos = stop;
    return s;
  }

  private base64(end: number): string {
    const stop = this.delimited(end);
    const s = this.buf.toString('base64', this.pos, stop);
    this.pos = stop;
    return s;
  }

  /** The fields of a small fixed-layout message, by number; `read` consumes one field's value. */
  private fields(end: number, what: string, read: (num: number, wire: number, end: number) => boolean): void {
    while (this.pos < end) {
      const [num, wire] = this.tag(end);
      if (!read(num, wire, end)) throw this.malformed(`unknown field ${num} (wire type ${wire}) in ${what}`);
    }
  }

  // ---- the envelope ----

  /** runtime.Unknown: typeMeta {apiVersion=1, kind=2}, raw=2, contentEncoding=3, contentType=4. */
  envelope(start: number, end: number): { apiVersion: string; kind: string; rawStart: number; rawEnd: number } {
    this.pos = start;
    let apiVersion = '';
    let kind = '';
    let rawStart = end;
    let rawEnd = end;
    let contentEncoding = '';
    this.fields(end, 'runtime.Unknown', (num, wire, end) => {
      if (wire !== BYTES) return false;
      if (num === 1) {
        const stop = this.delimited(end);
        this.fields(stop, 'runtime.TypeMeta', (n, w, e) => {
          if (w !== BYTES || (n !== 1 && n !== 2)) return false;
          if (n === 1) apiVersion = this.string(e);
          else kind = this.string(e);
          return true;
        });
      } else if (num === 2) {
        rawEnd = this.delimited(end);
        rawStart = this.pos;
        this.pos = rawEnd;
      } else if (num === 3) contentEncoding = this.string(end);
      else if (num === 4) this.string(end);
      else return false;
      return true;
    });
    if (contentEncoding) throw this.malformed(`unsupported content encoding "${contentEncoding}"`);
    return { apiVersion, kind, rawStart, rawEnd };
  }

  // ---- messages and values ----

  /** One message of an object schema with a `proto` map; `kind` names it in errors. */
  message(schema: Schema, kind: string, end: number, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.schemaFields(out, schema, schema, kind, end, path);
    return out;
  }

  /** Reads the fields of `layout` (the schema itself or an inline struct of it) into `out`. */
  private schemaFields(
    out: Record<string, unknown>,
    schema: Schema,
    layout: { proto?: Record<string, number>; protoPointers?: string[]; protoInline?: ProtoInline[] },
    kind: string,
    end: number,
    path: string,
  ): void {
    const table = layoutOf(layout, kind);
    while (this.pos < end) {
      const [num, wire] = this.tag(end);
      const entry = table.get(num);
      if (entry !== undefined && typeof entry !== 'string') {
        this.expectWire(wire, BYTES, path);
        const stop = this.delimited(end);
        this.schemaFields(out, schema, entry, kind, stop, path);
        continue;
      }
      const use = entry === undefined ? undefined : schema.properties?.[entry];
      if (entry === undefined || use === undefined) {
        throw this.malformed(`unknown field ${num} (wire type ${wire}) in ${kind}${path ? ` at ${path}` : ''}`);
      }
      this.field(out, entry, use, compileSchema(schema).omitsZero?.has(entry) ?? false, wire, end, childPath(path, entry));
    }
  }

  private field(out: Record<string, unknown>, prop: string, use: Schema, omitsZero: boolean, wire: number, end: number, path: string): void {
    const c = classify(use, this.defs);
    const s = c.schema;
    if (!c.special && s.type === 'array') {
      const items = (out[prop] ??= []) as unknown[];
      const item = s.items ?? {};
      const itemType = classify(item, this.defs);
      const scalar = !itemType.special && (itemType.schema.type === 'integer' || itemType.schema.type === 'number' || itemType.schema.type === 'boolean');
      if (scalar && wire === BYTES) {
        // Packed repeated scalars: one length-delimited run of values.
        const stop = this.delimited(end);
        const itemWire = itemType.schema.type === 'number' ? numberWire(itemType.schema) : VARINT;
        while (this.pos < stop) items.push(this.value(item, itemWire, stop, path, itemType));
      } else items.push(this.value(item, wire, end, `${path}[${items.length}]`, itemType));
      return;
    }
    if (!c.special && isMap(s)) {
      this.expectWire(wire, BYTES, path);
      const entries = (out[prop] ??= {}) as Record<string, unknown>;
      this.mapEntry(entries, s.additionalProperties!, this.delimited(end), path);
      return;
    }
    const v = this.value(use, wire, end, path, c);
    // Go's generated marshallers write every non-pointer field, zero or not; the JSON form leaves
    // out the zeros of `omitempty` fields (pointers, as replicas: 0, keep theirs), as upstream's would.
    if (v === undefined || (omitsZero && isZeroValue(v))) delete out[prop];
    else out[prop] = v;
  }

  /** A map entry {key=1, value=2}; a missing value is its type's zero value. */
  private mapEntry(entries: Record<string, unknown>, valueSchema: Schema, end: number, path: string): void {
    let key = '';
    let value: unknown;
    this.fields(end, `map entry at ${path}`, (num, wire, e) => {
      if (num === 1) {
        this.expectWire(wire, BYTES, path);
        key = this.string(e);
      } else if (num === 2) value = this.value(valueSchema, wire, e, path);
      else return false;
      return true;
    });
    entries[key] = value === undefined ? this.zeroValue(valueSchema) : value;
  }

  private zeroValue(use: Schema): unknown {
    const c = classify(use, this.defs);
    if (c.special === 'quantity') return '0';
    if (c.special === 'intOrString') return 0;
    switch (c.schema.type) {
      case 'string':
        return '';
      case 'integer':
      case 'number':
        return 0;
      case 'boolean':
        return false;
      case 'array':
        return [];
      default:
        return {};
    }
  }

  /** One value of the schema `use`, whose field arrived with wire type `wire`; undefined for a zero Time. */
  private value(use: Schema, wire: number, end: number, path: string, c: Classified = classify(use, this.defs)): unknown {
    const { schema: s, name, special } = c;
    if (special) {
      this.expectWire(wire, BYTES, path);
      return this.special(special, this.delimited(end), path);
    }
    switch (s.type) {
      case 'string':
        this.expectWire(wire, BYTES, path);
        return s.format === 'byte' ? this.base64(end) : this.string(end);
      case 'integer':
        this.expectWire(wire, VARINT, path);
        return s.format === 'int32' ? this.varint(end)[0] | 0 : this.int64(end);
      case 'boolean': {
        this.expectWire(wire, VARINT, path);
        const [lo, hi] = this.varint(end);
        return lo !== 0 || hi !== 0;
      }
      case 'number':
        return this.number(wire, end, path);
      case 'array': {
        // A list inside a map or list travels as a message with its items in field 1 (as metav1's ExtraValue).
        this.expectWire(wire, BYTES, path);
        const stop = this.delimited(end);
        const items: Record<string, unknown> = {};
        while (this.pos < stop) {
          const [num, w] = this.tag(stop);
          if (num !== 1) throw this.malformed(`unknown field ${num} (wire type ${w}) in list at ${path}`);
          this.field(items, 'items', s, false, w, stop, path);
        }
        return items.items ?? [];
      }
      default: {
        this.expectWire(wire, BYTES, path);
        const stop = this.delimited(end);
        if (isMap(s)) throw unsupported(name ? shortName(name) : path);
        return this.message(s, name ? shortName(name) : path, stop, path);
      }
    }
  }

  private number(wire: number, end: number, path: string): number {
    const size = wire === FIXED64 ? 8 : wire === FIXED32 ? 4 : 0;
    if (size === 0) this.expectWire(wire, FIXED64, path);
    if (end - this.pos < size) throw this.malformed('unexpected EOF');
    const v = size === 8 ? this.buf.readDoubleLE(this.pos) : this.buf.readFloatLE(this.pos);
    this.pos += size;
    return v;
  }

  private special(kind: Special, end: number, path: string): unknown {
    switch (kind) {
      case 'time':
      case 'microTime': {
        // An empty message is Go's zero time, which JSON writes as null.
        if (this.pos === end) return undefined;
        let seconds = 0;
        let nanos = 0;
        this.fields(end, `Timestamp at ${path}`, (num, wire, e) => {
          if (wire !== VARINT || (num !== 1 && num !== 2)) return false;
          if (num === 1) seconds = this.int64(e);
          else nanos = this.varint(e)[0] | 0;
          return true;
        });
        // metav1.Time drops the nanoseconds it carries; MicroTime keeps microseconds.
        return kind === 'time' ? formatRFC3339(seconds * 1000) : formatMicroTime(seconds * 1_000_000 + Math.trunc(nanos / 1000));
      }
      case 'duration': {
        let ns = 0n;
        this.fields(end, `Duration at ${path}`, (num, wire, e) => {
          if (num !== 1 || wire !== VARINT) return false;
          ns = this.int64Big(e);
          return true;
        });
        return goDuration(ns);
      }
      case 'quantity': {
        let q = '0';
        this.fields(end, `Quantity at ${path}`, (num, wire, e) => {
          if (num !== 1 || wire !== BYTES) return false;
          q = this.string(e);
          return true;
        });
        return q;
      }
      case 'intOrString': {
        let type = 0;
        let intVal = 0;
        let strVal = '';
        this.fields(end, `IntOrString at ${path}`, (num, wire, e) => {
          if (num === 1 && wire === VARINT) type = this.int64(e);
          else if (num === 2 && wire === VARINT) intVal = this.varint(e)[0] | 0;
          else if (num === 3 && wire === BYTES) strVal = this.string(e);
          else return false;
          return true;
        });
        return type === 1 ? strVal : intVal;
      }
      case 'raw': {
        // RawExtension, FieldsV1 and apiextensions' JSON: {raw=1} holding JSON, or a nested protobuf object.
        let raw: Buffer | undefined;
        this.fields(end, `raw value at ${path}`, (num, wire, e) => {
          if (num !== 1 || wire !== BYTES) return false;
          const stop = this.delimited(e);
          raw = this.buf.subarray(this.pos, stop);
          this.pos = stop;
          return true;
        });
        if (!raw || raw.length === 0) return undefined;
        if (MAGIC.every((b, i) => raw![i] === b)) return decodeProtobufObject(raw, this.defs).object;
        try {
          return JSON.parse(raw.toString('utf8'));
        } catch (err) {
          throw this.malformed(`${path}: ${(err as Error).message}`);
        }
      }
    }
  }
}

function isMap(s: Schema): boolean {
  return s.type === 'object' && s.additionalProperties !== undefined && s.properties === undefined;
}

function numberWire(s: Schema): number {
  return s.format === 'float' ? FIXED32 : FIXED64;
}

/** Go's time.Duration.String: `1h2m3.5s`, `1.5s`, `250ms`, `1.5µs`, `0s`. */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const negative = ns < 0n;
  const u = negative ? -ns : ns;
  let text: string;
  if (u < 1_000_000_000n) {
    text = u < 1_000n ? `${u}ns` : u < 1_000_000n ? `${decimal(u, 1_000n, 3)}µs` : `${decimal(u, 1_000_000n, 6)}ms`;
  } else {
    const minutes = u / 60_000_000_000n;
    const seconds = `${decimal(u % 60_000_000_000n, 1_000_000_000n, 9)}s`;
    const hours = minutes / 60n;
    text = minutes === 0n ? seconds : `${hours ? `${hours}h` : ''}${minutes % 60n}m${seconds}`;
  }
  return negative ? `-${text}` : text;
}

/** v / scale with the fraction's trailing zeros dropped. */
function decimal(v: bigint, scale: bigint, digits: number): string {
  const fraction = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction ? `${v / scale}.${fraction}` : `${v / scale}`;
}
