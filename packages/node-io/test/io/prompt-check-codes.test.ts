import { PassThrough, Readable } from 'node:stream';
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

/** A terminal as far as the prompt can tell: isTTY and setRawMode, which it records. */
class FakeTerminal extends PassThrough {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

describe('promptCheckCodes', () => {
  it('asks each operator in turn and reads one line each, CRLF split across reads included', async () => {
    const { codes, prompts } = ask(['AAAA-BBBB\r', '\nCCCC DDDD  \r\n']);
    expect(await codes).toEqual(['AAAA-BBBB', 'CCCC DDDD']);
    expect(prompts).toEqual([
      'ALICE, type the check code shown on the other machine: ',
      '\n',
      'BOB, type the check code shown on the other machine: ',
      '\n',
    ]);
  });

  it('leaves the rest of one chunk to the next operator, as a pipe written at once gives it', async () => {
    const stdin = new PassThrough();
    stdin.end('AAAA-BBBB\nCCCC DDDD\n');
    const codes = promptCheckCodes(['ALICE', 'BOB'], { stdin, stderr: () => undefined });
    expect(await codes).toEqual(['AAAA-BBBB', 'CCCC DDDD']);
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
      message: "input ended before BOB's check code was typed",
    });
    expect(prompts.at(-1)).toBe('\n');
  });

  it('on a terminal, reads each code in raw mode and shows nothing of what is typed', async () => {
    const terminal = new FakeTerminal();
    const shown: string[] = [];
    const codes = promptCheckCodes(['ALICE', 'BOB'], {
      stdin: terminal,
      stderr: (text) => {
        shown.push(text);
        // Each operator types after their own prompt, keystroke by keystroke, Enter as CR.
        if (text.endsWith(': ')) {
          const code = text.startsWith('ALICE') ? '7K2M-Q9XD' : '7k2mq9xd';
          setImmediate(() => {
            for (const ch of `${code}\r`) terminal.write(ch);
          });
        }
      },
    });
    expect(await codes).toEqual(['7K2M-Q9XD', '7k2mq9xd']);
    expect(terminal.rawModes).toEqual([true, false, true, false]);
    const screen = shown.join('');
    expect(screen.toUpperCase().replace(/[^0-9A-Z]/g, '')).not.toContain('7K2MQ9XD');
    expect(shown).toEqual([
      'ALICE, type the check code shown on the other machine: ',
      '\n',
      'BOB, type the check code shown on the other machine: ',
      '\n',
    ]);
  });
});
