// The garbage collector, as kube-controller-manager's: a graph of ownerReferences across every
// resource that can be listed, watched and deleted, kept by one informer per resource. Objects
// whose owners are all gone are deleted (an owner is verified absent by a live GET, never by a
// cache alone); owners deleted in the foreground (`foregroundDeletion` finalizer) wait for their
// blocking dependents to go; owners deleted with `orphan` first release their dependents.
import type { KubeObject } from '../api/registry.js';
import type { Client } from '../client/client.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { HandlerRegistration } from '../client/informer.js';
import { RateLimitingQueue, runWorkers } from '../client/workqueue.js';
import { apiVersionOf, type ResourceRef } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { discoverResources, groupOf, RESTMapper, supportsVerbs, type DiscoveredResource } from './util/discovery.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Where an object is: its owner-reference coordinates and its namespace. */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

/** As upstream prints an objectReference in events and logs. */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

/** The same object whatever version it is referred to by: uid, name, kind and group. */
function matchesCoordinates(ref: OwnerReference, id: ObjectIdentity): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && groupOf(ref.apiVersion) === groupOf(id.apiVersion);
}

function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

function absentKey(id: ObjectIdentity): string {
  return `${id.apiVersion}/${id.kind}/${id.namespace}/${id.name}/${id.uid}`;
}

/** An object in the graph; `observed` false for an owner only known from a reference (a virtual node). */
export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  deletingDependents = false;
  beingDeleted = false;

  constructor(
    public identity: ObjectIdentity,
    public owners: OwnerReference[],
    public observed: boolean,
  ) {}

  /** Dependents whose reference to this node blocks its deletion. */
  blockingDependents(): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of this.dependents) {
      if (dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion)) out.push(dep);
    }
    return out;
  }
}

function ownersOf(obj: KubeObject): OwnerReference[] {
  return (obj.metadata?.ownerReferences as OwnerReference[] | undefined) ?? [];
}

function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return !!(obj.metadata?.finalizers as string[] | undefined)?.includes(finalizer);
}

function beingDeleted(obj: KubeObject | undefined): boolean {
  return !!obj?.metadata?.deletionTimestamp;
}

/** Deletion just started (or the finalizer just appeared on an object being deleted). */
function deletionStartsWith(old: KubeObject | undefined, obj: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, finalizer)) return false;
  return !old || !beingDeleted(old) || !hasFinalizer(old, finalizer);
}

/** Owner references added, removed, and changed (same uid, other content) between two lists. */
function referencesDiffs(old: OwnerReference[], now: OwnerReference[]) {
  const byUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: { oldRef: OwnerReference; newRef: OwnerReference }[] = [];
  for (const r of now) {
    const o = byUid.get(r.uid);
    if (!o) added.push(r);
    else {
      if (o.apiVersion !== r.apiVersion || o.kind !== r.kind || o.name !== r.name || !!o.controller !== !!r.controller || !!o.blockOwnerDeletion !== !!r.blockOwnerDeletion) {
        changed.push({ oldRef: o, newRef: r });
      }
      byUid.delete(r.uid);
    }
  }
  return { added, removed: [...byUid.values()], changed };
}

/** Resources the collector never watches (upstream's default ignored resources). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

const DELETABLE_VERBS = ['delete', 'list', 'watch'];

/** A reconcile that must run again later without counting as a failure. */
class Requeue extends Error {}

/** A cluster-scoped object naming a namespaced owner: wrong forever, not retried. */
class NamespacedOwnerOfClusterScopedObject extends Error {}

export interface GarbageCollectorOptions {
  /** How often discovery is read again for new resources (CRDs); upstream's 30 s. */
  resyncPeriodMs?: number;
  workers?: number;
}

