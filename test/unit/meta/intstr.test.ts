import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getScaledValueFromIntOrPercent, intOrStringValue, parseIntOrString } from '../../../src/api/meta/intstr.js';

test('ints pass through; percentages scale by total, rounded as asked', () => {
  assert.equal(getScaledValueFromIntOrPercent(3, 10, true), 3);
  assert.equal(getScaledValueFromIntOrPercent('25%', 10, true), 3);
  assert.equal(getScaledValueFromIntOrPercent('25%', 10, false), 2);
  assert.equal(getScaledValueFromIntOrPercent('100%', 7, false), 7);
  assert.equal(getScaledValueFromIntOrPercent('0%', 7, true), 0);
  assert.equal(getScaledValueFromIntOrPercent('10%', 5, true), 1);
  assert.equal(getScaledValueFromIntOrPercent('10%', 5, false), 0);
});

test('upstream errors for missing and malformed values', () => {
  assert.throws(() => getScaledValueFromIntOrPercent(undefined, 10, true), { message: 'nil value for IntOrString' });
  assert.throws(() => getScaledValueFromIntOrPercent('5', 10, true), {
    message: 'invalid value for IntOrString: invalid type: string is not a percentage',
  });
  assert.throws(() => getScaledValueFromIntOrPercent('abc%', 10, true), {
    message: 'invalid value for IntOrString: invalid value "abc%": strconv.Atoi: parsing "abc": invalid syntax',
  });
  assert.throws(() => getScaledValueFromIntOrPercent('99999999999999999999%', 10, true), {
    message: 'invalid value for IntOrString: invalid value "99999999999999999999%": strconv.Atoi: parsing "99999999999999999999": value out of range',
  });
});

test('parseIntOrString reads int32 text as a number', () => {
  assert.equal(parseIntOrString('8080'), 8080);
  assert.equal(parseIntOrString('-1'), -1);
  assert.equal(parseIntOrString('http'), 'http');
  assert.equal(parseIntOrString('2147483648'), '2147483648');
  assert.equal(parseIntOrString('25%'), '25%');
});

test('intOrStringValue reads numbers from strings, 0 otherwise', () => {
  assert.equal(intOrStringValue(5), 5);
  assert.equal(intOrStringValue('42'), 42);
  assert.equal(intOrStringValue('http'), 0);
});
