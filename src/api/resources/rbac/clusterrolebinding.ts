// rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole to subjects across the cluster.
import type { ClusterRoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, list, ref } from '../../schema/build.js';
import { RBAC_GROUP, RBAC_V1 } from './role.js';
import { bindingTable, validateBinding, validateRoleRefUpdate } from './rolebinding.js';

const definitions: Definitions = new Map();
define(definitions, {
  [`${RBAC_V1}.ClusterRoleBinding`]: kindSchema(
    { group: RBAC_GROUP, version: 'v1', kind: 'ClusterRoleBinding' },
    {
      subjects: list(ref(`${RBAC_V1}.Subject`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Who the role is granted to.' }),
      roleRef: ref(`${RBAC_V1}.RoleRef`, { default: {}, description: 'The ClusterRole granted; immutable.' }),
    },
    {
      proto: { metadata: 1, subjects: 2, roleRef: 3 },
      required: ['roleRef'],
      description: 'ClusterRoleBinding grants the permissions of a cluster role to subjects in every namespace.',
    },
  ),
});

export const clusterRoleBindings: ResourceDefinition<ClusterRoleBinding> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  nameRule: 'path-segment',
  schemaName: `${RBAC_V1}.ClusterRoleBinding`,
  definitions,
  allowCreateOnUpdate: true,
  validate: (crb) => validateBinding(crb, ['ClusterRole'], false),
  validateUpdate: validateRoleRefUpdate,
  table: bindingTable<ClusterRoleBinding>(),
};
