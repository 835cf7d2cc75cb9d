import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Selector,
  labelSelectorAsString,
  newRequirement,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromSet,
} from '../../../src/api/meta/labels.js';
import { isStatusError } from '../../../src/api/meta/status.js';

/** The 400 BadRequest message a bad `-l` gets from the apiserver. */
function parseError(s: string): string {
  try {
    parseSelector(s);
  } catch (err) {
    assert.ok(isStatusError(err, 'BadRequest'), `expected a BadRequest for ${s}`);
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail(`${JSON.stringify(s)} parsed`);
}

test('parses every operator and prints the canonical form sorted by key', () => {
  const s = parseSelector('z notin (b,a), y in (x), !w, v, u==1, t!=2, s=3, r>4, q<5');
  assert.equal(s.toString(), 'q<5,r>4,s=3,t!=2,u==1,v,!w,y in (x),z notin (a,b)');
  assert.deepEqual(
    s.requirements.map((r) => [r.key, r.operator, r.values]),
    [
      ['q', 'lt', ['5']],
      ['r', 'gt', ['4']],
      ['s', '=', ['3']],
      ['t', '!=', ['2']],
      ['u', '==', ['1']],
      ['v', 'exists', []],
      ['w', '!', []],
      ['y', 'in', ['x']],
      ['z', 'notin', ['a', 'b']],
    ],
  );
});

test('whitespace separates tokens anywhere; empty values are allowed', () => {
  assert.equal(parseSelector(' a = b ,\tc\n').toString(), 'a=b,c');
  assert.equal(parseSelector('x in (foo,,baz),y,z notin ()').toString(), 'x in (,baz,foo),y,z notin ()');
  assert.equal(parseSelector('a=').toString(), 'a=');
  assert.equal(parseSelector('in in (in, notin)').toString(), 'in in (in,notin)');
  assert.ok(parseSelector('').empty());
  assert.ok(parseSelector('   ').empty());
});

test('matches labels as upstream does', () => {
  const labels = { app: 'web', tier: 'front', replicas: '3' };
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['tier in (front,back)', true],
    ['tier in (back)', false],
    ['tier notin (back)', true],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app>1', false],
    ['missing>1', false],
    ['app=web,tier=back', false],
    ['constructor', false],
    ['!constructor', true],
  ];
  for (const [sel, want] of cases) assert.equal(parseSelector(sel).matches(labels), want, sel);
  assert.equal(parseSelector('a!=b').matches(undefined), true);
  assert.equal(parseSelector('a').matches(null), false);
  assert.equal(parseSelector('').matches(undefined), true);
});

test('upstream messages for bad selectors', () => {
  assert.equal(parseError('a in'), "unable to parse requirement: found '' expected: '('");
  assert.equal(parseError('a in b'), "unable to parse requirement: found 'b' expected: '('");
  assert.equal(parseError('a in (b'), "unable to parse requirement: found '', expected: ',' or ')'");
  assert.equal(parseError('a in (b c)'), "unable to parse requirement: found 'c', expected: ',' or ')'");
  assert.equal(parseError('a in (='), "unable to parse requirement: found '=', expected: ',', ')' or identifier");
  assert.equal(parseError('a in (b,='), "unable to parse requirement: found '=', expected: ',', or identifier");
  assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(parseError('a=('), "unable to parse requirement: found '(', expected: identifier");
  assert.equal(parseError('!'), "unable to parse requirement: found '', expected: identifier");
  assert.equal(parseError('a=b c'), "found 'c', expected: ',' or 'end of string'");
  assert.equal(parseError(',a'), "found ',', expected: !, identifier, or 'end of string'");
  assert.equal(parseError('a,'), "found '', expected: identifier after ','");
  assert.equal(parseError('a,,b'), "found ',', expected: identifier after ','");
  assert.equal(
    parseError('a<b'),
    "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer",
  );
});

test('invalid keys and values carry the validation messages', () => {
  assert.equal(
    parseError('-a'),
    'unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', ' +
      "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', " +
      "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  );
  assert.equal(
    parseError('a=-b'),
    'unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric ' +
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', " +
      "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  );
  assert.equal(parseError(`a=${'x'.repeat(64)}`), `unable to parse requirement: values[0][a]: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`);
});

test('requiresExactMatch finds the value an index can use', () => {
  const s = parseSelector('app=web,tier in (a),zone in (a,b)');
  assert.equal(s.requiresExactMatch('app'), 'web');
  assert.equal(s.requiresExactMatch('tier'), 'a');
  assert.equal(s.requiresExactMatch('zone'), undefined);
  assert.equal(s.requiresExactMatch('other'), undefined);
});

test('selectorFromLabelSelector: null selects nothing, empty selects everything', () => {
  const nothing = selectorFromLabelSelector(null);
  assert.equal(nothing.matches({ a: 'b' }), false);
  assert.equal(nothing.empty(), false);
  assert.equal(nothing.selectable, false);
  const everything = selectorFromLabelSelector({});
  assert.equal(everything.matches({ a: 'b' }), true);
  assert.ok(everything.empty());
  assert.ok(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty());
});

test('selectorFromLabelSelector converts matchLabels and matchExpressions', () => {
  const s = selectorFromLabelSelector({
    matchLabels: { tier: 'front' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'dev'] },
      { key: 'zone', operator: 'NotIn', values: ['a'] },
      { key: 'app', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  assert.equal(s.toString(), 'app,env in (dev,prod),!legacy,tier=front,zone notin (a)');
  assert.equal(s.matches({ tier: 'front', env: 'dev', app: 'x' }), true);
  assert.equal(s.matches({ tier: 'front', env: 'dev', app: 'x', legacy: '' }), false);
  assert.equal(s.matches({ tier: 'front', env: 'dev', app: 'x', zone: 'a' }), false);
});

test('selectorFromLabelSelector rejects bad operators, keys and value counts with upstream messages', () => {
  assert.throws(
    () => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }),
    (err: unknown) => isStatusError(err, 'BadRequest') && err.message === '"Foo" is not a valid label selector operator',
  );
  assert.throws(
    () => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    { message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty" },
  );
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] }), {
    message: 'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
  });
  assert.throws(() => newRequirement('a', '=', ['x', 'y']), {
    message: 'values: Invalid value: []string{"x", "y"}: exact-match compatibility requires one single value',
  });
  assert.throws(() => selectorFromLabelSelector({ matchLabels: { 'a/b/c': 'x' } }), {
    message: /^key: Invalid value: "a\/b\/c": a qualified name must consist/,
  });
});

test('labelSelectorAsString is what kubectl describe shows', () => {
  assert.equal(
    labelSelectorAsString({ matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }),
    'app=x,tier in (a,b)',
  );
  assert.equal(labelSelectorAsString(null), '<none>');
  assert.equal(labelSelectorAsString({}), '<none>');
  assert.equal(labelSelectorAsString({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }), '<error>');
});

test('selectorFromSet and add keep requirements sorted by key', () => {
  const s = selectorFromSet({ b: '2', a: '1' });
  assert.equal(s.toString(), 'a=1,b=2');
  assert.ok(selectorFromSet({}).empty());
  assert.ok(selectorFromSet(undefined).matches({ any: 'thing' }));
  assert.equal(s.add({ key: 'aa', operator: 'exists', values: [] }).toString(), 'a=1,aa,b=2');
  assert.equal(Selector.nothing().add({ key: 'a', operator: 'exists', values: [] }).matches({ a: '' }), false);
});
