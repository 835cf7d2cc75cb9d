// PodControl: pods made from a controller's template, with its controller reference, and the
// events kube-controller-manager records for each creation and deletion.
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/registry.js';
import type { ResourceClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/events.js';
import { isNotFound } from '../../client/errors.js';
import { deepCopy } from '../../api/patch/json.js';

/** controller.GetPodFromTemplate: named `<owner>-<random>` by the API server. */
export function podFromTemplate(template: PodTemplateSpec | undefined, ownerName: string, controllerRef: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: `${ownerName}-`, ownerReferences: [controllerRef] },
    spec: deepCopy(template?.spec) ?? { containers: [] },
  };
  if (meta.labels) pod.metadata!.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata!.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata!.finalizers = [...meta.finalizers];
  return pod;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Creates the pod, recording SuccessfulCreate or FailedCreate on the owner. */
export async function createPod(pods: ResourceClient<Pod>, recorder: EventRecorder, owner: KubeObject, pod: Pod): Promise<Pod> {
  try {
    const created = await pods.namespace(owner.metadata.namespace).create(pod);
    recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
    return created;
  } catch (err) {
    recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorText(err)}`);
    throw err;
  }
}

/** Deletes the pod, recording SuccessfulDelete or FailedDelete (none for a pod already gone: NotFound is thrown to the caller). */
export async function deletePod(pods: ResourceClient<Pod>, recorder: EventRecorder, owner: KubeObject, pod: Pod): Promise<void> {
  try {
    await pods.namespace(pod.metadata!.namespace!).delete(pod.metadata!.name!);
    recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name}`);
  } catch (err) {
    if (isNotFound(err)) throw err;
    recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorText(err)}`);
    throw err;
  }
}
