// ControllerRevisions as upstream's controller/history package makes them: the name is the
// owner's name and a hash of the revision's data (FNV-1 32, spelled with SafeEncodeString's
// alphabet), the collision count salts the hash, and revisions carry increasing numbers.
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/registry.js';

/** The label ControllerRevisions carry with their hash (history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** FNV-1 (not 1a), 32 bits, over UTF-8 bytes: Go's hash/fnv New32. */
export function fnv32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ byte) >>> 0;
  }
  return h;
}

// No vowels (no words) and no look-alikes (0/o, 1/l): k8s.io/apimachinery/pkg/util/rand.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte mapped into an alphabet safe for names. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** JSON as Go's encoding/json writes maps: keys sorted, `<`, `>` and `&` escaped. */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/** history.HashControllerRevision: the hash of the data, salted by the collision count. */
export function controllerRevisionHash(data: unknown, collisionCount?: number): string {
  const text = canonicalJSON(data) + (collisionCount !== undefined ? String(collisionCount) : '');
  return safeEncodeString(String(fnv32(text)));
}

/** history.NewControllerRevision: named `<owner>-<hash>`, labelled with the template's labels. */
export function newControllerRevision(
  owner: KubeObject,
  ownerRef: OwnerReference,
  templateLabels: Record<string, string> | undefined,
  data: unknown,
  revision: number,
  collisionCount: number,
): ControllerRevision {
  const hash = controllerRevisionHash(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels: { ...templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      annotations: { ...owner.metadata.annotations },
      ownerReferences: [ownerRef],
    },
    data: data as ControllerRevision['data'],
    revision,
  };
}

/** Oldest first, by revision number then name (history.SortControllerRevisions). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => a.revision - b.revision || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** One more than the highest revision number (1 for the first). */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  let max = 0;
  for (const r of revisions) max = Math.max(max, r.revision);
  return max + 1;
}

/** history.EqualRevision: the same data (hashes differ with the collision count, so they do not decide). */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJSON(a.data) === canonicalJSON(b.data);
}
