// RFC 6902 JSON patch as kube-apiserver applies it: with gopkg.in/evanphx/json-patch.v4,
// whose quirks users can observe and which are kept here:
// - negative array indices count from the end (`/spec/containers/-1`);
// - `replace` of a key missing from an object adds it; `replace` or `test` at "" act on the whole document;
// - `add`/`replace` without a value write null; `copy` from a missing key writes null;
// - `test` with value null matches a missing key;
// - the text before a path's first "/" is ignored, a path with no "/" fails.
// An operation that fails makes the whole patch fail with upstream's generic 422.
import { requestEntityTooLarge } from '../meta/status.js';
import { badRequest, patchNotApplicable } from './errors.js';
import { deepCopy, deepEqual, hasOwn, isObject, jsonKind, setKey, type JSONObject } from './json.js';

/** Upstream's limit on operations in one JSON patch (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JSONObject | unknown[];
type Operation = JSONObject | null;

class OperationError extends Error {}

function fail(message: string): never {
  throw new OperationError(message);
}

/** Checks the decoded document is a list of operations, as upstream's DecodePatch does (400 otherwise). */
function operations(patch: unknown): Operation[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  for (const op of patch) {
    if (op !== null && !isObject(op)) throw badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`,
    );
  }
  return patch as Operation[];
}

/** Applies a decoded JSON patch to a copy of `original`; neither input is changed. */
export function applyJsonPatch(original: unknown, patch: unknown): unknown {
  const ops = operations(patch);
  let doc = deepCopy(original);
  for (const op of ops) {
    try {
      doc = applyOperation(doc, op);
    } catch (err) {
      if (err instanceof OperationError) throw patchNotApplicable(err.message);
      throw err;
    }
  }
  return doc;
}

function applyOperation(doc: unknown, op: Operation): unknown {
  if (!op || typeof op.op !== 'string') fail('Unexpected kind: unknown');
  const kind = op.op;
  switch (kind) {
    case 'add': {
      const path = pathField(op, 'path', kind);
      const [c, key] = locate(doc, path, `add operation does not apply: doc is missing path: "${path}"`);
      insert(c, key, valueField(op));
      return doc;
    }
    case 'remove': {
      const path = pathField(op, 'path', kind);
      const [c, key] = locate(doc, path, `remove operation does not apply: doc is missing path: "${path}"`);
      remove(c, key);
      return doc;
    }
    case 'replace': {
      const path = pathField(op, 'path', kind);
      if (path === '') {
        const value = op.value;
        if (typeof value !== 'object' || value === null) fail('replace operation value must be object or array');
        return deepCopy(value);
      }
      const [c, key] = locate(doc, path, `replace operation does not apply: doc is missing path: ${path}`);
      get(c, key);
      if (Array.isArray(c)) c[arrayIndex(key, c.length)] = valueField(op);
      else setKey(c, key, valueField(op));
      return doc;
    }
    case 'move': {
      const from = pathField(op, 'from', kind);
      const [src, srcKey] = locate(doc, from, `move operation does not apply: doc is missing from path: ${from}`);
      const value = get(src, srcKey);
      remove(src, srcKey);
      const path = pathField(op, 'path', kind);
      const [dst, dstKey] = locate(doc, path, `move operation does not apply: doc is missing destination path: ${path}`);
      insert(dst, dstKey, value);
      return doc;
    }
    case 'copy': {
      const from = pathField(op, 'from', kind);
      const [src, srcKey] = locate(doc, from, `copy operation does not apply: doc is missing from path: ${from}`);
      const value = get(src, srcKey);
      const path = pathField(op, 'path', kind);
      const [dst, dstKey] = locate(doc, path, `copy operation does not apply: doc is missing destination path: ${path}`);
      insert(dst, dstKey, value === undefined ? null : deepCopy(value));
      return doc;
    }
    case 'test': {
      const path = pathField(op, 'path', kind);
      const hasValue = hasOwn(op, 'value');
      let actual: unknown;
      if (path === '') actual = doc;
      else {
        const [c, key] = locate(doc, path, `test operation does not apply: is missing path: ${path}`);
        actual = get(c, key);
        // A missing key and a null are the same to upstream, and match an explicit null.
        if (actual === undefined || actual === null) {
          if (hasValue && op.value === null) return doc;
          fail(`testing value ${path} failed: test failed`);
        }
      }
      if (!hasValue || !deepEqual(actual, op.value)) fail(`testing value ${path} failed: test failed`);
      return doc;
    }
    default:
      fail(`Unexpected kind: ${kind}`);
  }
}

function pathField(op: JSONObject, field: 'path' | 'from', kind: string): string {
  const v = op[field];
  if (typeof v !== 'string') fail(`${kind} operation failed to decode ${field}: missing value`);
  return v;
}

/** The operation's value, copied so that later operations never write into the patch. */
function valueField(op: JSONObject): unknown {
  return hasOwn(op, 'value') ? deepCopy(op.value) : null;
}

function unescapeToken(token: string): string {
  return token.includes('~') ? token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~')) : token;
}

/** The container holding the last token of `path`, and that token (upstream's findObject). */
function locate(doc: unknown, path: string, missing: string): [Container, string] {
  const tokens = path.split('/');
  if (tokens.length < 2 || typeof doc !== 'object' || doc === null) fail(missing);
  let c = doc as Container;
  for (let i = 1; i < tokens.length - 1; i++) {
    let next: unknown;
    try {
      next = get(c, unescapeToken(tokens[i]));
    } catch {
      fail(missing);
    }
    if (typeof next !== 'object' || next === null) fail(missing);
    c = next as Container;
  }
  return [c, unescapeToken(tokens[tokens.length - 1])];
}

/** strconv.Atoi: optional sign, decimal digits. */
function parseIndex(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key)) fail(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  const n = Number(key);
  if (!Number.isSafeInteger(n)) fail(`strconv.Atoi: parsing ${JSON.stringify(key)}: value out of range`);
  return n;
}

/** An index into a list of `size` slots; negative indices count from the end. */
function arrayIndex(key: string, size: number): number {
  let i = parseIndex(key);
  if (i < 0) {
    if (i < -size) fail(`Unable to access invalid index: ${i}: invalid index referenced`);
    i += size;
  }
  if (i >= size) fail(`Unable to access invalid index: ${i}: invalid index referenced`);
  return i;
}

/** The value at `key`: undefined for a key missing from an object, an error for a bad list index. */
function get(c: Container, key: string): unknown {
  if (Array.isArray(c)) return c[arrayIndex(key, c.length)];
  return hasOwn(c, key) ? c[key] : undefined;
}

function insert(c: Container, key: string, value: unknown): void {
  if (!Array.isArray(c)) {
    setKey(c, key, value);
    return;
  }
  if (key === '-') c.push(value);
  else c.splice(arrayIndex(key, c.length + 1), 0, value);
}

function remove(c: Container, key: string): void {
  if (Array.isArray(c)) {
    c.splice(arrayIndex(key, c.length), 1);
    return;
  }
  if (!hasOwn(c, key)) fail(`Unable to remove nonexistent key: ${key}: missing value`);
  delete c[key];
}
