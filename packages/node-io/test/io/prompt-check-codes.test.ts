import { Readable } from 'node:stream';
import { ByokError } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { promptCheckCodes } from '../../src/io/prompt-check-codes.js';

function ask(input: string[], operators = ['ALICE', 'BOB']) {
  const prompts: string[] = [];
  const codes = promptCheckCodes(operators, {
    stdin: Readable.from(input.map((s) => Buffer.from(s))),
    stderr: (text) => prompts.push(text),
  });
  return { codes, prompts };
}

describe('promptCheckCodes', () => {
  it('asks each operator in turn and reads one line each, CRLF split across reads included', async () => {
    const { codes, prompts } = ask(['AAAA-BBBB\r', '\nCCCC DDDD  \r\n']);
    expect(await codes).toEqual(['AAAA-BBBB', 'CCCC DDDD']);
    expect(prompts).toEqual([
      'ALICE, type the check code shown on the other machine: ',
      'BOB, type the check code shown on the other machine: ',
    ]);
  });

  it('refuses input that ends before every operator answered, naming who', async () => {
    const { codes, prompts } = ask(['AAAA\n']);
    const error = await codes.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ByokError);
    expect(error).toMatchObject({
      code: 'ERR_CHECK_CODE_REQUIRED',
      message: 'input ended before BOB typed the check code',
    });
    expect(prompts.at(-1)).toBe('\n');
  });
});
