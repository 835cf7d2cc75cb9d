// Unknown and duplicate fields, and how a 1.32 apiserver reports them for each
// fieldValidation directive: Strict fails the request (400 `strict decoding error: …`),
// Warn adds a Warning header per field (`299 - "unknown field \"spec.foo\""`), Ignore
// drops unknown fields silently. Paths are printed as upstream's strict decoder does:
// `spec.foo`, `spec.containers[0].bar`, `metadata.labels.app`.
import { goQuote } from '../meta/go.js';
import { childPath, compileSchema, definition, OBJECT_META, type SchemaNode } from './resolve.js';
import type { Definitions } from './types.js';
import { decodeErrorMessage } from './validate.js';

/** Paths of the fields `obj` has that the named definition does not know, in document order. */
export function findUnknownFields(obj: unknown, root: string, defs: Definitions): string[] {
  const found: string[] = [];
  walkUnknown(obj, compileSchema(definition(root, defs)), [], defs, true, found, false);
  return found;
}

/** Removes unknown fields in place (fieldValidation Ignore and Warn); returns their paths. */
export function prune(obj: unknown, root: string, defs: Definitions): string[] {
  const found: string[] = [];
  walkUnknown(obj, compileSchema(definition(root, defs)), [], defs, true, found, true);
  return found;
}

const typeMetaFields = new Set(['apiVersion', 'kind']);

/** Keys and list indexes from the root to a value; printed only for the rare unknown field. */
type PathSegments = (string | number)[];

function printPath(at: PathSegments): string {
  let path = '';
  for (const seg of at) path = typeof seg === 'number' ? `${path}[${seg}]` : childPath(path, seg);
  return path;
}

/**
 * A resource's root and x-kubernetes-embedded-resource objects keep apiVersion and kind
 * whatever their schema says, and their metadata is checked against ObjectMeta.
 */
function walkUnknown(x: unknown, use: SchemaNode, at: PathSegments, defs: Definitions, resourceRoot: boolean, found: string[], remove: boolean): void {
  if (typeof x !== 'object' || x === null) return;
  const s = use.resolve(defs);
  if (Array.isArray(x)) {
    const items = s.items;
    if (!items) return;
    for (let i = 0; i < x.length; i++) {
      at.push(i);
      walkUnknown(x[i], items, at, defs, false, found, remove);
      at.pop();
    }
    return;
  }
  const obj = x as Record<string, unknown>;
  const embedded = resourceRoot || s.embeddedResource;
  const props = s.properties;
  for (const key in obj) {
    if (embedded && typeMetaFields.has(key)) continue;
    const meta = embedded && key === 'metadata';
    const prop = meta ? objectMetaNode(defs) : (props?.get(key) ?? s.additionalProperties);
    if (prop) {
      at.push(key);
      walkUnknown(obj[key], prop, at, defs, false, found, remove);
      at.pop();
    } else if (!meta && !s.preserveUnknownFields) {
      at.push(key);
      found.push(printPath(at));
      at.pop();
      if (remove) delete obj[key];
    }
  }
}

function objectMetaNode(defs: Definitions): SchemaNode | undefined {
  const meta = defs.get(OBJECT_META);
  return meta && compileSchema(meta);
}

/** Maximum strict errors one decode reports, as upstream's decoder caps them. */
const MAX_STRICT_ERRORS = 100;

/**
 * Paths of keys repeated within one JSON object, anywhere in the document, in one pass over
 * the text (no second parse): `metadata.name`, `spec.containers[0].image`. Assumes valid JSON.
 */
export function findDuplicateFields(json: string): string[] {
  const found = new Set<string>();
  // One frame per open object or array: for objects the keys seen so far (null for arrays), the
  // index of the current element; `at` holds how each frame but the root was entered.
  const keys: (Set<string> | null)[] = [];
  const indexes: number[] = [];
  const at: PathSegments = [];
  let pendingKey: string | undefined;
  let i = 0;
  const n = json.length;
  while (i < n) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(json, i);
      const top = keys.length - 1;
      if (top >= 0 && keys[top] !== null && pendingKey === undefined && isKeyPosition(json, end + 1)) {
        const raw = json.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(json.slice(i, end + 1)) as string) : raw;
        const seen = keys[top]!;
        if (seen.has(key)) {
          if (found.size < MAX_STRICT_ERRORS) found.add(childPath(printPath(at), key));
        } else {
          seen.add(key);
        }
        pendingKey = key;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const top = keys.length - 1;
      if (top >= 0) at.push(keys[top] === null ? indexes[top] : (pendingKey ?? ''));
      keys.push(c === 0x7b ? new Set() : null);
      indexes.push(0);
      pendingKey = undefined;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      keys.pop();
      indexes.pop();
      if (keys.length > 0) at.pop();
      pendingKey = undefined;
    } else if (c === 0x2c /* , */) {
      const top = indexes.length - 1;
      if (top >= 0) indexes[top]++;
      pendingKey = undefined;
    }
    i++;
  }
  return [...found];
}

/** Index of the closing quote of the string opening at `start`. */
function stringEnd(json: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = json.indexOf('"', i);
    if (q < 0) return json.length;
    let backslashes = 0;
    for (let j = q - 1; json.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

/** A string is an object key when the next non-space character is a colon. */
function isKeyPosition(json: string, i: number): boolean {
  for (; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x3a) return true;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

// ---- the texts upstream uses for strictness violations ----

/** `unknown field "spec.foo"`: one strict decoding error, and the text of its Warn-mode warning. */
export function unknownFieldWarning(path: string): string {
  return `unknown field ${goQuote(path)}`;
}

/** `duplicate field "metadata.name"`. */
export function duplicateFieldWarning(path: string): string {
  return `duplicate field ${goQuote(path)}`;
}

/**
 * The Strict-mode failure: `strict decoding error: unknown field "spec.foo", duplicate field "x"`
 * (duplicates first, as the CRD decoder finds them before pruning). Given the kind and version,
 * the whole 400 message: `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: …`.
 */
export function strictDecodingError(unknown: string[], duplicates: string[], kind?: string, version?: string): string {
  const errors = [...duplicates.map(duplicateFieldWarning), ...unknown.map(unknownFieldWarning)];
  const message = `strict decoding error: ${errors.join(', ')}`;
  return kind ? decodeErrorMessage(kind, version ?? '', kind, message) : message;
}

/** A Warning header value as the apiserver writes it: `299 - "unknown field \"spec.foo\""`. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
