// The apps/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { controllerRevisions } from './controllerrevision.js';
import { daemonSets } from './daemonset.js';
import { deployments } from './deployment.js';
import { replicaSets } from './replicaset.js';
import { statefulSets } from './statefulset.js';

export const appsResources: ResourceDefinition[] = [deployments, replicaSets, statefulSets, daemonSets, controllerRevisions] as ResourceDefinition[];
