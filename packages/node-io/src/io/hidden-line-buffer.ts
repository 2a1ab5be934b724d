import { graphemesOf } from './graphemes.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The bytes of a hidden line as it is typed. Every copy it replaces is zeroed; JavaScript
 * strings made on the way (backspace, NFC) cannot be.
 */
export class HiddenLineBuffer {
  private typed = Buffer.alloc(0);

  get length(): number {
    return this.typed.length;
  }

  append(bytes: readonly number[]): void {
    const next = Buffer.concat([this.typed, Buffer.from(bytes)]);
    this.typed.fill(0);
    this.typed = next;
  }

  /** Backspace: takes back the last whole character (grapheme), however many bytes it has. */
  takeBackCharacter(): void {
    const next = Buffer.from(
      graphemesOf(this.typed.toString('utf8')).slice(0, -1).join(''),
      'utf8',
    );
    this.typed.fill(0);
    this.typed = next;
  }

  wipe(): void {
    this.typed.fill(0);
  }

  /**
   * The line NFC-normalised, so the same words typed on two keyboards give the same bytes;
   * undefined if it is not UTF-8. The typed bytes are zeroed either way.
   */
  takeNfc(): Buffer | undefined {
    let text: string;
    try {
      text = strictUtf8.decode(this.typed);
    } catch {
      return undefined;
    } finally {
      this.typed.fill(0);
    }
    return Buffer.from(text.normalize('NFC'), 'utf8');
  }
}
