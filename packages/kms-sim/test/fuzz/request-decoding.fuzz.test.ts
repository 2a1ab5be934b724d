import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KmsError } from '../../src/errors.js';
import { OPERATIONS, SHAPES } from '../../src/model/kms-model.js';
import { verifySigV4 } from '../../src/protocol/sigv4.js';
import { validateInput } from '../../src/protocol/validate.js';
import { parseBody } from '../../src/protocol/wire.js';
import { REHEARSAL_CREDENTIALS } from '../../src/index.js';

const numRuns = Number(process.env.BYOK_FUZZ_RUNS ?? 200);

const OPERATION_INPUTS = Object.values(OPERATIONS)
  .map((operation) => operation.input)
  .filter((input): input is string => input !== undefined);

/** Every failure must be a KMS error the server answers as JSON, never anything that crashes it. */
function decodes(shape: string, body: Buffer): void {
  try {
    validateInput(shape, parseBody(body));
  } catch (error) {
    if (!(error instanceof KmsError)) throw error;
    expect(['SerializationException', 'ValidationException']).toContain(error.type);
    expect(error.message.length).toBeLessThan(64 * 1024);
  }
}

/** Values shaped like a member of the model: right names, any JSON in them. */
function nearValid(shape: string, depth: number): fc.Arbitrary<unknown> {
  const model = SHAPES[shape]!;
  if (depth > 3 || model.type !== 'structure') {
    return fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(...(model.enum ?? ['x'])),
      fc.base64String({ maxLength: 64 }),
      fc.double(),
      fc.integer(),
    );
  }
  const members = Object.entries(model.members ?? {});
  return fc.record(
    Object.fromEntries(members.map(([name, member]) => [name, nearValid(member, depth + 1)])),
    { requiredKeys: [] },
  );
}

describe('fuzz: KMS request decoding and validation', () => {
  it('answers any bytes with a typed KMS error or a decoded input', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPERATION_INPUTS),
        fc.uint8Array({ maxLength: 512 }),
        (shape, bytes) => {
          decodes(shape, Buffer.from(bytes));
        },
      ),
      { numRuns },
    );
  });

  it('answers any JSON with a typed KMS error or a decoded input', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPERATION_INPUTS),
        fc.jsonValue({ maxDepth: 6 }),
        (shape, value) => {
          decodes(shape, Buffer.from(JSON.stringify(value) ?? 'null'));
        },
      ),
      { numRuns },
    );
  });

  it('answers members of the right names with any values as typed KMS errors', () => {
    const cases = fc
      .constantFrom(...OPERATION_INPUTS)
      .chain((shape) => fc.tuple(fc.constant(shape), nearValid(shape, 0)));
    fc.assert(
      fc.property(cases, ([shape, value]) => {
        decodes(shape, Buffer.from(JSON.stringify(value) ?? '{}'));
      }),
      { numRuns },
    );
  });

  it('answers deep nesting and huge member counts without overflowing the stack', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPERATION_INPUTS),
        fc.integer({ min: 1, max: 20_000 }),
        (shape, depth) => {
          decodes(shape, Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`));
          decodes(shape, Buffer.from(`{"KeyId":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`));
        },
      ),
      { numRuns: Math.max(10, Math.floor(numRuns / 10)) },
    );
    const manyMembers = `{${Array.from({ length: 50_000 }, (_, i) => `"m${i}":${i}`).join(',')}}`;
    for (const shape of OPERATION_INPUTS) decodes(shape, Buffer.from(manyMembers));
  });

  it('answers any Authorization and signing headers with a typed KMS error', async () => {
    const credentials = new Map([[REHEARSAL_CREDENTIALS.accessKeyId, REHEARSAL_CREDENTIALS]]);
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .tuple(
          fc.constantFrom(REHEARSAL_CREDENTIALS.accessKeyId, 'AKIDX'),
          fc.stringMatching(/^\d{8}$/),
          fc.constantFrom('eu-west-2', 'us-east-1'),
          fc.constantFrom('kms', 's3'),
          fc.stringMatching(/^[a-z0-9;-]{0,60}$/),
          fc.stringMatching(/^[0-9a-f]{64}$/),
        )
        .map(
          ([id, date, region, service, signed, signature]) =>
            `AWS4-HMAC-SHA256 Credential=${id}/${date}/${region}/${service}/aws4_request, SignedHeaders=${signed}, Signature=${signature}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.option(header, { nil: undefined }),
        fc.option(fc.oneof(fc.stringMatching(/^\d{8}T\d{6}Z$/), fc.string({ maxLength: 20 })), {
          nil: undefined,
        }),
        fc.dictionary(fc.stringMatching(/^[a-z-]{1,20}$/), fc.string({ maxLength: 40 }), {
          maxKeys: 5,
        }),
        fc.uint8Array({ maxLength: 64 }),
        async (authorization, amzDate, extra, body) => {
          const headers = {
            ...extra,
            ...(authorization === undefined ? {} : { authorization }),
            ...(amzDate === undefined ? {} : { 'x-amz-date': amzDate }),
          };
          try {
            await verifySigV4(
              { method: 'POST', url: '/', headers, body: Buffer.from(body) },
              credentials,
              'eu-west-2',
              new Date(),
            );
          } catch (error) {
            if (!(error instanceof KmsError)) throw error;
          }
        },
      ),
      { numRuns },
    );
  });
});
