import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertImportRequestBundle,
  assertWrappedKeyBundle,
  ByokError,
  formatErrorLines,
  parseOperatorKeyFile,
} from '@byok-ceremony/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonFile } from '../../src/io/read-input-file.js';

const FUZZ_RUNS = Number(process.env['BYOK_FUZZ_RUNS'] ?? 200);

const fixtureBytes = (name: string): Uint8Array =>
  readFileSync(join(import.meta.dirname, '../../../shared/test/fixtures', name));

/** A well-formed key file with throwaway bytes: only its form is read here. */
function keyFileBytes(): Uint8Array {
  const b64 = (n: number, fill: number) => Buffer.alloc(n, fill).toString('base64');
  const file = {
    format: 'byok-ceremony/operator-key',
    version: 1,
    name: 'ALICE',
    publicKey: b64(44, 1),
    privateKey: {
      ...{ kdf: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: b64(16, 2), cipher: 'aes-256-gcm' },
      ...{ iv: b64(12, 3), ciphertext: b64(48, 4), tag: b64(16, 5) },
    },
  };
  return new TextEncoder().encode(JSON.stringify(file));
}

const readers = [
  ['import request', fixtureBytes('import-request.v1.json'), assertImportRequestBundle],
  ['wrapped-key bundle', fixtureBytes('wrapped-keys.v1.json'), assertWrappedKeyBundle],
  ['operator key', keyFileBytes(), (v: unknown) => parseOperatorKeyFile(v, 'k.json')],
] as const;

/** As the CLIs read a file's bytes: strict UTF-8 JSON, then the format's validator. */
function readAs(bytes: Uint8Array, what: string, assert: (value: unknown) => unknown): void {
  try {
    assert(parseJsonFile(bytes, 'input', what));
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    const e = error as ByokError;
    expect(['ERR_BUNDLE_INVALID', 'ERR_OPERATOR_KEY']).toContain(e.code);
    const lines = formatErrorLines('byok-online', e, false);
    expect(lines[0]).toMatch(/^byok-online: error: \S/);
    expect(lines.filter((l) => l.startsWith('byok-online: hint: '))).toHaveLength(1);
    expect(lines.some((l) => /^\s+at /.test(l))).toBe(false);
  }
}

describe.each(readers)('%s files as raw bytes (fuzz)', (what, valid, assert) => {
  it('refuses any bytes with an error and a hint', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        readAs(bytes, what, assert);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it.runIf(valid !== undefined)(
    'refuses the valid file with bytes changed, added or removed',
    () => {
      const edit = fc.array(
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 2 })),
        {
          minLength: 1,
          maxLength: 6,
        },
      );
      fc.assert(
        fc.property(edit, (edits) => {
          const bytes = [...valid];
          for (const [at, b, op] of edits) {
            const i = at % (bytes.length + 1);
            if (op === 0) bytes[i] = b;
            else if (op === 1) bytes.splice(i, 0, b);
            else bytes.splice(i, 1);
          }
          readAs(Uint8Array.from(bytes), what, assert);
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
  );
});
