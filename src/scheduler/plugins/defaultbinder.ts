// DefaultBinder: binds the pod by POSTing a v1 Binding to pods/{name}/binding.
import { resources } from '../../client/resource.js';
import { Status, type CycleState, type Handle, type Plugin } from '../framework.js';
import type { PodInfo } from '../nodeinfo.js';

export const NAME = 'DefaultBinder';

export class DefaultBinder implements Plugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  async bind(_state: CycleState, pod: PodInfo, nodeName: string): Promise<Status | undefined> {
    const client = this.handle.client;
    if (!client) return Status.error('no client to bind with');
    const m = pod.pod.metadata ?? {};
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.name, namespace: pod.namespace, uid: m.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    try {
      await client.resource(resources.pods).namespace(pod.namespace).createSubresource(pod.name, 'binding', binding);
    } catch (err) {
      return Status.error((err as Error).message);
    }
    return undefined;
  }
}
