// The served resources: what each kind is (schema, defaults, validation, strategy,
// table columns, field selectors) and how to find it by path, kind or short name.
// Built-in kinds register at start-up; CRDs are added and removed at run time.
import type { FieldError } from './meta/status.js';
import type { Definitions, Schema } from './schema/types.js';

// Objects travel as plain JSON values; kinds narrow them with kubernetes-types where useful.
export type KubeObject = { apiVersion?: string; kind?: string; metadata?: any; [k: string]: any };

/** A table column as metav1.TableColumnDefinition; priority 0 shows by default, higher only with `-o wide`. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableDefinition<T extends KubeObject = KubeObject> {
  columns: TableColumn[];
  /** Cells in column order; `now` in ms makes ages deterministic for a request. */
  cells(obj: T, now: number): unknown[];
}

/** Subresources beyond the generic ones are served by handlers the apiserver registers by name. */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ValidationContext {
  /** For update: the stored object before the change. */
  old?: KubeObject;
  /** The subresource writing (`status`, `binding` …); empty for the main resource. */
  subresource?: string;
}

export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  group: string;
  /** The version objects are stored and served in. */
  version: string;
  kind: string;
  listKind?: string;
  /** Lower-case plural: the path segment. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Verbs served; default: create delete deletecollection get list patch update watch. */
  verbs?: string[];
  /** The kind's OpenAPI definition name (its schema is in `definitions`). */
  schemaName: string;
  /** Definitions this kind brings (its own and any it refers to); shared names must be the same object. */
  definitions?: Definitions;
  /** `metadata.name` rule: DNS-1123 subdomain (most kinds), label (namespaces), DNS-1035 label (services), or path segment (RBAC). */
  nameRule?: 'subdomain' | 'label' | 'dns1035-label' | 'path-segment';
  subresources?: {
    status?: boolean;
    scale?: ScaleSubresource;
    /** Other subresources (binding, eviction, log, exec …) by name, served by registered handlers. */
    others?: string[];
  };
  /** Ignored by the main resource on update, changed only through /status (default: `status` when the status subresource exists). */
  statusField?: string;
  /** Fields other than metadata and status that are not spec-like; changes to spec-like fields bump `generation`. */
  nonSpecFields?: string[];
  /** `metadata.generation` is set on create and bumped on every spec change (workloads, not pods or config). */
  tracksGeneration?: boolean;
  /** PUT of a missing object creates it (upstream AllowCreateOnUpdate: events, leases, endpoints …). */
  allowCreateOnUpdate?: boolean;
  /** DELETE answers with the deleted object rather than a Success Status (pods, services …). */
  returnDeletedObject?: boolean;
  /** Defined by a CustomResourceDefinition: no strategic merge patch, unconditional updates refused. */
  customResource?: boolean;
  /** Why creates are refused for now (the CRD of a custom resource is being deleted); undefined when they are not. */
  createRefused?(): string | undefined;
  /** Seconds a delete waits before the object goes (pods); 0 or absent: removed at once. */
  deletionGracePeriod?(obj: T, requestedSeconds: number | undefined): number;
  /** Finalizers kept outside metadata (a namespace's spec.finalizers): a deleted object stays while any remain. */
  specFinalizers?(obj: T): readonly string[] | undefined;
  /** Changes to an object when its deletion starts (upstream's namespace storage sets phase Terminating). */
  prepareForDelete?(obj: T): void;
  /** Upstream defaulting, after schema defaults. */
  defaults?(obj: T): void;
  /** Strategy hooks, as upstream's PrepareForCreate/PrepareForUpdate. */
  prepareForCreate?(obj: T): void;
  prepareForUpdate?(obj: T, old: T): void;
  /** For /status writes: spec and metadata already kept from `old`; adjust what else upstream's status strategy resets. */
  prepareForStatusUpdate?(obj: T, old: T): void;
  validate?(obj: T, ctx: ValidationContext): FieldError[];
  /** Update rules (immutable fields …), run with the create rules. */
  validateUpdate?(obj: T, old: T, ctx?: ValidationContext): FieldError[];
  table?: TableDefinition<T>;
  /** Field selectors beyond metadata.name and metadata.namespace, as upstream's GetAttrs. */
  fieldSelectors?: Record<string, (obj: T) => string | undefined>;
  /** Objects of this kind expire this long after their last write (Events). */
  ttlSeconds?: number;
  /** Extra versions this kind is also served as, with conversion to and from the stored version. */
  alsoServedAs?: AlternateVersion[];
}

export interface AlternateVersion {
  /** Another group serving the same stored objects (events.k8s.io for core events); default: the kind's own. */
  group?: string;
  /** The kind's name in that group-version (default: the same). */
  kind?: string;
  version: string;
  schemaName: string;
  toStored(obj: KubeObject): KubeObject;
  fromStored(obj: KubeObject): KubeObject;
  /** Definitions this version's schema needs beyond the stored kind's. */
  definitions?: Definitions;
  /** This version's field selector names → the stored kind's. */
  fieldLabels?: Readonly<Record<string, string>>;
  /** Rules that apply to writes through this version (on the stored form; `old` for updates). */
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
}

