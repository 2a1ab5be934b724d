import { decodeBase64 } from '../encoding/base64.js';
import { quoteForMessage } from '../encoding/bounded-text.js';
import { ByokError } from '../errors.js';

const SHORT_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

/** `$.name`, or `$["a key"]` quoted and shortened when it is not a short identifier. */
function memberPath(path: string, key: string): string {
  return SHORT_IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${quoteForMessage(key)}]`;
}

/** How many problems an error lists; the rest are counted, so a hostile file cannot make it huge. */
export const MAX_LISTED_PROBLEMS = 20;

/** The first MAX_LISTED_PROBLEMS of a list of problems, and a last line counting the rest. */
export function listedProblems(problems: readonly string[]): string[] {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  if (more > 0) listed.push(`… and ${more} more problem(s)`);
  return listed;
}

/**
 * Collects the problems of a document by path, so that one error names them (sigstore-js
 * style) instead of stopping at the first: the first MAX_LISTED_PROBLEMS, and how many in all.
 */
export class FieldChecker {
  private readonly listed: string[] = [];
  /** Every problem found, listed or not. */
  count = 0;

  fail(path: string, problem: string): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(`${path}: ${problem}`);
  }

  /** The listed problems, and a last line counting the ones left out. */
  get problems(): string[] {
    const more = this.count - this.listed.length;
    return more === 0 ? [...this.listed] : [...this.listed, `… and ${more} more problem(s)`];
  }

  object(
    value: unknown,
    path: string,
    allowed: readonly string[],
  ): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'must be an object');
      return undefined;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.fail(memberPath(path, key), 'unknown field');
    }
    for (const key of allowed) {
      if (!(key in record)) this.fail(`${path}.${key}`, 'missing');
    }
    return record;
  }

  /** As object(), where the fields named in `optional` may be left out. */
  objectWith(
    value: unknown,
    path: string,
    required: readonly string[],
    optional: readonly string[],
  ): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'must be an object');
      return undefined;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!required.includes(key) && !optional.includes(key))
        this.fail(memberPath(path, key), 'unknown field');
    }
    for (const key of required) {
      if (!(key in record)) this.fail(`${path}.${key}`, 'missing');
    }
    return record;
  }

  array(value: unknown, path: string, minItems: number): readonly unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.fail(path, 'must be an array');
      return undefined;
    }
    const items: readonly unknown[] = value;
    if (items.length < minItems) this.fail(path, `must have at least ${minItems} item(s)`);
    return items;
  }

  string(value: unknown, path: string, pattern?: RegExp, describe?: string): value is string {
    if (value === undefined) return false; // reported as missing by object()
    if (typeof value !== 'string') {
      this.fail(path, 'must be a string');
      return false;
    }
    if (pattern !== undefined && !pattern.test(value)) {
      this.fail(path, `must be ${describe ?? `a string matching ${pattern.source}`}`);
      return false;
    }
    return true;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): value is T {
    if (value === undefined) return false;
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      this.fail(path, `must be one of ${options.join(', ')}`);
      return false;
    }
    return true;
  }

  constant(value: unknown, path: string, expected: string | number): void {
    if (value !== undefined && value !== expected)
      this.fail(path, `must be ${JSON.stringify(expected)}`);
  }

  /** Strict base64 of a length within [min, max] bytes; returns the decoded bytes. */
  base64(value: unknown, path: string, min: number, max: number): Uint8Array | undefined {
    if (!this.string(value, path)) return undefined;
    const bytes = decodeBase64(value);
    if (bytes === undefined) {
      this.fail(path, 'is not valid base64 (RFC 4648, padded, no whitespace)');
      return undefined;
    }
    if (bytes.length < min || bytes.length > max) {
      this.fail(path, `must decode to ${min}–${max} bytes, got ${bytes.length}`);
      return undefined;
    }
    return bytes;
  }

  throwIfAny(what: string, hint: string): void {
    if (this.count === 0) return;
    const list = this.problems.map((p) => `  ${p}`).join('\n');
    throw new ByokError(
      'ERR_BUNDLE_INVALID',
      `${what} is invalid (${this.count} problem(s)):\n${list}`,
      {
        hint,
        details: this.problems,
      },
    );
  }
}

export const HEX_DIGEST = /^[0-9a-f]{64}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
export const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const MATERIAL_GROUP = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const KCV = /^[0-9A-F]{6}$/;

export function isValidTimestamp(value: string): boolean {
  return RFC3339_UTC.test(value) && !Number.isNaN(Date.parse(value));
}