export class GarbageCollector extends Controller {
  readonly name = 'garbagecollector';
  /** attemptToOrphan: owners deleted with the `orphan` finalizer, by uid (attemptToDelete is `queue`). */
  readonly orphanQueue = new RateLimitingQueue<string>();
  private readonly graph = new Map<string, GraphNode>();
  private readonly absentOwners = new Set<string>();
  private readonly monitors = new Map<string, HandlerRegistration>();
  private mapper = new RESTMapper([]);
  private readonly recorder: EventRecorder;
  private readonly client: Client;
  private resync?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    ctx: ControllerContext,
    private readonly opts: GarbageCollectorOptions = {},
  ) {
    super(ctx);
    this.client = ctx.client;
    this.recorder = ctx.recorder('garbage-collector-controller');
    this.workers = opts.workers ?? 20;
  }

  // Monitors come from discovery, which needs the API: they are made in run().
  setup(): void {}

  override async run(): Promise<void> {
    await this.syncMonitors().catch((err) => this.ctx.log(`garbagecollector: discovery: ${String(err)}`));
    const period = this.opts.resyncPeriodMs ?? 30_000;
    this.resync = setInterval(() => {
      this.syncMonitors().catch((err) => this.ctx.log(`garbagecollector: discovery: ${String(err)}`));
    }, period);
    this.resync.unref();
    const onError = (key: string, err: unknown) => {
      if (!(err instanceof Requeue)) this.ctx.log(`garbagecollector: ${key}: ${err instanceof Error ? err.message : String(err)}`);
    };
    await Promise.all([
      runWorkers(this.queue, this.workers, (uid) => this.reconcile(uid), { onError }),
      runWorkers(this.orphanQueue, this.workers, (uid) => this.attemptToOrphan(uid), { onError }),
    ]);
  }

  override stop(): void {
    this.stopped = true;
    if (this.resync) clearInterval(this.resync);
    for (const m of this.monitors.values()) m.remove();
    this.monitors.clear();
    super.stop();
    this.orphanQueue.shutDown();
  }

  /** The graph node of `uid`, for tests and debugging. */
  node(uid: string): GraphNode | undefined {
    return this.graph.get(uid);
  }

  // ---- monitors ----

  /** One informer per deletable resource; resources that went away lose their monitor. */
  private async syncMonitors(): Promise<void> {
    const discovered = await discoverResources(this.client);
    if (this.stopped) return;
    this.mapper = new RESTMapper(discovered);
    const wanted = new Map<string, DiscoveredResource>();
    for (const r of discovered) {
      if (!supportsVerbs(r, DELETABLE_VERBS) || IGNORED.has(`${r.group}/${r.resource}`)) continue;
      wanted.set(`${r.group}/${r.version}/${r.resource}`, r);
    }
    for (const [key, reg] of this.monitors) {
      if (!wanted.has(key)) {
        reg.remove();
        this.monitors.delete(key);
      }
    }
    const added = [];
    for (const [key, r] of wanted) {
      if (this.monitors.has(key)) continue;
      const informer = this.ctx.informers.informerFor(r);
      const apiVersion = apiVersionOf(r);
      const identity = (obj: KubeObject): ObjectIdentity => ({
        apiVersion,
        kind: r.kind,
        name: obj.metadata?.name ?? '',
        uid: obj.metadata?.uid ?? '',
        namespace: obj.metadata?.namespace ?? '',
      });
      this.monitors.set(
        key,
        informer.addEventHandler({
          onAdd: (obj) => this.observe(identity(obj), undefined, obj),
          onUpdate: (old, obj) => this.observe(identity(obj), old, obj),
          onDelete: (obj) => this.observeDeletion(identity(obj)),
        }),
      );
      added.push(informer.waitForSync());
    }
    await Promise.all(added);
  }

  // ---- the graph (processGraphChanges; informer events arrive one at a time) ----

  private observe(id: ObjectIdentity, old: KubeObject | undefined, obj: KubeObject): void {
    let existing = this.graph.get(id.uid);
    if (existing && !existing.observed) {
      if (!sameIdentity(existing.identity, id)) {
        // Dependents that named this owner otherwise are checked again; a wrong namespace is reported.
        const { nonMatching } = this.partitionDependents(existing, id);
        for (const dep of nonMatching) {
          if (id.namespace && dep.identity.namespace !== id.namespace) this.reportInvalidNamespaceOwnerRef(dep, id.uid);
          this.queue.add(dep.identity.uid);
        }
        existing.identity = id;
      }
      existing.observed = true;
    }
    const owners = ownersOf(obj);
    if (!existing) {
      existing = new GraphNode(id, owners, true);
      existing.beingDeleted = beingDeleted(obj);
      existing.deletingDependents = existing.beingDeleted && hasFinalizer(obj, FINALIZER_DELETE_DEPENDENTS);
      this.graph.set(id.uid, existing);
      this.addDependentToOwners(existing, owners);
    } else {
      if (existing.identity.apiVersion !== id.apiVersion || existing.identity.kind !== id.kind) existing.identity = id;
      const { added, removed, changed } = referencesDiffs(existing.owners, owners);
      if (added.length || removed.length || changed.length) {
        this.addUnblockedOwnersToDeleteQueue(removed, changed);
        existing.owners = owners;
        this.addDependentToOwners(existing, added);
        this.removeDependentFromOwners(existing, removed);
      }
      if (beingDeleted(obj)) existing.beingDeleted = true;
    }
    this.processTransitions(old, obj, existing);
  }

  private observeDeletion(id: ObjectIdentity): void {
    const existing = this.graph.get(id.uid);
    if (existing) this.removeFromGraph(existing, id);
  }

  /** A delete confirmed by a live GET (NotFound or another uid) for an object the informers may never report. */
  private virtualDelete(id: ObjectIdentity): void {
    const existing = this.graph.get(id.uid);
    if (!existing) return;
    if (existing.observed) {
      // A real node is removed by its informer, unless the GET looked it up by its own coordinates.
      if (sameIdentity(existing.identity, id)) this.removeFromGraph(existing, id);
      return;
    }
    const { matching, nonMatching } = this.partitionDependents(existing, id);
    if (nonMatching.length === 0) {
      this.removeFromGraph(existing, id);
      return;
    }
    // Dependents disagree on where this owner is: only those that named the verified-absent coordinates go.
    if (matching.length) {
      this.absentOwners.add(absentKey(id));
      for (const dep of matching) this.queue.add(dep.identity.uid);
    }
    if (sameIdentity(existing.identity, id)) {
      const other = nonMatching[0].owners.find((o) => o.uid === id.uid);
      if (other) {
        existing.identity = { ...other, namespace: nonMatching[0].identity.namespace };
        this.queue.addRateLimited(id.uid);
      }
    }
  }

  private removeFromGraph(node: GraphNode, id: ObjectIdentity): void {
    this.graph.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
    if (node.dependents.size > 0) this.absentOwners.add(absentKey(id));
    for (const dep of node.dependents) this.queue.add(dep.identity.uid);
    // Owners waiting in the foreground may be free to go now.
    for (const o of node.owners) {
      const owner = this.graph.get(o.uid);
      if (owner?.deletingDependents) this.queue.add(owner.identity.uid);
    }
  }

  private processTransitions(old: KubeObject | undefined, obj: KubeObject, node: GraphNode): void {
    if (deletionStartsWith(old, obj, FINALIZER_ORPHAN)) {
      this.orphanQueue.add(node.identity.uid);
      return;
    }
    if (deletionStartsWith(old, obj, FINALIZER_DELETE_DEPENDENTS)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.queue.add(dep.identity.uid);
      this.queue.add(node.identity.uid);
    }
  }

  /** Links `node` under its owners, making virtual nodes for owners not seen yet (to be verified). */
  private addDependentToOwners(node: GraphNode, owners: OwnerReference[]): void {
    let suspicious = false;
    for (const ref of owners) {
      let owner = this.graph.get(ref.uid);
      if (!owner) {
        owner = new GraphNode({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: node.identity.namespace }, [], false);
        this.graph.set(ref.uid, owner);
        owner.dependents.add(node);
        this.queue.add(ref.uid);
        continue;
      }
      owner.dependents.add(node);
      if (suspicious) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (owner.observed) this.reportInvalidNamespaceOwnerRef(node, ref.uid);
        suspicious = true;
      } else if (!matchesCoordinates(ref, owner.identity)) {
        suspicious = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== node.identity.namespace && !owner.observed) {
        suspicious = true;
      }
    }
    // The collector verifies such references and deletes the dependent if all its owners are absent.
    if (suspicious) this.queue.add(node.identity.uid);
  }

  private removeDependentFromOwners(node: GraphNode, owners: OwnerReference[]): void {
    for (const ref of owners) this.graph.get(ref.uid)?.dependents.delete(node);
  }

  /** A blocking reference removed or unblocked lets the owner waiting in the foreground move on. */
  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: { oldRef: OwnerReference; newRef: OwnerReference }[]): void {
    for (const ref of removed) if (ref.blockOwnerDeletion && this.graph.has(ref.uid)) this.queue.add(ref.uid);
    for (const { oldRef, newRef } of changed) {
      if (oldRef.blockOwnerDeletion && !newRef.blockOwnerDeletion && this.graph.has(newRef.uid)) this.queue.add(newRef.uid);
    }
  }

  /** Dependents whose reference matches `id` (namespace included), and those that do not. */
  private partitionDependents(node: GraphNode, id: ObjectIdentity): { matching: GraphNode[]; nonMatching: GraphNode[] } {
    const matching: GraphNode[] = [];
    const nonMatching: GraphNode[] = [];
    for (const dep of node.dependents) {
      let match = false;
      let mismatch = false;
      if (id.namespace && id.namespace !== dep.identity.namespace) mismatch = true;
      else {
        for (const ref of dep.owners) {
          if (ref.uid !== id.uid) continue;
          if (matchesCoordinates(ref, id)) match = true;
          else mismatch = true;
        }
      }
      if (match) matching.push(dep);
      if (mismatch) nonMatching.push(dep);
    }
    return { matching, nonMatching };
  }

  private reportInvalidNamespaceOwnerRef(node: GraphNode, ownerUid: string): void {
    const ref = node.owners.find((o) => o.uid === ownerUid);
    if (!ref) return;
    const { apiVersion, kind, name, uid, namespace } = node.identity;
    const invalid: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
    this.recorder.event(
      { apiVersion, kind, name, uid, namespace },
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef ${identityString(invalid)} does not exist in namespace ${JSON.stringify(namespace)}`,
    );
  }

  // ---- attemptToDelete ----

  private resourceFor(apiVersion: string, kind: string): ResourceRef {
    const ref = this.mapper.forKind(apiVersion, kind);
    // Possibly a custom resource discovery has not shown yet: retried with back-off.
    if (!ref) throw new Error(`unable to get REST mapping for ${apiVersion}/${kind}`);
    return ref;
  }

  private async getObject(id: ObjectIdentity): Promise<KubeObject | undefined> {
    const ref = this.resourceFor(id.apiVersion, id.kind);
    if (ref.namespaced && !id.namespace) throw new NamespacedOwnerOfClusterScopedObject(`${identityString(id)} is namespaced but has no namespace`);
    const rc = this.client.resource(ref);
    try {
      return await (ref.namespaced ? rc.namespace(id.namespace) : rc).get(id.name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** attemptToDelete of the node `uid`. */
  async reconcile(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    try {
      await this.attemptToDeleteItem(node);
    } catch (err) {
      if (err instanceof NamespacedOwnerOfClusterScopedObject) return;
      throw err;
    }
    // A virtual node the informers have not reported yet is looked at again until they do.
    if (!node.observed && this.graph.get(uid) === node) throw new Requeue('not observed yet');
  }

  private async attemptToDeleteItem(item: GraphNode): Promise<void> {
    // Being deleted is a one-way trip: the final deletion is waited for, then the dependents are processed.
    if (item.beingDeleted && !item.deletingDependents) return;
    const latest = await this.getObject(item.identity);
    if (!latest || latest.metadata?.uid !== item.identity.uid) {
      this.virtualDelete(item.identity);
      return;
    }
    if (item.deletingDependents) return this.processDeletingDependentsItem(item);
    const refs = ownersOf(latest);
    if (refs.length === 0) return;
    const { solid, dangling, waiting } = await this.classifyReferences(item, refs);
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      // References to owners waiting for their dependents go too, or those owners would never finish.
      await this.removeOwnerReferences(item, [...dangling, ...waiting].map((r) => r.uid));
      return;
    }
    if (waiting.length && item.dependents.size) {
      for (const dep of item.dependents) {
        if (!dep.deletingDependents) continue;
        // A possible cycle: stop blocking the owners, then delete in the foreground.
        await this.unblockOwnerReferences(item);
        break;
      }
      return this.deleteObject(item, 'Foreground');
    }
    const policy = hasFinalizer(latest, FINALIZER_ORPHAN) ? 'Orphan' : hasFinalizer(latest, FINALIZER_DELETE_DEPENDENTS) ? 'Foreground' : 'Background';
    return this.deleteObject(item, policy);
  }

  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) return this.removeFinalizer(item, FINALIZER_DELETE_DEPENDENTS);
    for (const dep of blocking) if (!dep.deletingDependents) this.queue.add(dep.identity.uid);
  }

  private async classifyReferences(item: GraphNode, refs: OwnerReference[]) {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.liveOwner(ref, item);
      if (!owner) dangling.push(ref);
      else if (beingDeleted(owner) && hasFinalizer(owner, FINALIZER_DELETE_DEPENDENTS)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** The owner as the API has it now, or undefined when it is absent (isDangling). */
  private async liveOwner(ref: OwnerReference, item: GraphNode): Promise<KubeObject | undefined> {
    const clusterKey = absentKey({ ...ref, namespace: '' });
    const namespacedKey = absentKey({ ...ref, namespace: item.identity.namespace });
    if (this.absentOwners.has(clusterKey) || this.absentOwners.has(namespacedKey)) return undefined;
    const resource = this.resourceFor(ref.apiVersion, ref.kind);
    if (resource.namespaced && !item.identity.namespace) {
      this.reportInvalidNamespaceOwnerRef(item, ref.uid);
      throw new NamespacedOwnerOfClusterScopedObject(`${identityString(item.identity)} is cluster-scoped but refers to a namespaced owner`);
    }
    const rc = this.client.resource(resource);
    let owner: KubeObject;
    try {
      owner = await (resource.namespaced ? rc.namespace(item.identity.namespace) : rc).get(ref.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.absentOwners.add(resource.namespaced ? namespacedKey : clusterKey);
      return undefined;
    }
    if (owner.metadata?.uid !== ref.uid) {
      this.absentOwners.add(resource.namespaced ? namespacedKey : clusterKey);
      return undefined;
    }
    return owner;
  }

  private async deleteObject(item: GraphNode, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    const ref = this.resourceFor(item.identity.apiVersion, item.identity.kind);
    const rc = this.client.resource(ref);
    try {
      await (ref.namespaced ? rc.namespace(item.identity.namespace) : rc).delete(item.identity.name, {
        propagationPolicy: policy,
        preconditions: { uid: item.identity.uid },
      });
    } catch (err) {
      if (isNotFound(err)) this.virtualDelete(item.identity);
      else if (!isConflict(err)) throw err;
      // A conflict is another object of the same name now: the uid precondition kept it.
    }
  }

  /**
   * Rewrites the object's metadata from its live state: a merge patch carrying the
   * resourceVersion read, so a concurrent change is a conflict retried here, not lost.
   */
  private async patchMetadata(id: ObjectIdentity, change: (meta: Record<string, any>) => Record<string, unknown> | undefined): Promise<void> {
    const ref = this.resourceFor(id.apiVersion, id.kind);
    const base = this.client.resource(ref);
    const rc = ref.namespaced ? base.namespace(id.namespace) : base;
    for (let attempt = 0; ; attempt++) {
      let live: KubeObject;
      try {
        live = await rc.get(id.name);
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      if (live.metadata?.uid !== id.uid) return;
      const patch = change(live.metadata);
      if (!patch) return;
      try {
        await rc.patch(id.name, { metadata: { ...patch, resourceVersion: live.metadata.resourceVersion } }, 'merge');
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 5) throw err;
      }
    }
  }

  private removeOwnerReferences(item: GraphNode, uids: string[]): Promise<void> {
    const gone = new Set(uids);
    return this.patchMetadata(item.identity, (meta) => {
      const refs = (meta.ownerReferences as OwnerReference[] | undefined) ?? [];
      const kept = refs.filter((r) => !gone.has(r.uid));
      if (kept.length === refs.length) return undefined;
      return { ownerReferences: kept.length ? kept : null };
    });
  }

  private unblockOwnerReferences(item: GraphNode): Promise<void> {
    return this.patchMetadata(item.identity, (meta) => {
      const refs = (meta.ownerReferences as OwnerReference[] | undefined) ?? [];
      if (!refs.some((r) => r.blockOwnerDeletion)) return undefined;
      return { ownerReferences: refs.map((r) => (r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r)) };
    });
  }

  private removeFinalizer(item: GraphNode, finalizer: string): Promise<void> {
    return this.patchMetadata(item.identity, (meta) => {
      const finalizers = (meta.finalizers as string[] | undefined) ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      const kept = finalizers.filter((f) => f !== finalizer);
      return { finalizers: kept.length ? kept : null };
    });
  }

  // ---- attemptToOrphan ----

  private async attemptToOrphan(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner) return;
    await Promise.all([...owner.dependents].map((dep) => this.removeOwnerReferences(dep, [uid])));
    await this.removeFinalizer(owner, FINALIZER_ORPHAN);
  }
}

export const garbageCollectorFactory: ControllerFactory = (ctx) => new GarbageCollector(ctx);
