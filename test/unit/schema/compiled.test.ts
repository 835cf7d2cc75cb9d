// The schema walkers prepare each schema once; a definition replaced at run time (a custom
// resource deleted and created again with another schema) is followed, not the old one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDefaults } from '../../../src/api/schema/defaults.js';
import { prune } from '../../../src/api/schema/prune.js';
import { decodeTyped } from '../../../src/api/schema/validate.js';
import type { Definitions, Schema } from '../../../src/api/schema/types.js';

const ROOT = 'com.example.v1.Widget';
const SPEC = 'com.example.v1.WidgetSpec';

function defsWith(spec: Schema): Definitions {
  return new Map<string, Schema>([
    [ROOT, { type: 'object', properties: { spec: { ref: SPEC, default: {} } } }],
    [SPEC, spec],
  ]);
}

test('a definition replaced under the same name is what pruning, defaulting and decoding use', () => {
  const defs = defsWith({ type: 'object', properties: { size: { type: 'integer', default: 1 } } });
  const first = { spec: { colour: 'red' } };
  assert.deepEqual(prune(first, ROOT, defs), ['spec.colour']);
  applyDefaults(first, ROOT, defs);
  assert.deepEqual(first, { spec: { size: 1 } });

  defs.set(SPEC, { type: 'object', properties: { colour: { type: 'string', default: 'blue' } } });
  const second = { spec: { size: 3 } };
  assert.deepEqual(prune(second, ROOT, defs), ['spec.size']);
  applyDefaults(second, ROOT, defs);
  assert.deepEqual(second, { spec: { colour: 'blue' } });
  assert.throws(
    () => decodeTyped({ spec: { colour: 5 } }, ROOT, defs, 'Widget', 'v1'),
    /json: cannot unmarshal number into Go struct field WidgetSpec\.spec\.colour of type string/,
  );
});

test('composite defaults are copied for each object, and paths of unknown fields name list items', () => {
  const defs = defsWith({
    type: 'object',
    properties: { tags: { type: 'array', default: ['a'], items: { type: 'object', properties: { name: { type: 'string' } } } } },
  });
  const one = {};
  const two = {};
  applyDefaults(one, ROOT, defs);
  applyDefaults(two, ROOT, defs);
  const tags = (o: object) => (o as { spec: { tags: string[] } }).spec.tags;
  assert.notEqual(tags(one), tags(two));
  tags(one).push('b');
  assert.deepEqual(tags(two), ['a']);
  assert.deepEqual(prune({ spec: { tags: [{ name: 'x' }, { name: 'y', extra: 1 }] } }, ROOT, defs), ['spec.tags[1].extra']);
});
