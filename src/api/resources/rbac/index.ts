// The rbac.authorization.k8s.io/v1 kinds.
import type { ResourceDefinition } from '../../registry.js';
import { clusterRoleBindings } from './clusterrolebinding.js';
import { clusterRoles } from './clusterrole.js';
import { roleBindings } from './rolebinding.js';
import { roles } from './role.js';

export const rbacResources: ResourceDefinition[] = [roles, roleBindings, clusterRoles, clusterRoleBindings] as ResourceDefinition[];
