// The patch types kube-apiserver accepts on PATCH, by content type. Server-side apply
// (application/apply-patch+yaml) is not one of them here: it merges by field ownership.
import { failure, type StatusError } from '../meta/status.js';
import { badRequest } from './errors.js';
import { applyJsonPatch } from './jsonpatch.js';
import { applyMergePatch, INVALID_MERGE_PATCH } from './mergepatch.js';
import { applyStrategicMergePatch, type StrategicSchema } from './strategic.js';
import { goJSONSyntaxError } from './syntax.js';

export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './jsonpatch.js';
export { applyMergePatch } from './mergepatch.js';
export { applyStrategicMergePatch, type StrategicSchema } from './strategic.js';

export type PatchType = 'json' | 'merge' | 'strategic';

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';

/**
 * The patch type a Content-Type names, or undefined. Like upstream's patch handler, only
 * parameters (`; charset=…`) are cut off: no trimming, no case folding.
 */
export function patchTypeFromContentType(contentType: string): PatchType | undefined {
  const semi = contentType.indexOf(';');
  const mediaType = semi > 0 ? contentType.slice(0, semi) : contentType;
  switch (mediaType) {
    case PATCH_CONTENT_TYPES.json:
      return 'json';
    case PATCH_CONTENT_TYPES.merge:
      return 'merge';
    case PATCH_CONTENT_TYPES.strategic:
      return 'strategic';
    default:
      return undefined;
  }
}

/**
 * 415 for a PATCH whose content type is not accepted. Built-in resources are refused by
 * go-restful's route matching ("415: Unsupported Media Type"); custom resources, which take
 * no strategic merge patch, by the patch handler, which lists what it accepts.
 */
export function unsupportedPatchMediaType(customResource = false): StatusError {
  if (!customResource) return failure(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
  const accepted = [PATCH_CONTENT_TYPES.json, PATCH_CONTENT_TYPES.merge, APPLY_PATCH_CONTENT_TYPE].join(', ');
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted}`);
}

/** Parses a patch body, answering 400 with upstream's message when it is not JSON. */
export function decodePatch(type: PatchType, body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return JSON.parse(text);
  } catch {
    // A merge patch that does not parse is ErrBadJSONPatch upstream; the others carry Go's decoder message.
    throw badRequest(type === 'merge' ? INVALID_MERGE_PATCH : (goJSONSyntaxError(text) ?? 'unexpected end of JSON input'));
  }
}

/**
 * Applies a decoded patch of `type` to a copy of `original` (neither input is changed).
 * `schema` gives strategic merge patch its list strategies; without it every list is replaced.
 * Throws StatusError as kube-apiserver answers: 400 for a malformed patch, 413 for a JSON
 * patch of more than 10000 operations, 422 for a JSON patch operation that does not apply,
 * 400/422/500 for strategic merge patch errors as upstream classifies them.
 */
export function applyPatch(type: PatchType, original: unknown, patch: unknown, schema?: StrategicSchema): unknown {
  switch (type) {
    case 'json':
      return applyJsonPatch(original, patch);
    case 'merge':
      return applyMergePatch(original, patch);
    case 'strategic':
      return applyStrategicMergePatch(original, patch, schema);
  }
}
