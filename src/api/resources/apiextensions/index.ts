// apiextensions.k8s.io: CustomResourceDefinitions (their custom resources are served at run time).
import type { ResourceDefinition } from '../../registry.js';
import { customResourceDefinitions } from './customresourcedefinition.js';

export const apiextensionsResources: ResourceDefinition[] = [customResourceDefinitions as ResourceDefinition];
