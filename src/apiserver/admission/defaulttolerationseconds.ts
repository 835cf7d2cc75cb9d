// DefaultTolerationSeconds: pods that do not say how long they tolerate their node being
// not-ready or unreachable get 300 s of each, so the taint manager evicts them after five
// minutes of a node failure instead of at once.
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin } from './types.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Whether an existing toleration already covers the key's NoExecute taint (an empty key or effect matches all). */
function tolerates(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export function defaultTolerationSeconds(seconds = DEFAULT_TOLERATION_SECONDS): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(attrs) {
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.def.group !== '' || attrs.def.plural !== 'pods' || !attrs.object) return;
      const spec = ((attrs.object as Pod).spec ??= { containers: [] });
      const tolerations = (spec.tolerations ??= []) as Toleration[];
      const existing = [...tolerations];
      for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
        if (!tolerates(existing, key)) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
      }
    },
  };
}
