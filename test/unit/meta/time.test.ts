import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatMicroTime,
  formatRFC3339,
  humanDuration,
  microTime,
  nowRFC3339,
  shortHumanDuration,
  translateTimestampSince,
} from '../../../src/api/meta/time.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('metav1.Time is UTC with whole seconds', () => {
  assert.equal(formatRFC3339(Date.UTC(2024, 4, 1, 10, 0, 5, 999)), '2024-05-01T10:00:05Z');
  assert.match(nowRFC3339(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const before = Math.floor(Date.now() / 1000) * 1000;
  const parsed = Date.parse(nowRFC3339());
  assert.ok(parsed >= before && parsed <= Date.now());
});

test('metav1.MicroTime has six fraction digits', () => {
  assert.equal(formatMicroTime(Date.UTC(2024, 4, 1, 10, 0, 5) * 1000 + 123456), '2024-05-01T10:00:05.123456Z');
  assert.equal(formatMicroTime(Date.UTC(2024, 4, 1, 10, 0, 5) * 1000 + 7), '2024-05-01T10:00:05.000007Z');
  assert.match(microTime(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
});

test('humanDuration matches kubectl AGE', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [5 * M + 10 * S, '5m10s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [8 * H + 5 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 5 * H, '2d5h'],
    [8 * D + 5 * H, '8d'],
    [45 * D, '45d'],
    [729 * D, '729d'],
    [2 * 365 * D, '2y'],
    [3 * 365 * D + 20 * D, '3y20d'],
    [8 * 365 * D + 20 * D, '8y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});

test('shortHumanDuration keeps one unit', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-S, '0s'],
    [59 * S, '59s'],
    [90 * S, '1m'],
    [59 * M, '59m'],
    [23 * H, '23h'],
    [364 * D, '364d'],
    [800 * D, '2y'],
  ];
  for (const [ms, want] of cases) assert.equal(shortHumanDuration(ms), want, String(ms));
});

test('translateTimestampSince is the AGE cell', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  assert.equal(translateTimestampSince('2024-05-01T11:54:50Z', now), '5m10s');
  assert.equal(translateTimestampSince(undefined, now), '<unknown>');
  assert.equal(translateTimestampSince('not a time', now), '<unknown>');
});
