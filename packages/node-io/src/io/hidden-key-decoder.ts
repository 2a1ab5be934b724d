const ENTER = new Set([0x0a, 0x0d, 0x04]);
const BACKSPACE = new Set([0x7f, 0x08]);
const CTRL_C = 0x03;
const ESC = 0x1b;

/**
 * What one byte typed at a hidden prompt does: `text` (a character, or part of one, taken in),
 * the keys that end or edit the line, and the bytes the prompt refuses.
 */
export type HiddenKey =
  'text' | 'enter' | 'interrupt' | 'backspace' | 'escape' | 'control' | 'invalid-utf8';

/** How many continuation bytes a UTF-8 lead byte announces; -1 for a byte that cannot lead. */
function continuationBytes(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return -1;
}

/**
 * Decodes typed bytes into keys, holding a multi-byte UTF-8 character until its last byte so
 * that only whole characters reach the line. The bytes held are zeroed once passed on.
 */
export class HiddenKeyDecoder {
  private pending: number[] = [];
  private expect = 0;

  /** Whether a character was begun and not finished: the line cannot end there. */
  get midCharacter(): boolean {
    return this.expect > 0;
  }

  /** Decodes byte b; a character it completes goes to `append`. */
  decode(b: number, append: (bytes: readonly number[]) => void): HiddenKey {
    if (this.expect > 0) {
      if ((b & 0xc0) !== 0x80) return 'invalid-utf8';
      this.pending.push(b);
      if (--this.expect === 0) {
        append(this.pending);
        this.pending.fill(0);
        this.pending = [];
      }
      return 'text';
    }
    if (ENTER.has(b)) return 'enter';
    if (b === CTRL_C) return 'interrupt';
    if (BACKSPACE.has(b)) return 'backspace';
    if (b === ESC) return 'escape';
    if (b < 0x20) return 'control';
    if (b < 0x80) {
      append([b]);
      return 'text';
    }
    this.expect = continuationBytes(b);
    if (this.expect < 0) return 'invalid-utf8';
    this.pending = [b];
    return 'text';
  }

  /** Drops a character begun and not finished, zeroing its bytes. */
  wipe(): void {
    this.pending.fill(0);
    this.pending = [];
    this.expect = 0;
  }
}
