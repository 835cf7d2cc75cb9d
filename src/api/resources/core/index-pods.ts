// The pod kinds of core/v1: pods (with the legacy bindings resource), pod templates and
// replication controllers.
import type { ResourceDefinition } from '../../registry.js';
import { bindings, pods } from './pod.js';
import { podTemplates } from './podtemplate.js';
import { replicationControllers } from './replicationcontroller.js';

export const podResources: ResourceDefinition[] = [pods, bindings, podTemplates, replicationControllers] as ResourceDefinition[];
