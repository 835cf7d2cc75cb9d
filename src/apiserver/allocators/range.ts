// The value ranges Services draw from: ClusterIPs out of the service CIDR and NodePorts out
// of the node port range. A range maps its values to offsets 0..size-1; dynamic picks prefer
// offsets at or above `dynamicOffset`, leaving the low end for values users ask for by number
// (upstream's allocation map with offset).
import { parseCIDRSloppy, parseIPSloppy } from '../../api/meta/validation.js';

export type Random = () => number;

/** A free offset: a random start in the upper band scanning upwards, then the lower band; undefined when full. */
export function pickFree(size: number, dynamicOffset: number, isUsed: (offset: number) => boolean, random: Random = Math.random): number | undefined {
  const scan = (from: number, to: number): number | undefined => {
    const n = to - from;
    if (n <= 0) return undefined;
    const start = Math.floor(random() * n);
    for (let i = 0; i < n; i++) {
      const offset = from + ((start + i) % n);
      if (!isUsed(offset)) return offset;
    }
    return undefined;
  };
  return scan(dynamicOffset, size) ?? scan(0, dynamicOffset);
}

/** upstream calculateRangeOffset: min(max(min, size/step), max). */
function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

export interface ValueRange<V> {
  readonly size: number;
  readonly dynamicOffset: number;
  /** The offset of a value, or undefined when it is outside the range. */
  offsetOf(value: V): number | undefined;
  valueAt(offset: number): V;
  toString(): string;
}

/** The usable addresses of an IPv4 service CIDR: the network and broadcast addresses excluded. */
export class IPv4Range implements ValueRange<string> {
  readonly family = 'IPv4';
  readonly size: number;
  readonly dynamicOffset: number;
  private readonly base: number;
  private readonly cidr: string;

  constructor(cidr: string) {
    const parsed = parseCIDRSloppy(cidr);
    if (!parsed || parsed.bits !== 32) throw new Error(`invalid IPv4 service CIDR ${cidr}`);
    const hostBits = 32 - parsed.prefix;
    const mask = hostBits === 32 ? 0 : (0xffffffff << hostBits) >>> 0;
    const network = (bytesToInt(parsed.ip) & mask) >>> 0;
    this.base = network + 1;
    this.size = Math.max(0, 2 ** hostBits - 2);
    this.dynamicOffset = rangeOffset(2 ** hostBits, 16, 256, 16);
    this.cidr = `${intToIPv4(network)}/${parsed.prefix}`;
  }

  offsetOf(ip: string): number | undefined {
    const bytes = parseIPSloppy(ip);
    if (!bytes || !isIPv4Bytes(bytes)) return undefined;
    const offset = bytesToInt(bytes) - this.base;
    return offset >= 0 && offset < this.size ? offset : undefined;
  }

  valueAt(offset: number): string {
    return intToIPv4(this.base + offset);
  }

  toString(): string {
    return this.cidr;
  }
}

/** A port range such as 30000-32767. */
export class PortRange implements ValueRange<number> {
  readonly size: number;
  readonly dynamicOffset: number;

  constructor(
    readonly base: number,
    readonly last: number,
  ) {
    this.size = last - base + 1;
    this.dynamicOffset = rangeOffset(this.size, 16, 128, 32);
  }

  static parse(spec: string): PortRange {
    const m = /^(\d+)(?:[-+](\d+))?$/.exec(spec.trim());
    if (!m) throw new Error(`invalid port range ${spec}`);
    const base = Number(m[1]);
    const last = m[2] === undefined ? base : spec.includes('+') ? base + Number(m[2]) : Number(m[2]);
    if (last < base) throw new Error(`invalid port range ${spec}`);
    return new PortRange(base, last);
  }

  offsetOf(port: number): number | undefined {
    return Number.isInteger(port) && port >= this.base && port <= this.last ? port - this.base : undefined;
  }

  valueAt(offset: number): number {
    return this.base + offset;
  }

  toString(): string {
    return `${this.base}-${this.last}`;
  }
}

export function isIPv4Bytes(b: readonly number[]): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

function bytesToInt(b: readonly number[]): number {
  return ((b[12] << 24) | (b[13] << 16) | (b[14] << 8) | b[15]) >>> 0;
}

function intToIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** The canonical text of an IP (Go's net.IP String). */
export function canonicalIP(ip: string): string {
  const b = parseIPSloppy(ip);
  if (!b) return ip;
  if (isIPv4Bytes(b)) return intToIPv4(bytesToInt(b));
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  // The longest run of two or more zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
