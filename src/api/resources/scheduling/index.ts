// The scheduling.k8s.io/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { priorityClasses } from './priorityclass.js';

export const schedulingResources: ResourceDefinition[] = [priorityClasses] as ResourceDefinition[];
