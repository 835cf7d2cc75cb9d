// Label selectors as k8s.io/apimachinery/pkg/labels: the `-l` string syntax, metav1
// LabelSelector conversion, and matching compiled once per selector.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { goQuote, goSlice, goStringMap, goStringSlice, goStruct, parseInt64 } from './go.js';
import { badRequest, GoValue } from './status.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

/** selection.Operator values. */
export type Operator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

const binaryOperators: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const validRequirementOperators: readonly Operator[] = [...binaryOperators, 'exists', '!'];

/** A field.Path that may be nil: upstream prints a nil path as `<nil>`. */
type ErrPath = string | null;
const child = (p: ErrPath, name: string): string => (p ? `${p}.${name}` : name);
const show = (p: ErrPath): string => p ?? '<nil>';

/** utilerrors.Aggregate's message: duplicates dropped, several in brackets. */
function aggregate(msgs: string[]): string {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

function keyError(key: string, path: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? `${path}: Invalid value: ${goQuote(key)}: ${errs.join('; ')}` : undefined;
}

/** A label value as the integer Gt and Lt compare, or undefined. */
function intValue(s: string): bigint | undefined {
  const r = parseInt64(s);
  return 'value' in r ? r.value : undefined;
}

/** NewRequirement's checks, as messages. */
function requirementErrors(key: string, op: Operator, values: readonly string[], path: ErrPath): string[] {
  const errs: string[] = [];
  const keyErr = keyError(key, child(path, 'key'));
  if (keyErr) errs.push(keyErr);
  const valuePath = child(path, 'values');
  const invalidValues = (detail: string) => errs.push(`${valuePath}: Invalid value: ${goStringSlice(values)}: ${detail}`);
  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) invalidValues("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) invalidValues('exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) invalidValues('values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) invalidValues("for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (intValue(v) === undefined) {
          errs.push(`${valuePath}[${i}]: Invalid value: ${goQuote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
        }
      });
      break;
    default:
      errs.push(
        `${child(path, 'operator')}: Unsupported value: ${goQuote(op)}: supported values: ${validRequirementOperators.map(goQuote).join(', ')}`,
      );
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(`${valuePath}[${i}][${key}]: Invalid value: ${goQuote(v)}: ${msgs.join('; ')}`);
  });
  return errs;
}

/** labels.NewRequirement: throws 400 BadRequest with upstream's message when the requirement is invalid. */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs = requirementErrors(key, operator, values, null);
  if (errs.length) throw badRequest(aggregate(errs));
  return { key, operator, values };
}

type Matcher = (labels: Labels) => boolean;

// Labels come from JSON, so a missing key reads as undefined or an Object.prototype member, never a string.
function compile(r: Requirement): Matcher {
  const { key, values } = r;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in': {
      if (values.length === 1) {
        const v = values[0];
        return (l) => l[key] === v;
      }
      const set = new Set(values);
      return (l) => {
        const v = l[key];
        return typeof v === 'string' && set.has(v);
      };
    }
    case '!=':
    case 'notin': {
      if (values.length === 1) {
        const v = values[0];
        return (l) => l[key] !== v;
      }
      const set = new Set(values);
      return (l) => {
        const v = l[key];
        return typeof v !== 'string' || !set.has(v);
      };
    }
    case 'exists':
      return (l) => typeof l[key] === 'string';
    case '!':
      return (l) => typeof l[key] !== 'string';
    case 'gt':
    case 'lt': {
      const bound = values.length === 1 ? intValue(values[0]) : undefined;
      if (bound === undefined) return () => false;
      const greater = r.operator === 'gt';
      return (l) => {
        const v = l[key];
        const n = typeof v === 'string' ? intValue(v) : undefined;
        return n !== undefined && (greater ? n > bound : n < bound);
      };
    }
    default:
      return () => false;
  }
}

const operatorText: Record<Operator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

export function requirementString(r: Requirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${operatorText[r.operator]}${set ? `(${values})` : values}`;
}

const byKey = (a: Requirement, b: Requirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const NO_LABELS: Labels = Object.freeze({});

/** A parsed label selector: requirements sorted by key, ANDed. */
export class Selector {
  private readonly matchers: Matcher[];

  private constructor(
    readonly requirements: readonly Requirement[],
    /** False only for the selector that selects nothing (a null metav1 LabelSelector). */
    readonly selectable: boolean,
  ) {
    this.matchers = requirements.map(compile);
  }

  private static readonly EVERYTHING = new Selector([], true);
  private static readonly NOTHING = new Selector([], false);

  static everything(): Selector {
    return Selector.EVERYTHING;
  }

  static nothing(): Selector {
    return Selector.NOTHING;
  }

  /** Requirements are sorted by key here; callers pass them in any order. */
  static of(requirements: readonly Requirement[]): Selector {
    return requirements.length ? new Selector([...requirements].sort(byKey), true) : Selector.EVERYTHING;
  }

  matches(labels: Labels | undefined | null): boolean {
    if (!this.selectable) return false;
    const l = labels ?? NO_LABELS;
    for (const m of this.matchers) if (!m(l)) return false;
    return true;
  }

  /** True when the selector does not restrict anything. */
  empty(): boolean {
    return this.selectable && this.requirements.length === 0;
  }

  add(...requirements: Requirement[]): Selector {
    return this.selectable ? Selector.of([...this.requirements, ...requirements]) : this;
  }

  /** The value `key` must have for a match (from `=`, `==` or a one-value `in`), for index lookups. */
  requiresExactMatch(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== key) continue;
      const exact = r.operator === '=' || r.operator === '==' || r.operator === 'in';
      return exact && r.values.length === 1 ? r.values[0] : undefined;
    }
    return undefined;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

// ---- the selector string syntax ----

const enum Token {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

interface Item {
  tok: Token;
  lit: string;
}

const symbolTokens: Record<string, Token> = {
  ')': Token.ClosedPar,
  ',': Token.Comma,
  '!': Token.DoesNotExist,
  '==': Token.DoubleEquals,
  '=': Token.Equals,
  '>': Token.GreaterThan,
  '<': Token.LessThan,
  '!=': Token.NotEquals,
  '(': Token.OpenPar,
};

const isWhitespace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10;
// = ! ( ) , > <
const isSpecialSymbol = (c: number): boolean => c === 61 || c === 33 || c === 40 || c === 41 || c === 44 || c === 62 || c === 60;

/** The lexer of upstream's parser: NUL ends the input, as Go's byte reader does. */
function lex(s: string): Item[] {
  const items: Item[] = [];
  const at = (i: number): number => (i < s.length ? s.charCodeAt(i) : 0);
  let pos = 0;
  for (;;) {
    while (isWhitespace(at(pos))) pos++;
    const c = at(pos);
    if (c === 0) {
      items.push({ tok: Token.EndOfString, lit: '' });
      return items;
    }
    if (isSpecialSymbol(c)) {
      const two = s.slice(pos, pos + 2);
      const lit = two === '==' || two === '!=' ? two : s[pos];
      items.push({ tok: symbolTokens[lit], lit });
      pos += lit.length;
      continue;
    }
    const start = pos;
    for (let d = c; d !== 0 && !isSpecialSymbol(d) && !isWhitespace(d); d = at(++pos));
    const lit = s.slice(start, pos);
    items.push({ tok: lit === 'in' ? Token.In : lit === 'notin' ? Token.NotIn : Token.Identifier, lit });
  }
}

class ParseError extends Error {}

/** In a values position, `in` and `notin` are plain identifiers (`x in (in)`). */
const enum Context {
  KeyAndOperator,
  Values,
}

class Parser {
  private position = 0;

  constructor(
    private readonly items: Item[],
    private readonly path: ErrPath,
  ) {}

  private peek(ctx: Context, consume: boolean): Item {
    const item = this.items[Math.min(this.position, this.items.length - 1)];
    if (consume) this.position++;
    if (ctx === Context.Values && (item.tok === Token.In || item.tok === Token.NotIn)) return { tok: Token.Identifier, lit: item.lit };
    return item;
  }

  private lookahead(ctx: Context): Item {
    return this.peek(ctx, false);
  }

  private consume(ctx: Context): Item {
    return this.peek(ctx, true);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(Context.Values);
      if (tok === Token.EndOfString) return requirements;
      if (tok !== Token.Identifier && tok !== Token.DoesNotExist) {
        throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof ParseError) throw new ParseError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const next = this.consume(Context.Values);
      if (next.tok === Token.EndOfString) return requirements;
      if (next.tok !== Token.Comma) throw new ParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead(Context.Values);
      if (after.tok !== Token.Identifier && after.tok !== Token.DoesNotExist) {
        throw new ParseError(`found '${after.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(key: string, op: Operator, values: string[]): Requirement {
    const errs = requirementErrors(key, op, values, this.path);
    if (errs.length) throw new ParseError(aggregate(errs));
    return { key, operator: op, values };
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred) return this.requirement(key, inferred, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return this.requirement(key, op, [...values].sort());
  }

  /** A key alone means `exists`; `!key` means does-not-exist. */
  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let op: Operator | undefined;
    let item = this.consume(Context.Values);
    if (item.tok === Token.DoesNotExist) {
      op = '!';
      item = this.consume(Context.Values);
    }
    if (item.tok !== Token.Identifier) throw new ParseError(`found '${item.lit}', expected: identifier`);
    const err = keyError(item.lit, show(this.path));
    if (err) throw new ParseError(err);
    const next = this.lookahead(Context.Values).tok;
    if ((next === Token.EndOfString || next === Token.Comma) && op !== '!') op = 'exists';
    return [item.lit, op];
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(Context.KeyAndOperator);
    switch (tok) {
      case Token.In:
        return 'in';
      case Token.Equals:
        return '=';
      case Token.DoubleEquals:
        return '==';
      case Token.GreaterThan:
        return 'gt';
      case Token.LessThan:
        return 'lt';
      case Token.NotIn:
        return 'notin';
      case Token.NotEquals:
        return '!=';
      default:
        throw new ParseError(`found '${lit}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume(Context.Values);
    if (open.tok !== Token.OpenPar) throw new ParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(Context.Values);
    if (tok === Token.Identifier || tok === Token.Comma) {
      const values = this.parseIdentifiersList();
      if (this.consume(Context.Values).tok !== Token.ClosedPar) throw new ParseError(`found '${lit}', expected: ')'`);
      return values;
    }
    if (tok === Token.ClosedPar) {
      this.consume(Context.Values);
      return new Set(['']);
    }
    throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  /** A comma list in which empty entries are the empty value: `(a,,b)`, `(,a)`. */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(Context.Values);
      if (tok === Token.Identifier) {
        values.add(lit);
        const next = this.lookahead(Context.Values);
        if (next.tok === Token.Comma) continue;
        if (next.tok === Token.ClosedPar) return values;
        throw new ParseError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok !== Token.Comma) throw new ParseError(`found '${lit}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.lookahead(Context.Values).tok;
      if (next === Token.ClosedPar) {
        values.add('');
        return values;
      }
      if (next === Token.Comma) {
        this.consume(Context.Values);
        values.add('');
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(Context.Values).tok;
    if (next === Token.EndOfString || next === Token.Comma) return new Set(['']);
    const { tok, lit } = this.consume(Context.Values);
    if (tok === Token.Identifier) return new Set([lit]);
    throw new ParseError(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: `a=b,c!=d,e in (x,y),f notin (z),g,!h,i>1,j<2`.
 * Throws 400 BadRequest with upstream's message (the apiserver's answer to a bad `labelSelector`).
 */
export function parseSelector(selector: string): Selector {
  return Selector.of(parseRequirements(selector));
}

/** labels.ParseToRequirements, with the error path upstream's callers pass via field.WithPath. */
export function parseRequirements(selector: string, path?: string): Requirement[] {
  try {
    return new Parser(lex(selector), path ?? null).parse();
  } catch (err) {
    if (err instanceof ParseError) throw badRequest(err.message);
    throw err;
  }
}

/** labels.SelectorFromSet: every label must equal; an empty set selects everything. No validation. */
export function selectorFromSet(set: Labels | undefined | null): Selector {
  if (!set) return Selector.everything();
  const reqs: Requirement[] = [];
  for (const key in set) reqs.push({ key, operator: '=', values: [set[key]] });
  return Selector.of(reqs);
}

const expressionOperators = new Map<string, Operator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * metav1.LabelSelectorAsSelector: a null selector selects nothing, an empty one everything.
 * Throws 400 BadRequest with upstream's message for an invalid key, value or operator.
 */
export function selectorFromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (!ls) return Selector.nothing();
  const matchLabels = ls.matchLabels ?? {};
  const expressions = ls.matchExpressions ?? [];
  const reqs: Requirement[] = [];
  for (const key in matchLabels) reqs.push(newRequirement(key, '=', [matchLabels[key]]));
  for (const expr of expressions) {
    const op = expressionOperators.get(expr.operator);
    if (!op) {
      throw badRequest(`${goQuote(expr.operator)} is not a valid label selector operator`);
    }
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return Selector.of(reqs);
}

/** metav1.FormatLabelSelector, as `kubectl describe` shows selectors: `<none>` when empty, `<error>` when invalid. */
export function labelSelectorAsString(ls: LabelSelector | undefined | null): string {
  let text: string;
  try {
    text = selectorFromLabelSelector(ls).toString();
  } catch {
    return '<error>';
  }
  return text || '<none>';
}

/**
 * A *metav1.LabelSelector as upstream's field errors print it, dereferenced %#v:
 * `v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
 * null (printed "null") when there is none.
 */
export function labelSelectorValue(ls: LabelSelector | undefined | null): GoValue | null {
  if (!ls) return null;
  const expressions = ls.matchExpressions?.map((r) =>
    goStruct('v1.LabelSelectorRequirement', [
      ['Key', goQuote(r.key)],
      ['Operator', goQuote(r.operator)],
      ['Values', goStringSlice(r.values)],
    ]),
  );
  return new GoValue(goStruct('v1.LabelSelector', [['MatchLabels', goStringMap(ls.matchLabels)], ['MatchExpressions', goSlice('v1.LabelSelectorRequirement', expressions)]]));
}
