// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): exact decimal arithmetic on
// bigint, upstream's parsing, rounding and canonical string form ("1.5Gi" → "1536Mi").
import { parseInt64 } from './go.js';

/** How a quantity prints: `12e6`, `12Mi`, `12M`. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const splitREString = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${splitREString}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {}

/** Quantities keep nanounits at most: finer values round away from zero. */
const NANO = -9;
const INT64_MAX = 2n ** 63n - 1n;

const decimalSuffixes = new Map<string, number>([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const decimalSuffixByExponent = new Map([...decimalSuffixes].map(([s, e]) => [e, s]));
const binarySuffixes = new Map<string, number>([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);
const binarySuffixByPower1024 = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const SUFFIX_CHARS = 'eEinumkKMGTP';

interface Parts {
  positive: boolean;
  /** The numeric text as written, sign included (what upstream hands to inf.Dec). */
  value: string;
  /** Integer digits without leading zeros ("0" when none), and fraction digits. */
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString: splits `[+-]digits[.digits]suffix`. */
function splitQuantity(str: string): Parts {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  for (; ; pos++) {
    if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[pos] !== '0') break;
  }
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(ERR_FORMAT_WRONG);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** The suffix's base, exponent and format; `e`/`E` followed by an integer is a decimal exponent. */
function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const dec = decimalSuffixes.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binarySuffixes.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const e = parseInt64(suffix.slice(1));
    // Upstream parses 64 bits and keeps the low 32.
    if ('value' in e) return { base: 10, exponent: Number(BigInt.asIntN(32, e.value)), format: 'DecimalExponent' };
  }
  return undefined;
}

const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const digitCount = (v: bigint): number => (v === 0n ? 0 : abs(v).toString().length);
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Divides by 10^n, rounding any remainder away from zero (inf.RoundUp). */
function divRoundAway(v: bigint, n: number): bigint {
  if (n > digitCount(v)) return v === 0n ? 0n : v > 0n ? 1n : -1n;
  const d = pow10(n);
  const q = v / d;
  if (q * d === v) return q;
  return v > 0n ? q + 1n : q - 1n;
}

/** A quantity: `unscaled × 10^scale`, with the format it prints in. */
export class Quantity {
  /** The text it was parsed from when that is already canonical, else the canonical form once computed. */
  #text: string | undefined;

  private constructor(
    private readonly unscaled: bigint,
    private readonly scale: number,
    readonly format: QuantityFormat,
    text?: string,
  ) {
    this.#text = text;
  }

  /** resource.ParseQuantity. Throws QuantityParseError with upstream's message. */
  static parse(str: string): Quantity {
    if (str.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);
    const { positive, value, num, denom, suffix } = splitQuantity(str);
    const interpreted = interpretSuffix(suffix);
    if (!interpreted) throw new QuantityParseError(ERR_SUFFIX);
    const { base, exponent } = interpreted;
    let format = interpreted.format;

    // Upstream's int64 fast path keeps the input text when it is already canonical; the same
    // conditions decide here, since that text is what String() and JSON return.
    let fast = false;
    let keep = false;
    const digits = num + denom;
    if (base === 10) {
      fast = num.length + denom.length <= 18 && exponent - denom.length >= NANO;
      keep = fast && (exponent - denom.length) % 3 === 0 && !digits.endsWith('000') && digits[0] !== '0';
    } else if (denom.length === 0) {
      fast = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 >= 0;
      keep = fast && Number(num) % 8 !== 0;
    }
    if (!fast && !/[0-9]/.test(value)) throw new QuantityParseError(ERR_NUMERIC);

    let unscaled = BigInt(digits);
    let scale = -denom.length;
    if (base === 10) scale += exponent;
    else unscaled <<= BigInt(exponent);
    if (!positive) unscaled = -unscaled;
    if (scale < NANO) {
      unscaled = divRoundAway(unscaled, NANO - scale);
      scale = NANO;
    }
    if (format === 'BinarySI') {
      const q = new Quantity(unscaled, scale, format);
      if (q.cmpAbs(INT64_MAX, 0) > 0) {
        unscaled = positive ? INT64_MAX : -INT64_MAX;
        scale = 0;
      } else if (unscaled !== 0n && q.cmpAbs(1n, 0) < 0) {
        format = 'DecimalSI';
      }
    }
    return new Quantity(unscaled, scale, format, keep ? str : undefined);
  }

  /** resource.NewQuantity. */
  static fromInt(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  /** resource.NewMilliQuantity. */
  static fromMilli(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), -3, format);
  }

  /** resource.NewScaledQuantity: value × 10^scale. */
  static fromScaled(value: number | bigint, scale: number): Quantity {
    return new Quantity(BigInt(value), scale, 'DecimalSI');
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled > 0n ? 1 : -1;
  }

  /** Compares |this| with |m × 10^s| without building huge powers of ten. */
  private cmpAbs(m: bigint, s: number): number {
    return compareMagnitude(abs(this.unscaled), this.scale, abs(m), s);
  }

  cmp(y: Quantity): -1 | 0 | 1 {
    const a = this.sign();
    const b = y.sign();
    if (a !== b) return a < b ? -1 : 1;
    const c = compareMagnitude(abs(this.unscaled), this.scale, abs(y.unscaled), y.scale);
    return (a < 0 ? -c : c) as -1 | 0 | 1;
  }

  equal(y: Quantity): boolean {
    return this.cmp(y) === 0;
  }

  /** The sum, in this quantity's format (or y's when this is zero), as upstream's Add. */
  add(y: Quantity): Quantity {
    const scale = Math.min(this.scale, y.scale);
    const sum = this.unscaled * pow10(this.scale - scale) + y.unscaled * pow10(y.scale - scale);
    return new Quantity(sum, scale, this.isZero() ? y.format : this.format);
  }

  sub(y: Quantity): Quantity {
    return this.add(y.neg());
  }

  neg(): Quantity {
    return new Quantity(-this.unscaled, this.scale, this.format);
  }

  mul(n: number | bigint): Quantity {
    return new Quantity(this.unscaled * BigInt(n), this.scale, this.format);
  }

  /**
   * The value in units of 10^scale, rounded away from zero (so positive values round up, as
   * upstream's ScaledValue). Values beyond the range of a double become ±Infinity.
   */
  scaledValue(scale: number): number {
    const diff = this.scale - scale;
    if (this.unscaled === 0n) return 0;
    if (diff >= 0) return diff > 400 ? this.sign() * Infinity : Number(this.unscaled * pow10(diff));
    return Number(divRoundAway(this.unscaled, -diff));
  }

  /** Whole units, rounded up: `Value()` (bytes for memory, cores for CPU). */
  value(): number {
    return this.scaledValue(0);
  }

  /** Thousandths, rounded up: `MilliValue()` (millicores). */
  milliValue(): number {
    return this.scaledValue(-3);
  }

  asApproximateFloat64(): number {
    const base = Number(this.unscaled);
    return this.scale >= 0 ? base * 10 ** this.scale : base / 10 ** -this.scale;
  }

  toString(): string {
    return (this.#text ??= this.canonicalize());
  }

  toJSON(): string {
    return this.toString();
  }

  /** CanonicalizeBytes: the largest suffix that keeps an integer mantissa. */
  private canonicalize(): string {
    if (this.unscaled === 0n) return '0';
    let format = this.format;
    let integer: bigint | undefined;
    if (format === 'BinarySI') {
      // Small or fractional binary quantities print as decimal ("512", "500m").
      if (this.cmpAbs(1024n, 0) < 0) format = 'DecimalSI';
      else if (this.scale >= 0) integer = this.unscaled * pow10(this.scale);
      else if (this.unscaled % pow10(-this.scale) === 0n) integer = this.unscaled / pow10(-this.scale);
      else format = 'DecimalSI';
    }
    if (integer !== undefined) {
      let power = 0;
      while (integer % 1024n === 0n) {
        integer /= 1024n;
        power++;
      }
      return `${integer}${binarySuffixByPower1024[power] ?? ''}`;
    }
    let mantissa = this.unscaled;
    let exponent = this.scale;
    while (mantissa % 10n === 0n) {
      mantissa /= 10n;
      exponent++;
    }
    while (exponent % 3 !== 0) {
      mantissa *= 10n;
      exponent--;
    }
    // Upstream prints no suffix when the exponent has none (beyond E or below n).
    const suffix = format === 'DecimalSI' ? (decimalSuffixByExponent.get(exponent) ?? '') : exponent === 0 ? '' : `e${exponent}`;
    return `${mantissa}${suffix}`;
  }
}

/** Compares a × 10^as with b × 10^bs for non-negative a and b. */
function compareMagnitude(a: bigint, as: number, b: bigint, bs: number): -1 | 0 | 1 {
  if (a === 0n || b === 0n) return a === b ? 0 : a === 0n ? -1 : 1;
  const orderA = digitCount(a) + as;
  const orderB = digitCount(b) + bs;
  if (orderA !== orderB) return orderA < orderB ? -1 : 1;
  // Same order of magnitude: the scales differ by at most the digit counts, so aligning is cheap.
  const scale = Math.min(as, bs);
  const x = a * pow10(as - scale);
  const y = b * pow10(bs - scale);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** resource.ParseQuantity. Throws QuantityParseError with upstream's message. */
export function parseQuantity(str: string): Quantity {
  return Quantity.parse(str);
}
