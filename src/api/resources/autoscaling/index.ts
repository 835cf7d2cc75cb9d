// The autoscaling kinds (stored as autoscaling/v2, also served as autoscaling/v1).
import type { ResourceDefinition } from '../../registry.js';
import { horizontalPodAutoscalers } from './horizontalpodautoscaler.js';

export const autoscalingResources: ResourceDefinition[] = [horizontalPodAutoscalers] as ResourceDefinition[];
