import { describe, expect, it } from 'vitest';
import { HiddenKeyDecoder, type HiddenKey } from '../../src/io/hidden-key-decoder.js';
import { HiddenLineBuffer } from '../../src/io/hidden-line-buffer.js';

/** Decodes bytes one by one; returns each key and the characters passed on. */
function decodeAll(bytes: readonly number[]) {
  const decoder = new HiddenKeyDecoder();
  const appended: number[][] = [];
  const keys: HiddenKey[] = bytes.map((b) => decoder.decode(b, (c) => appended.push([...c])));
  return { keys, appended, midCharacter: decoder.midCharacter };
}

describe('the hidden prompt key decoder', () => {
  it('passes on only whole UTF-8 characters, each once its last byte is typed', () => {
    const { keys, appended, midCharacter } = decodeAll([...Buffer.from('aü👍', 'utf8')]);
    expect(keys.every((k) => k === 'text')).toBe(true);
    expect(appended.map((c) => Buffer.from(c).toString('utf8'))).toEqual(['a', 'ü', '👍']);
    expect(midCharacter).toBe(false);
  });

  it('holds a begun character, and refuses a byte that cannot continue or lead one', () => {
    expect(decodeAll([0xc3]).midCharacter).toBe(true);
    expect(decodeAll([0xc3, 0x41]).keys).toEqual(['text', 'invalid-utf8']);
    expect(decodeAll([0x80]).keys).toEqual(['invalid-utf8']);
    expect(decodeAll([0xc0]).keys).toEqual(['invalid-utf8']);
    expect(decodeAll([0xf5]).keys).toEqual(['invalid-utf8']);
  });

  it('names the keys that end, edit or are refused at the prompt', () => {
    expect(decodeAll([0x0d, 0x0a, 0x04, 0x7f, 0x08, 0x03, 0x1b, 0x01]).keys).toEqual([
      'enter',
      'enter',
      'enter',
      'backspace',
      'backspace',
      'interrupt',
      'escape',
      'control',
    ]);
  });

  it('drops a begun character on wipe', () => {
    const decoder = new HiddenKeyDecoder();
    decoder.decode(0xe2, () => undefined);
    decoder.wipe();
    expect(decoder.midCharacter).toBe(false);
    expect(decoder.decode(0x41, () => undefined)).toBe('text');
  });
});

describe('the hidden line buffer', () => {
  it('takes back a whole grapheme and gives the line NFC-normalised', () => {
    const line = new HiddenLineBuffer();
    line.append([...Buffer.from('gru\u0308n', 'utf8')]);
    line.append([...Buffer.from('👍🏽', 'utf8')]);
    line.takeBackCharacter();
    expect(line.takeNfc()).toEqual(Buffer.from('gr\u00fcn', 'utf8'));
  });

  it('gives undefined for bytes that are not UTF-8', () => {
    const line = new HiddenLineBuffer();
    line.append([0xed, 0xa0, 0x80]); // a surrogate: well-formed in shape, not UTF-8
    expect(line.takeNfc()).toBeUndefined();
  });
});
