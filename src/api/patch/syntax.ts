// The message Go's encoding/json gives for malformed JSON ("invalid character 'x' looking
// for beginning of value", "unexpected end of JSON input"). kube-apiserver returns it in
// the 400 for an undecodable JSON or strategic merge patch. Only run after JSON.parse has
// failed, so the walk costs nothing on good input.

type Step = (c: string) => string | undefined;

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** A character as Go's scanner quotes it in messages. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const escapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\' };
  if (escapes[c]) return `'${escapes[c]}'`;
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

const invalid = (c: string, context: string): string => `invalid character ${quoteChar(c)} ${context}`;

/** Go's syntax error for `text`, or undefined when it is valid JSON. */
export function goJSONSyntaxError(text: string): string | undefined {
  // The scanner's stack of open containers: true for an object (key or value position tracked by `inKey`).
  const stack: { object: boolean; inKey: boolean }[] = [];
  let step: Step;
  let done = false;

  const endValue: Step = (c) => {
    const top = stack[stack.length - 1];
    if (!top) {
      done = true;
      step = endTop;
      return endTop(c);
    }
    if (isSpace(c)) return undefined;
    if (top.object && top.inKey) {
      if (c !== ':') return invalid(c, 'after object key');
      top.inKey = false;
      step = beginValue;
      return undefined;
    }
    if (top.object) {
      if (c === ',') {
        top.inKey = true;
        step = beginString;
        return undefined;
      }
      if (c !== '}') return invalid(c, 'after object key:value pair');
    } else {
      if (c === ',') {
        step = beginValue;
        return undefined;
      }
      if (c !== ']') return invalid(c, 'after array element');
    }
    stack.pop();
    done = stack.length === 0;
    step = endValue;
    return undefined;
  };
  const endTop: Step = (c) => (isSpace(c) ? undefined : invalid(c, 'after top-level value'));
  const finish = (): void => {
    step = endValue;
    done = stack.length === 0;
  };

  const literal = (word: string, at: number): Step => (c) => {
    if (c !== word[at]) return invalid(c, `in literal ${word} (expecting ${quoteChar(word[at])})`);
    if (at === word.length - 1) finish();
    else step = literal(word, at + 1);
    return undefined;
  };
  const inString: Step = (c) => {
    if (c === '"') finish();
    else if (c === '\\') step = inEscape;
    else if (c.charCodeAt(0) < 0x20) return invalid(c, 'in string literal');
    return undefined;
  };
  const inEscape: Step = (c) => {
    if ('bfnrt\\/"'.includes(c)) step = inString;
    else if (c === 'u') step = hexDigit(0);
    else return invalid(c, 'in string escape code');
    return undefined;
  };
  const hexDigit = (n: number): Step => (c) => {
    if (!isHex(c)) return invalid(c, 'in \\u hexadecimal character escape');
    step = n === 3 ? inString : hexDigit(n + 1);
    return undefined;
  };
  // Numbers end at the first character that cannot continue them, which endValue then judges.
  const numberEnd = (c: string): string | undefined => {
    finish();
    return step(c);
  };
  const afterSign: Step = (c) => {
    if (c === '0') step = afterZero;
    else if (isDigit(c)) step = inInteger;
    else return invalid(c, 'in numeric literal');
    return undefined;
  };
  const inInteger: Step = (c) => (isDigit(c) ? undefined : afterZero(c));
  const afterZero: Step = (c) => {
    if (c === '.') step = afterDot;
    else if (c === 'e' || c === 'E') step = afterE;
    else return numberEnd(c);
    return undefined;
  };
  const afterDot: Step = (c) => {
    if (!isDigit(c)) return invalid(c, 'after decimal point in numeric literal');
    step = inFraction;
    return undefined;
  };
  const inFraction: Step = (c) => {
    if (isDigit(c)) return undefined;
    if (c === 'e' || c === 'E') {
      step = afterE;
      return undefined;
    }
    return numberEnd(c);
  };
  const afterE: Step = (c) => {
    if (c === '+' || c === '-') {
      step = afterESign;
      return undefined;
    }
    return afterESign(c);
  };
  const afterESign: Step = (c) => {
    if (!isDigit(c)) return invalid(c, 'in exponent of numeric literal');
    step = inExponent;
    return undefined;
  };
  const inExponent: Step = (c) => (isDigit(c) ? undefined : numberEnd(c));

  const beginValue: Step = (c) => {
    if (isSpace(c)) return undefined;
    done = false;
    switch (c) {
      case '{':
        stack.push({ object: true, inKey: true });
        step = beginStringOrEmpty;
        return undefined;
      case '[':
        stack.push({ object: false, inKey: false });
        step = beginValueOrEmpty;
        return undefined;
      case '"':
        step = inString;
        return undefined;
      case '-':
        step = afterSign;
        return undefined;
      case '0':
        step = afterZero;
        return undefined;
      case 't':
        step = literal('true', 1);
        return undefined;
      case 'f':
        step = literal('false', 1);
        return undefined;
      case 'n':
        step = literal('null', 1);
        return undefined;
    }
    if (isDigit(c)) {
      step = inInteger;
      return undefined;
    }
    return invalid(c, 'looking for beginning of value');
  };
  const beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return undefined;
    if (c === ']') return endValue(c);
    return beginValue(c);
  };
  const beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return undefined;
    if (c === '}') {
      stack[stack.length - 1].inKey = false;
      return endValue(c);
    }
    return beginString(c);
  };
  const beginString: Step = (c) => {
    if (isSpace(c)) return undefined;
    if (c !== '"') return invalid(c, 'looking for beginning of object key string');
    step = inString;
    return undefined;
  };

  step = beginValue;
  for (const c of text) {
    const err = step(c);
    if (err) return err;
  }
  // Like Go's scanner, end the input with a space: it completes a number or exposes a cut-off literal.
  const err = step(' ');
  if (err) return err;
  return done ? undefined : 'unexpected end of JSON input';
}
