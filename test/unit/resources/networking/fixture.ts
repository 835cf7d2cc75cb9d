// Helpers for the tests of the networking, discovery, events, rbac, storage, coordination and
// scheduling kinds: a registry of their schemas, and the create/update pipeline of a kind.
import { ResourceRegistry, type KubeObject, type ResourceDefinition } from '../../../../src/api/registry.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { metaDefinitions } from '../../../../src/api/schema/meta-definitions.js';
import { applyDefaults } from '../../../../src/api/schema/defaults.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import { findUnknownFields } from '../../../../src/api/schema/prune.js';
import { object, str } from '../../../../src/api/schema/build.js';
import { events } from '../../../../src/api/resources/core/event.js';
import { networkingResources } from '../../../../src/api/resources/networking/index.js';
import { discoveryResources } from '../../../../src/api/resources/discovery/index.js';
import { rbacResources } from '../../../../src/api/resources/rbac/index.js';
import { storageResources } from '../../../../src/api/resources/storage/index.js';
import { coordinationResources } from '../../../../src/api/resources/coordination/index.js';
import { schedulingResources } from '../../../../src/api/resources/scheduling/index.js';
import { eventsV1Definitions } from '../../../../src/api/resources/events/index.js';

const TYPED_LOCAL_OBJECT_REFERENCE = 'io.k8s.api.core.v1.TypedLocalObjectReference';

/** Every kind of these groups, with core/v1 Event for the ObjectReference and EventSource they share. */
export const registry = new ResourceRegistry(metaDefinitions);
for (const def of [
  events,
  ...networkingResources,
  ...discoveryResources,
  ...rbacResources,
  ...storageResources,
  ...coordinationResources,
  ...schedulingResources,
] as ResourceDefinition[]) {
  registry.add(def);
}
for (const [name, schema] of eventsV1Definitions) registry.definitions.set(name, schema);
// Owned by core/v1 (PersistentVolumeClaim's dataSource); a stand-in when that kind is not here.
if (!registry.definitions.has(TYPED_LOCAL_OBJECT_REFERENCE)) {
  registry.definitions.set(
    TYPED_LOCAL_OBJECT_REFERENCE,
    object({ apiGroup: str(), kind: str({ default: '' }), name: str({ default: '' }) }, { required: ['kind', 'name'], 'x-kubernetes-map-type': 'atomic' }),
  );
}

/** Schema errors and unknown fields of `obj` against a definition: both empty for a complete schema. */
export function schemaProblems(obj: unknown, schemaName: string): string[] {
  return [...validateAgainstSchema(obj, schemaName, registry.definitions).map(fieldErrorString), ...findUnknownFields(obj, schemaName, registry.definitions)];
}

/** What a create does to the body before validation: schema defaults, the kind's defaults, prepareForCreate. */
export function created<T extends KubeObject>(def: ResourceDefinition<T>, obj: T): T {
  const copy = structuredClone(obj);
  applyDefaults(copy, def.schemaName, registry.definitions);
  def.defaults?.(copy);
  def.prepareForCreate?.(copy);
  return copy;
}

/** The kind's own validation messages for creating `obj`. */
export function createErrors<T extends KubeObject>(def: ResourceDefinition<T>, obj: T): string[] {
  return (def.validate?.(created(def, obj), {}) ?? []).map(fieldErrorString);
}

/** The kind's own validation messages for updating `old` (already created) to `obj`. */
export function updateErrors<T extends KubeObject>(def: ResourceDefinition<T>, obj: T, old: T): string[] {
  const copy = structuredClone(obj);
  applyDefaults(copy, def.schemaName, registry.definitions);
  def.defaults?.(copy);
  def.prepareForUpdate?.(copy, old);
  return [...(def.validate?.(copy, { old }) ?? []), ...(def.validateUpdate?.(copy, old) ?? [])].map(fieldErrorString);
}

export const CREATED = '2024-05-01T10:00:00Z';
/** Five hours after CREATED, so the AGE cell reads `5h`. */
export const NOW = Date.parse(CREATED) + 5 * 3600 * 1000;

/** The table cells of `obj`, NAME first. */
export function cells<T extends KubeObject>(def: ResourceDefinition<T>, obj: T): unknown[] {
  return def.table!.cells(obj, NOW);
}

/** The column names, with `(wide)` after the -o wide ones. */
export function columns<T extends KubeObject>(def: ResourceDefinition<T>): string[] {
  return def.table!.columns.map((c) => (c.priority === 1 ? `${c.name} (wide)` : c.name));
}
