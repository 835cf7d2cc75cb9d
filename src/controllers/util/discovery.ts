// What the API serves, from aggregated discovery (`/api` and `/apis` as apidiscovery.k8s.io/v2):
// the controllers that act on every kind (garbage collector, namespace deletion) find their
// resources here, and map an ownerReference's apiVersion + kind to the resource to call.
import type { Client } from '../../client/client.js';
import { apiVersionOf, type ResourceRef } from '../../client/resource.js';

export interface DiscoveredResource extends ResourceRef {
  verbs: string[];
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface DiscoveryDocument {
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: { resource: string; responseKind?: { kind?: string }; scope?: string; verbs?: string[] }[] }[];
  }[];
}

/**
 * Every resource at its group's preferred version (ServerPreferredResources): versions come in
 * preference order, and a resource only an older version serves is taken from that version.
 */
export async function discoverResources(client: Client): Promise<DiscoveredResource[]> {
  const [core, named] = await Promise.all(
    ['/api', '/apis'].map((path) => client.request<DiscoveryDocument>({ method: 'GET', path, headers: { accept: AGGREGATED } })),
  );
  const out: DiscoveredResource[] = [];
  for (const group of [...(core.items ?? []), ...(named.items ?? [])]) {
    const name = group.metadata?.name ?? '';
    const seen = new Set<string>();
    for (const v of group.versions ?? []) {
      for (const r of v.resources ?? []) {
        if (seen.has(r.resource) || !r.responseKind?.kind) continue;
        seen.add(r.resource);
        out.push({ group: name, version: v.version, resource: r.resource, kind: r.responseKind.kind, namespaced: r.scope === 'Namespaced', verbs: r.verbs ?? [] });
      }
    }
  }
  return out;
}

export function supportsVerbs(r: DiscoveredResource, verbs: string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** apiVersion + kind → resource, as a RESTMapper: an exact version first, then the group's preferred one. */
export class RESTMapper {
  private readonly exact = new Map<string, ResourceRef>();
  private readonly byGroupKind = new Map<string, ResourceRef>();

  constructor(resources: Iterable<DiscoveredResource>) {
    for (const r of resources) {
      const ref: ResourceRef = { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced };
      this.exact.set(`${apiVersionOf(ref)}/${r.kind}`, ref);
      if (!this.byGroupKind.has(`${r.group}/${r.kind}`)) this.byGroupKind.set(`${r.group}/${r.kind}`, ref);
    }
  }

  forKind(apiVersion: string, kind: string): ResourceRef | undefined {
    return this.exact.get(`${apiVersion}/${kind}`) ?? this.byGroupKind.get(`${groupOf(apiVersion)}/${kind}`);
  }
}
