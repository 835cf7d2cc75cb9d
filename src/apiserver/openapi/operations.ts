// The REST operations a 1.32 apiserver serves for each resource, described once and
// rendered by v2.ts (swagger 2.0) and v3.ts (OpenAPI 3.0): paths, operation ids, the
// x-kubernetes-action of each, query parameters, request and response schemas.
import type { ResourceRegistry, ServedResource } from '../../api/registry.js';
import { META_V1 } from '../../api/schema/resolve.js';
import { DEFAULT_VERBS } from '../discovery.js';

/** The release the documents' info.version names. */
export const KUBERNETES_VERSION = 'v1.32.0';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Param {
  name: string;
  in: 'path' | 'query';
  type: 'string' | 'boolean' | 'integer';
  description: string;
  required?: boolean;
}

export interface Response {
  code: '200' | '201' | '202';
  description: string;
  /** A definition name. */
  schema?: string;
}

export interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  operationId: string;
  description: string;
  tags: string[];
  params: Param[];
  body?: { schema: string; required: boolean; consumes: string[] };
  produces: string[];
  responses: Response[];
  action?: string;
  gvk?: GroupVersionKind;
}

export interface PathItem {
  path: string;
  /** Parameters shared by every operation of the path. */
  params: Param[];
  operations: Operation[];
}

export const STATUS = `${META_V1}.Status`;
export const DELETE_OPTIONS = `${META_V1}.DeleteOptions`;
export const WATCH_EVENT = `${META_V1}.WatchEvent`;
export const PATCH = `${META_V1}.Patch`;
export const API_RESOURCE_LIST = `${META_V1}.APIResourceList`;
export const API_GROUP = `${META_V1}.APIGroup`;
export const API_GROUP_LIST = `${META_V1}.APIGroupList`;
export const API_VERSIONS = `${META_V1}.APIVersions`;
export const VERSION_INFO = 'io.k8s.apimachinery.pkg.version.Info';
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
export const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

const query = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

const P = {
  pretty: query('pretty', 'string', "If 'true', the response is indented for reading."),
  dryRun: query('dryRun', 'string', 'All: run every stage of the request but persist nothing.'),
  fieldManager: query('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields.'),
  fieldValidation: query(
    'fieldValidation',
    'string',
    'How to treat unknown and duplicate fields in the body: Ignore drops them, Warn drops them with a warning (the default), Strict rejects the request.',
  ),
  force: query('force', 'boolean', 'Take over fields other managers own when applying; only for apply patches.'),
  allowWatchBookmarks: query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events on a watch.'),
  continue: query('continue', 'string', 'The token from a previous page of a paginated list.'),
  fieldSelector: query('fieldSelector', 'string', 'Only objects whose fields match this selector.'),
  labelSelector: query('labelSelector', 'string', 'Only objects whose labels match this selector.'),
  limit: query('limit', 'integer', 'The most items to return; the rest are reachable through the continue token.'),
  resourceVersion: query('resourceVersion', 'string', 'Constrains which resource version the response may be served at.'),
  resourceVersionMatch: query('resourceVersionMatch', 'string', 'How resourceVersion is applied to a list: Exact or NotOlderThan.'),
  sendInitialEvents: query('sendInitialEvents', 'boolean', 'Start a watch with synthetic ADDED events for the current state, then a BOOKMARK.'),
  timeoutSeconds: query('timeoutSeconds', 'integer', 'End the list or watch call after this many seconds.'),
  watch: query('watch', 'boolean', 'Stream changes to the listed objects instead of listing them.'),
  gracePeriodSeconds: query('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; zero deletes at once.'),
  ignoreStoreReadErrorWithClusterBreakingPotential: query(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete an object whose stored form cannot be read; unsafe.',
  ),
  orphanDependents: query('orphanDependents', 'boolean', 'Deprecated: orphan the dependents; use propagationPolicy.'),
  propagationPolicy: query('propagationPolicy', 'string', 'Orphan, Background or Foreground deletion of dependents.'),
} satisfies Record<string, Param>;

const listParams = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
const deleteParams = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadErrorWithClusterBreakingPotential, P.orphanDependents, P.propagationPolicy];
const deleteCollectionParams = [
  ...deleteParams,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
];

