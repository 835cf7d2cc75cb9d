import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleError, timeZoneError } from '../../../../src/api/resources/batch/schedule.js';

test('standard schedules and descriptors parse', () => {
  for (const s of ['*/5 * * * *', '0 3 * * 1-5', '15,45 9-17/2 1 jan-jun SUN', '? * * * ?', '@hourly', '@daily', '@every 1h30m', 'TZ=UTC 0 0 * * *']) {
    assert.equal(scheduleError(s), undefined, s);
  }
});

test('robfig/cron’s messages for bad schedules', () => {
  assert.equal(scheduleError('bad'), 'expected exactly 5 fields, found 1: [bad]');
  assert.equal(scheduleError('* * * *  *  *'), 'expected exactly 5 fields, found 6: [* * * * * *]');
  assert.equal(scheduleError('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(scheduleError('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(scheduleError('5-2 * * * *'), 'beginning of range (5) beyond end of range (2): 5-2');
  assert.equal(scheduleError('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.equal(scheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(scheduleError('1-2-3 * * * *'), 'too many hyphens: 1-2-3');
  assert.equal(scheduleError('@fortnightly'), 'unrecognized descriptor: @fortnightly');
  assert.equal(scheduleError('@every soon'), 'failed to parse duration @every soon: time: invalid duration "soon"');
  assert.equal(scheduleError('@every 5'), 'failed to parse duration @every 5: time: missing unit in duration "5"');
  assert.equal(scheduleError('TZ=Mars/Base 0 0 * * *'), 'provided bad location Mars/Base: unknown time zone Mars/Base');
});

test('time zones are IANA names', () => {
  assert.equal(timeZoneError('Europe/Paris'), undefined);
  assert.equal(timeZoneError('UTC'), undefined);
  assert.equal(timeZoneError('Mars/Base'), 'unknown time zone Mars/Base');
});
