// Documents are built once per registry generation: rebuilt only after a kind is added or removed.
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../../api/registry.js';
import type { Definitions } from '../../api/schema/types.js';
import type { GroupVersionKind } from './operations.js';
import { documentDefinitions, groupVersionKinds } from './schemas.js';

/** A document with its serialized bytes and their hash (upstream: hex SHA-512, upper case). */
export interface SerializedDocument {
  document: Record<string, unknown>;
  json: string;
  hash: string;
  /** The protobuf form, where the document has one, encoded on first request. */
  protobuf?: Buffer;
}

export function serialize(document: Record<string, unknown>): SerializedDocument {
  const json = JSON.stringify(document);
  return { document, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
}

interface Cache {
  generation: number;
  definitions: Definitions;
  gvks: Map<string, GroupVersionKind[]>;
  documents: Map<string, SerializedDocument>;
}

const caches = new WeakMap<ResourceRegistry, Cache>();

function cacheFor(registry: ResourceRegistry): Cache {
  let c = caches.get(registry);
  if (!c || c.generation !== registry.generation) {
    c = { generation: registry.generation, definitions: documentDefinitions(registry), gvks: groupVersionKinds(registry), documents: new Map() };
    caches.set(registry, c);
  }
  return c;
}

/** The document under `key` for the registry's current generation, built on first use. */
export function cached(
  registry: ResourceRegistry,
  key: string,
  build: (defs: Definitions, gvks: Map<string, GroupVersionKind[]>) => Record<string, unknown> | undefined,
): SerializedDocument | undefined {
  const c = cacheFor(registry);
  let serialized = c.documents.get(key);
  if (!serialized) {
    // Misses are not kept: request paths must not grow the cache.
    const doc = build(c.definitions, c.gvks);
    if (!doc) return undefined;
    c.documents.set(key, (serialized = serialize(doc)));
  }
  return serialized;
}
