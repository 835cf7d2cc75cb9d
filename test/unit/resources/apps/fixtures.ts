// Shared by the workload kind tests: a registry with the schemas the kinds refer to, and
// helpers that run a kind's hooks the way the apiserver does.
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { ResourceRegistry, type KubeObject, type ResourceDefinition } from '../../../../src/api/registry.js';
import { applyDefaults } from '../../../../src/api/schema/defaults.js';
import { metaDefinitions } from '../../../../src/api/schema/meta-definitions.js';
import { findUnknownFields } from '../../../../src/api/schema/prune.js';
import { validateAgainstSchema } from '../../../../src/api/schema/validate.js';
import { events } from '../../../../src/api/resources/core/event.js';
import { persistentVolumeClaims } from '../../../../src/api/resources/core/persistentvolumeclaim.js';
import { definitions as podSpecDefinitions } from '../../../../src/api/resources/core/podspec.js';
import { appsResources } from '../../../../src/api/resources/apps/index.js';
import { autoscalingResources } from '../../../../src/api/resources/autoscaling/index.js';
import { batchResources } from '../../../../src/api/resources/batch/index.js';
import { policyResources } from '../../../../src/api/resources/policy/index.js';

export const UID = 'b5a0f3f2-1d0c-4a3b-9a52-0e1f2d3c4b5a';
export const NOW = Date.parse('2024-05-01T12:00:00Z');

export const registry = new ResourceRegistry(metaDefinitions);
for (const [k, v] of podSpecDefinitions) registry.definitions.set(k, v);
for (const def of [events, persistentVolumeClaims] as ResourceDefinition[]) registry.add(def);
for (const def of [...appsResources, ...batchResources, ...autoscalingResources, ...policyResources]) registry.add(def);

export function meta(name: string, extra: Record<string, unknown> = {}): Record<string, any> {
  return { name, namespace: 'default', uid: UID, resourceVersion: '7', generation: 1, creationTimestamp: '2024-05-01T10:00:00Z', ...extra };
}

export function podTemplate(labels: Record<string, string> = { app: 'web' }, spec: Record<string, unknown> = {}): Record<string, any> {
  return { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec } };
}

/** Schema defaults then the kind's own, as decoding a request does. */
// Results are `any`: tests reach into fields freely, as JSON bodies do.
export function decoded(def: ResourceDefinition<any>, obj: KubeObject): any {
  const copy = structuredClone(obj);
  applyDefaults(copy, def.schemaName, registry.definitions);
  def.defaults?.(copy);
  return copy;
}

/** A request body through decoding and create preparation, as the apiserver stores it. */
export function created(def: ResourceDefinition<any>, obj: KubeObject): any {
  const copy = decoded(def, obj);
  def.prepareForCreate?.(copy);
  return copy;
}

/** The messages a create would answer with: schema errors, then the kind's own. */
export function createErrors(def: ResourceDefinition<any>, obj: KubeObject): string[] {
  return [...validateAgainstSchema(obj, def.schemaName, registry.definitions), ...(def.validate?.(obj, {}) ?? [])].map(fieldErrorString);
}

/** The messages an update from `old` to `obj` would answer with (after update preparation). */
export function updateErrors(def: ResourceDefinition<any>, obj: KubeObject, old: KubeObject): string[] {
  def.prepareForUpdate?.(obj, old);
  return [
    ...validateAgainstSchema(obj, def.schemaName, registry.definitions),
    ...(def.validate?.(obj, { old }) ?? []),
    ...(def.validateUpdate?.(obj, old) ?? []),
  ].map(fieldErrorString);
}

export function unknownFields(def: ResourceDefinition<any>, obj: KubeObject): string[] {
  return findUnknownFields(obj, def.schemaName, registry.definitions);
}

/** A table row of `obj`: column name → cell, with `-o wide` columns. */
export function row(def: ResourceDefinition<any>, obj: KubeObject, now = NOW): Record<string, unknown> {
  const cells = def.table!.cells(obj, now);
  return Object.fromEntries(def.table!.columns.map((c, i) => [c.name, cells[i]]));
}
