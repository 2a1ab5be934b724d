import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertImportRequestBundle } from '../../src/bundle/assert-import-request.js';
import { assertWrappedKeyBundle } from '../../src/bundle/assert-wrapped-keys.js';
import { canonicalJson } from '../../src/digest/canonical-json.js';
import { parseStrictJson } from '../../src/encoding/strict-json.js';
import { ByokError } from '../../src/errors.js';
import { acceptedOrRefused, check, hostileValue, mutationsOf } from './properties.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));

const kinds = [
  ['import request', fixture('import-request.v1.json'), assertImportRequestBundle],
  ['wrapped-key bundle', fixture('wrapped-keys.v1.json'), assertWrappedKeyBundle],
] as const;

/** As a reader takes a bundle file: strict JSON, then the bundle's validator. */
function readBundle(text: string, assert: (value: unknown) => void): unknown {
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    throw new ByokError('ERR_BUNDLE_INVALID', `not JSON: ${(error as Error).message}`, {
      hint: 'give the file as written',
    });
  }
  assert(value);
  return value;
}

describe.each(kinds)('%s JSON (fuzz)', (_, valid, assert) => {
  it('accepts the valid bundle, and its JSON and canonical JSON round-trip', () => {
    for (const text of [
      JSON.stringify(valid),
      canonicalJson(valid),
      JSON.stringify(valid, null, 2),
    ])
      expect(readBundle(text, assert)).toStrictEqual(valid);
  });

  it('refuses any mutation with ERR_BUNDLE_INVALID and a hint, or accepts a still valid bundle', () => {
    check(mutationsOf(valid), (doc) => {
      const text = JSON.stringify(doc);
      const read = acceptedOrRefused(() => readBundle(text, assert), ['ERR_BUNDLE_INVALID']);
      // What is accepted is exactly what was written.
      if (read !== undefined) expect(canonicalJson(read)).toBe(canonicalJson(JSON.parse(text)));
    });
  });

  it('refuses any hostile value in place of the bundle', () => {
    check(hostileValue, (doc) => {
      const text = JSON.stringify(doc) ?? 'undefined';
      acceptedOrRefused(() => readBundle(text, assert), ['ERR_BUNDLE_INVALID']);
    });
  });
});
