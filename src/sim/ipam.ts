// Addresses of simulated nodes: a pod CIDR (/24) per node as the node-ipam controller hands
// them out, a node InternalIP that nothing ever connects to, and pod IPs taken from the
// node's /24 the way CNI's host-local plugin does (next free after the last one, wrapping).

export function parseIPv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${text}"`);
  let n = 0;
  for (const p of parts) {
    const octet = Number(p);
    if (!/^\d{1,3}$/.test(p) || octet > 255) throw new Error(`invalid IPv4 address "${text}"`);
    n = n * 256 + octet;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/**
 * The /24 of the node numbered `index` (from 0) within `clusterCIDR` (10.244.0.0/16 by default).
 * A /16 holds 256 of them; further nodes continue past its end (10.245.0.0/24 …): the
 * addresses are never routed, so a 10,000-node simulation still gets distinct ranges.
 */
export function nodePodCIDR(clusterCIDR: string, index: number): string {
  const [addr, bitsText] = clusterCIDR.split('/');
  const bits = Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 24) throw new Error(`pod CIDR base "${clusterCIDR}" must be an IPv4 range of /24 or larger`);
  const size = 2 ** (32 - bits);
  const network = parseIPv4(addr) - (parseIPv4(addr) % size);
  const start = network + index * 256;
  if (start + 255 > 0xffffffff) throw new Error(`no pod CIDR left for node ${index} after ${clusterCIDR}`);
  return `${formatIPv4(start)}/24`;
}

/** 172.18.0.2, 172.18.0.3 …: the addresses kind gives its node containers; never contacted here. */
export function nodeInternalIP(index: number): string {
  return formatIPv4(parseIPv4('172.18.0.2') + index);
}

/** Pod IPs of one node's /24: .2 to .254 (.1 is the bridge gateway, .255 broadcast). */
export class PodIPAllocator {
  private readonly network: number;
  private readonly taken = new Uint8Array(256);
  private last = 1;
  private count = 0;

  constructor(readonly cidr: string) {
    const [addr, bits] = cidr.split('/');
    if (bits !== '24') throw new Error(`pod CIDR "${cidr}" is not a /24`);
    this.network = parseIPv4(addr) - (parseIPv4(addr) % 256);
  }

  get used(): number {
    return this.count;
  }

  /** The next free address after the last one handed out, or undefined when the range is full. */
  allocate(): string | undefined {
    for (let step = 1; step <= 253; step++) {
      const host = ((this.last - 2 + step) % 253) + 2;
      if (this.taken[host]) continue;
      this.taken[host] = 1;
      this.last = host;
      this.count++;
      return formatIPv4(this.network + host);
    }
    return undefined;
  }

  /** Marks an address in use (a pod that already had it); false if it is outside the range or taken. */
  reserve(ip: string): boolean {
    const host = this.hostOf(ip);
    if (host === undefined || this.taken[host]) return false;
    this.taken[host] = 1;
    this.count++;
    return true;
  }

  release(ip: string): void {
    const host = this.hostOf(ip);
    if (host === undefined || !this.taken[host]) return;
    this.taken[host] = 0;
    this.count--;
  }

  private hostOf(ip: string): number | undefined {
    let n: number;
    try {
      n = parseIPv4(ip);
    } catch {
      return undefined;
    }
    const host = n - this.network;
    return host >= 2 && host <= 254 ? host : undefined;
  }
}
