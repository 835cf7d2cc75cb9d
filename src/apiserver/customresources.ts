// Serving CustomResourceDefinitions, as apiextensions-apiserver's in-process controllers do: naming
// (acceptedNames and NamesAccepted, against the other CRDs of the group), establishing (the resource
// is served, then Established is set, so a client that saw Established can use it) and the finalizer
// (a deleted CRD's custom resources are deleted before the CRD goes).
import type { CustomResourceDefinition, CustomResourceDefinitionNames } from 'kubernetes-types/apiextensions/v1.js';
import type { ResourceDefinition, ResourceRegistry } from '../api/registry.js';
import { isStatusError } from '../api/meta/status.js';
import { nowRFC3339 } from '../api/meta/time.js';
import {
  APIEXTENSIONS_GROUP,
  crdCondition,
  CUSTOM_RESOURCE_CLEANUP_FINALIZER,
  setCrdCondition,
} from '../api/resources/apiextensions/customresourcedefinition.js';
import { customResourceFor } from '../api/resources/apiextensions/custom-resource.js';
import type { RequestContext, ResourceStorage } from './rest.js';

/** What the controller needs of the API server. */
export interface CustomResourceHost {
  readonly registry: ResourceRegistry;
  storage(group: string, plural: string): ResourceStorage | undefined;
  addResource(def: ResourceDefinition): Promise<void>;
  removeResource(group: string, plural: string): void;
}

/** How long to wait before looking again at a CRD whose custom resources are still being deleted. */
const CLEANUP_RECHECK_MS = 500;
const RETRY_MS = 200;

interface Served {
  group: string;
  plural: string;
  /** What the served definition was built from; a change re-registers it. */
  source: string;
}

const internal = (): RequestContext => ({ dryRun: false, warnings: [] });