const JSON_TYPES = ['application/json', 'application/yaml'];
const LIST_TYPES = ['application/json', 'application/yaml', 'application/json;stream=watch'];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const ANY = ['*/*'];

const ok = (schema: string): Response => ({ code: '200', description: 'OK', schema });
const created = (schema: string): Response => ({ code: '201', description: 'Created', schema });
const accepted = (schema: string): Response => ({ code: '202', description: 'Accepted', schema });

/** Upstream's operation-id spelling of a path segment: `rbac.authorization` → `RbacAuthorization`. */
function operationIdPart(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const letter = /\p{L}/u.test(c);
    if (letter || c === '_' || (i !== 0 && c >= '0' && c <= '9')) {
      out += capitalize ? c.toUpperCase() : c;
      capitalize = false;
    } else {
      capitalize = true;
    }
  }
  return out;
}

/** The `AppsV1` in `listAppsV1NamespacedDeployment` and the `apps_v1` tag. */
function groupVersionNames(group: string, version: string): { prefix: string; tag: string } {
  const g = group ? group.replace(/\.k8s\.io$/, '') : 'core';
  return {
    prefix: operationIdPart(g, true) + operationIdPart(version, true),
    tag: `${operationIdPart(g, false)}_${operationIdPart(version, false)}`,
  };
}

/** `a` or `an` as upstream's GetArticleForNoun picks it; plurals take none. */
function article(noun: string): string {
  if (!noun.endsWith('ss') && noun.endsWith('s')) return ' ';
  return /^[aeiou]/i.test(noun) ? ' an ' : ' a ';
}

export function groupVersionPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The definition name of a served resource's list kind. */
export function listSchemaName(served: ServedResource): string {
  return `${served.schemaName}List`;
}

export function listKind(served: ServedResource): string {
  const stored = served.group === served.def.group && served.version === served.def.version;
  return stored && served.def.listKind ? served.def.listKind : `${served.kind}List`;
}

/** Every path a group-version serves, sorted by path; undefined when nothing is served there. */
export function groupVersionPaths(registry: ResourceRegistry, group: string, version: string): PathItem[] | undefined {
  const served = registry.servedResources().filter((s) => s.group === group && s.version === version);
  if (!served.length) return undefined;
  const { prefix, tag } = groupVersionNames(group, version);
  const items = new Map<string, Operation[]>();
  const add = (path: string, op: Operation) => {
    const ops = items.get(path);
    if (ops) ops.push(op);
    else items.set(path, [op]);
  };
  add(`${groupVersionPrefix(group, version)}/`, {
    method: 'get',
    operationId: `get${prefix}APIResources`,
    description: 'get available resources',
    tags: [tag],
    params: [],
    produces: JSON_TYPES,
    responses: [ok(API_RESOURCE_LIST)],
  });
  for (const s of served) resourceOperations(s, registry, prefix, tag, add);
  return [...items.keys()].sort().map((path) => splitSharedParams(path, items.get(path)!));
}

