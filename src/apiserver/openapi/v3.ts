// OpenAPI v3 as a 1.32 apiserver serves it: /openapi/v3 lists one document per path
// (`api/v1`, `apis/apps/v1` …) with a hash, and each document holds that path's operations
// and the schemas they reach. kubectl reads these for explain, for client-side apply's patch
// metadata, and to learn that PATCH takes `fieldValidation` before it sends Strict requests.
import type { ResourceRegistry } from '../../api/registry.js';
import { groupVersionString } from '../../api/registry.js';
import { cached, type SerializedDocument } from './cache.js';
import type { Definitions } from '../../api/schema/types.js';
import { groupVersionPaths, KUBERNETES_VERSION, rootPaths, type GroupVersionKind, type Param, type PathItem } from './operations.js';
import { renderDefinitions, renderSchema } from './schemas.js';

type Json = Record<string, unknown>;

/** Paths outside group-versions that the discovery document also lists. */
const ROOT_PATHS = ['api', 'apis', 'version'];

/** `/openapi/v3`: `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, …}}`. */
export function openapiV3Discovery(registry: ResourceRegistry): Record<string, unknown> {
  return openapiV3DiscoveryDocument(registry).document;
}

export function openapiV3DiscoveryDocument(registry: ResourceRegistry): SerializedDocument {
  return cached(registry, 'v3:discovery', () => {
    const names = new Set(ROOT_PATHS);
    for (const gv of registry.groupVersions()) {
      names.add(gv.group ? `apis/${gv.group}` : 'api');
      names.add(gv.group ? `apis/${groupVersionString(gv)}` : `api/${gv.version}`);
    }
    const paths: Json = {};
    for (const name of [...names].sort()) {
      const doc = openapiV3Document(registry, name);
      if (doc) paths[name] = { serverRelativeURL: `/openapi/v3/${name}?hash=${doc.hash}` };
    }
    return { paths };
  })!;
}

/** The document of one group-version (`''` is the core group), or undefined when it serves nothing. */
export function openapiV3GroupVersion(registry: ResourceRegistry, group: string, version: string | undefined): Record<string, unknown> | undefined {
  if (!version) return undefined;
  return openapiV3Document(registry, group ? `apis/${group}/${version}` : `api/${version}`)?.document;
}

/** Any document the discovery lists, by its path there: `api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `apis`, `version`. */
export function openapiV3Document(registry: ResourceRegistry, path: string): SerializedDocument | undefined {
  return cached(registry, `v3:${path}`, (defs, gvks) => {
    const items = pathItemsFor(registry, path);
    return items && buildDocument(items, defs, gvks);
  });
}

function pathItemsFor(registry: ResourceRegistry, path: string): PathItem[] | undefined {
  const core = /^api\/([^/]+)$/.exec(path);
  if (core) return groupVersionPaths(registry, '', core[1]);
  const named = /^apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (named) return groupVersionPaths(registry, named[1], named[2]);
  return rootPaths(path, registry);
}

function buildDocument(items: PathItem[], defs: Definitions, gvks: Map<string, GroupVersionKind[]>): Json {
  const roots = new Set<string>();
  const paths: Json = {};
  for (const item of items) {
    const rendered: Json = {};
    for (const op of item.operations) {
      const o: Json = { tags: op.tags, description: op.description, operationId: op.operationId };
      if (op.params.length) o.parameters = op.params.map(renderParam);
      if (op.body) {
        roots.add(op.body.schema);
        const content: Json = {};
        for (const type of op.body.consumes) content[type] = { schema: renderSchema({ ref: op.body.schema }, 'v3') };
        o.requestBody = op.body.required ? { content, required: true } : { content };
      }
      const responses: Json = {};
      for (const r of op.responses) {
        if (!r.schema) {
          responses[r.code] = { description: r.description };
          continue;
        }
        roots.add(r.schema);
        const content: Json = {};
        for (const type of op.produces) content[type] = { schema: renderSchema({ ref: r.schema }, 'v3') };
        responses[r.code] = { description: r.description, content };
      }
      responses['401'] = { description: 'Unauthorized' };
      o.responses = responses;
      if (op.action) o['x-kubernetes-action'] = op.action;
      if (op.gvk) o['x-kubernetes-group-version-kind'] = { group: op.gvk.group, version: op.gvk.version, kind: op.gvk.kind };
      rendered[op.method] = o;
    }
    if (item.params.length) rendered.parameters = item.params.map(renderParam);
    paths[item.path] = rendered;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths,
    components: {
      schemas: renderDefinitions(roots, defs, gvks, 'v3'),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

function renderParam(p: Param): Json {
  const out: Json = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}
