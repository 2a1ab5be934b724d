import { ByokError, type ByokErrorCode } from '@byok-ceremony/shared';
import { graphemesOf } from './graphemes.js';

interface TerminalInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export interface HiddenLineOptions {
  /** What is being typed, for the errors: `the passphrase`, `the check code`. */
  readonly what: string;
  readonly code: ByokErrorCode;
  /** The hint when input ends before the line does. */
  readonly endHint: string;
}

const ENTER = new Set([0x0a, 0x0d, 0x04]);
const BACKSPACE = new Set([0x7f, 0x08]);
const CTRL_C = 0x03;
const ESC = 0x1b;

/** Streams whose last line ended in CR: an LF that starts their next chunk belongs to that line. */
const endedInCr = new WeakSet<NodeJS.ReadableStream>();

/** How many continuation bytes a UTF-8 lead byte announces; -1 for a byte that cannot lead. */
function continuationBytes(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return -1;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One line from stdin, never echoed: on a terminal in raw mode (the terminal shows nothing, and
 * this writes nothing of what is typed), from a pipe as it comes. UTF-8 throughout: backspace
 * takes back the last whole character (grapheme), an escape sequence (arrow or function keys)
 * or another control character is refused, and the line is returned NFC-normalised, so the
 * same words typed on two keyboards give the same bytes. The caller zeroes the Buffer.
 * Limit: JavaScript strings made on the way (backspace, NFC) cannot be zeroed.
 */
export async function readHiddenLine(
  stdin: NodeJS.ReadableStream,
  options: HiddenLineOptions,
): Promise<Buffer> {
  const input = stdin as TerminalInput;
  const raw = input.isTTY === true && typeof input.setRawMode === 'function';
  if (raw) input.setRawMode!(true);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      let typed = Buffer.alloc(0);
      let pending: number[] = [];
      let expect = 0;
      const fail = (message: string, hint?: string): void => {
        cleanup();
        typed.fill(0);
        pending.fill(0);
        reject(new ByokError(options.code, message, hint === undefined ? {} : { hint }));
      };
      const append = (bytes: readonly number[]): void => {
        const next = Buffer.concat([typed, Buffer.from(bytes)]);
        typed.fill(0);
        typed = next;
      };
      const takeBack = (): void => {
        pending.fill(0);
        pending = [];
        expect = 0;
        const next = Buffer.from(graphemesOf(typed.toString('utf8')).slice(0, -1).join(''), 'utf8');
        typed.fill(0);
        typed = next;
      };
      const onData = (data: Buffer | string): void => {
        const chunk = typeof data === 'string' ? Buffer.from(data) : data;
        let start = 0;
        if (endedInCr.has(stdin)) {
          endedInCr.delete(stdin);
          if (chunk[0] === 0x0a) start = 1;
        }
        try {
          for (let i = start; i < chunk.length; i++) {
            const b = chunk[i]!;
            if (expect > 0) {
              if ((b & 0xc0) !== 0x80) {
                fail(`${options.what} is not valid UTF-8`);
                return;
              }
              pending.push(b);
              if (--expect === 0) {
                append(pending);
                pending.fill(0);
                pending = [];
              }
              continue;
            }
            if (ENTER.has(b)) {
              // Piped input may carry the next answer in the same chunk; leave it for the next prompt.
              let next = i + 1;
              if (b === 0x0d && next === chunk.length) endedInCr.add(stdin);
              if (b === 0x0d && chunk[next] === 0x0a) next++;
              finish(next < chunk.length ? Buffer.from(chunk.subarray(next)) : undefined);
              return;
            }
            if (b === CTRL_C) {
              fail(
                `interrupted while ${options.what} was typed`,
                'Ctrl-C stopped the command at the prompt. Run it again when ready.',
              );
              return;
            }
            if (BACKSPACE.has(b)) takeBack();
            else if (b === ESC) {
              fail(
                `${options.what} cannot contain escape sequences (arrow, function or editing keys)`,
                'Type it again with letters, digits, spaces and punctuation; correct with backspace only.',
              );
              return;
            } else if (b < 0x20) {
              fail(
                `${options.what} cannot contain the control character 0x${b.toString(16).padStart(2, '0')}`,
                'Type it again; correct with backspace only.',
              );
              return;
            } else if (b < 0x80) append([b]);
            else {
              expect = continuationBytes(b);
              if (expect < 0) {
                fail(`${options.what} is not valid UTF-8`);
                return;
              }
              pending = [b];
            }
          }
        } finally {
          chunk.fill(0);
        }
      };
      const finish = (rest?: Buffer): void => {
        // Paused and unhooked first: a flowing stream would hand `rest` straight back to onData.
        cleanup();
        if (rest !== undefined) stdin.unshift(rest);
        if (expect > 0) {
          fail(`${options.what} is not valid UTF-8`);
          return;
        }
        let text: string;
        try {
          text = strictUtf8.decode(typed);
        } catch {
          fail(`${options.what} is not valid UTF-8`);
          return;
        } finally {
          typed.fill(0);
        }
        resolve(Buffer.from(text.normalize('NFC'), 'utf8'));
      };
      // A last line without a line end still counts; nothing at all is a missing answer.
      const onEnd = (): void => {
        if (typed.length > 0 || expect > 0) finish(undefined);
        else fail(`input ended before ${options.what} was typed`, options.endHint);
      };
      const cleanup = (): void => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.pause();
      };
      if ((stdin as { readableEnded?: boolean }).readableEnded === true) {
        onEnd();
        return;
      }
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.resume();
    });
  } finally {
    if (raw) input.setRawMode!(false);
  }
}
