// The discovery.k8s.io/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { endpointSlices } from './endpointslice.js';

export const discoveryResources: ResourceDefinition[] = [endpointSlices] as ResourceDefinition[];
