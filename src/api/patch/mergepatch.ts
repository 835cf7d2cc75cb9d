// RFC 7386 JSON merge patch as kube-apiserver applies it (evanphx/json-patch.v4 MergePatch):
// objects merge recursively, null deletes, anything else (lists included) replaces.
// Nulls inside a replacing value are dropped from objects (kept as list elements), except
// when an object is replaced by a non-object, which upstream takes as it is.
import { badRequest } from './errors.js';
import { deepCopy, hasOwn, isObject, setKey, type JSONObject } from './json.js';

/** Upstream's ErrBadJSONPatch message, answered as 400 for a patch that is not an object or a list. */
export const INVALID_MERGE_PATCH = 'Invalid JSON Patch';

/** Applies a decoded merge patch to a copy of `original`; neither input is changed. */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return withoutNulls(patch);
  if (!isObject(patch)) throw badRequest(INVALID_MERGE_PATCH);
  if (!isObject(original)) return withoutNulls(patch);
  const doc = deepCopy(original);
  mergeInto(doc, patch);
  return doc;
}

function mergeInto(doc: JSONObject, patch: JSONObject): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = hasOwn(doc, k) ? doc[k] : null;
    if (isObject(cur) && isObject(v)) mergeInto(cur, v);
    else setKey(doc, k, isObject(cur) ? deepCopy(v) : withoutNulls(v));
  }
}

/** A copy of a patch value without the null members of its objects (upstream's pruneNulls). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: JSONObject = {};
  for (const k of Object.keys(v)) if (v[k] !== null) setKey(out, k, withoutNulls(v[k]));
  return out;
}
