// Matching shared by several plugins: the required node affinity of pods and the text of taints
// (taint tolerance and compiled node selectors live in src/api/helpers/node-selection.ts).
import type { Pod, Taint } from 'kubernetes-types/core/v1.js';
import { compileNodeSelector, type NodeMatcher } from '../api/helpers/node-selection.js';

/**
 * The pod's required node affinity: spec.nodeSelector and
 * requiredDuringSchedulingIgnoredDuringExecution together; undefined when it has neither.
 */
export function requiredNodeAffinity(pod: Pod): NodeMatcher | undefined {
  const selector = pod.spec?.nodeSelector;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const keys = selector ? Object.keys(selector) : [];
  if (keys.length === 0 && !required) return undefined;
  const terms = required ? compileNodeSelector(required) : undefined;
  if (terms && keys.length === 0) return terms;
  return (labels, name) => {
    for (const k of keys) if (labels[k] !== selector![k]) return false;
    return !terms || terms(labels, name);
  };
}

/** `node(s) had untolerated taint {key: value}`'s `{key: value}`. */
export function taintText(t: Taint): string {
  return `{${t.key}: ${t.value ?? ''}}`;
}
