// Which nodes a pod may go to, as scheduler, DaemonSet and volume binding all decide it: taints
// against tolerations (Toleration.ToleratesTaint) and node selectors compiled once into matchers.
import type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../meta/labels.js';

/** Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint with one of `effects` the tolerations do not tolerate. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined, effects: (effect: string) => boolean): Taint | undefined {
  for (const taint of taints) {
    if (!effects(taint.effect)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

/** A compiled node selector: whether a node with these labels and this name matches. */
export type NodeMatcher = (labels: Labels, name: string) => boolean;

const NEVER: NodeMatcher = () => false;

function integer(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** A value test compiled from an operator and its values; undefined when they are invalid. */
function compileValueTest(operator: string, values: string[]): ((v: string | undefined) => boolean) | undefined {
  switch (operator) {
    case 'In': {
      if (values.length === 0) return undefined;
      if (values.length === 1) {
        const only = values[0];
        return (v) => v === only;
      }
      const set = new Set(values);
      return (v) => v !== undefined && set.has(v);
    }
    case 'NotIn': {
      if (values.length === 0) return undefined;
      const set = new Set(values);
      return (v) => v === undefined || !set.has(v);
    }
    case 'Exists':
      return values.length ? undefined : (v) => v !== undefined;
    case 'DoesNotExist':
      return values.length ? undefined : (v) => v === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = values.length === 1 ? integer(values[0]) : undefined;
      if (bound === undefined) return undefined;
      const gt = operator === 'Gt';
      return (raw) => {
        const v = raw === undefined ? undefined : integer(raw);
        return v !== undefined && (gt ? v > bound : v < bound);
      };
    }
    default:
      return undefined;
  }
}

function compileRequirement(r: NodeSelectorRequirement, field: boolean): NodeMatcher | undefined {
  const values = r.values ?? [];
  // Fields support only In and NotIn, with exactly one value, as upstream validates.
  if (field && (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn') || values.length !== 1)) return undefined;
  const test = compileValueTest(r.operator, values);
  if (!test) return undefined;
  if (field) return (_, name) => test(name);
  const key = r.key;
  return (labels) => test(labels[key]);
}

/** A term: expressions and fields ANDed; an empty or invalid term matches nothing. */
export function compileNodeSelectorTerm(term: NodeSelectorTerm): NodeMatcher {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return NEVER;
  const matchers: NodeMatcher[] = [];
  for (const r of exprs) {
    const m = compileRequirement(r, false);
    if (!m) return NEVER;
    matchers.push(m);
  }
  for (const r of fields) {
    const m = compileRequirement(r, true);
    if (!m) return NEVER;
    matchers.push(m);
  }
  if (matchers.length === 1) return matchers[0];
  return (l, n) => {
    for (const m of matchers) if (!m(l, n)) return false;
    return true;
  };
}

/** A NodeSelector: its terms ORed. */
export function compileNodeSelector(ns: NodeSelector): NodeMatcher {
  const terms = (ns.nodeSelectorTerms ?? []).map(compileNodeSelectorTerm);
  if (terms.length === 1) return terms[0];
  return (l, n) => {
    for (const t of terms) if (t(l, n)) return true;
    return false;
  };
}

