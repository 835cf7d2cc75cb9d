// The networking.k8s.io/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { ingressClasses } from './ingressclass.js';
import { ingresses } from './ingress.js';
import { networkPolicies } from './networkpolicy.js';

export const networkingResources: ResourceDefinition[] = [ingresses, ingressClasses, networkPolicies] as ResourceDefinition[];
