// The core/v1 kinds of services, nodes, storage, accounts and policy.
import type { ResourceDefinition } from '../../registry.js';
import { endpoints } from './endpoints.js';
import { limitRanges } from './limitrange.js';
import { nodes } from './node.js';
import { persistentVolumeClaims } from './persistentvolumeclaim.js';
import { persistentVolumes } from './persistentvolume.js';
import { resourceQuotas } from './resourcequota.js';
import { serviceAccounts } from './serviceaccount.js';
import { services } from './service.js';

export const coreClusterResources: ResourceDefinition[] = [
  services,
  endpoints,
  nodes,
  persistentVolumes,
  persistentVolumeClaims,
  serviceAccounts,
  limitRanges,
  resourceQuotas,
] as ResourceDefinition[];
