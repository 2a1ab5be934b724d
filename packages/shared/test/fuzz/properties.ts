import fc from 'fast-check';
import { expect } from 'vitest';
import { formatErrorLines } from '../../src/cli/format-error.js';
import { ByokError } from '../../src/errors.js';

/** Generated inputs per property: small in `npm test`, 100,000 in `npm run fuzz`. */
export const FUZZ_RUNS = Number(process.env['BYOK_FUZZ_RUNS'] ?? 200);

/** Runs a property with the run count of this mode; a failure prints its seed and shrunk input. */
export function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  fc.assert(fc.property(arbitrary, predicate), { numRuns: FUZZ_RUNS });
}

/**
 * The input is accepted, or refused as the tools refuse input: a ByokError with one of the
 * expected codes and a hint, rendered as `error:` and `hint:` lines without a stack trace.
 */
export function acceptedOrRefused<T>(
  run: () => T,
  codes: readonly ByokError['code'][],
): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ByokError)) throw error;
    expect(codes).toContain(error.code);
    expect(error.hint).toMatch(/\S/);
    const lines = formatErrorLines('byok-offline', error, false);
    expect(lines[0]).toMatch(/^byok-offline: error: \S/);
    expect(lines.filter((l) => l.startsWith('byok-offline: hint: '))).toHaveLength(1);
    expect(lines.some((l) => /^\s+at /.test(l))).toBe(false);
    expect(lines.length).toBeLessThanOrEqual(42);
    return undefined;
  }
}

/** Values a hostile writer likes: huge and odd numbers, unicode, deep nesting, big strings. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    1e300,
    -1e300,
    2 ** 53,
    2 ** 53 + 2,
    8.64e12 + 1,
    -1,
    0.5,
    '',
    '__proto__',
    'constructor',
    '\u0000',
    '\ud800',
    '../../x',
    '9999-12-31T23:59:59Z',
    '275760-09-13T00:00:00Z',
    'arn:aws:kms:eu-west-2:111122223333:key/../../x',
  ),
  fc.double(),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.base64String({ maxLength: 80 }),
  fc.nat({ max: 100_000 }).map((n) => 'A'.repeat(n)),
  fc.boolean(),
  fc.constant(null),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 500 })
      .map((depth) => Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 0)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 500 })
      .map((depth) => Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), 0)),
  },
  {
    weight: 1,
    arbitrary: fc
      .nat({ max: 5000 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, i]))),
  },
);

type Mutation = {
  readonly seed: number;
  readonly op: 'replace' | 'delete' | 'add';
  readonly value: unknown;
  readonly key: string;
};

const mutation: fc.Arbitrary<Mutation> = fc.record({
  seed: fc.nat(),
  op: fc.constantFrom('replace' as const, 'delete' as const, 'add' as const),
  value: hostileValue,
  key: fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('__proto__', 'format', 'targets', 'keyArn'),
  ),
});

/** Every container of `value`, depth first, without recursion (values nest thousands deep). */
function containers(value: unknown): (Record<string, unknown> | unknown[])[] {
  const out: (Record<string, unknown> | unknown[])[] = [];
  const stack = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'object' && next !== null) {
      out.push(next as Record<string, unknown> | unknown[]);
      for (const child of Object.values(next)) stack.push(child);
    }
  }
  return out;
}

function applyMutation(root: unknown, m: Mutation): unknown {
  const all = containers(root);
  const target = all[m.seed % all.length];
  if (target === undefined) return m.value;
  const keys = Object.keys(target);
  const key = keys.length === 0 ? m.key : keys[Math.floor(m.seed / all.length) % keys.length]!;
  if (Array.isArray(target)) {
    // An array only ever has index keys: an empty one takes the value as its first element.
    const i = keys.length === 0 ? 0 : Number(key);
    if (m.op === 'delete') target.splice(i, 1);
    else if (m.op === 'add') target.push(structuredClone(m.value));
    else target[i] = structuredClone(m.value);
  } else if (m.op === 'delete') delete target[key];
  else
    Object.defineProperty(target, m.op === 'add' ? m.key : key, {
      value: structuredClone(m.value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return root;
}

/** A valid document changed by one to four random mutations. */
export function mutationsOf(valid: unknown): fc.Arbitrary<unknown> {
  return fc
    .array(mutation, { minLength: 1, maxLength: 4 })
    .map((ms) => ms.reduce((doc, m) => applyMutation(doc, m), structuredClone(valid)));
}
