// Unknown and duplicate fields, and how a 1.32 apiserver reports them for each
// fieldValidation directive: Strict fails the request (400 `strict decoding error: …`),
// Warn adds a Warning header per field (`299 - "unknown field \"spec.foo\""`), Ignore
// drops unknown fields silently. Paths are printed as upstream's strict decoder does:
// `spec.foo`, `spec.containers[0].bar`, `metadata.labels.app`.
import { childPath, definition, isPlainObject, OBJECT_META, resolve } from './resolve.js';
import type { Definitions, Schema } from './types.js';
import { decodeErrorMessage } from './validate.js';

/** Paths of the fields `obj` has that the named definition does not know, in document order. */
export function findUnknownFields(obj: unknown, root: string, defs: Definitions): string[] {
  const found: string[] = [];
  walkUnknown(obj, definition(root, defs), '', defs, true, found, false);
  return found;
}

/** Removes unknown fields in place (fieldValidation Ignore and Warn); returns their paths. */
export function prune(obj: unknown, root: string, defs: Definitions): string[] {
  const found: string[] = [];
  walkUnknown(obj, definition(root, defs), '', defs, true, found, true);
  return found;
}

const typeMetaFields = new Set(['apiVersion', 'kind']);

/**
 * A resource's root and x-kubernetes-embedded-resource objects keep apiVersion and kind
 * whatever their schema says, and their metadata is checked against ObjectMeta.
 */
function walkUnknown(x: unknown, use: Schema, path: string, defs: Definitions, resourceRoot: boolean, found: string[], remove: boolean): void {
  const s = resolve(use, defs);
  if (Array.isArray(x)) {
    if (!s.items) return;
    for (let i = 0; i < x.length; i++) walkUnknown(x[i], s.items, `${path}[${i}]`, defs, false, found, remove);
    return;
  }
  if (!isPlainObject(x)) return;
  const embedded = resourceRoot || s['x-kubernetes-embedded-resource'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const props = s.properties;
  for (const key in x) {
    if (embedded && typeMetaFields.has(key)) continue;
    const child = childPath(path, key);
    if (embedded && key === 'metadata') {
      const meta = defs.get(OBJECT_META);
      if (meta) walkUnknown(x[key], meta, child, defs, false, found, remove);
      continue;
    }
    const prop = props && Object.hasOwn(props, key) ? props[key] : s.additionalProperties;
    if (prop) {
      walkUnknown(x[key], prop, child, defs, false, found, remove);
    } else if (!preserve) {
      found.push(child);
      if (remove) delete x[key];
    }
  }
}

/** Maximum strict errors one decode reports, as upstream's decoder caps them. */
const MAX_STRICT_ERRORS = 100;

/**
 * Paths of keys repeated within one JSON object, anywhere in the document, in one pass over
 * the text (no second parse): `metadata.name`, `spec.containers[0].image`. Assumes valid JSON.
 */
export function findDuplicateFields(json: string): string[] {
  const found = new Set<string>();
  // One frame per open object or array: its path, and for objects the keys seen so far.
  const paths: string[] = [];
  const keys: (Set<string> | null)[] = [];
  const indexes: number[] = [];
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
          if (found.size < MAX_STRICT_ERRORS) found.add(childPath(paths[top], key));
        } else {
          seen.add(key);
        }
        pendingKey = key;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      paths.push(valuePath(paths, keys, indexes, pendingKey));
      keys.push(c === 0x7b ? new Set() : null);
      indexes.push(0);
      pendingKey = undefined;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      paths.pop();
      keys.pop();
      indexes.pop();
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

/** The path of the value that starts now: the key it follows, or its index in the enclosing array. */
function valuePath(paths: string[], keys: (Set<string> | null)[], indexes: number[], pendingKey: string | undefined): string {
  const top = paths.length - 1;
  if (top < 0) return '';
  if (keys[top] === null) return `${paths[top]}[${indexes[top]}]`;
  return childPath(paths[top], pendingKey ?? '');
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

/** Go's strconv.Quote for the printable strings field paths are. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}
