// Checks shared by the per-group protobuf tests: every object schema a kind reaches has a field
// number for each property, none used twice in a message, and Go pointers name real fields.
import assert from 'node:assert/strict';
import type { Definitions, ProtoInline, Schema } from '../../../src/api/schema/types.js';

type Layout = { proto?: Record<string, number>; protoPointers?: string[]; protoInline?: ProtoInline[] };

/** Names of every definition the roots refer to, transitively. */
export function reachable(roots: string[], all: Definitions): Set<string> {
  const seen = new Set<string>();
  const visit = (s: Schema | undefined): void => {
    if (!s) return;
    if (s.ref !== undefined) {
      if (seen.has(s.ref)) return;
      seen.add(s.ref);
      visit(all.get(s.ref));
    }
    for (const p of Object.values(s.properties ?? {})) visit(p);
    visit(s.items);
    visit(s.additionalProperties);
  };
  for (const r of roots) visit({ ref: r });
  return seen;
}

/** Every property a message layout covers, inline structs included; fails on a field number used twice. */
function layoutProperties(layout: Layout, where: string): string[] {
  const numbers = new Map<number, string>();
  const claim = (num: number, what: string): void => {
    assert.ok(!numbers.has(num), `${where}: field ${num} is both ${numbers.get(num)} and ${what}`);
    numbers.set(num, what);
  };
  const props = Object.entries(layout.proto ?? {}).map(([prop, num]) => (claim(num, prop), prop));
  for (const inline of layout.protoInline ?? []) {
    claim(inline.field, `inline struct ${inline.field}`);
    props.push(...layoutProperties(inline, `${where} inline ${inline.field}`));
  }
  return props;
}

/** Go pointers named in a layout and its inline structs must be fields of that same layout. */
function assertPointersCovered(layout: Layout, where: string): void {
  for (const p of layout.protoPointers ?? []) assert.ok(layout.proto?.[p] !== undefined, `${where}: pointer ${p} has no field number`);
  for (const inline of layout.protoInline ?? []) assertPointersCovered(inline, `${where} inline ${inline.field}`);
}

/**
 * Asserts that each object schema among `names` maps every property (but apiVersion and kind of
 * top-level kinds) to exactly one field number; returns how many object schemas were checked.
 */
export function assertProtoCoverage(names: Iterable<string>, defs: Definitions): number {
  let checked = 0;
  for (const name of names) {
    const schema = defs.get(name);
    assert.ok(schema, `${name} is not defined`);
    if (!schema.properties) continue;
    checked++;
    assert.ok(schema.proto, `${name} has no proto map`);
    const covered = layoutProperties(schema, name);
    assert.equal(new Set(covered).size, covered.length, `${name}: a property has two field numbers`);
    const topLevel = schema['x-kubernetes-group-version-kind'] !== undefined;
    const expected = Object.keys(schema.properties).filter((p) => !(topLevel && (p === 'apiVersion' || p === 'kind')));
    assert.deepEqual([...covered].sort(), expected.sort(), `${name}: properties and field numbers differ`);
    assertPointersCovered(schema, name);
  }
  return checked;
}

/** JSON null means "unset" to the server (kubectl prints `creationTimestamp: null`), as absence does. */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}
