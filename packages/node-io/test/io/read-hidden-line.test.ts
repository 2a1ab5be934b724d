import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ByokError } from '@byok-ceremony/shared';
import { describe, expect, it } from 'vitest';
import { promptPassphrase, readPassphraseFile } from '../../src/io/operator-key-passphrase.js';

class FakeTerminal extends PassThrough {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}

const BACKSPACE = '\x7f';

/** Types `keys` into a fake terminal, one write per keystroke (a character's bytes together). */
async function typePassphrase(keys: readonly string[]) {
  const terminal = new FakeTerminal();
  const shown: string[] = [];
  const result = promptPassphrase('passphrase: ', {
    stdin: terminal,
    stderr: (t) => shown.push(t),
  });
  for (const key of keys) terminal.write(Buffer.from(key, 'utf8'));
  const outcome = await result.then(
    (passphrase): { passphrase?: Buffer; error?: unknown } => ({ passphrase }),
    (error: unknown): { passphrase?: Buffer; error?: unknown } => ({ error }),
  );
  return { ...outcome, shown, terminal };
}

describe('the passphrase prompt', () => {
  it('takes back a whole character with backspace, however many bytes it has', async () => {
    const { passphrase, shown, terminal } = await typePassphrase([
      ...'grüne Wörter',
      'é',
      BACKSPACE,
      '👍🏽',
      BACKSPACE,
      'x',
      BACKSPACE,
      ...' im Wald',
      '\r',
    ]);
    expect(passphrase?.toString('utf8')).toBe('grüne Wörter im Wald');
    expect(terminal.rawModes).toEqual([true, false]);
    expect(shown).toEqual(['passphrase: ', '\n']);
  });

  it('gives the same bytes for a decomposed and a precomposed ü (NFC before scrypt)', async () => {
    const nfd = await typePassphrase([...'gru\u0308ne Wörter im Wald', '\r']);
    const nfc = await typePassphrase([...'grüne Wörter im Wald', '\r']);
    expect(nfd.passphrase).toEqual(nfc.passphrase);
    expect(nfc.passphrase).toEqual(Buffer.from('gr\u00fcne W\u00f6rter im Wald', 'utf8'));
  });

  it('refuses arrow keys and other escape sequences with a clear error', async () => {
    const { error, terminal } = await typePassphrase([...'grüne Wörter', '\x1b[D', '\r']);
    expect(error).toBeInstanceOf(ByokError);
    expect(error).toMatchObject({
      code: 'ERR_OPERATOR_KEY',
      message: 'the passphrase cannot contain escape sequences (arrow, function or editing keys)',
    });
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('refuses bytes that are not UTF-8, and Ctrl-C', async () => {
    const terminal = new FakeTerminal();
    const bad = promptPassphrase('p: ', { stdin: terminal, stderr: () => undefined });
    terminal.write(Buffer.from([0x61, 0xff, 0x0d]));
    await expect(bad).rejects.toMatchObject({ message: 'the passphrase is not valid UTF-8' });
    const interrupted = await typePassphrase([...'grüne', '\x03']);
    expect(interrupted.error).toMatchObject({
      message: 'interrupted while the passphrase was typed',
      hint: expect.stringMatching(/^Ctrl-C stopped the command/),
    });
  });

  it('counts the minimum length in characters, not bytes', async () => {
    // 11 characters, 22 bytes: too short although its bytes are many.
    const { error } = await typePassphrase([...'ääääääääääá', '\r']);
    expect(error).toMatchObject({ message: expect.stringMatching(/shorter than 12 characters/) });
  });

  it('reads a passphrase file as UTF-8 and NFC-normalises it too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byok-pass-'));
    try {
      writeFileSync(join(dir, 'nfd.txt'), 'gru\u0308ne Wörter im Wald\n');
      expect(await readPassphraseFile(join(dir, 'nfd.txt'))).toEqual(
        Buffer.from('gr\u00fcne W\u00f6rter im Wald', 'utf8'),
      );
      writeFileSync(join(dir, 'latin1.txt'), Buffer.from('gr\xfcne W\xf6rter im Wald\n', 'latin1'));
      await expect(readPassphraseFile(join(dir, 'latin1.txt'))).rejects.toMatchObject({
        message: expect.stringMatching(/is not valid UTF-8/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
