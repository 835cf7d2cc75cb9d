// Impersonation (`kubectl --as`, `--as-group`): a user allowed the `impersonate` verb on users,
// groups, service accounts, UIDs and user extras acts as the user its Impersonate-* headers name,
// as upstream's WithImpersonation filter. Each thing asked for is authorized on its own.
import { makeGroupNames, makeUsername, splitUsername } from '../../api/auth/serviceaccount.js';
import { ALL_AUTHENTICATED_GROUP, ALL_UNAUTHENTICATED_GROUP, ANONYMOUS_USER, type UserInfo } from '../../api/auth/user.js';
import { internalError } from '../../api/meta/status.js';
import { forbiddenError, type Attributes } from '../authz/attributes.js';
import type { Authorizer } from '../authz/authorizer.js';

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/** Header values by lower-case name, repeated headers kept apart (IncomingMessage.headersDistinct). */
export type DistinctHeaders = Record<string, string[] | undefined>;

/** One thing to impersonate, as upstream's ObjectReference of it. */
interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace?: string;
  name: string;
  /** The extra key of a UserExtra. */
  fieldPath?: string;
}

/** Whether any Impersonate-* header is present: the common case, none, costs one pass over the names. */
export function wantsImpersonation(headers: Record<string, unknown>): boolean {
  for (const name in headers) if (name.startsWith('impersonate-')) return true;
  return false;
}

/** Go's %v of an ObjectReference slice, for the message of a malformed impersonation. */
function describe(requests: ImpersonationRequest[]): string {
  const apiVersion = (r: ImpersonationRequest) => (r.kind === 'UserExtra' || r.kind === 'UID' ? `${AUTHENTICATION_GROUP}/v1` : '');
  return `[${requests.map((r) => `{${r.kind} ${r.namespace ?? ''} ${r.name}  ${apiVersion(r)}  ${r.fieldPath ?? ''}}`).join(' ')}]`;
}

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** buildImpersonationRequests: the user first, then groups, extras and the UID. */
function impersonationRequests(headers: DistinctHeaders): ImpersonationRequest[] {
  const out: ImpersonationRequest[] = [];
  const user = headers[USER_HEADER]?.[0] ?? '';
  if (user) {
    const sa = splitUsername(user);
    out.push(sa ? { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name } : { kind: 'User', name: user });
  }
  for (const g of headers[GROUP_HEADER] ?? []) out.push({ kind: 'Group', name: g });
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    const key = unescapeExtraKey(header.slice(EXTRA_PREFIX.length));
    for (const v of values ?? []) out.push({ kind: 'UserExtra', name: v, fieldPath: key });
  }
  const uid = headers[UID_HEADER]?.[0] ?? '';
  if (uid) out.push({ kind: 'UID', name: uid });
  if (!user && out.length) throw internalError(`requested ${describe(out)} without impersonating a user`);
  return out;
}

/**
 * The user a request acts as: `requestor` itself without Impersonate-* headers, else the user they
 * name once `requestor` is allowed to impersonate each part of it (403 otherwise).
 */
export function impersonate(authorizer: Authorizer, requestor: UserInfo, headers: DistinctHeaders): UserInfo {
  const requests = impersonationRequests(headers);
  if (!requests.length) return requestor;
  const groupsSpecified = (headers[GROUP_HEADER]?.length ?? 0) > 0;
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attrs: Attributes = {
      user: requestor,
      verb: 'impersonate',
      resourceRequest: true,
      path: '',
      namespace: r.namespace ?? '',
      apiGroup: '',
      apiVersion: '',
      resource: '',
      subresource: '',
      name: r.name,
    };
    switch (r.kind) {
      case 'ServiceAccount':
        attrs.resource = 'serviceaccounts';
        username = makeUsername(r.namespace!, r.name);
        // A service account's groups follow from its name, unless groups are asked for.
        if (!groupsSpecified) groups = makeGroupNames(r.namespace!);
        break;
      case 'User':
        attrs.resource = 'users';
        username = r.name;
        break;
      case 'Group':
        attrs.resource = 'groups';
        groups.push(r.name);
        break;
      case 'UserExtra':
        Object.assign(attrs, { apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'userextras', subresource: r.fieldPath });
        (extra[r.fieldPath!] ??= []).push(r.name);
        break;
      case 'UID':
        Object.assign(attrs, { apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'uids' });
        uid = r.name;
        break;
    }
    const d = authorizer.authorize(attrs);
    if (d.decision !== 'Allow') throw forbiddenError(attrs, d.reason);
  }
  if (username !== ANONYMOUS_USER) {
    if (!groups.includes(ALL_AUTHENTICATED_GROUP) && !groups.includes(ALL_UNAUTHENTICATED_GROUP)) groups.push(ALL_AUTHENTICATED_GROUP);
  } else if (!groups.includes(ALL_UNAUTHENTICATED_GROUP)) groups.push(ALL_UNAUTHENTICATED_GROUP);
  const user: UserInfo = { username, groups, extra };
  if (uid) user.uid = uid;
  return user;
}
