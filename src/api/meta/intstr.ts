// IntOrString (k8s.io/apimachinery/pkg/util/intstr): a JSON number or string, as in
// maxUnavailable: 1 or "25%", and targetPort: 8080 or "http".
import { goQuote, parseInt64 } from './go.js';

export type IntOrString = number | string;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Go's strconv.Atoi on a 64-bit platform; throws with its error text. */
function atoi(s: string): number {
  const r = parseInt64(s);
  if ('error' in r) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: ${r.error}`);
  return Number(r.value);
}

/** intstr.Parse: an int32 when the text is one, else the string. */
export function parseIntOrString(val: string): IntOrString {
  const r = parseInt64(val);
  return 'value' in r && r.value >= INT32_MIN && r.value <= INT32_MAX ? Number(r.value) : val;
}

/** IntValue: a string that is not a number counts as 0. */
export function intOrStringValue(v: IntOrString): number {
  if (typeof v === 'number') return v;
  try {
    return atoi(v);
  } catch {
    return 0;
  }
}

/**
 * GetScaledValueFromIntOrPercent: an int as is, or "N%" of total, rounded up or down.
 * Throws with upstream's message for a missing value or a string that is not a percentage.
 */
export function getScaledValueFromIntOrPercent(v: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  let percent: number;
  try {
    percent = atoi(v.slice(0, -1));
  } catch (err) {
    throw new Error(`invalid value for IntOrString: invalid value ${goQuote(v)}: ${(err as Error).message}`);
  }
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
