// Bad values in field errors as a 1.32 apiserver prints them (field.Error.ErrorBody): %q for
// strings, %v for numbers and bools, "null" for nil, %#v for everything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goFloat, goInterface, goQuote, goStringMap, goStringSlice } from '../../../src/api/meta/go.js';
import { labelSelectorValue } from '../../../src/api/meta/labels.js';
import { fieldErrorString, fieldErrors, GoValue } from '../../../src/api/meta/status.js';

const invalid = (v: unknown) => fieldErrorString(fieldErrors.invalid('f', v, 'why'));

test('scalars: strings quoted as strconv.Quote does, numbers and bools bare, nil as the string "null"', () => {
  assert.equal(invalid('web'), 'f: Invalid value: "web": why');
  assert.equal(invalid('tab\there "q" \\ é\u0007\u007f\u2028😀'), 'f: Invalid value: "tab\\there \\"q\\" \\\\ é\\a\\x7f\\u2028😀": why');
  assert.equal(invalid(-3), 'f: Invalid value: -3: why');
  assert.equal(invalid(0.5), 'f: Invalid value: 0.5: why');
  assert.equal(invalid(false), 'f: Invalid value: false: why');
  assert.equal(invalid(null), 'f: Invalid value: "null": why');
  assert.equal(fieldErrorString(fieldErrors.notSupported('f', 'x', ['a"b', 'c'])), 'f: Unsupported value: "x": supported values: "a\\"b", "c"');
});

test('floats as fmt prints a float64', () => {
  assert.deepEqual([1.5, 1e-5, 2.5e6, 123456.5, 1e21, -0.25].map(goFloat), ['1.5', '1e-05', '2.5e+06', '123456.5', '1e+21', '-0.25']);
});

test('lists and maps of strings as the []string and map[string]string they are; nil ones typed', () => {
  assert.equal(invalid(['a', 'b']), 'f: Invalid value: []string{"a", "b"}: why');
  assert.equal(invalid({ tier: 'db', app: 'web' }), 'f: Invalid value: map[string]string{"app":"web", "tier":"db"}: why');
  assert.equal(goStringSlice(undefined, 'core.ResourceQuotaScope'), '[]core.ResourceQuotaScope(nil)');
  assert.equal(goStringMap(undefined), 'map[string]string(nil)');
});

test('other JSON values as values decoded into interface{}; Go-typed ones as given', () => {
  assert.equal(invalid({ a: 1, b: [true, null], c: { d: 'x' } }), 'f: Invalid value: map[string]interface {}{"a":1, "b":[]interface {}{true, interface {}(nil)}, "c":map[string]interface {}{"d":"x"}}: why');
  assert.equal(goInterface([1, 'x']), '[]interface {}{1, "x"}');
  assert.equal(goQuote('a\nb'), '"a\\nb"');
  assert.equal(invalid(new GoValue('rbac.RoleRef{APIGroup:"", Kind:"Role", Name:"r"}')), 'f: Invalid value: rbac.RoleRef{APIGroup:"", Kind:"Role", Name:"r"}: why');
});

test('a label selector as upstream prints the dereferenced *metav1.LabelSelector', () => {
  assert.equal(
    invalid(labelSelectorValue({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] })),
    'f: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"db"}}}}: why',
  );
  assert.equal(invalid(labelSelectorValue(undefined)), 'f: Invalid value: "null": why');
});

test('the value is left out where upstream leaves it out', () => {
  assert.equal(fieldErrorString(fieldErrors.required('f')), 'f: Required value');
  assert.equal(fieldErrorString(fieldErrors.tooLong('f', 3)), 'f: Too long: may not be more than 3 bytes');
  assert.equal(fieldErrorString(fieldErrors.tooMany('f', 5, 4)), 'f: Too many: 5: must have at most 4 items');
  assert.equal(fieldErrorString(fieldErrors.forbidden('f', 'no')), 'f: Forbidden: no');
});
