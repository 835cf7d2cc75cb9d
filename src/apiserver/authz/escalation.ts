// RBAC escalation prevention, as upstream's policy-based storage of roles and bindings: a user
// can write a role only with rules it already holds (or with the `escalate` verb), and bind a
// role only if it holds the role's rules (or has the `bind` verb on it). Members of
// `system:masters` and the API server itself may do anything. Runs before validation, as
// upstream checks it in the storage's create and update, ahead of the strategy.
import type { ClusterRole, PolicyRule, RoleRef } from 'kubernetes-types/rbac/v1.js';
import { notFound, forbidden, type StatusError } from '../../api/meta/status.js';
import { goQuotedSlice } from '../../api/meta/go.js';
import { RBAC_GROUP } from '../../api/resources/rbac/role.js';
import type { KubeObject } from '../../api/registry.js';
import type { UserInfo } from '../../api/auth/user.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission/types.js';
import type { Attributes } from './attributes.js';
import { isPrivileged, type Authorizer } from './authorizer.js';
import { aggregate, type RbacAuthorizer } from './rbac.js';
import { compactRules, compactString, covers } from './rules.js';

/** What the aggregationRule of a cluster role can gather: everything. */
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

function allows(authorizer: Authorizer, a: Omit<Attributes, 'path'>): boolean {
  return authorizer.authorize({ ...a, path: '' }).decision === 'Allow';
}

/** ConfirmNoEscalation: undefined when `user` holds every rule in `rules` in `namespace`, else why not. */
function missingRights(rbac: RbacAuthorizer, user: UserInfo, namespace: string, rules: readonly PolicyRule[]): string | undefined {
  const owner = rbac.rulesFor(user, namespace);
  const missing = covers(owner.rules, rules);
  if (!missing.length) return undefined;
  const described = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${JSON.stringify(user.username)} (groups=${goQuotedSlice(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${described.join('\n')}`;
  if (owner.errors.length) msg += `; resolution errors: [${aggregate(owner.errors)}]`;
  return msg;
}

/** IsOnlyMutatingGCFields: an update that touches only owner references and finalizers is not a grant. */
function onlyGCFieldsChanged(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (!old) return false;
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, ...meta } = o.metadata ?? {};
    return JSON.stringify({ ...o, metadata: meta });
  };
  return strip(obj) === strip(old);
}

function checkRole(authorizer: Authorizer, rbac: RbacAuthorizer, attrs: AdmissionAttributes, user: UserInfo): StatusError | undefined {
  const resource = attrs.def.plural;
  const escalate = { user, verb: 'escalate', resourceRequest: true, namespace: attrs.namespace, apiGroup: RBAC_GROUP, apiVersion: '*', resource, subresource: '', name: attrs.name };
  if (allows(authorizer, escalate)) return undefined;
  const role = attrs.object as ClusterRole;
  const name = role.metadata?.name ?? '';
  const qualified = { group: RBAC_GROUP, resource };
  const why = missingRights(rbac, user, attrs.namespace, role.rules ?? []);
  if (why) return forbidden(qualified, name, why);
  // An aggregation rule can gather any rule, and keeps a role from being tightened: it takes everything.
  const old = attrs.oldObject as ClusterRole | undefined;
  if (resource === 'clusterroles' && (role.aggregationRule || old?.aggregationRule) && missingRights(rbac, user, '', FULL_AUTHORITY)) {
    return forbidden(qualified, name, 'must have cluster-admin privileges to use the aggregationRule');
  }
  return undefined;
}

function checkBinding(authorizer: Authorizer, rbac: RbacAuthorizer, attrs: AdmissionAttributes, user: UserInfo): StatusError | undefined {
  const binding = attrs.object as KubeObject & { roleRef: RoleRef };
  const roleRef = binding.roleRef ?? ({} as RoleRef);
  const roleResource = roleRef.kind === 'ClusterRole' ? 'clusterroles' : roleRef.kind === 'Role' ? 'roles' : undefined;
  // BindingAuthorized: the bind verb on the role, in the binding's namespace (none for cluster role bindings).
  const bind = { user, verb: 'bind', resourceRequest: true, namespace: attrs.namespace, apiGroup: roleRef.apiGroup ?? '', apiVersion: '', resource: roleResource ?? '', subresource: '', name: roleRef.name ?? '' };
  if (roleResource && allows(authorizer, bind)) return undefined;
  const resolved = rbac.roleReferenceRules(roleRef, attrs.namespace);
  if ('error' in resolved) return notFound({ group: RBAC_GROUP, resource: resolved.missing }, roleRef.name ?? '');
  const why = missingRights(rbac, user, attrs.namespace, resolved.rules);
  return why ? forbidden({ group: RBAC_GROUP, resource: attrs.def.plural }, binding.metadata?.name ?? '', why) : undefined;
}

/** The check on creates and updates of roles, cluster roles and their bindings (`authorizer()` must be RBAC's). */
export function rbacEscalationCheck(authorizer: () => Authorizer): AdmissionPlugin {
  return {
    name: 'RBACEscalationCheck',
    admit(attrs) {
      if (attrs.def.group !== RBAC_GROUP || attrs.subresource || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE')) return;
      const user = attrs.user;
      if (!user || isPrivileged(user) || !attrs.object) return;
      if (attrs.operation === 'UPDATE' && onlyGCFieldsChanged(attrs.object, attrs.oldObject)) return;
      const a = authorizer();
      if (!a.rbac) return;
      const plural = attrs.def.plural;
      const err = plural === 'roles' || plural === 'clusterroles' ? checkRole(a, a.rbac, attrs, user) : checkBinding(a, a.rbac, attrs, user);
      if (err) throw err;
    },
  };
}
