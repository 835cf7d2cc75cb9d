// rbac.authorization.k8s.io/v1 Role: a namespaced set of permissions.
import type { PolicyRule, Role } from 'kubernetes-types/rbac/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, list, object, ref, str } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { defaultTable } from '../table.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_V1 = 'io.k8s.api.rbac.v1';
const atomicStrings = (description: string) => list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description });

const definitions: Definitions = new Map();
define(definitions, {
  [`${RBAC_V1}.Role`]: kindSchema(
    { group: RBAC_GROUP, version: 'v1', kind: 'Role' },
    { rules: list(ref(`${RBAC_V1}.PolicyRule`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', nullable: true, description: 'The permissions the role grants.' }) },
    { proto: { metadata: 1, rules: 2 }, description: 'Role is a namespaced set of permissions that a RoleBinding grants.' },
  ),
  [`${RBAC_V1}.PolicyRule`]: object(
    {
      verbs: atomicStrings('The verbs allowed, such as get, list, create; * means all.'),
      apiGroups: atomicStrings('The API groups of the resources; "" is the core group, * all.'),
      resources: atomicStrings('The resources allowed, such as pods or pods/log; * means all.'),
      resourceNames: atomicStrings('When set, only objects of these names.'),
      nonResourceURLs: atomicStrings('URL paths such as /healthz (cluster roles only); a trailing * matches a prefix.'),
    },
    {
      proto: { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4, nonResourceURLs: 5 },
      required: ['verbs'],
      description: 'One permission: verbs on resources (or on non-resource URLs).',
    },
  ),
});

/** ValidatePolicyRule: verbs always; either non-resource URLs (cluster-wide only) or groups and resources. */
export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.verbs?.length) errs.push(fieldErrors.required(path.child('verbs').path, 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    const urlsPath = path.child('nonResourceURLs').path;
    if (namespaced) errs.push(fieldErrors.invalid(urlsPath, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      errs.push(fieldErrors.invalid(urlsPath, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!rule.apiGroups?.length) errs.push(fieldErrors.required(path.child('apiGroups').path, 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) errs.push(fieldErrors.required(path.child('resources').path, 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((rule, i) => errs.push(...validatePolicyRule(rule, namespaced, new FieldPath('rules').index(i))));
  return errs;
}

export const roles: ResourceDefinition<Role> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  nameRule: 'path-segment',
  schemaName: `${RBAC_V1}.Role`,
  definitions,
  allowCreateOnUpdate: true,
  validate: (role) => validateRules(role.rules, true),
  table: defaultTable,
};