export class CustomResourceController {
  private readonly served = new Map<string, Served>();
  private readonly pending = new Set<string>();
  private draining?: Promise<void>;
  private unsubscribe?: () => void;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly host: CustomResourceHost) {}

  private get crds(): ResourceStorage {
    return this.host.storage(APIEXTENSIONS_GROUP, 'customresourcedefinitions')!;
  }

  /** Serves every stored CRD before returning, then follows changes. */
  async start(): Promise<void> {
    const crds = this.crds;
    this.unsubscribe = crds.cache.subscribe((events) => {
      for (const e of events) this.enqueue(e.object.name);
    });
    for (const o of crds.cache.objects.values()) this.enqueue(o.name);
    await this.draining;
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
  }

  private enqueue(name: string): void {
    this.pending.add(name);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private later(name: string, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) this.enqueue(name);
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private async drain(): Promise<void> {
    while (this.pending.size && !this.stopped) {
      const [name] = this.pending;
      this.pending.delete(name);
      try {
        await this.reconcile(name);
      } catch (err) {
        if (!isStatusError(err, 'Conflict') && !isStatusError(err, 'NotFound')) console.error(`customresourcedefinition ${name}: ${(err as Error).message}`);
        this.later(name, RETRY_MS);
      }
    }
  }

  private current(name: string): CustomResourceDefinition | undefined {
    return this.crds.cache.objects.get(this.crds.key('', name))?.object as CustomResourceDefinition | undefined;
  }

  private async reconcile(name: string): Promise<void> {
    const crd = this.current(name);
    if (!crd) {
      this.unserve(name);
      return;
    }
    if (crd.metadata?.deletionTimestamp) {
      await this.cleanUp(crd);
      return;
    }
    const { names, accepted, reason, message } = this.acceptNames(crd);
    if (accepted) await this.serve(name, { ...crd, spec: { ...crd.spec, names } });
    await this.crds.update(
      '',
      name,
      (cur) => {
        const next = cur as CustomResourceDefinition;
        const now = nowRFC3339();
        next.status = { ...next.status, acceptedNames: names };
        setCrdCondition(next, { type: 'NamesAccepted', status: accepted ? 'True' : 'False', reason, message }, now);
        if (accepted) setCrdCondition(next, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
        else if (crdCondition(next, 'Established')?.status !== 'True') setCrdCondition(next, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }, now);
        return next;
      },
      internal(),
      { subresource: 'status' },
    );
  }

  /** Upstream's naming controller: a name is taken if another CRD of the group accepted it. */
  private acceptNames(crd: CustomResourceDefinition): { names: CustomResourceDefinitionNames; accepted: boolean; reason: string; message: string } {
    const resources = new Set<string>();
    const kinds = new Set<string>();
    for (const o of this.crds.cache.objects.values()) {
      const other = o.object as CustomResourceDefinition;
      if (other.metadata?.name === crd.metadata?.name || other.spec?.group !== crd.spec.group) continue;
      const a = other.status?.acceptedNames;
      if (!a) continue;
      for (const n of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (n) resources.add(n);
      for (const k of [a.kind, a.listKind]) if (k) kinds.add(k);
    }
    const requested = crd.spec.names;
    const previous = crd.status?.acceptedNames ?? { plural: '', kind: '' };
    const names: CustomResourceDefinitionNames = { ...previous };
    let conflict: { reason: string; message: string } | undefined;
    const take = (field: 'plural' | 'singular' | 'kind' | 'listKind', used: Set<string>, reason: string) => {
      const want = requested[field];
      if (want === previous[field] || !want || !used.has(want)) names[field] = want as string;
      else conflict = { reason, message: `"${want}" is already in use` };
    };
    take('plural', resources, 'PluralConflict');
    take('singular', resources, 'SingularConflict');
    const taken = (requested.shortNames ?? []).filter((s) => !(previous.shortNames ?? []).includes(s) && resources.has(s));
    if (taken.length) conflict = { reason: 'ShortNamesConflict', message: taken.map((s) => `"${s}" is already in use`).join(', ') };
    else if (requested.shortNames) names.shortNames = requested.shortNames;
    else delete names.shortNames;
    take('kind', kinds, 'KindConflict');
    take('listKind', kinds, 'ListKindConflict');
    if (requested.categories) names.categories = requested.categories;
    else delete names.categories;
    // A built-in resource of the same group and plural keeps its place.
    const builtin = this.host.registry.get(crd.spec.group, requested.plural);
    if (builtin && !builtin.customResource) conflict = { reason: 'PluralConflict', message: `"${requested.plural}" is already in use` };
    return conflict ? { names, accepted: false, ...conflict } : { names, accepted: true, reason: 'NoConflicts', message: 'no conflicts found' };
  }

  private async serve(name: string, crd: CustomResourceDefinition): Promise<void> {
    const source = JSON.stringify(crd.spec);
    const existing = this.served.get(name);
    if (existing?.source === source) return;
    const def = customResourceFor(crd, () => !!this.current(name)?.metadata?.deletionTimestamp);
    if (existing) this.unserve(name);
    if (!def) return;
    await this.host.addResource(def);
    this.served.set(name, { group: def.group, plural: def.plural, source });
  }

  private unserve(name: string): void {
    const s = this.served.get(name);
    if (!s) return;
    this.served.delete(name);
    this.host.removeResource(s.group, s.plural);
  }

  /** Deletes the custom resources of a CRD being deleted, then lets the CRD go. */
  private async cleanUp(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata!.name!;
    if (!crd.metadata?.finalizers?.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) return;
    const s = this.served.get(name);
    const storage = s && this.host.storage(s.group, s.plural);
    const remaining = storage ? [...storage.cache.objects.values()] : [];
    if (remaining.length) {
      await this.setTerminating(name, 'InstanceDeletionInProgress', 'CustomResource deletion is in progress');
      for (const o of remaining) {
        if (o.object.metadata?.deletionTimestamp) continue;
        try {
          await storage!.delete(o.namespace, o.name, {}, internal());
        } catch (err) {
          if (!isStatusError(err, 'NotFound')) throw err;
        }
      }
      this.later(name, CLEANUP_RECHECK_MS);
      return;
    }
    await this.setTerminating(name, 'InstanceDeletionCompleted', 'removed all instances', 'False');
    this.unserve(name);
    await this.crds.update(
      '',
      name,
      (cur) => {
        const finalizers = (cur.metadata.finalizers as string[] | undefined)?.filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER) ?? [];
        if (finalizers.length) cur.metadata.finalizers = finalizers;
        else delete cur.metadata.finalizers;
        return cur;
      },
      internal(),
    );
  }

  private async setTerminating(name: string, reason: string, message: string, status = 'True'): Promise<void> {
    await this.crds.update(
      '',
      name,
      (cur) => {
        setCrdCondition(cur as CustomResourceDefinition, { type: 'Terminating', status, reason, message }, nowRFC3339());
        return cur;
      },
      internal(),
      { subresource: 'status' },
    );
  }
}
