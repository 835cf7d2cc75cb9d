// Users as authenticators report them, and the names upstream reserves for them
// (k8s.io/apiserver/pkg/authentication/user).

/** A user as authentication reports it (upstream user.Info). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Members are allowed everything, before any authorizer is asked (kube-apiserver's privileged group). */
export const SYSTEM_PRIVILEGED_GROUP = 'system:masters';
export const ANONYMOUS_USER = 'system:anonymous';
export const ALL_AUTHENTICATED_GROUP = 'system:authenticated';
export const ALL_UNAUTHENTICATED_GROUP = 'system:unauthenticated';
/** The API server's own loopback identity. */
export const APISERVER_USER = 'system:apiserver';

/** The `user.Info` extra key naming the credential a request used (`X509SHA256=…`, `JTI=…`). */
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

/** The user with `system:authenticated` added, unless it already is in it or in `system:unauthenticated`. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED_GROUP) || user.groups.includes(ALL_UNAUTHENTICATED_GROUP)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED_GROUP] };
}
