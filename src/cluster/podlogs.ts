// pods/log: upstream proxies it to the pod's kubelet. Simulated nodes have no processes, so
// their pods answer with one line that says so.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { badRequest } from '../api/meta/status.js';
import type { SubresourceHandler } from '../apiserver/handler.js';
import { simulatedLogs } from '../sim/index.js';

export const podLogs: SubresourceHandler = async ({ req, storage, namespace, name }) => {
  const pod = (await storage.get(namespace, name)).object as Pod;
  const containers = pod.spec?.containers ?? [];
  const all = [...(pod.spec?.initContainers ?? []), ...containers, ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  let container = req.query.get('container') ?? '';
  if (!container) {
    if (containers.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
    }
    container = containers[0].name;
  }
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  if (!pod.spec?.nodeName) throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  return { status: 200, encoded: Buffer.from(simulatedLogs(pod, container)), headers: { 'content-type': 'text/plain' } };
};
