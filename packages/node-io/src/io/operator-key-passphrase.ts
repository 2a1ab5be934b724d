import { ByokError, MIN_PASSPHRASE_LENGTH } from '@byok-ceremony/shared';
import { readInputFile } from './read-input-file.js';

interface TerminalInput extends NodeJS.ReadableStream {
  setRawMode?: (mode: boolean) => unknown;
}

function assertLongEnough(passphrase: Buffer, where: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    passphrase.fill(0);
    throw new ByokError(
      'ERR_OPERATOR_KEY',
      `${where} is shorter than ${MIN_PASSPHRASE_LENGTH} characters`,
      {
        hint: `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters, e.g. a few unrelated words.`,
      },
    );
  }
}

/** A passphrase file for scripted runs: its first line, without the line end. */
export async function readPassphraseFile(path: string): Promise<Buffer> {
  const bytes = await readInputFile(path, 'passphrase file');
  try {
    let end = bytes.indexOf(0x0a);
    if (end < 0) end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const passphrase = Buffer.from(bytes.subarray(0, end));
    assertLongEnough(passphrase, `the passphrase in ${path}`);
    return passphrase;
  } finally {
    bytes.fill(0);
  }
}

/** Asks on stderr and reads one line from stdin without echo when stdin is a terminal. */
export async function promptPassphrase(
  prompt: string,
  io: { readonly stdin: NodeJS.ReadableStream; readonly stderr: (text: string) => void },
): Promise<Buffer> {
  const input = io.stdin as TerminalInput;
  io.stderr(prompt);
  input.setRawMode?.(true);
  try {
    const line = await new Promise<Buffer>((resolve, reject) => {
      const typed: number[] = [];
      const onData = (data: Buffer | string): void => {
        const chunk = typeof data === 'string' ? Buffer.from(data) : data;
        let done: number | undefined;
        for (const [i, b] of chunk.entries()) {
          if (b === 0x0a || b === 0x0d || b === 0x03 || b === 0x04) {
            done = b;
            // Piped input may carry the next answer in the same chunk; leave it for the next prompt.
            const rest = chunk.subarray(b === 0x0d && chunk[i + 1] === 0x0a ? i + 2 : i + 1);
            if (rest.length > 0) io.stdin.unshift(Buffer.from(rest));
            break;
          }
          // A raw terminal sends backspace as a byte; it takes back the last one typed.
          if (b === 0x7f || b === 0x08) typed.pop();
          else typed.push(b);
        }
        chunk.fill(0);
        if (done === undefined) return;
        cleanup();
        const passphrase = Buffer.from(typed);
        typed.fill(0);
        if (done === 0x03) {
          passphrase.fill(0);
          reject(new ByokError('ERR_OPERATOR_KEY', 'interrupted at the passphrase prompt'));
        } else {
          resolve(passphrase);
        }
      };
      const onEnd = (): void => {
        cleanup();
        reject(
          new ByokError('ERR_OPERATOR_KEY', 'input ended before the passphrase was typed', {
            hint: 'Run on a terminal to be asked, or give --passphrase-file for a scripted run.',
          }),
        );
      };
      const cleanup = (): void => {
        io.stdin.off('data', onData);
        io.stdin.off('end', onEnd);
        io.stdin.pause();
      };
      io.stdin.on('data', onData);
      io.stdin.on('end', onEnd);
      io.stdin.resume();
    });
    assertLongEnough(line, 'the passphrase');
    return line;
  } finally {
    input.setRawMode?.(false);
    io.stderr('\n');
  }
}
