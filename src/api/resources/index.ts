// Every built-in kind the apiserver serves.
import type { ResourceDefinition } from '../registry.js';
import { configMaps } from './core/configmap.js';
import { events } from './core/event.js';
import { namespaces } from './core/namespace.js';
import { secrets } from './core/secret.js';
import { podResources } from './core/index-pods.js';
import { coreClusterResources } from './core/index-cluster.js';
import { appsResources } from './apps/index.js';
import { batchResources } from './batch/index.js';
import { autoscalingResources } from './autoscaling/index.js';
import { policyResources } from './policy/index.js';
import { networkingResources } from './networking/index.js';
import { discoveryResources } from './discovery/index.js';
import { rbacResources } from './rbac/index.js';
import { storageResources } from './storage/index.js';
import { coordinationResources } from './coordination/index.js';
import { schedulingResources } from './scheduling/index.js';
import { apiextensionsResources } from './apiextensions/index.js';
import { authenticationResources } from './authentication/index.js';
import { authorizationResources } from './authorization/index.js';

export const builtinResources: ResourceDefinition[] = [
  ...([namespaces, configMaps, secrets, events] as ResourceDefinition[]),
  ...podResources,
  ...coreClusterResources,
  ...appsResources,
  ...batchResources,
  ...autoscalingResources,
  ...policyResources,
  ...networkingResources,
  ...discoveryResources,
  ...rbacResources,
  ...storageResources,
  ...coordinationResources,
  ...schedulingResources,
  ...apiextensionsResources,
  ...authenticationResources,
  ...authorizationResources,
];
