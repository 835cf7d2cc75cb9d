// Every built-in kind the apiserver serves.
import type { ResourceDefinition } from '../registry.js';
import { configMaps } from './core/configmap.js';
import { events } from './core/event.js';
import { namespaces } from './core/namespace.js';
import { secrets } from './core/secret.js';

export const builtinResources: ResourceDefinition[] = [namespaces, configMaps, secrets, events] as ResourceDefinition[];
