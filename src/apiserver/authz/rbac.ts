// The RBAC authorizer: a request is allowed when a rule of a role bound to its user allows it.
// Roles and bindings are read from the API server's watch caches through per-namespace indexes
// kept current by the caches' events, so deciding reads no store and lists nothing.
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import { makeUsername } from '../../api/auth/serviceaccount.js';
import type { UserInfo } from '../../api/auth/user.js';
import type { KubeObject } from '../../api/registry.js';
import type { ResourceCache } from '../watchcache.js';
import type { Attributes, Decision } from './attributes.js';
import { ruleAllows } from './rules.js';

/** What RBAC reads: bindings and the roles they name. */
export interface RbacObjects {
  clusterRoleBindings(): Iterable<ClusterRoleBinding>;
  clusterRole(name: string): ClusterRole | undefined;
  roleBindings(namespace: string): Iterable<RoleBinding>;
  role(namespace: string, name: string): Role | undefined;
}

/** The objects of one cache by namespace and name, following the cache's events. */
class NamespacedIndex<T extends KubeObject> {
  private readonly byNamespace = new Map<string, Map<string, T>>();

  constructor(cache: ResourceCache) {
    for (const o of cache.objects.values()) this.set(o.object as T);
    cache.subscribe((events) => {
      for (const e of events) {
        if (e.type === 'DELETED') this.byNamespace.get(e.object.namespace)?.delete(e.object.name);
        else this.set(e.object.object as T);
      }
    });
  }

  private set(obj: T): void {
    const ns = obj.metadata?.namespace ?? '';
    let byName = this.byNamespace.get(ns);
    if (!byName) this.byNamespace.set(ns, (byName = new Map()));
    byName.set(obj.metadata?.name ?? '', obj);
  }

  get(namespace: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  list(namespace: string): Iterable<T> {
    return this.byNamespace.get(namespace)?.values() ?? [];
  }
}

/** RBAC objects from the watch caches of `rbac.authorization.k8s.io` (`cache(plural)`). */
export function cachedRbacObjects(cache: (plural: string) => ResourceCache): RbacObjects {
  const roles = new NamespacedIndex<Role>(cache('roles'));
  const roleBindings = new NamespacedIndex<RoleBinding>(cache('rolebindings'));
  const clusterRoles = new NamespacedIndex<ClusterRole>(cache('clusterroles'));
  const clusterRoleBindings = new NamespacedIndex<ClusterRoleBinding>(cache('clusterrolebindings'));
  return {
    clusterRoleBindings: () => clusterRoleBindings.list(''),
    clusterRole: (name) => clusterRoles.get('', name),
    roleBindings: (namespace) => roleBindings.list(namespace),
    role: (namespace, name) => roles.get(namespace, name),
  };
}

/** Where a rule came from, described only when a decision is explained. */
export type RuleSource = () => string;

/** Called with each rule that applies, or an error resolving one; returning false stops the walk. */
export type RuleVisitor = (source: RuleSource | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/** appliesToUser: a service account subject without a namespace is one of the binding's namespace. */
function appliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return !!ns && user.username === makeUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

export class RbacAuthorizer {
  constructor(private readonly objects: RbacObjects) {}

  /** The rules a role reference grants, or why it cannot be resolved (as the informer listers word it). */
  roleReferenceRules(roleRef: RoleRef, namespace: string): { rules: PolicyRule[] } | { error: string; missing: 'roles' | 'clusterroles' } {
    if (roleRef.kind === 'Role') {
      const role = this.objects.role(namespace, roleRef.name);
      return role ? { rules: role.rules ?? [] } : { error: `role.rbac.authorization.k8s.io ${JSON.stringify(roleRef.name)} not found`, missing: 'roles' };
    }
    if (roleRef.kind === 'ClusterRole') {
      const role = this.objects.clusterRole(roleRef.name);
      return role ? { rules: role.rules ?? [] } : { error: `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(roleRef.name)} not found`, missing: 'clusterroles' };
    }
    return { error: `unsupported role reference kind: ${JSON.stringify(roleRef.kind)}`, missing: 'roles' };
  }

  /** VisitRulesFor: cluster role bindings first, then the role bindings of `namespace`. */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    const walk = (binding: ClusterRoleBinding | RoleBinding, bindingNamespace: string, describe: (s: Subject) => string): boolean => {
      const subject = binding.subjects?.find((s) => appliesToUser(user, s, bindingNamespace));
      if (!subject) return true;
      const resolved = this.roleReferenceRules(binding.roleRef, bindingNamespace);
      if ('error' in resolved) return visit(undefined, undefined, resolved.error);
      const source = () => describe(subject);
      for (const rule of resolved.rules) if (!visit(source, rule, undefined)) return false;
      return true;
    };
    for (const crb of this.objects.clusterRoleBindings()) {
      const describe = (s: Subject) =>
        `ClusterRoleBinding ${JSON.stringify(crb.metadata?.name)} of ${crb.roleRef.kind} ${JSON.stringify(crb.roleRef.name)} to ${describeSubject(s, '')}`;
      if (!walk(crb, '', describe)) return;
    }
    if (!namespace) return;
    for (const rb of this.objects.roleBindings(namespace)) {
      const describe = (s: Subject) =>
        `RoleBinding ${JSON.stringify(`${rb.metadata?.name}/${namespace}`)} of ${rb.roleRef.kind} ${JSON.stringify(rb.roleRef.name)} to ${describeSubject(s, namespace)}`;
      if (!walk(rb, namespace, describe)) return;
    }
  }

  authorize(a: Attributes): Decision {
    let allowedBy: RuleSource | undefined;
    const errors: string[] = [];
    this.visitRulesFor(a.user, a.namespace, (source, rule, error) => {
      if (rule && ruleAllows(a, rule)) {
        allowedBy = source;
        return false;
      }
      if (error) errors.push(error);
      return true;
    });
    if (allowedBy) return { decision: 'Allow', reason: `RBAC: allowed by ${allowedBy()}` };
    return { decision: 'NoOpinion', reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
  }

  /** Every rule that applies to `user` in `namespace`, and the errors met resolving them. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }
}

/** utilerrors.NewAggregate(…).Error(): one message as it is, several in brackets, duplicates once. */
export function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}
