// Discovery: /api, /apis, per group-version resource lists, and the aggregated
// discovery document (apidiscovery.k8s.io/v2) that kubectl 1.32 asks for first.
import { createHash } from 'node:crypto';
import type { GroupVersion, ResourceDefinition, ResourceRegistry, ServedResource } from '../api/registry.js';
import { groupVersionString } from '../api/registry.js';

export const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Upstream groups appear in this order (legacy first, then by priority); others follow by name. */
const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
];

function groupRank(g: string): number {
  const i = GROUP_ORDER.indexOf(g);
  return i < 0 ? GROUP_ORDER.length : i;
}

/** Newer versions first: v2 before v1, v1 before v1beta1, as upstream's version priority. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v] as const;
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0), v] as const;
  };
  const [sa, ma, na, va] = parse(a);
  const [sb, mb, nb, vb] = parse(b);
  if (sa !== sb) return sb - sa;
  if (ma !== mb) return mb - ma;
  if (na !== nb) return nb - na;
  return va < vb ? -1 : va > vb ? 1 : 0;
}

export interface ServedGroup {
  name: string;
  /** Newest first. */
  versions: string[];
  /** The stored version of the group's resources: what clients should prefer. */
  preferred: string;
}

export function servedGroups(registry: ResourceRegistry): ServedGroup[] {
  const byGroup = new Map<string, Set<string>>();
  const preferred = new Map<string, string>();
  for (const s of registry.servedResources()) {
    const g = s.group;
    if (!byGroup.has(g)) byGroup.set(g, new Set());
    byGroup.get(g)!.add(s.version);
    if (!preferred.has(g) || s.version === s.def.version) preferred.set(g, s.version);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => groupRank(a) - groupRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, versions]) => {
      const sorted = [...versions].sort(compareVersions);
      return { name, versions: sorted, preferred: preferred.get(name) ?? sorted[0] };
    });
}

function storageVersionHash(def: ResourceDefinition): string {
  return createHash('sha256').update(`${def.group}/${def.version}/${def.kind}`).digest('base64').slice(0, 11);
}

function resourcesOf(registry: ResourceRegistry, gv: GroupVersion): ServedResource[] {
  return registry
    .servedResources()
    .filter((s) => s.group === gv.group && s.version === gv.version)
    .sort((a, b) => (a.def.plural < b.def.plural ? -1 : 1));
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: ServedGroup): object {
  return {
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
  };
}

export function apiGroupList(registry: ResourceRegistry): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups(registry).filter((g) => g.name).map(apiGroup) };
}

export function apiGroupDocument(registry: ResourceRegistry, group: string): object | undefined {
  const g = servedGroups(registry).find((x) => x.name === group);
  return g && group ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

function subresourceVerbs(sub: string): string[] {
  switch (sub) {
    case 'status':
    case 'scale':
      return ['get', 'patch', 'update'];
    case 'binding':
    case 'eviction':
    case 'token':
      return ['create'];
    case 'log':
      return ['get'];
    case 'exec':
    case 'attach':
    case 'portforward':
    case 'proxy':
      return ['create', 'get'];
    default:
      return ['get'];
  }
}

function subresourceKind(def: ResourceDefinition, sub: string): { group: string; version: string; kind: string } {
  switch (sub) {
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding' };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction' };
    case 'token':
      return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
    case 'exec':
    case 'attach':
    case 'portforward':
      return { group: '', version: 'v1', kind: `Pod${sub === 'portforward' ? 'PortForward' : sub[0].toUpperCase() + sub.slice(1)}Options` };
    case 'log':
      return { group: '', version: 'v1', kind: 'Pod' };
    default:
      return { group: def.group, version: def.version, kind: def.kind };
  }
}

function subresourcesOf(def: ResourceDefinition): string[] {
  const subs: string[] = [];
  if (def.subresources?.status) subs.push('status');
  if (def.subresources?.scale) subs.push('scale');
  subs.push(...(def.subresources?.others ?? []));
  return subs.sort();
}

export function apiResourceList(registry: ResourceRegistry, gv: GroupVersion): object | undefined {
  const served = resourcesOf(registry, gv);
  if (!served.length) return undefined;
  const resources: object[] = [];
  for (const s of served) {
    const def = s.def;
    const entry: Record<string, unknown> = {
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: s.kind,
      verbs: def.verbs ?? DEFAULT_VERBS,
    };
    if (def.shortNames?.length) entry.shortNames = def.shortNames;
    if (def.categories?.length) entry.categories = def.categories;
    entry.storageVersionHash = storageVersionHash(def);
    resources.push(entry);
    for (const sub of subresourcesOf(def)) {
      const k = subresourceKind(def, sub);
      const subEntry: Record<string, unknown> = { name: `${def.plural}/${sub}`, singularName: '', namespaced: def.namespaced, kind: k.kind, verbs: subresourceVerbs(sub) };
      // Upstream names the group-version of a subresource's kind whenever it is not the parent's (deployments/scale: autoscaling/v1).
      if (k.group !== s.group || k.version !== s.version) {
        subEntry.group = k.group;
        subEntry.version = k.version;
      }
      resources.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersionString(gv), resources };
}

/** apidiscovery.k8s.io APIGroupDiscoveryList for `/api` (core) or `/apis` (every named group). */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean, version: string): object {
  const items = servedGroups(registry)
    .filter((g) => (core ? g.name === '' : g.name !== ''))
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: resourcesOf(registry, { group: g.name, version: v }).map((s) => {
          const def = s.def;
          const r: Record<string, unknown> = {
            resource: def.plural,
            responseKind: { group: s.group, version: v, kind: s.kind },
            scope: def.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: def.singular,
            verbs: def.verbs ?? DEFAULT_VERBS,
          };
          if (def.shortNames?.length) r.shortNames = def.shortNames;
          if (def.categories?.length) r.categories = def.categories;
          const subs = subresourcesOf(def);
          if (subs.length) {
            r.subresources = subs.map((sub) => ({ subresource: sub, responseKind: subresourceKind(def, sub), verbs: subresourceVerbs(sub) }));
          }
          return r;
        }),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
