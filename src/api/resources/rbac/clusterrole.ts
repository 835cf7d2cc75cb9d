// rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide permissions, optionally aggregated from other cluster roles.
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, labelSelector, list, object, ref } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { validateLabelSelector } from '../../meta/validation.js';
import { selectorFromLabelSelector } from '../../meta/labels.js';
import { defaultTable } from '../table.js';
import { RBAC_GROUP, RBAC_V1, validateRules } from './role.js';

const definitions: Definitions = new Map();
define(definitions, {
  [`${RBAC_V1}.ClusterRole`]: kindSchema(
    { group: RBAC_GROUP, version: 'v1', kind: 'ClusterRole' },
    {
      rules: list(ref(`${RBAC_V1}.PolicyRule`, { default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        nullable: true,
        description: 'The permissions the role grants; filled by the controller when aggregationRule is set.',
      }),
      aggregationRule: ref(`${RBAC_V1}.AggregationRule`, { description: 'Build the rules from the cluster roles these selectors pick.' }),
    },
    {
      proto: { metadata: 1, rules: 2, aggregationRule: 3 },
      description: 'ClusterRole is a cluster-wide set of permissions, granted by RoleBindings or ClusterRoleBindings.',
    },
  ),
  [`${RBAC_V1}.AggregationRule`]: object(
    {
      clusterRoleSelectors: list(labelSelector({ default: {} }), {
        'x-kubernetes-list-type': 'atomic',
        description: 'Cluster roles whose rules are aggregated into this one; any selector may match.',
      }),
    },
    { proto: { clusterRoleSelectors: 1 }, description: 'How a cluster role is composed from others.' },
  ),
});

function validateSelectors(selectors: LabelSelector[], allowInvalidLabelValueInSelector: boolean): FieldError[] {
  const path = new FieldPath('aggregationRule.clusterRoleSelectors');
  if (selectors.length === 0) return [fieldErrors.required(path.path, 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  const errs: FieldError[] = [];
  selectors.forEach((selector, i) => {
    const p = path.index(i);
    errs.push(...validateLabelSelector(selector, { allowInvalidLabelValueInSelector }, p));
    try {
      selectorFromLabelSelector(selector);
    } catch {
      errs.push(fieldErrors.invalid(p.path, null, 'invalid label selector.'));
    }
  });
  return errs;
}

/** A stored selector whose label values are invalid may stay so on update. */
function hasInvalidSelector(old: ClusterRole | undefined): boolean {
  return (old?.aggregationRule?.clusterRoleSelectors ?? []).some((s) => validateLabelSelector(s, {}, new FieldPath()).length > 0);
}

export const clusterRoles: ResourceDefinition<ClusterRole> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  nameRule: 'path-segment',
  schemaName: `${RBAC_V1}.ClusterRole`,
  definitions,
  allowCreateOnUpdate: true,
  validate(role, ctx) {
    const errs = validateRules(role.rules, false);
    if (role.aggregationRule) {
      errs.push(...validateSelectors(role.aggregationRule.clusterRoleSelectors ?? [], hasInvalidSelector(ctx.old as ClusterRole | undefined)));
    }
    return errs;
  },
  table: defaultTable,
};
