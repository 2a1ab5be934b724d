import { ByokError, MIN_PASSPHRASE_LENGTH } from '@byok-ceremony/shared';
import { graphemesOf } from './graphemes.js';
import { readHiddenLine } from './read-hidden-line.js';
import { readInputFile } from './read-input-file.js';

/** Where a prompt asks: stdin (a terminal, or lines in a scripted test) and stderr. */
export interface PromptIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stderr: (text: string) => void;
}

/** Said when a typed passphrase is too short: a prompt asking for a new one asks again. */
export class PassphraseTooShort extends ByokError {}

/** Counted in characters as the operator sees them (graphemes), not in UTF-8 bytes. */
function assertLongEnough(passphrase: Buffer, where: string): void {
  if (graphemesOf(passphrase.toString('utf8')).length < MIN_PASSPHRASE_LENGTH) {
    passphrase.fill(0);
    throw new PassphraseTooShort(
      'ERR_OPERATOR_KEY',
      `${where} is shorter than ${MIN_PASSPHRASE_LENGTH} characters`,
      {
        hint: `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters, e.g. a few unrelated words.`,
      },
    );
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** As the prompt gives it: valid UTF-8, NFC, so a file and a keyboard agree on the same words. */
function nfcPassphrase(bytes: Uint8Array, where: string): Buffer {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new ByokError('ERR_OPERATOR_KEY', `${where} is not valid UTF-8`, {
      hint: 'Save the passphrase file as UTF-8 text.',
    });
  }
  return Buffer.from(text.normalize('NFC'), 'utf8');
}

/**
 * A passphrase file for scripted runs: its first line, without the line end. A regular file
 * only: a FIFO at the path is refused at once rather than waited on.
 */
export async function readPassphraseFile(path: string): Promise<Buffer> {
  const bytes = await readInputFile(path, 'passphrase file', { regularFileOnly: true });
  try {
    let end = bytes.indexOf(0x0a);
    if (end < 0) end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const passphrase = nfcPassphrase(bytes.subarray(0, end), `the passphrase in ${path}`);
    assertLongEnough(passphrase, `the passphrase in ${path}`);
    return passphrase;
  } finally {
    bytes.fill(0);
  }
}

/**
 * Asks on stderr and reads one line from stdin, hidden on a terminal: UTF-8, backspace by
 * character, escape sequences refused, NFC-normalised before it reaches scrypt.
 */
export async function promptPassphrase(prompt: string, io: PromptIo): Promise<Buffer> {
  io.stderr(prompt);
  try {
    const line = await readHiddenLine(io.stdin, {
      what: 'the passphrase',
      code: 'ERR_OPERATOR_KEY',
      endHint: 'Run on a terminal to be asked, or give --passphrase-file for a scripted run.',
    });
    assertLongEnough(line, 'the passphrase');
    return line;
  } finally {
    io.stderr('\n');
  }
}
