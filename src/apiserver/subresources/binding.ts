// Pod binding: the scheduler's write of spec.nodeName, through POST pods/{name}/binding or
// the legacy POST namespaces/{ns}/bindings, as upstream's BindingREST: refused with 409 when
// the pod is already bound, being deleted or still gated; answered with a 201 Success Status.
import type { Binding, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry.js';
import { badRequest, conflict, fieldErrorString, fieldErrors, internalError, type FieldError, type QualifiedResource } from '../../api/meta/status.js';
import { nowRFC3339 } from '../../api/meta/time.js';
import type { ApiResponse } from '../../client/transport.js';
import type { SubresourceHandler, SubresourceRequest } from '../handler.js';

const POD_BINDING: QualifiedResource = { group: '', resource: 'pods/binding' };

/** ValidatePodBinding: a node target, by name. */
function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind && kind !== 'Node') errs.push(fieldErrors.notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(fieldErrors.required('target.name'));
  return errs;
}

/** podutil.UpdatePodCondition: the transition time moves only when the status changes. */
function setScheduledCondition(pod: Pod): void {
  const status = ((pod as { status?: Pod['status'] }).status ??= {});
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  const condition: PodCondition = { type: 'PodScheduled', status: 'True', lastTransitionTime: nowRFC3339() };
  if (i < 0) conditions.push(condition);
  else {
    if (conditions[i].status === 'True' && conditions[i].lastTransitionTime) condition.lastTransitionTime = conditions[i].lastTransitionTime;
    conditions[i] = condition;
  }
}

async function bind(r: SubresourceRequest, name: string): Promise<ApiResponse> {
  const binding = (r.body ?? {}) as Binding;
  if (binding.kind !== undefined && binding.kind !== 'Binding') {
    throw badRequest(`${binding.kind} in version "v1" cannot be handled as a Binding: the kind in the data does not match the expected kind`);
  }
  if ((binding.metadata?.name ?? '') !== name) throw badRequest('name in URL does not match name in Binding object');
  const errs = validateBinding(binding);
  if (errs.length) {
    const parts = errs.map(fieldErrorString);
    throw internalError(parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`);
  }
  const node = binding.target.name!;
  const uid = binding.metadata?.uid;
  await r.storage.update(
    r.namespace,
    name,
    (current: KubeObject) => {
      const pod = current as Pod;
      const meta = current.metadata as { uid?: string; deletionTimestamp?: string; annotations?: Record<string, string>; resourceVersion?: string };
      if (uid && uid !== meta.uid) throw conflict(POD_BINDING, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${meta.uid}`);
      if (meta.deletionTimestamp) throw conflict(POD_BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      if (pod.spec?.nodeName) throw conflict(POD_BINDING, name, `pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
      if (pod.spec?.schedulingGates?.length) throw conflict(POD_BINDING, name, `pod ${name} has non-empty .spec.schedulingGates`);
      pod.spec!.nodeName = node;
      if (binding.metadata?.annotations) meta.annotations = { ...(meta.annotations ?? {}), ...binding.metadata.annotations };
      setScheduledCondition(pod);
      // A resourceVersion in the binding is a precondition on the pod's.
      if (binding.metadata?.resourceVersion) meta.resourceVersion = binding.metadata.resourceVersion;
      else delete meta.resourceVersion;
      return pod as KubeObject;
    },
    r.ctx,
    // Upstream's setPodHostAndAnnotations writes through storage without the pod's update validation.
    { subresource: 'binding', unvalidated: true },
  );
  return { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
}

/** POST /api/v1/namespaces/{ns}/pods/{name}/binding. */
export const podBinding: SubresourceHandler = (r) => bind(r, r.name);

/** POST /api/v1/namespaces/{ns}/bindings: the pod is named by the Binding itself; `storage` must be the pods storage. */
export const createBinding: SubresourceHandler = (r) => bind(r, (r.body as Binding | undefined)?.metadata?.name ?? '');
