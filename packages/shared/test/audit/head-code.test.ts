import { describe, expect, it } from 'vitest';
import {
  HEAD_CODE_BITS,
  headCodeOf,
  headMatches,
  normalizeCheckCode,
  parseExpectedHead,
  parsePaperRecord,
  PAPER_RECORD_MAGIC,
  ByokError,
} from '../../src/index.js';

const HEAD = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('head codes', () => {
  it('render the first 120 bits of a head as six groups of four Crockford characters', () => {
    expect(HEAD_CODE_BITS).toBeGreaterThanOrEqual(100);
    const code = headCodeOf(HEAD);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    // Same bits as the check code of the same digest, six groups instead of five.
    expect(code.startsWith('Q9W1')).toBe(true);
    // Never taken for a bundle check code, nor a check code for a head code.
    expect(normalizeCheckCode(code)).toBeUndefined();
    expect(parseExpectedHead('Q9W1-0000-0000-0000-0000', 'x')).toBeUndefined();
  });

  it('change when any of the first 120 bits changes', () => {
    const base = headCodeOf(HEAD);
    for (let bit = 0; bit < HEAD_CODE_BITS; bit++) {
      const bytes = Buffer.from(HEAD, 'hex');
      bytes[bit >> 3]! ^= 0x80 >> (bit & 7);
      expect(headCodeOf(bytes.toString('hex'))).not.toBe(base);
    }
  });

  it('match a head typed as people type: any case, spaces, O and I/L', () => {
    const code = headCodeOf(HEAD);
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    const expected = parseExpectedHead(typed, 'x')!;
    expect(expected).toEqual({ form: 'code', value: code, source: 'x' });
    expect(headMatches(expected, HEAD)).toBe(true);
    expect(headMatches(parseExpectedHead(HEAD.toUpperCase(), 'x')!, HEAD)).toBe(true);
    const other = HEAD.replace(/^b/, 'c');
    expect(headMatches(expected, other)).toBe(false);
    expect(headMatches(parseExpectedHead(HEAD, 'x')!, other)).toBe(false);
    expect(parseExpectedHead('not a head', 'x')).toBeUndefined();
  });
});

describe('parsePaperRecord', () => {
  const code = headCodeOf(HEAD);
  it('reads one head per machine, with comments and blank lines', () => {
    const text = `${PAPER_RECORD_MAGIC}\n# ceremony of 1 December\n\nbyok-online head ${code}\nbyok-offline head ${HEAD}\n`;
    expect(parsePaperRecord(text, 'paper.txt')).toEqual([
      { form: 'code', value: code, source: 'paper.txt:4', tool: 'byok-online' },
      { form: 'hex', value: HEAD, source: 'paper.txt:5', tool: 'byok-offline' },
    ]);
  });

  it('refuses a missing format line, a bad line, a second head per machine, no head, a huge file', () => {
    const bad = [
      `byok-online head ${code}\n`,
      `${PAPER_RECORD_MAGIC}\nbyok-online ${code}\n`,
      `${PAPER_RECORD_MAGIC}\nbyok-online head Q9W1-0000-0000-0000-0000\n`,
      `${PAPER_RECORD_MAGIC}\nbyok-online head ${code}\nbyok-online head ${code}\n`,
      `${PAPER_RECORD_MAGIC}\n# nothing\n`,
      `${PAPER_RECORD_MAGIC}\n${'#'.repeat(20000)}\n`,
    ];
    for (const text of bad) {
      let error: unknown;
      try {
        parsePaperRecord(text, 'paper.txt');
      } catch (e) {
        error = e;
      }
      expect(error, text.slice(0, 80)).toBeInstanceOf(ByokError);
      expect((error as ByokError).message).toContain('paper.txt is not a paper record');
      expect((error as ByokError).hint).toContain(PAPER_RECORD_MAGIC);
    }
  });
});
