// The policy/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { podDisruptionBudgets } from './poddisruptionbudget.js';

export const policyResources: ResourceDefinition[] = [podDisruptionBudgets] as ResourceDefinition[];
