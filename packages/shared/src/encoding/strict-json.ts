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

/** `$`, then `.key`, `["odd key"]` or `[index]` per step: the path an error message names. */
function pathOf(steps: readonly (string | number)[]): string {
  let path = '$';
  for (const step of steps)
    path +=
      typeof step === 'number'
        ? `[${step}]`
        : IDENTIFIER.test(step)
          ? `.${step}`
          : `[${quoteForMessage(step)}]`;
  return path;
}

/**
 * The parser's state machine: one method per token, reading `text` from `at`. A class, not
 * closures, so each step is a short function and V8 keeps the calls monomorphic.
 */
class StrictJsonReader {
  at = 0;
  /**
   * The keys and indexes from the root to the value being read. Only an error message names
   * the path, so it is kept as steps and made into text only then: building it for every value
   * was most of the reader's garbage.
   */
  readonly steps: (string | number)[] = [];
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  fail(problem: StrictJsonProblem, message: string, where = this.at): never {
    throw new StrictJsonError(problem, message, where);
  }

  unexpected(): never {
    const { text, at } = this;
    const found =
      at >= text.length ? 'end of input' : `${JSON.stringify(text[at])} at position ${at}`;
    return this.fail('syntax', `unexpected ${found}`);
  }

  skipSpace(): void {
    const { text } = this;
    let at = this.at;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      at++;
    }
    this.at = at;
  }

  word(word: string, value: unknown): unknown {
    if (!this.text.startsWith(word, this.at)) this.unexpected();
    this.at += word.length;
    return value;
  }

  number(): number {
    NUMBER.lastIndex = this.at;
    const number = NUMBER.exec(this.text);
    if (number === null) return this.unexpected();
    this.at += number[0].length;
    return Number(number[0]);
  }

  /** One escape sequence at `at` (a backslash), decoded. */
  escape(): string {
    const { text, at } = this;
    const e = text[at + 1];
    if (e === 'u') {
      const hex = text.slice(at + 2, at + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex))
        this.fail('syntax', `bad \\u escape in a string at position ${at}`);
      this.at += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    const escaped = e !== undefined && Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : undefined;
    if (escaped === undefined) this.fail('syntax', `bad escape in a string at position ${at}`);
    this.at += 2;
    return escaped;
  }

  string(): string {
    const { text } = this;
    this.at++; // the opening quote
    let out = '';
    let runStart = this.at;
    for (;;) {
      // Skip a run of plain characters natively (bundles are mostly long base64 strings).
      PLAIN_RUN.lastIndex = this.at;
      PLAIN_RUN.test(text);
      const at = (this.at = PLAIN_RUN.lastIndex);
      if (at >= text.length) this.fail('syntax', 'unterminated string at end of input');
      const c = text.charCodeAt(at);
      if (c === 0x22) {
        this.at++;
        return out + text.slice(runStart, at);
      }
      if (c < 0x20)
        this.fail('syntax', `unescaped control character in a string at position ${at}`);
      if (c !== 0x5c) {
        this.at++;
        continue;
      }
      out += text.slice(runStart, at) + this.escape();
      runStart = this.at;
    }
  }

  value(depth: number): unknown {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '{' || c === '[') {
      if (depth >= this.maxDepth)
        this.fail(
          'too-deep',
          `JSON nested deeper than ${this.maxDepth} levels at ${pathOf(this.steps)}`,
        );
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"') return this.string();
    if (c === 't') return this.word('true', true);
    if (c === 'f') return this.word('false', false);
    if (c === 'n') return this.word('null', null);
    return this.number();
  }

  /** After an item: true at the container's end, false after a comma. */
  endOrComma(close: string): boolean {
    this.skipSpace();
    const c = this.text[this.at];
    if (c !== ',' && c !== close) this.unexpected();
    this.at++;
    return c === close;
  }

  array(depth: number): unknown[] {
    this.at++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    const { steps } = this;
    const step = steps.length;
    do {
      steps[step] = out.length;
      out.push(this.value(depth));
      steps.length = step;
    } while (!this.endOrComma(']'));
    return out;
  }

  /** One `"key": value` of an object into out; a key given twice is refused. */
  member(out: Record<string, unknown>, depth: number): void {
    this.skipSpace();
    if (this.text[this.at] !== '"') this.unexpected();
    const keyAt = this.at;
    const key = this.string();
    if (Object.hasOwn(out, key))
      this.fail(
        'duplicate-key',
        `duplicate key ${quoteForMessage(key)} in the object at ${pathOf(this.steps)}`,
        keyAt,
      );
    this.skipSpace();
    if (this.text[this.at] !== ':') this.unexpected();
    this.at++;
    const { steps } = this;
    const step = steps.length;
    steps[step] = key;
    const value = this.value(depth);
    steps.length = step;
    // An own data property whatever the key. Only "__proto__" needs defineProperty (assigning it
    // would set the prototype; every other property of Object.prototype is a plain data property,
    // so assignment makes an own one), and defineProperty for every member cost more than the rest
    // of reading the member.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    else out[key] = value;
  }

  object(depth: number): Record<string, unknown> {
    this.at++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    do this.member(out, depth);
    while (!this.endOrComma('}'));
    return out;
  }
}

/**
 * Parses RFC 8259 JSON to the value JSON.parse gives, but refuses what JSON.parse lets pass: a
 * key repeated in one object (JSON.parse keeps the last, so two readers could see two values),
 * and nesting deeper than `maxDepth`. A `__proto__` key becomes an own property, as with
 * JSON.parse, never a prototype. Lone surrogates are kept, as JSON.parse keeps them.
 */
export function parseStrictJson(text: string, maxDepth = STRICT_JSON_MAX_DEPTH): unknown {
  const reader = new StrictJsonReader(text, maxDepth);
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.at < text.length) reader.unexpected();
  return value;
}
