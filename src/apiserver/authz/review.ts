// What the create-only review kinds (access reviews, SelfSubjectReview, TokenReview) share: the
// body checked against the kind the URL names, and the 201 answer carrying the computed status.
import { badRequest, invalid, type FieldError } from '../../api/meta/status.js';
import { groupVersionString, type KubeObject } from '../../api/registry.js';
import type { ApiResponse } from '../../client/transport.js';
import { methodNotAllowed, type SubresourceRequest } from '../handler.js';
import { deepCopy } from '../../api/patch/json.js';

/** The review in the request body, of the storage's kind and version, with metadata as upstream's decoder leaves it. */
export function decodeReview<T extends KubeObject>(r: SubresourceRequest): T {
  if (r.req.method !== 'POST') throw methodNotAllowed();
  const def = r.storage.def;
  const apiVersion = groupVersionString(def);
  const body = deepCopy(r.body ?? {}) as T;
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== def.kind) {
    throw badRequest(`${body.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the kind in the data does not match the expected kind`);
  }
  body.apiVersion = apiVersion;
  body.kind = def.kind;
  const meta = (body.metadata ??= {});
  if (def.namespaced) {
    if (meta.namespace && meta.namespace !== r.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = r.namespace;
  }
  return body;
}

/** 422 for a review that fails validation (reviews have no name). */
export function checkReview(review: KubeObject, errs: FieldError[]): void {
  if (errs.length) throw invalid(review.kind ?? '', review.apiVersion?.split('/')[0] ?? '', '', errs);
}

/** 201 with the review and its answer; an unset creationTimestamp is written null, as Go writes it. */
export function reviewCreated(review: KubeObject): ApiResponse {
  review.metadata = { ...review.metadata, creationTimestamp: review.metadata?.creationTimestamp ?? null };
  return { status: 201, body: review };
}
