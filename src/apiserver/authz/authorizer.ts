// Authorization of every request, as kube-apiserver composes it: members of `system:masters` are
// allowed everything, then RBAC decides (`--authorization-mode=RBAC`); or everything is allowed
// (`AlwaysAllow`, the generic API server's default, for servers that configure no authorization).
import type { ResourceRule, NonResourceRule } from '../../api/resources/authorization/selfsubjectrulesreview.js';
import { SYSTEM_PRIVILEGED_GROUP, type UserInfo } from '../../api/auth/user.js';
import type { ApiRequest } from '../../client/transport.js';
import { forbiddenError, requestAttributes, type Attributes, type Decision } from './attributes.js';
import { aggregate, type RbacAuthorizer } from './rbac.js';
import { deepCopy } from '../../api/patch/json.js';

/** What a user may do in a namespace, for SelfSubjectRulesReview. */
export interface SubjectRules {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface Authorizer {
  /** True when `user` may do anything: the request's attributes need not be derived. */
  allowsEverything(user: UserInfo): boolean;
  authorize(a: Attributes): Decision;
  rulesFor(user: UserInfo, namespace: string): SubjectRules;
  /** The RBAC authorizer, when RBAC is on (escalation checks resolve roles with it). */
  readonly rbac?: RbacAuthorizer;
}

const ALL_RULES: SubjectRules = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false,
};

export const alwaysAllow: Authorizer = {
  allowsEverything: () => true,
  authorize: () => ({ decision: 'Allow', reason: '' }),
  rulesFor: () => deepCopy(ALL_RULES),
};

export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_PRIVILEGED_GROUP);
}

/** The privileged group, then RBAC. */
export function rbacAuthorization(rbac: RbacAuthorizer): Authorizer {
  return {
    rbac,
    allowsEverything: isPrivileged,
    authorize: (a) => (isPrivileged(a.user) ? { decision: 'Allow', reason: '' } : rbac.authorize(a)),
    rulesFor(user, namespace) {
      const { rules, errors } = rbac.rulesFor(user, namespace);
      const out: SubjectRules = { resourceRules: [], nonResourceRules: [], incomplete: false };
      for (const r of rules) {
        if (r.resources?.length) {
          const rule: ResourceRule = { verbs: [...r.verbs] };
          if (r.apiGroups?.length) rule.apiGroups = [...r.apiGroups];
          rule.resources = [...r.resources];
          if (r.resourceNames?.length) rule.resourceNames = [...r.resourceNames];
          out.resourceRules.push(rule);
        }
        if (r.nonResourceURLs?.length) out.nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...r.nonResourceURLs] });
      }
      if (errors.length) out.evaluationError = aggregate(errors);
      return out;
    },
  };
}

/** Checks that `user` may make `req`; throws the 403 upstream answers otherwise. */
export function authorizeRequest(authorizer: Authorizer, req: ApiRequest, user: UserInfo): void {
  if (authorizer.allowsEverything(user)) return;
  const attrs = requestAttributes(req, user);
  const d = authorizer.authorize(attrs);
  if (d.decision !== 'Allow') throw forbiddenError(attrs, d.reason);
}
