import { quoteForMessage } from './bounded-text.js';

/** Why a text is not strict JSON: bad grammar, a key given twice in one object, or too deep. */
export type StrictJsonProblem = 'syntax' | 'duplicate-key' | 'too-deep';

export class StrictJsonError extends SyntaxError {
  override readonly name = 'StrictJsonError';
  constructor(
    readonly problem: StrictJsonProblem,
    message: string,
    /** Offset in UTF-16 code units of the text where the problem was found. */
    readonly position: number,
  ) {
    super(message);
  }
}

/** Deeper than any bundle, key file or audit entry; a stack-safe bound for hostile input. */
export const STRICT_JSON_MAX_DEPTH = 64;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** Characters a string holds as they are: any from U+0020 but the quote and the backslash. */
const PLAIN_RUN = /[ !#-[\]-\uffff]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function memberPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${quoteForMessage(key)}]`;
}

/**
 * Parses RFC 8259 JSON to the value JSON.parse gives, but refuses what JSON.parse lets pass: a
 * key repeated in one object (JSON.parse keeps the last, so two readers could see two values),
 * and nesting deeper than `maxDepth`. A `__proto__` key becomes an own property, as with
 * JSON.parse, never a prototype. Lone surrogates are kept, as JSON.parse keeps them.
 */
export function parseStrictJson(text: string, maxDepth = STRICT_JSON_MAX_DEPTH): unknown {
  let at = 0;

  // Declarations, not arrow consts: TypeScript narrows after a call only to a declared `never`.
  function fail(problem: StrictJsonProblem, message: string, where = at): never {
    throw new StrictJsonError(problem, message, where);
  }
  function unexpected(): never {
    const found =
      at >= text.length ? 'end of input' : `${JSON.stringify(text[at])} at position ${at}`;
    return fail('syntax', `unexpected ${found}`);
  }

  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      at++;
    }
  };

  const expectWord = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, at)) unexpected();
    at += word.length;
    return value;
  };

  const parseString = (): string => {
    at++; // the opening quote
    let out = '';
    let runStart = at;
    for (;;) {
      // Skip a run of plain characters natively (bundles are mostly long base64 strings).
      PLAIN_RUN.lastIndex = at;
      PLAIN_RUN.test(text);
      at = PLAIN_RUN.lastIndex;
      if (at >= text.length) fail('syntax', 'unterminated string at end of input');
      const c = text.charCodeAt(at);
      if (c === 0x22) {
        out += text.slice(runStart, at);
        at++;
        return out;
      }
      if (c < 0x20) fail('syntax', `unescaped control character in a string at position ${at}`);
      if (c !== 0x5c) {
        at++;
        continue;
      }
      out += text.slice(runStart, at);
      const e = text[at + 1];
      if (e === 'u') {
        const hex = text.slice(at + 2, at + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex))
          fail('syntax', `bad \\u escape in a string at position ${at}`);
        out += String.fromCharCode(parseInt(hex, 16));
        at += 6;
      } else {
        const escaped = e !== undefined && Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : undefined;
        if (escaped === undefined) fail('syntax', `bad escape in a string at position ${at}`);
        out += escaped;
        at += 2;
      }
      runStart = at;
    }
  };

  const parseValue = (path: string, depth: number): unknown => {
    skipSpace();
    const c = text[at];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth)
        fail('too-deep', `JSON nested deeper than ${maxDepth} levels at ${path}`);
      return c === '{' ? parseObject(path, depth + 1) : parseArray(path, depth + 1);
    }
    if (c === '"') return parseString();
    if (c === 't') return expectWord('true', true);
    if (c === 'f') return expectWord('false', false);
    if (c === 'n') return expectWord('null', null);
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number === null) return unexpected();
    at += number[0].length;
    return Number(number[0]);
  };

  const parseArray = (path: string, depth: number): unknown[] => {
    at++;
    const out: unknown[] = [];
    skipSpace();
    if (text[at] === ']') {
      at++;
      return out;
    }
    for (;;) {
      out.push(parseValue(`${path}[${out.length}]`, depth));
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] === ']') {
        at++;
        return out;
      } else unexpected();
    }
  };

  const parseObject = (path: string, depth: number): Record<string, unknown> => {
    at++;
    const out: Record<string, unknown> = {};
    skipSpace();
    if (text[at] === '}') {
      at++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[at] !== '"') unexpected();
      const keyAt = at;
      const key = parseString();
      if (Object.hasOwn(out, key))
        fail(
          'duplicate-key',
          `duplicate key ${quoteForMessage(key)} in the object at ${path}`,
          keyAt,
        );
      skipSpace();
      if (text[at] !== ':') unexpected();
      at++;
      const value = parseValue(memberPath(path, key), depth);
      // An own data property whatever the key: assigning "__proto__" would set the prototype.
      Object.defineProperty(out, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] === '}') {
        at++;
        return out;
      } else unexpected();
    }
  };

  const value = parseValue('$', 0);
  skipSpace();
  if (at < text.length) unexpected();
  return value;
}