function resourceOperations(s: ServedResource, registry: ResourceRegistry, gvPrefix: string, tag: string, add: (path: string, op: Operation) => void): void {
  const def = s.def;
  const kind = s.kind;
  const verbs = new Set(def.verbs ?? DEFAULT_VERBS);
  const gvk: GroupVersionKind = { group: s.group, version: s.version, kind };
  const base = groupVersionPrefix(s.group, s.version);
  const nsPath = def.namespaced ? '/namespaces/{namespace}' : '';
  const namespaced = def.namespaced ? 'Namespaced' : '';
  const collection = `${base}${nsPath}/${def.plural}`;
  const item = `${collection}/{name}`;
  const nsParam: Param[] = def.namespaced ? [{ name: 'namespace', in: 'path', type: 'string', description: 'The namespace of the objects.', required: true }] : [];
  const nameParam: Param = { name: 'name', in: 'path', type: 'string', description: `name of the ${kind}`, required: true };
  const listSchema = listSchemaName(s);
  const op = (o: Omit<Operation, 'tags' | 'gvk'> & { gvk?: GroupVersionKind }): Operation => ({ tags: [tag], gvk, ...o });
  const id = (verb: string, suffix = '') => `${verb}${gvPrefix}${namespaced}${kind}${suffix}`;
  const canList = verbs.has('list');
  const canWatch = verbs.has('watch');
  const deleted = def.returnDeletedObject ? s.schemaName : STATUS;
  const patchTypes = def.customResource ? PATCH_TYPES.filter((t) => !t.includes('strategic')) : PATCH_TYPES;

  if (canList) {
    add(collection, op({
      method: 'get',
      operationId: id('list'),
      description: canWatch ? `list or watch objects of kind ${kind}` : `list objects of kind ${kind}`,
      params: [...nsParam, P.pretty, ...listParams],
      produces: LIST_TYPES,
      responses: [ok(listSchema)],
      action: 'list',
    }));
  }
  if (verbs.has('create')) {
    add(collection, op({
      method: 'post',
      operationId: id('create'),
      description: `create${article(kind)}${kind}`,
      params: [...nsParam, P.pretty, ...writeParams],
      body: { schema: s.schemaName, required: true, consumes: ANY },
      produces: JSON_TYPES,
      responses: [ok(s.schemaName), created(s.schemaName), accepted(s.schemaName)],
      action: 'post',
    }));
  }
  if (verbs.has('deletecollection')) {
    add(collection, op({
      method: 'delete',
      operationId: `delete${gvPrefix}Collection${namespaced}${kind}`,
      description: `delete collection of ${kind}`,
      params: [...nsParam, P.pretty, ...deleteCollectionParams],
      body: { schema: DELETE_OPTIONS, required: false, consumes: ANY },
      produces: JSON_TYPES,
      responses: [ok(STATUS)],
      action: 'deletecollection',
    }));
  }
  if (canList && canWatch) {
    add(`${base}/watch${nsPath}/${def.plural}`, op({
      method: 'get',
      operationId: id('watch', 'List'),
      description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
      params: [...nsParam, P.pretty, ...listParams],
      produces: LIST_TYPES,
      responses: [ok(WATCH_EVENT)],
      action: 'watchlist',
    }));
  }
  if (verbs.has('get')) {
    add(item, op({
      method: 'get',
      operationId: id('read'),
      description: `read the specified ${kind}`,
      params: [nameParam, ...nsParam, P.pretty],
      produces: JSON_TYPES,
      responses: [ok(s.schemaName)],
      action: 'get',
    }));
  }
  if (verbs.has('update')) {
    add(item, op({
      method: 'put',
      operationId: id('replace'),
      description: `replace the specified ${kind}`,
      params: [nameParam, ...nsParam, P.pretty, ...writeParams],
      body: { schema: s.schemaName, required: true, consumes: ANY },
      produces: JSON_TYPES,
      responses: [ok(s.schemaName), created(s.schemaName)],
      action: 'put',
    }));
  }
  if (verbs.has('patch')) {
    add(item, op({
      method: 'patch',
      operationId: id('patch'),
      description: `partially update the specified ${kind}`,
      params: [nameParam, ...nsParam, P.pretty, ...writeParams, P.force],
      body: { schema: PATCH, required: true, consumes: patchTypes },
      produces: JSON_TYPES,
      responses: [ok(s.schemaName), created(s.schemaName)],
      action: 'patch',
    }));
  }
  if (verbs.has('delete')) {
    add(item, op({
      method: 'delete',
      operationId: id('delete'),
      description: `delete${article(kind)}${kind}`,
      params: [nameParam, ...nsParam, P.pretty, ...deleteParams],
      body: { schema: DELETE_OPTIONS, required: false, consumes: ANY },
      produces: JSON_TYPES,
      responses: [ok(deleted), accepted(deleted)],
      action: 'delete',
    }));
  }
  if (canWatch) {
    add(`${base}/watch${nsPath}/${def.plural}/{name}`, op({
      method: 'get',
      operationId: id('watch'),
      description: `watch changes to an object of kind ${kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
      params: [nameParam, ...nsParam, P.pretty, ...listParams],
      produces: LIST_TYPES,
      responses: [ok(WATCH_EVENT)],
      action: 'watch',
    }));
  }
  if (def.namespaced && canList) {
    add(`${base}/${def.plural}`, op({
      method: 'get',
      operationId: `list${gvPrefix}${kind}ForAllNamespaces`,
      description: canWatch ? `list or watch objects of kind ${kind}` : `list objects of kind ${kind}`,
      params: [P.pretty, ...listParams],
      produces: LIST_TYPES,
      responses: [ok(listSchema)],
      action: 'list',
    }));
    if (canWatch) {
      add(`${base}/watch/${def.plural}`, op({
        method: 'get',
        operationId: `watch${gvPrefix}${kind}ListForAllNamespaces`,
        description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        params: [P.pretty, ...listParams],
        produces: LIST_TYPES,
        responses: [ok(WATCH_EVENT)],
        action: 'watchlist',
      }));
    }
  }

  const subresources: { name: string; schema: string; gvk: GroupVersionKind }[] = [];
  if (def.subresources?.status) subresources.push({ name: 'status', schema: s.schemaName, gvk });
  // Scale operations need autoscaling/v1 Scale, which the autoscaling kinds define.
  if (def.subresources?.scale && registry.definitions.has(SCALE)) subresources.push({ name: 'scale', schema: SCALE, gvk: SCALE_GVK });
  for (const sub of subresources) {
    const path = `${item}/${sub.name}`;
    const title = sub.name[0].toUpperCase() + sub.name.slice(1);
    add(path, op({
      method: 'get',
      operationId: id('read', title),
      description: `read ${sub.name} of the specified ${kind}`,
      params: [nameParam, ...nsParam, P.pretty],
      produces: JSON_TYPES,
      responses: [ok(sub.schema)],
      action: 'get',
      gvk: sub.gvk,
    }));
    add(path, op({
      method: 'put',
      operationId: id('replace', title),
      description: `replace ${sub.name} of the specified ${kind}`,
      params: [nameParam, ...nsParam, P.pretty, ...writeParams],
      body: { schema: sub.schema, required: true, consumes: ANY },
      produces: JSON_TYPES,
      responses: [ok(sub.schema), created(sub.schema)],
      action: 'put',
      gvk: sub.gvk,
    }));
    add(path, op({
      method: 'patch',
      operationId: id('patch', title),
      description: `partially update ${sub.name} of the specified ${kind}`,
      params: [nameParam, ...nsParam, P.pretty, ...writeParams, P.force],
      body: { schema: PATCH, required: true, consumes: patchTypes },
      produces: JSON_TYPES,
      responses: [ok(sub.schema), created(sub.schema)],
      action: 'patch',
      gvk: sub.gvk,
    }));
  }
}

/** Parameters every operation of a path shares move to the path, as upstream's documents have them; both lists sorted by name. */
function splitSharedParams(path: string, operations: Operation[]): PathItem {
  const shared = operations[0].params.filter((p) => operations.every((o) => o.params.some((q) => q.name === p.name)));
  const sharedNames = new Set(shared.map((p) => p.name));
  const byName = (a: Param, b: Param) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    path,
    params: shared.sort(byName),
    operations: operations.map((o) => ({ ...o, params: o.params.filter((p) => !sharedNames.has(p.name)).sort(byName) })),
  };
}

/** The documents outside group-versions: /api/, /apis/, /apis/<group>/ and /version/. */
export function rootPaths(path: string, registry: ResourceRegistry): PathItem[] | undefined {
  const single = (p: string, operationId: string, description: string, tag: string, schema: string): PathItem[] => [
    { path: p, params: [], operations: [{ method: 'get', operationId, description, tags: [tag], params: [], produces: JSON_TYPES, responses: [ok(schema)] }] },
  ];
  if (path === 'api') return single('/api/', 'getCoreAPIVersions', 'get available API versions', 'core', API_VERSIONS);
  if (path === 'apis') return single('/apis/', 'getAPIVersions', 'get available API versions', 'apis', API_GROUP_LIST);
  if (path === 'version') return single('/version/', 'getCodeVersion', 'get the version information for this server', 'version', VERSION_INFO);
  const m = /^apis\/([^/]+)$/.exec(path);
  if (m && registry.servedResources().some((s) => s.group === m[1])) {
    const g = m[1].replace(/\.k8s\.io$/, '');
    return single(`/apis/${m[1]}/`, `get${operationIdPart(g, true)}APIGroup`, 'get information of a group', operationIdPart(g, false), API_GROUP);
  }
  return undefined;
}
