// The coordination.k8s.io/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { leases } from './lease.js';

export const coordinationResources: ResourceDefinition[] = [leases] as ResourceDefinition[];
