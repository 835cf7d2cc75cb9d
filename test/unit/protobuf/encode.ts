// A tiny protobuf writer for the wire cases kubectl cannot be made to send (times, negative
// numbers, packed lists, malformed bodies); real bodies come from kubectl in kubectl.test.ts.

export type Field = Uint8Array;

export function varint(value: number | bigint): Uint8Array {
  // Negative numbers are written as their 64-bit two's complement, ten bytes, as Go does.
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

function tag(num: number, wire: number): Uint8Array {
  return varint((num << 3) | wire);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** A varint field (integers, booleans, enums as numbers). */
export function int(num: number, value: number | bigint | boolean): Field {
  return concat(tag(num, 0), varint(typeof value === 'boolean' ? Number(value) : value));
}

/** A length-delimited field: strings, bytes, nested messages, packed lists. */
export function bytes(num: number, payload: Uint8Array | string): Field {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return concat(tag(num, 2), varint(body.length), body);
}

export function message(num: number, ...fields: Field[]): Field {
  return bytes(num, concat(...fields));
}

export function double(num: number, value: number): Field {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return concat(tag(num, 1), b);
}

/** A map entry {key=1, value=2}; the value is omitted when undefined. */
export function mapEntry(num: number, key: string, value?: Uint8Array | string): Field {
  return value === undefined ? message(num, bytes(1, key)) : message(num, bytes(1, key), bytes(2, value));
}

/** The `k8s\0` envelope around a runtime.Unknown holding `raw`. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Uint8Array {
  return concat(
    Uint8Array.from([0x6b, 0x38, 0x73, 0x00]),
    message(1, bytes(1, apiVersion), bytes(2, kind)),
    bytes(2, raw),
    bytes(3, contentEncoding),
    bytes(4, ''),
  );
}
