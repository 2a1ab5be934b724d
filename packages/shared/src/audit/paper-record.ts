import { ByokError } from '../errors.js';
import { parseExpectedHead, type ExpectedHead } from './head-code.js';

export const PAPER_RECORD_MAGIC = 'byok-ceremony paper record v1';
/** Far more than a record of two machines needs; a larger file is not a paper record. */
export const PAPER_RECORD_MAX_BYTES = 16 * 1024;
export const PAPER_RECORD_MAX_HEADS = 16;
const HEAD_LINE = /^(byok-online|byok-offline) head (.+)$/;

/** The line `audit head` prints and the witness copies: `byok-online head 7K2M-…`. */
export function paperRecordLine(tool: string, headCode: string): string {
  return `${tool} head ${headCode}`;
}

/**
 * The heads typed in from the paper record. Strict: the first line is the format line, then
 * `TOOL head CODE-OR-HEX` lines, blank lines and `#` comments; one head per machine.
 */
export function parsePaperRecord(text: string, file: string): ExpectedHead[] {
  const problems: string[] = [];
  if (text.length > PAPER_RECORD_MAX_BYTES)
    problems.push(`it is larger than ${PAPER_RECORD_MAX_BYTES} bytes`);
  const lines = problems.length > 0 ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  if (problems.length === 0 && lines[0]?.trim() !== PAPER_RECORD_MAGIC)
    problems.push(`line 1 must be "${PAPER_RECORD_MAGIC}"`);
  const heads: ExpectedHead[] = [];
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    const at = `${file}:${i + 2}`;
    if (line === '' || line.startsWith('#')) return;
    const m = HEAD_LINE.exec(line);
    const head = m === null ? undefined : parseExpectedHead(m[2]!, at);
    if (m === null || head === undefined) {
      problems.push(
        `line ${i + 2} is not "byok-online head CODE" or "byok-offline head CODE" with a 6-group head code or a 64-hex head`,
      );
      return;
    }
    if (heads.some((h) => h.tool === m[1]))
      problems.push(`line ${i + 2} gives a second ${m[1]!} head`);
    heads.push({ ...head, tool: m[1]! });
  });
  if (heads.length > PAPER_RECORD_MAX_HEADS) problems.push('it lists too many heads');
  if (problems.length === 0 && heads.length === 0) problems.push('it lists no head');
  if (problems.length > 0)
    throw new ByokError(
      'ERR_USAGE',
      `${file} is not a paper record:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      {
        hint: `Write the file as docs/audit-log.md shows: "${PAPER_RECORD_MAGIC}" on line 1, then one line per machine as audit head printed it, e.g. "byok-online head 7K2M-Q9XD-…".`,
        details: problems,
      },
    );
  return heads;
}
