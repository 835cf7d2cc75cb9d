// The swagger 2.0 document at /openapi/v2: every path the server serves and every
// definition they reach, `#/definitions/...` refs with sibling annotations.
import type { ResourceRegistry } from '../../api/registry.js';
import { cached, type SerializedDocument } from './cache.js';
import { groupVersionPaths, KUBERNETES_VERSION, rootPaths, type Param, type PathItem } from './operations.js';
import { renderDefinitions } from './schemas.js';

type Json = Record<string, unknown>;

const refTo = (name: string) => ({ $ref: `#/definitions/${name}` });

export function openapiV2(registry: ResourceRegistry): Record<string, unknown> {
  return openapiV2Document(registry).document;
}

export function openapiV2Document(registry: ResourceRegistry): SerializedDocument {
  return cached(registry, 'v2', (defs, gvks) => {
    const items: PathItem[] = [];
    for (const root of ['api', 'apis', 'version']) items.push(...rootPaths(root, registry)!);
    const groups = new Set<string>();
    for (const gv of registry.groupVersions()) {
      items.push(...(groupVersionPaths(registry, gv.group, gv.version) ?? []));
      if (gv.group) groups.add(gv.group);
    }
    for (const g of groups) items.push(...rootPaths(`apis/${g}`, registry)!);
    items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const roots = new Set<string>();
    const paths: Json = {};
    for (const item of items) {
      const rendered: Json = {};
      for (const op of item.operations) {
        const parameters: Json[] = [];
        if (op.body) {
          roots.add(op.body.schema);
          parameters.push({ name: 'body', in: 'body', required: op.body.required, schema: refTo(op.body.schema) });
        }
        parameters.push(...op.params.map(renderParam));
        const responses: Json = {};
        for (const r of op.responses) {
          if (r.schema) roots.add(r.schema);
          responses[r.code] = r.schema ? { description: r.description, schema: refTo(r.schema) } : { description: r.description };
        }
        responses['401'] = { description: 'Unauthorized' };
        const o: Json = {
          description: op.description,
          consumes: op.body?.consumes ?? ['*/*'],
          produces: op.produces,
          schemes: ['https'],
          tags: op.tags,
          operationId: op.operationId,
        };
        if (parameters.length) o.parameters = parameters;
        o.responses = responses;
        if (op.action) o['x-kubernetes-action'] = op.action;
        if (op.gvk) o['x-kubernetes-group-version-kind'] = { group: op.gvk.group, version: op.gvk.version, kind: op.gvk.kind };
        rendered[op.method] = o;
      }
      if (item.params.length) rendered.parameters = item.params.map(renderParam);
      paths[item.path] = rendered;
    }
    return {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
      paths,
      definitions: renderDefinitions(roots, defs, gvks, 'v2'),
      securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
      security: [{ BearerToken: [] }],
    };
  })!;
}

function renderParam(p: Param): Json {
  const out: Json = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out.required = true;
  return out;
}
