import { ByokError, type ByokErrorCode } from '@byok-ceremony/shared';
import { HiddenKeyDecoder, type HiddenKey } from './hidden-key-decoder.js';
import { HiddenLineBuffer } from './hidden-line-buffer.js';
import { withRawMode } from './terminal-raw-mode.js';

export interface HiddenLineOptions {
  /** What is being typed, for the errors: `the passphrase`, `the check code`. */
  readonly what: string;
  readonly code: ByokErrorCode;
  /** The hint when input ends before the line does. */
  readonly endHint: string;
}

/** Streams whose last line ended in CR: an LF that starts their next chunk belongs to that line. */
const endedInCr = new WeakSet<NodeJS.ReadableStream>();

/** The refusal for a key the prompt does not take, as message and hint. */
function refusal(key: HiddenKey, b: number, what: string): [string, string?] | undefined {
  switch (key) {
    case 'interrupt':
      return [
        `interrupted while ${what} was typed`,
        'Ctrl-C stopped the command at the prompt. Run it again when ready.',
      ];
    case 'escape':
      return [
        `${what} cannot contain escape sequences (arrow, function or editing keys)`,
        'Type it again with letters, digits, spaces and punctuation; correct with backspace only.',
      ];
    case 'control':
      return [
        `${what} cannot contain the control character 0x${b.toString(16).padStart(2, '0')}`,
        'Type it again; correct with backspace only.',
      ];
    case 'invalid-utf8':
      return [`${what} is not valid UTF-8`];
    default:
      return undefined;
  }
}

/** One hidden line read from a stream: its listeners, its line and how it ends. */
class HiddenLinePrompt {
  private readonly keys = new HiddenKeyDecoder();
  private readonly line = new HiddenLineBuffer();
  private readonly append = (bytes: readonly number[]): void => {
    this.line.append(bytes);
  };

  constructor(
    private readonly stdin: NodeJS.ReadableStream,
    private readonly options: HiddenLineOptions,
    private readonly resolve: (line: Buffer) => void,
    private readonly reject: (error: ByokError) => void,
  ) {}

  start(): void {
    if ((this.stdin as { readableEnded?: boolean }).readableEnded === true) {
      this.onEnd();
      return;
    }
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.resume();
  }

  private readonly onData = (data: Buffer | string): void => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    let start = 0;
    if (endedInCr.has(this.stdin)) {
      endedInCr.delete(this.stdin);
      if (chunk[0] === 0x0a) start = 1;
    }
    try {
      for (let i = start; i < chunk.length; i++) if (this.takeByte(chunk, i)) return;
    } finally {
      chunk.fill(0);
    }
  };

  /** Takes the byte at i of chunk; true when the line is done (entered or refused). */
  private takeByte(chunk: Buffer, i: number): boolean {
    const b = chunk[i]!;
    const key = this.keys.decode(b, this.append);
    if (key === 'text') return false;
    if (key === 'backspace') {
      this.keys.wipe();
      this.line.takeBackCharacter();
      return false;
    }
    if (key === 'enter') {
      // Piped input may carry the next answer in the same chunk; leave it for the next prompt.
      let next = i + 1;
      if (b === 0x0d && next === chunk.length) endedInCr.add(this.stdin);
      if (b === 0x0d && chunk[next] === 0x0a) next++;
      this.finish(next < chunk.length ? Buffer.from(chunk.subarray(next)) : undefined);
      return true;
    }
    const [message, hint] = refusal(key, b, this.options.what)!;
    this.fail(message, hint);
    return true;
  }

  // A last line without a line end still counts; nothing at all is a missing answer.
  private readonly onEnd = (): void => {
    if (this.line.length > 0 || this.keys.midCharacter) this.finish(undefined);
    else this.fail(`input ended before ${this.options.what} was typed`, this.options.endHint);
  };

  private finish(rest: Buffer | undefined): void {
    // Paused and unhooked first: a flowing stream would hand `rest` straight back to onData.
    this.cleanup();
    if (rest !== undefined) this.stdin.unshift(rest);
    if (this.keys.midCharacter) {
      this.fail(`${this.options.what} is not valid UTF-8`);
      return;
    }
    const line = this.line.takeNfc();
    if (line === undefined) this.fail(`${this.options.what} is not valid UTF-8`);
    else this.resolve(line);
  }

  private fail(message: string, hint?: string): void {
    this.cleanup();
    this.line.wipe();
    this.keys.wipe();
    this.reject(new ByokError(this.options.code, message, hint === undefined ? {} : { hint }));
  }

  private cleanup(): void {
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.pause();
  }
}

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
  return withRawMode(
    stdin,
    () =>
      new Promise<Buffer>((resolve, reject) => {
        new HiddenLinePrompt(stdin, options, resolve, reject).start();
      }),
  );
}