export interface GroupVersion {
  group: string;
  version: string;
}

export function groupVersionString(gv: GroupVersion): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

export function parseApiVersion(apiVersion: string): GroupVersion {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** A resource as served at one version: what a request path resolves to. */
export interface ServedResource {
  def: ResourceDefinition;
  group: string;
  version: string;
  kind: string;
  schemaName: string;
  /** Identity when `version` is the stored one. */
  toStored(obj: KubeObject): KubeObject;
  fromStored(obj: KubeObject): KubeObject;
  /** Set when this is one of the kind's `alsoServedAs` versions. */
  alternate?: AlternateVersion;
}

const identity = (o: KubeObject): KubeObject => o;

type Listener = () => void;

export class ResourceRegistry {
  private readonly byGroupResource = new Map<string, ResourceDefinition>();
  private readonly served = new Map<string, ServedResource>();
  readonly definitions: Definitions = new Map();
  private readonly listeners = new Set<Listener>();
  /** Bumped on every change, so discovery and OpenAPI documents can be cached by it. */
  generation = 0;

  constructor(baseDefinitions?: Definitions) {
    if (baseDefinitions) for (const [k, v] of baseDefinitions) this.definitions.set(k, v);
  }

  add(def: ResourceDefinition): void {
    const grKey = `${def.group}/${def.plural}`;
    if (this.byGroupResource.has(grKey)) throw new Error(`resource ${grKey} registered twice`);
    this.byGroupResource.set(grKey, def);
    for (const defs of [def.definitions, ...(def.alsoServedAs ?? []).map((a) => a.definitions)]) {
      for (const [name, schema] of defs ?? []) {
        const existing = this.definitions.get(name);
        if (existing && existing !== schema && JSON.stringify(existing) !== JSON.stringify(schema)) {
          throw new Error(`schema ${name} defined differently by ${grKey}`);
        }
        this.definitions.set(name, schema);
      }
    }
    this.served.set(`${def.group}/${def.version}/${def.plural}`, {
      def,
      group: def.group,
      version: def.version,
      kind: def.kind,
      schemaName: def.schemaName,
      toStored: identity,
      fromStored: identity,
    });
    for (const alt of def.alsoServedAs ?? []) {
      this.served.set(`${alt.group ?? def.group}/${alt.version}/${def.plural}`, {
        def,
        group: alt.group ?? def.group,
        version: alt.version,
        kind: alt.kind ?? def.kind,
        schemaName: alt.schemaName,
        toStored: alt.toStored,
        fromStored: alt.fromStored,
        alternate: alt,
      });
    }
    this.changed();
  }

  remove(group: string, plural: string): void {
    const def = this.byGroupResource.get(`${group}/${plural}`);
    if (!def) return;
    this.byGroupResource.delete(`${group}/${plural}`);
    for (const [k, s] of this.served) if (s.def === def) this.served.delete(k);
    // A definition goes with the last kind that brought it, so a changed CRD can bring a new schema.
    const stillUsed = new Set(this.all().flatMap((d) => [d.definitions, ...(d.alsoServedAs ?? []).map((a) => a.definitions)]).flatMap((m) => [...(m?.keys() ?? [])]));
    for (const defs of [def.definitions, ...(def.alsoServedAs ?? []).map((a) => a.definitions)]) {
      for (const name of defs?.keys() ?? []) if (!stillUsed.has(name)) this.definitions.delete(name);
    }
    this.changed();
  }

  /** Resolves `/apis/{group}/{version}/{plural}`. */
  lookup(group: string, version: string, plural: string): ServedResource | undefined {
    return this.served.get(`${group}/${version}/${plural}`);
  }

  get(group: string, plural: string): ResourceDefinition | undefined {
    return this.byGroupResource.get(`${group}/${plural}`);
  }

  /** The definition serving `kind` in `group` (any version). */
  byKind(group: string, kind: string): ResourceDefinition | undefined {
    for (const def of this.byGroupResource.values()) if (def.group === group && def.kind === kind) return def;
    return undefined;
  }

  all(): ResourceDefinition[] {
    return [...this.byGroupResource.values()];
  }

  servedResources(): ServedResource[] {
    return [...this.served.values()];
  }

  /** Served group-versions in a stable order: core first, then groups by name, preferred (stored) version first. */
  groupVersions(): GroupVersion[] {
    const seen = new Map<string, GroupVersion>();
    for (const s of this.served.values()) {
      const gv = { group: s.group, version: s.version };
      seen.set(groupVersionString(gv), gv);
    }
    return [...seen.values()];
  }

  schema(name: string): Schema | undefined {
    return this.definitions.get(name);
  }

  onChange(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }
}
