// CronJob schedules as upstream checks them: robfig/cron's standard parser (five fields or an
// @-descriptor), with its error texts, and IANA time zone names.
import { parseInt64 } from '../../meta/go.js';

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The five standard fields, in order: minute, hour, day of month, month, day of week. */
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])) },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

class ScheduleError extends Error {}

/** Go's strconv.Atoi with its error text. */
function atoi(s: string): number {
  const r = parseInt64(s);
  if ('error' in r) throw new ScheduleError(`strconv.Atoi: parsing ${JSON.stringify(s)}: ${r.error}`);
  return Number(r.value);
}

function mustParseInt(expr: string): number {
  let n: number;
  try {
    n = atoi(expr);
  } catch (err) {
    throw new ScheduleError(`failed to parse int from ${expr}: ${(err as Error).message}`);
  }
  if (n < 0) throw new ScheduleError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names: Record<string, number> | undefined): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** One comma-separated part of a field: `*`, `N`, `N-M`, each with an optional `/step`. */
function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r.names);
    else throw new ScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    // `N/step` means N through the maximum.
    if (lowAndHigh.length === 1) end = r.max;
  } else if (rangeAndStep.length > 2) {
    throw new ScheduleError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new ScheduleError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new ScheduleError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
}

const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);

/** Go's time.ParseDuration verdict on `@every` arguments. */
function checkDuration(s: string): void {
  const quoted = JSON.stringify(s);
  if (s === '0' || /^[-+]?0$/.test(s)) return;
  const body = s.replace(/^[-+]/, '');
  if (body === '') throw new ScheduleError(`time: invalid duration ${quoted}`);
  const part = /([0-9]*(?:\.[0-9]*)?)([^0-9.]*)/y;
  let pos = 0;
  while (pos < body.length) {
    part.lastIndex = pos;
    const m = part.exec(body)!;
    const [whole, num, unit] = m;
    if (num === '' || num === '.') throw new ScheduleError(`time: invalid duration ${quoted}`);
    if (unit === '') throw new ScheduleError(`time: missing unit in duration ${quoted}`);
    if (!DURATION_UNITS.has(unit)) throw new ScheduleError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    pos += whole.length;
  }
}

function checkDescriptor(descriptor: string): void {
  if (DESCRIPTORS.has(descriptor)) return;
  const every = '@every ';
  if (descriptor.startsWith(every)) {
    try {
      checkDuration(descriptor.slice(every.length));
    } catch (err) {
      throw new ScheduleError(`failed to parse duration ${descriptor}: ${(err as Error).message}`);
    }
    return;
  }
  throw new ScheduleError(`unrecognized descriptor: ${descriptor}`);
}

/** cron.ParseStandard's error for a schedule, or undefined when it parses. */
export function scheduleError(schedule: string): string | undefined {
  try {
    let spec = schedule;
    if (spec.length === 0) throw new ScheduleError('empty spec string');
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const space = spec.indexOf(' ');
      const zone = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
      const zoneError = timeZoneError(zone);
      if (zoneError) throw new ScheduleError(`provided bad location ${zone}: ${zoneError}`);
      spec = space < 0 ? '' : spec.slice(space).trim();
    }
    if (spec.startsWith('@')) {
      checkDescriptor(spec);
      return undefined;
    }
    const fields = spec.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== FIELDS.length) {
      throw new ScheduleError(`expected exactly ${FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`);
    }
    fields.forEach((field, i) => {
      for (const expr of field.split(',').filter((e) => e !== '')) checkRange(expr, FIELDS[i]);
    });
    return undefined;
  } catch (err) {
    if (err instanceof ScheduleError) return err.message;
    throw err;
  }
}

/** time.LoadLocation's error for a zone name, or undefined when the zone exists. */
export function timeZoneError(zone: string): string | undefined {
  if (zone === '' || zone === 'UTC') return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone ${zone}`;
  }
}
