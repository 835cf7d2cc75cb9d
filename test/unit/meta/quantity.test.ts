import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_FORMAT_WRONG, ERR_NUMERIC, ERR_SUFFIX, Quantity, QuantityParseError, parseQuantity } from '../../../src/api/meta/quantity.js';

const str = (s: string): string => parseQuantity(s).toString();

test('canonical strings, as Quantity.String() prints them', () => {
  const cases: [string, string][] = [
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['2000000', '2M'],
    ['1000', '1k'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1024Mi', '1Gi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['0.5Gi', '512Mi'],
    ['0.5Mi', '512Ki'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['1.5k', '1500'],
    ['0.1', '100m'],
    ['1.0', '1'],
    ['00', '0'],
    ['0Ki', '0'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['1.5e3', '1500'],
    ['129e-2', '1290e-3'],
    ['100.035Ki', '102435840m'],
    ['-1.5Gi', '-1536Mi'],
    ['-0.5', '-500m'],
  ];
  for (const [input, want] of cases) assert.equal(str(input), want, input);
});

test('canonical input is kept verbatim, as upstream keeps the parsed string', () => {
  for (const s of ['1Gi', '300Mi', '6Ki', '1G', '1m', '80m', '1080m', '1234567M', '3k', '1025', '1e9', '1e-3', '80e-3', '300e6', '1n', '1080u', '100m']) {
    assert.equal(str(s), s);
  }
  // Upstream's fast path also keeps these spellings.
  assert.equal(str('+1'), '+1');
  assert.equal(str('1E3'), '1E3');
  assert.equal(JSON.stringify({ cpu: parseQuantity('1500m') }), '{"cpu":"1500m"}');
});

test('small or fractional binary quantities print as decimal', () => {
  assert.equal(str('0.5Ki'), '512');
  assert.equal(str('1023Ki'), '1023Ki');
  assert.equal(Quantity.fromInt(5, 'BinarySI').toString(), '5');
  assert.equal(Quantity.fromInt(1025, 'BinarySI').toString(), '1025');
  assert.equal(Quantity.fromMilli(500, 'BinarySI').toString(), '500m');
  assert.equal(Quantity.fromInt(6 * 1024, 'BinarySI').toString(), '6Ki');
  assert.equal(Quantity.fromInt(1024 ** 4, 'BinarySI').toString(), '1Ti');
});

test('parsing rounds to nanounits away from zero and caps binary values at int64', () => {
  assert.equal(str('3.001n'), '4n');
  assert.equal(str('0.0000000001'), '1n');
  assert.equal(str('0.00000012345'), '124n');
  assert.equal(str('1.1E-9'), '2e-9');
  assert.equal(str('-0.9n'), '-1n');
  assert.equal(str('9Ei'), '9223372036854775807');
  assert.equal(str('-9Ei'), '-9223372036854775807');
  assert.equal(str('7Ei'), '7Ei');
  assert.equal(str('12E'), '12E');
  assert.equal(str('123456789012345678901234'), '123456789012345678901234');
  assert.equal(str('1e2000000000'), '100e1999999998');
});

test('parse errors carry upstream messages', () => {
  for (const bad of ['', 'aoeu', '1.1.M', '1+1.0M', '0.1am', ' 1', '1 ']) {
    assert.throws(() => parseQuantity(bad), (e: unknown) => e instanceof QuantityParseError && e.message === ERR_FORMAT_WRONG, bad);
  }
  for (const bad of ['0.1mi', '.5i', '1i', '-3.01i', '-3.01e-', '1Mi5', '1e']) {
    assert.throws(() => parseQuantity(bad), { message: ERR_SUFFIX }, bad);
  }
  assert.throws(() => parseQuantity('Ei'), { message: ERR_NUMERIC });
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('formats follow the suffix', () => {
  assert.equal(parseQuantity('1Ki').format, 'BinarySI');
  assert.equal(parseQuantity('1k').format, 'DecimalSI');
  assert.equal(parseQuantity('1e3').format, 'DecimalExponent');
  assert.equal(parseQuantity('0.000000000001Ki').format, 'DecimalSI');
});

test('comparison is exact across scales and formats', () => {
  const cmp = (a: string, b: string) => parseQuantity(a).cmp(parseQuantity(b));
  assert.equal(cmp('0', '0'), 0);
  assert.equal(cmp('100m', '50m'), 1);
  assert.equal(cmp('50m', '100m'), -1);
  assert.equal(cmp('10000T', '100Gi'), 1);
  assert.equal(cmp('1', '1000m'), 0);
  assert.equal(cmp('1Ki', '1024'), 0);
  assert.equal(cmp('1k', '1Ki'), -1);
  assert.equal(cmp('-1', '1n'), -1);
  assert.equal(cmp('-2', '-1'), -1);
  assert.equal(cmp('1e2000000000', '1E'), 1);
  assert.ok(parseQuantity('0.1').equal(parseQuantity('100m')));
});

test('add and sub are exact and keep the format of the non-zero side', () => {
  const zero = parseQuantity('0');
  for (const v of ['100m', '1Gi']) {
    const q = parseQuantity(v);
    assert.equal(q.add(zero).toString(), v);
    assert.equal(zero.add(q).toString(), v);
    assert.equal(q.sub(zero).toString(), v);
    assert.equal(zero.sub(q).toString(), q.neg().toString());
  }
  assert.equal(parseQuantity('0.1').add(parseQuantity('0.2')).toString(), '300m');
  assert.equal(parseQuantity('1Gi').add(parseQuantity('512Mi')).toString(), '1536Mi');
  assert.equal(parseQuantity('1').sub(parseQuantity('1500m')).toString(), '-500m');
  assert.equal(parseQuantity('250m').mul(4).toString(), '1');
  let total = parseQuantity('0');
  for (let i = 0; i < 10; i++) total = total.add(parseQuantity('0.1'));
  assert.ok(total.equal(parseQuantity('1')));
});

test('value and milliValue round up', () => {
  assert.equal(parseQuantity('1500m').value(), 2);
  assert.equal(parseQuantity('1.5').milliValue(), 1500);
  assert.equal(parseQuantity('1n').milliValue(), 1);
  assert.equal(parseQuantity('1n').value(), 1);
  assert.equal(parseQuantity('128Mi').value(), 134217728);
  assert.equal(parseQuantity('2').milliValue(), 2000);
  assert.equal(parseQuantity('-1.5').value(), -2);
  assert.equal(Quantity.fromScaled(1, 2).scaledValue(-2), 10000);
  assert.equal(Quantity.fromScaled(1, -9).scaledValue(0), 1);
  assert.equal(Quantity.fromScaled(1, 0).scaledValue(-9), 1e9);
  assert.equal(parseQuantity('1e2000000000').value(), Infinity);
});

test('asApproximateFloat64', () => {
  assert.equal(parseQuantity('1.5Gi').asApproximateFloat64(), 1610612736);
  assert.equal(parseQuantity('250m').asApproximateFloat64(), 0.25);
  assert.equal(parseQuantity('12e6').asApproximateFloat64(), 12e6);
});
