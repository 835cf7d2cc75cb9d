// Go conventions that upstream's messages and parsing depend on: strconv's integer
// syntax and fmt's %#v of a string slice.

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

/** fmt's %#v of a []string: `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** fmt's %q of a []string: `["a" "b"]`. */
export function goQuotedSlice(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
