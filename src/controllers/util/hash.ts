// controller.ComputeHash: the name suffix of a ReplicaSet a Deployment owns, of a DaemonSet's
// ControllerRevision, and the pod-template-hash / controller-revision-hash labels. FNV-32a over
// a deterministic print of the template (keys sorted) and the collision count, rendered in an
// alphabet with no vowels so that no word is spelled by accident (rand.SafeEncodeString).

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A print of `value` that depends on its content only: object keys sorted, undefined left out. */
export function deepPrint(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(deepPrint).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${deepPrint(obj[key])}`);
  }
  return `{${parts.join(',')}}`;
}

function fnv32a(hash: number, bytes: Uint8Array): number {
  for (const b of bytes) hash = Math.imul(hash ^ b, FNV_PRIME) >>> 0;
  return hash;
}

/** rand.SafeEncodeString: each character mapped into the vowel-free alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** The hash of a pod template and collision count, as kube-controller-manager names things by it. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let hash = fnv32a(FNV_OFFSET, new TextEncoder().encode(deepPrint(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    // Written as a little-endian uint32, as upstream's binary.Write does.
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(hash, buf);
  }
  return safeEncodeString(String(hash));
}
