// Field selectors as k8s.io/apimachinery/pkg/fields: `a=b,c!=d`, with `\` escaping
// `\`, `,` and `=` in values. Terms are ANDed; a missing field reads as "".
import { goQuote } from './go.js';
import { badRequest } from './status.js';

/** selection.Operator of a field term: `==` parses to `=`. */
export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Reads one selectable field of an object (upstream's fields.Set from GetAttrs). */
export type FieldGetter = (field: string) => string | undefined;

/** Maps a field label (and value) of a request to the one the kind indexes; throws 400 for unsupported labels. */
export type FieldLabelConversion = (field: string, value: string) => [field: string, value: string];

export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v: its code point in decimal.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

export class FieldSelector {
  private static readonly EVERYTHING = new FieldSelector([]);

  private constructor(readonly requirements: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return FieldSelector.EVERYTHING;
  }

  static of(requirements: readonly FieldRequirement[]): FieldSelector {
    return requirements.length ? new FieldSelector(requirements) : FieldSelector.EVERYTHING;
  }

  matches(get: FieldGetter): boolean {
    for (const r of this.requirements) {
      const v = get(r.field) ?? '';
      if (r.operator === '=' ? v !== r.value : v === r.value) return false;
    }
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  /** The value `field` must equal, for index lookups (`spec.nodeName=n1`). */
  requiresExactMatch(field: string): string | undefined {
    for (const r of this.requirements) if (r.field === field && r.operator === '=') return r.value;
    return undefined;
  }

  /** Selector.Transform: rewrites each term; a term mapped to an empty field and value is dropped. */
  transform(fn: FieldLabelConversion): FieldSelector {
    const next: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field || value) next.push({ field, operator: r.operator, value });
    }
    return FieldSelector.of(next);
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

/** Splits on commas not escaped by a backslash. */
function splitTerms(selector: string): string[] {
  if (!selector) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator in the term, trying `!=` and `==` before `=` at each position. */
function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('!=', i)) return [term.slice(0, i), '!=', term.slice(i + 2)];
    if (term.startsWith('==', i)) return [term.slice(0, i), '=', term.slice(i + 2)];
    if (term[i] === '=') return [term.slice(0, i), '=', term.slice(i + 1)];
  }
  return undefined;
}

/** fields.ParseSelector; terms come out sorted, as upstream sorts them. Throws 400 BadRequest with upstream's message. */
export function parseFieldSelector(selector: string): FieldSelector {
  const terms = splitTerms(selector).sort();
  const reqs: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [field, operator, rhs] = parts;
    reqs.push({ field, operator, value: unescapeValue(rhs) });
  }
  return FieldSelector.of(reqs);
}

/** fields.SelectorFromSet: every field must equal. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelector {
  return FieldSelector.of(Object.keys(set).map((field) => ({ field, operator: '=', value: set[field] })));
}

/** runtime.DefaultMetaV1FieldSelectorConversion: what kinds without their own field labels accept. */
export const defaultMetaV1FieldSelectorConversion: FieldLabelConversion = (field, value) => {
  if (field === 'metadata.name' || field === 'metadata.namespace') return [field, value];
  throw badRequest(`${goQuote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
};

/** The conversion of a kind that registers its field labels (pods, nodes, events, CRDs' selectableFields …). */
export function supportedFieldLabels(labels: Iterable<string>): FieldLabelConversion {
  const supported = new Set(labels);
  return (field, value) => {
    if (supported.has(field)) return [field, value];
    throw badRequest(`field label not supported: ${field}`);
  };
}
