// The storage.k8s.io/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { storageClasses } from './storageclass.js';

export const storageResources: ResourceDefinition[] = [storageClasses] as ResourceDefinition[];
