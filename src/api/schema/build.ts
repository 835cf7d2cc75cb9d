// Builders that keep resource files short: `object({ name: str(), ports: list(ref(...)) })`.
import type { Definitions, Schema } from './types.js';

export type Props = Record<string, Schema>;

export const str = (extra: Partial<Schema> = {}): Schema => ({ type: 'string', ...extra });
export const int32 = (extra: Partial<Schema> = {}): Schema => ({ type: 'integer', format: 'int32', ...extra });
export const int64 = (extra: Partial<Schema> = {}): Schema => ({ type: 'integer', format: 'int64', ...extra });
export const num = (extra: Partial<Schema> = {}): Schema => ({ type: 'number', format: 'double', ...extra });
export const bool = (extra: Partial<Schema> = {}): Schema => ({ type: 'boolean', ...extra });
export const enumOf = (values: readonly string[], extra: Partial<Schema> = {}): Schema => ({ type: 'string', enum: values, ...extra });
export const ref = (name: string, extra: Partial<Schema> = {}): Schema => ({ ref: name, ...extra });
export const stringMap = (extra: Partial<Schema> = {}): Schema => ({ type: 'object', additionalProperties: { type: 'string' }, ...extra });
export const mapOf = (values: Schema, extra: Partial<Schema> = {}): Schema => ({ type: 'object', additionalProperties: values, ...extra });
/** Anything goes (RawExtension, CRD `x-kubernetes-preserve-unknown-fields`). */
export const anyObject = (extra: Partial<Schema> = {}): Schema => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...extra });

export function object(properties: Props, extra: Partial<Schema> & { required?: string[] } = {}): Schema {
  return { type: 'object', properties, ...extra };
}

/** An atomic list (replaced whole by strategic merge patch). */
export function list(items: Schema, extra: Partial<Schema> = {}): Schema {
  return { type: 'array', items, ...extra };
}

/** A list of objects merged by key, as `containers` by `name`. Extra map keys make it a multi-key list map. */
export function mergeList(items: Schema, mergeKey: string, extra: Partial<Schema> & { mapKeys?: string[] } = {}): Schema {
  const { mapKeys, ...rest } = extra;
  return {
    type: 'array',
    items,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': mapKeys ?? [mergeKey],
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-patch-merge-key': mergeKey,
    ...rest,
  };
}

/** A list of scalars merged as a set, as `finalizers`. */
export function setList(items: Schema, extra: Partial<Schema> = {}): Schema {
  return { type: 'array', items, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge', ...extra };
}

export const quantity = (extra: Partial<Schema> = {}): Schema => ref('io.k8s.apimachinery.pkg.api.resource.Quantity', extra);
export const intOrString = (extra: Partial<Schema> = {}): Schema => ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString', extra);
export const time = (extra: Partial<Schema> = {}): Schema => ref('io.k8s.apimachinery.pkg.apis.meta.v1.Time', extra);
export const objectMeta = (extra: Partial<Schema> = {}): Schema => ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', extra);
export const listMeta = (extra: Partial<Schema> = {}): Schema => ref('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', extra);
export const labelSelector = (extra: Partial<Schema> = {}): Schema => ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', extra);

/** Adds named definitions to a set, refusing two different schemas under one name. */
export function define(defs: Definitions, entries: Record<string, Schema>): void {
  for (const [name, schema] of Object.entries(entries)) {
    if (defs.has(name) && defs.get(name) !== schema) throw new Error(`schema ${name} defined twice`);
    defs.set(name, schema);
  }
}

/** The schema of a top-level kind: apiVersion, kind, metadata and its own fields, tagged with its GVK. */
export function kindSchema(gvk: { group: string; version: string; kind: string }, properties: Props, extra: Partial<Schema> = {}): Schema {
  return object(
    {
      apiVersion: str({ description: 'The versioned schema of this representation of an object.' }),
      kind: str({ description: 'The REST resource this object represents, in CamelCase.' }),
      metadata: objectMeta({ description: "Standard object's metadata." }),
      ...properties,
    },
    { 'x-kubernetes-group-version-kind': [gvk], ...extra },
  );
}

/**
 * The condition of a workload's status (type, status, lastTransitionTime, reason, message, with
 * upstream's field numbers), as ReplicaSet, ReplicationController, StatefulSet, DaemonSet and HPA share it.
 */
export function statusCondition(description: string, typeDescription = 'The type of the condition.'): Schema {
  return object(
    {
      type: str({ default: '', description: typeDescription }),
      status: str({ default: '', description: 'True, False or Unknown.' }),
      lastTransitionTime: time({ description: 'When the condition last changed status.' }),
      reason: str({ description: 'A machine-readable reason for the last transition.' }),
      message: str({ description: 'A human-readable message about the last transition.' }),
    },
    { proto: { type: 1, status: 2, lastTransitionTime: 3, reason: 4, message: 5 }, required: ['type', 'status'], description },
  );
}
