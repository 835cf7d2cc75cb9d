// PUT /api/v1/namespaces/{name}/finalize: how the namespace controller (and anyone else who
// registered a spec finalizer) says it is done. As upstream's FinalizeREST, only spec.finalizers
// and metadata change through it; status stays; each finalizer is a qualified name, or one of
// the standard names when it has no prefix. A namespace being deleted with no finalizer left
// of either kind goes away with this write.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry.js';
import { badRequest, fieldErrors, FieldPath, invalid, type FieldError } from '../../api/meta/status.js';
import { isQualifiedName } from '../../api/meta/validation.js';
import { methodNotAllowed, type SubresourceHandler } from '../handler.js';
import { deepCopy } from '../../api/patch/json.js';

/** Finalizer names that need no domain prefix (upstream's standard finalizers). */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateNamespaceFinalizers(finalizers: readonly string[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const path = new FieldPath('spec').child('finalizers');
  (finalizers ?? []).forEach((f, i) => {
    const at = path.index(i).path;
    const msgs = isQualifiedName(f);
    for (const msg of msgs) errs.push(fieldErrors.invalid(at, f, msg));
    if (!msgs.length && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(fieldErrors.invalid(at, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

export const namespaceFinalize: SubresourceHandler = async (r) => {
  // Only PUT is routed to finalize upstream; go-restful answers 405 for the rest.
  if (r.req.method !== 'PUT') throw methodNotAllowed();
  const body = (r.body ?? {}) as Namespace;
  if (body.metadata?.name && body.metadata.name !== r.name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${r.name})`);
  }
  const errs = validateNamespaceFinalizers(body.spec?.finalizers);
  if (errs.length) throw invalid('Namespace', '', r.name, errs);
  const result = await r.storage.update(
    '',
    r.name,
    (current: KubeObject) => {
      const ns = current as Namespace;
      const wanted = deepCopy(body) as Namespace;
      wanted.metadata = { ...ns.metadata, ...(wanted.metadata ?? {}) };
      wanted.spec = { ...(ns.spec ?? {}), finalizers: body.spec?.finalizers ?? [] };
      // Status is the namespace's own: the finalize endpoint never changes it.
      if (ns.status) wanted.status = ns.status;
      else delete wanted.status;
      return wanted as KubeObject;
    },
    r.ctx,
    { subresource: 'finalize' },
  );
  return { status: 200, body: result.object };
};
