import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldSelector,
  defaultMetaV1FieldSelectorConversion,
  escapeValue,
  fieldSelectorFromSet,
  parseFieldSelector,
  supportedFieldLabels,
  unescapeValue,
} from '../../../src/api/meta/fields.js';
import { isStatusError } from '../../../src/api/meta/status.js';

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isStatusError(err, 'BadRequest'));
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail('expected a BadRequest');
}

test('parses =, == and != terms, sorted, with == read as =', () => {
  const s = parseFieldSelector('status.phase!=Running,spec.nodeName==node-1,metadata.name=x');
  assert.deepEqual(s.requirements, [
    { field: 'metadata.name', operator: '=', value: 'x' },
    { field: 'spec.nodeName', operator: '=', value: 'node-1' },
    { field: 'status.phase', operator: '!=', value: 'Running' },
  ]);
  assert.equal(s.toString(), 'metadata.name=x,spec.nodeName=node-1,status.phase!=Running');
  assert.equal(parseFieldSelector('spec.nodeName=').requirements[0].value, '');
  assert.ok(parseFieldSelector('').empty());
  assert.ok(parseFieldSelector(',,').empty());
});

test('backslash escapes comma, equals and backslash in values', () => {
  const s = parseFieldSelector('a=x\\,y\\=z\\\\,b=2');
  assert.deepEqual(
    s.requirements.map((r) => r.value),
    ['x,y=z\\', '2'],
  );
  assert.equal(s.toString(), 'a=x\\,y\\=z\\\\,b=2');
  assert.equal(escapeValue('a,b=c\\'), 'a\\,b\\=c\\\\');
  assert.equal(unescapeValue(escapeValue('a,b=c\\')), 'a,b=c\\');
});

test('upstream messages for invalid field selectors', () => {
  assert.equal(badRequest(() => parseFieldSelector('foo')), "invalid selector: 'foo'; can't understand 'foo'");
  assert.equal(badRequest(() => parseFieldSelector('a=b,c')), "invalid selector: 'a=b,c'; can't understand 'c'");
  assert.equal(badRequest(() => parseFieldSelector('a=b=c')), 'invalid field selector: unescaped character in value: 61');
  assert.equal(badRequest(() => parseFieldSelector('a=b\\x')), 'invalid field selector: invalid escape sequence: \\x');
  assert.equal(badRequest(() => parseFieldSelector('a=b\\')), 'invalid field selector: invalid escape sequence: \\');
});

test('matches through a getter; missing fields read as empty', () => {
  const pod: Record<string, string> = { 'spec.nodeName': 'n1', 'status.phase': 'Running' };
  const get = (f: string) => pod[f];
  assert.ok(parseFieldSelector('spec.nodeName=n1').matches(get));
  assert.ok(!parseFieldSelector('spec.nodeName=n2').matches(get));
  assert.ok(parseFieldSelector('status.phase!=Pending,spec.nodeName=n1').matches(get));
  assert.ok(!parseFieldSelector('status.phase!=Running').matches(get));
  assert.ok(parseFieldSelector('spec.schedulerName=').matches(get));
  assert.ok(parseFieldSelector('spec.schedulerName!=x').matches(get));
  assert.ok(FieldSelector.everything().matches(get));
});

test('requiresExactMatch only answers for = terms', () => {
  const s = parseFieldSelector('spec.nodeName=n1,status.phase!=Running');
  assert.equal(s.requiresExactMatch('spec.nodeName'), 'n1');
  assert.equal(s.requiresExactMatch('status.phase'), undefined);
});

test('unsupported field labels give upstream errors', () => {
  const pods = supportedFieldLabels(['metadata.name', 'metadata.namespace', 'spec.nodeName']);
  assert.equal(parseFieldSelector('spec.nodeName=n1').transform(pods).toString(), 'spec.nodeName=n1');
  assert.equal(badRequest(() => parseFieldSelector('spec.nodeName=n1,spec.foo=x').transform(pods)), 'field label not supported: spec.foo');
  assert.equal(
    badRequest(() => parseFieldSelector('spec.replicas=1').transform(defaultMetaV1FieldSelectorConversion)),
    '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
  assert.equal(parseFieldSelector('metadata.name=a').transform(defaultMetaV1FieldSelectorConversion).toString(), 'metadata.name=a');
});

test('transform drops terms mapped to nothing and can rename fields', () => {
  const s = parseFieldSelector('a=1,b=2').transform((f, v) => (f === 'a' ? ['', ''] : [`spec.${f}`, v]));
  assert.equal(s.toString(), 'spec.b=2');
});

test('fieldSelectorFromSet requires every field to equal', () => {
  const s = fieldSelectorFromSet({ 'metadata.name': 'x' });
  assert.ok(s.matches((f) => (f === 'metadata.name' ? 'x' : undefined)));
  assert.ok(!s.matches(() => undefined));
});
