// The batch/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { cronJobs } from './cronjob.js';
import { jobs } from './job.js';

export const batchResources: ResourceDefinition[] = [jobs, cronJobs] as ResourceDefinition[];
