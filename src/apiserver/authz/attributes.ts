// What authorization decides on: the user and the request's attributes (verb, namespace, API
// group, resource, subresource, name — or, for other paths, the path), derived from the URL as
// upstream's RequestInfoFactory does, before the request is routed; and the 403 a denial gets.
import { failure, type StatusDetails, type StatusError } from '../../api/meta/status.js';
import { parseFieldSelector } from '../../api/meta/fields.js';
import { isValidPathSegmentName } from '../../api/meta/validation.js';
import type { UserInfo } from '../../api/auth/user.js';
import type { ApiRequest } from '../../client/transport.js';

/** upstream authorizer.Attributes. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  /** False for a non-resource path (`/healthz`, `/api`, `/version`). */
  resourceRequest: boolean;
  /** The URL path (what non-resource rules match). */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

/** The shape of an authorization decision: allowed, denied, or no opinion (the next authorizer is asked). */
export interface Decision {
  decision: 'Allow' | 'Deny' | 'NoOpinion';
  reason: string;
  /** An evaluation error (a binding naming a missing role …); the decision still stands. */
  error?: string;
}

/** Verbs taken from the path rather than the method (`/api/v1/watch/pods`). */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** Namespace subresources that name the namespace itself: `/api/v1/namespaces/ns/status`. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Percent-decoded, as Go's URL.Path: rules and messages name paths as written, not as escaped. */
function unescape(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** As RequestInfoFactory.NewRequestInfo (prefixes `api`, groupless, and `apis`). */
export function requestAttributes(req: ApiRequest, user: UserInfo): Attributes {
  const attrs: Attributes = {
    user,
    verb: req.method.toLowerCase(),
    resourceRequest: false,
    path: unescape(req.path),
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
  const trimmed = req.path.replace(/^\/+|\/+$/g, '');
  let parts = trimmed ? trimmed.split('/').map(unescape) : [];
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return attrs;
  const grouped = parts[0] === 'apis';
  parts = parts.slice(1);
  if (grouped) {
    if (parts.length < 3) return attrs;
    attrs.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  attrs.resourceRequest = true;
  attrs.apiVersion = parts[0];
  parts = parts.slice(1);
  if (SPECIAL_VERBS.has(parts[0])) {
    attrs.verb = parts[0];
    parts = parts.slice(1);
  } else {
    attrs.verb = METHOD_VERBS[req.method] ?? '';
  }
  if (parts[0] === 'namespaces' && parts.length > 1) {
    attrs.namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  if (parts.length >= 3 && attrs.verb !== 'proxy') attrs.subresource = parts[2];
  if (parts.length >= 2) attrs.name = parts[1];
  if (parts.length >= 1) attrs.resource = parts[0];
  if (!attrs.name && attrs.verb === 'get') {
    const watch = req.query.get('watch');
    attrs.verb = watch !== null && watch.toLowerCase() !== 'false' && watch !== '0' ? 'watch' : 'list';
    // A list or watch of one object by name is authorized as that object.
    const selector = req.query.get('fieldSelector');
    if (selector) {
      try {
        const name = parseFieldSelector(selector).requiresExactMatch('metadata.name');
        if (name !== undefined && isValidPathSegmentName(name).length === 0) attrs.name = name;
      } catch {
        // An unparsable selector authorizes as a plain list; serving it answers the 400.
      }
    }
  }
  if (!attrs.name && attrs.verb === 'delete') attrs.verb = 'deletecollection';
  return attrs;
}

// Upstream keeps messages from looking like HTML.
const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** responsewriters.forbiddenMessage. */
function forbiddenMessage(a: Attributes): string {
  const user = JSON.stringify(a.user.username);
  if (!a.resourceRequest) return `User ${user} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${where}`;
}

/** The 403 of a request `a` that no authorizer allowed (responsewriters.ForbiddenStatusError). */
export function forbiddenError(a: Attributes, reason: string): StatusError {
  const why = reason ? `${sanitize(forbiddenMessage(a))}: ${reason}` : sanitize(forbiddenMessage(a));
  const details: StatusDetails = {};
  if (a.name) details.name = a.name;
  if (a.apiGroup) details.group = a.apiGroup;
  if (a.resource) details.kind = a.resource;
  if (!a.apiGroup && !a.resource) return failure(403, 'Forbidden', `forbidden: ${why}`, details);
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  return failure(403, 'Forbidden', `${a.name ? `${qualified} ${JSON.stringify(a.name)}` : qualified} is forbidden: ${why}`, details);
}
