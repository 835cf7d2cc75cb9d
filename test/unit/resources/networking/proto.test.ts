import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDefinition } from '../../../../src/api/registry.js';
import type { Schema } from '../../../../src/api/schema/types.js';
import { networkingResources } from '../../../../src/api/resources/networking/index.js';
import { discoveryResources } from '../../../../src/api/resources/discovery/index.js';
import { rbacResources } from '../../../../src/api/resources/rbac/index.js';
import { storageResources } from '../../../../src/api/resources/storage/index.js';
import { coordinationResources } from '../../../../src/api/resources/coordination/index.js';
import { schedulingResources } from '../../../../src/api/resources/scheduling/index.js';
import { eventsV1Definitions } from '../../../../src/api/resources/events/index.js';

/** IngressRule embeds IngressRuleValue (field 2) inline, which a flat property → number map cannot say. */
const INLINE = new Set(['io.k8s.api.networking.v1.IngressRule']);

test('protobuf field numbers cover every field of every object these groups define (kubectl sends protobuf bodies)', () => {
  const defs = new Map<string, Schema>(eventsV1Definitions);
  const kinds: ResourceDefinition[] = [
    ...networkingResources,
    ...discoveryResources,
    ...rbacResources,
    ...storageResources,
    ...coordinationResources,
    ...schedulingResources,
  ];
  for (const def of kinds) for (const [name, schema] of def.definitions ?? []) defs.set(name, schema);
  const missing: string[] = [];
  for (const [name, schema] of defs) {
    if (INLINE.has(name) || !schema.properties) continue;
    for (const prop of Object.keys(schema.properties)) {
      if (prop === 'apiVersion' || prop === 'kind') continue;
      if (schema.proto?.[prop] === undefined) missing.push(`${name}.${prop}`);
    }
    const numbers = Object.values(schema.proto ?? {});
    assert.equal(new Set(numbers).size, numbers.length, `${name} reuses a field number`);
  }
  assert.deepEqual(missing, []);
  assert.equal(defs.get('io.k8s.api.networking.v1.IngressSpec')?.proto?.ingressClassName, 4);
  assert.equal(defs.get('io.k8s.api.rbac.v1.RoleBinding')?.proto?.roleRef, 3);
});
