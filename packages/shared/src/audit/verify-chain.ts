import type { AuditFinding } from './audit-finding.js';
import type { AuditEntry } from './record.js';
import { checkInsertedLines } from './verify/chain-inserted-lines.js';
import { parseChainLine, type ParsedLine } from './verify/chain-line.js';
import { checkChainLinks } from './verify/chain-links.js';
import { checkLineOrder } from './verify/chain-order.js';
import { checkRemovedLines } from './verify/chain-removed-lines.js';
import type { ChainReport } from './verify/chain-report.js';
import { checkOneToolPerLog } from './verify/chain-tool.js';

/** One readable entry of a log, where it sits in the file and the hash its successor names. */
export interface LoggedEntry {
  readonly file: string;
  readonly line: number;
  readonly hash: string;
  readonly entry: AuditEntry;
}

export interface AuditChainResult {
  readonly file: string;
  /** The tool that wrote the log (`byok-offline` or `byok-online`), from its entries. */
  readonly tool: string | null;
  /** Readable entries in file order, without lines found to be inserted. */
  readonly entries: readonly LoggedEntry[];
  readonly lineCount: number;
  /** Hash of the last line: what the other machine's bundle or the paper record names. */
  readonly head: string | null;
  readonly findings: readonly AuditFinding[];
}

export { AUDIT_LINE_MAX_CHARS } from './verify/chain-line.js';

/** The result for a file with no line: nothing to chain, and nothing it could vouch for. */
function emptyLog(file: string): AuditChainResult {
  return {
    file,
    tool: null,
    entries: [],
    lineCount: 0,
    head: null,
    findings: [
      {
        severity: 'error',
        code: 'log-empty',
        file,
        line: null,
        message: `${file} has no entries`,
      },
    ],
  };
}

/** The file's lines; a last line without its line end is kept, as `cutOff`, to be reported. */
function splitLogLines(text: string): { lines: string[]; cutOff: boolean } {
  const lines = text.split('\n');
  const cutOff = lines.at(-1) !== '';
  if (!cutOff) lines.pop();
  return { lines, cutOff };
}

/**
 * Checks one log's hash chain and names the line of every edit, removal, insertion and
 * reordering it can see. A chain alone cannot see a truncated tail or a forged last line:
 * the other machine's log and the paper record of the heads catch those.
 */
export function verifyAuditChain(file: string, text: string): AuditChainResult {
  const findings: AuditFinding[] = [];
  const { lines, cutOff } = splitLogLines(text);
  if (lines.length === 0 || (lines.length === 1 && lines[0] === '')) return emptyLog(file);
  const report: ChainReport = (code, line, message) =>
    findings.push({ severity: 'error', code, file, line, message });
  const parsed: ParsedLine[] = lines.map((t, i) => parseChainLine(t, i + 1, report));
  if (cutOff && parsed.at(-1)!.entry !== undefined)
    report(
      'line-unreadable',
      parsed.length,
      `line ${parsed.length} has no line end: the log was cut off or edited`,
    );
  const readable = parsed.filter((l) => l.entry !== undefined);
  const tool = checkOneToolPerLog(readable, report);
  const { genuine, inserted } = checkInsertedLines(readable, report);
  checkRemovedLines(parsed, genuine, report);
  checkLineOrder(readable, inserted, report);
  checkChainLinks(genuine, report);
  // Findings read in file order; the sort is stable, so one line's keep the rules' order.
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    file,
    tool,
    entries: readable
      .filter((l) => !inserted.has(l))
      .map((l) => ({ file, line: l.line, hash: l.hash, entry: l.entry! })),
    lineCount: parsed.length,
    head: parsed.at(-1)!.hash,
    findings,
  };
}
