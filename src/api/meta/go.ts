// Go conventions that upstream's messages and parsing depend on: strconv's integer
// syntax and quoting, and fmt's %v / %#v of the values validation reports.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const decimalSyntax = /^[+-]?[0-9]+$/;

export type ParseIntResult = { value: bigint } | { error: 'invalid syntax' | 'value out of range' };

/** strconv.ParseInt(s, 10, 64) (and Atoi on 64-bit platforms). */
export function parseInt64(s: string): ParseIntResult {
  if (!decimalSyntax.test(s)) return { error: 'invalid syntax' };
  const value = BigInt(s);
  return value < INT64_MIN || value > INT64_MAX ? { error: 'value out of range' } : { value };
}

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const shortEscapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** strconv.Quote (fmt's %q): printable characters as they are, the rest escaped Go's way. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = shortEscapes[ch];
    if (short) out += short;
    else if (printable.test(ch)) out += ch;
    else {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

/** A float64 as fmt's %v prints it: the shortest digits, in exponent form below 1e-4 and from 1e6 up. */
export function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return '0';
  const [mantissa, e] = n.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** A JSON number as Go prints the int64 or float64 it decodes to. */
export function goNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : goFloat(n);
}

/** fmt's %#v of a slice, given its element type and its elements already printed; nil when absent. */
export function goSlice(elementType: string, items: readonly string[] | null | undefined): string {
  return items == null ? `[]${elementType}(nil)` : `[]${elementType}{${items.join(', ')}}`;
}

/** fmt's %#v of a slice of strings (or of a named string type: `[]core.ResourceQuotaScope{"BestEffort"}`). */
export function goStringSlice(values: readonly string[] | null | undefined, elementType = 'string'): string {
  return goSlice(elementType, values?.map(goQuote));
}

/** fmt's %#v of a map[string]string, keys sorted as fmt prints maps; nil when absent. */
export function goStringMap(m: Readonly<Record<string, string>> | null | undefined): string {
  if (m == null) return 'map[string]string(nil)';
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/**
 * fmt's %#v of a Go struct, given its type and its fields in declaration order, each already
 * printed: `rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"view"}`.
 */
export function goStruct(type: string, fields: readonly (readonly [string, string])[]): string {
  return `${type}{${fields.map(([name, value]) => `${name}:${value}`).join(', ')}}`;
}

/**
 * fmt's %#v of a pointer field inside a struct: `(*bool)(nil)`, or an address, which means
 * nothing outside the process that printed it; a fixed one stands in.
 */
export function goPointer(type: string, set: boolean): string {
  return `(*${type})(${set ? '0xc000000000' : 'nil'})`;
}

/**
 * fmt's %#v of a JSON value decoded into interface{}, as upstream holds custom resources and
 * prints their bad values: `map[string]interface {}{"a":1}`, `[]interface {}{"x", true}`.
 */
export function goInterface(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goInterface).join(', ')}}`;
  const o = v as Record<string, unknown>;
  const entries = Object.keys(o)
    .sort()
    .map((k) => `${goQuote(k)}:${goInterface(o[k])}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** fmt's %q of a []string: `["a" "b"]`. */
export function goQuotedSlice(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
