import { canonicalJson } from '../digest/canonical-json.js';
import { parseStrictJson, StrictJsonError } from '../encoding/strict-json.js';
import type { AuditFinding } from './audit-finding.js';
import { auditEntryProblems } from './audit-entry-problems.js';
import { auditEntryHash } from './chain.js';
import type { AuditEntry } from './record.js';

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

interface ParsedLine {
  readonly line: number;
  readonly text: string;
  readonly hash: string;
  readonly entry: AuditEntry | undefined;
}

/** Longest audit line read: a command on a thousand keys writes about 500 kB. */
export const AUDIT_LINE_MAX_CHARS = 4 * 1024 * 1024;

function parseLine(text: string, line: number, file: string, findings: AuditFinding[]): ParsedLine {
  const hash = auditEntryHash(text);
  if (text.length > AUDIT_LINE_MAX_CHARS) {
    findings.push({
      severity: 'error',
      code: 'line-unreadable',
      file,
      line,
      message: `line ${line} is ${text.length} characters long, above the limit of ${AUDIT_LINE_MAX_CHARS}: no tool writes such a line`,
    });
    return { line, text, hash, entry: undefined };
  }
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    if (error instanceof StrictJsonError && error.problem !== 'syntax') {
      // JSON, but not as a tool writes it: a repeated key could show each reader another value.
      findings.push({
        severity: 'error',
        code: 'entry-invalid',
        file,
        line,
        message: `line ${line} is not a valid audit entry (it was edited): ${error.message}`,
      });
      return { line, text, hash, entry: undefined };
    }
    findings.push({
      severity: 'error',
      code: 'line-unreadable',
      file,
      line,
      message: `line ${line} is not a JSON entry: it was edited, or a write was cut off`,
    });
    return { line, text, hash, entry: undefined };
  }
  const problems = auditEntryProblems(value);
  if (problems.length === 0 && canonicalJson(value) !== text)
    problems.push('not in canonical form');
  if (problems.length > 0) {
    findings.push({
      severity: 'error',
      code: 'entry-invalid',
      file,
      line,
      message: `line ${line} is not a valid audit entry (it was edited): ${problems.join('; ')}`,
    });
    return { line, text, hash, entry: undefined };
  }
  return { line, text, hash, entry: value as AuditEntry };
}

/** Among lines claiming one seq, the line the chain vouches for; the others were inserted. */
function genuineOf(
  claimants: readonly ParsedLine[],
  bySeq: ReadonlyMap<number, readonly ParsedLine[]>,
  seq: number,
): ParsedLine {
  const named = new Set((bySeq.get(seq + 1) ?? []).map((l) => l.entry!.prev));
  const byNext = claimants.filter((l) => named.has(l.hash));
  if (byNext.length === 1) return byNext[0]!;
  const previous = new Set((bySeq.get(seq - 1) ?? []).map((l) => l.hash));
  const byPrev = claimants.filter((l) => seq === 0 || previous.has(l.entry!.prev ?? ''));
  return byPrev.length === 1 ? byPrev[0]! : claimants[0]!;
}

/**
 * Checks one log's hash chain and names the line of every edit, removal, insertion and
 * reordering it can see. A chain alone cannot see a truncated tail or a forged last line:
 * the other machine's log and the paper record of the heads catch those.
 */
export function verifyAuditChain(file: string, text: string): AuditChainResult {
  const findings: AuditFinding[] = [];
  const rawLines = text.split('\n');
  const cutOff = rawLines.at(-1) !== '';
  if (!cutOff) rawLines.pop();
  if (rawLines.length === 0 || (rawLines.length === 1 && rawLines[0] === '')) {
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
  const parsed = rawLines.map((t, i) => parseLine(t, i + 1, file, findings));
  if (cutOff && parsed.at(-1)!.entry !== undefined) {
    findings.push({
      severity: 'error',
      code: 'line-unreadable',
      file,
      line: parsed.length,
      message: `line ${parsed.length} has no line end: the log was cut off or edited`,
    });
  }
  const readable = parsed.filter((l) => l.entry !== undefined);

  const tools = readable.map((l) => l.entry!.tool);
  const tool = tools[0] ?? null;
  for (const l of readable) {
    if (l.entry!.tool !== tool) {
      findings.push({
        severity: 'error',
        code: 'tool-mismatch',
        file,
        line: l.line,
        message: `line ${l.line} was written by ${l.entry!.tool}, the rest of the log by ${tool ?? '?'}: it does not belong here`,
      });
    }
  }

  const bySeq = new Map<number, ParsedLine[]>();
  for (const l of readable) bySeq.set(l.entry!.seq, [...(bySeq.get(l.entry!.seq) ?? []), l]);
  const genuine = new Map<number, ParsedLine>();
  const inserted = new Set<ParsedLine>();
  for (const [seq, claimants] of bySeq) {
    const kept = genuineOf(claimants, bySeq, seq);
    genuine.set(seq, kept);
    for (const l of claimants) {
      if (l === kept) continue;
      inserted.add(l);
      findings.push({
        severity: 'error',
        code: 'line-inserted',
        file,
        line: l.line,
        message: `line ${l.line} was inserted: it repeats seq ${seq} of line ${kept.line}, and the chain vouches for line ${kept.line}`,
      });
    }
  }

  // Removed lines: seqs that no line holds, unless an unreadable line sits where they belong.
  // Only the gaps between the seqs present are walked, so a forged huge seq costs nothing.
  const seqs = [...genuine.keys()].sort((a, b) => a - b);
  const unreadableSeqs = parsed.filter((l) => l.entry === undefined).map((l) => l.line - 1);
  let u = 0;
  let expected = 0;
  for (const present of seqs) {
    if (present > expected) {
      const first = expected;
      const last = present - 1;
      while (u < unreadableSeqs.length && unreadableSeqs[u]! < first) u++;
      let explained = 0;
      while (u < unreadableSeqs.length && unreadableSeqs[u]! <= last) {
        explained++;
        u++;
      }
      const unexplained = last - first + 1 - explained;
      if (unexplained > 0) {
        const next = genuine.get(present)!;
        findings.push({
          severity: 'error',
          code: 'line-removed',
          file,
          line: next.line,
          message: `${unexplained} line(s) removed before line ${next.line}: seq ${first === last ? first : `${first}–${last}`} is missing`,
        });
      }
    }
    expected = present + 1;
  }

  // Reordering: in file order, seqs must only grow.
  let highest: ParsedLine | undefined;
  for (const l of readable) {
    if (inserted.has(l)) continue;
    if (highest !== undefined && l.entry!.seq < highest.entry!.seq) {
      findings.push({
        severity: 'error',
        code: 'line-out-of-order',
        file,
        line: l.line,
        message: `line ${l.line} (seq ${l.entry!.seq}) is out of order: it comes after line ${highest.line} (seq ${highest.entry!.seq}); lines were swapped or moved`,
      });
    } else {
      highest = l;
    }
  }

  // Links: each entry names the hash of the entry before it, so an edit shows at the next line.
  for (const [seq, l] of [...genuine].sort(([a], [b]) => a - b)) {
    const prev = l.entry!.prev;
    if (seq === 0) {
      if (prev !== null)
        findings.push({
          severity: 'error',
          code: 'first-entry',
          file,
          line: l.line,
          message: `line ${l.line} has seq 0 but names a previous entry: the start of the log was replaced`,
        });
      continue;
    }
    const before = genuine.get(seq - 1);
    if (prev === null) {
      findings.push({
        severity: 'error',
        code: 'first-entry',
        file,
        line: l.line,
        message: `line ${l.line} (seq ${seq}) claims to be the first entry: it was edited`,
      });
    } else if (before !== undefined && before.hash !== prev) {
      findings.push({
        severity: 'error',
        code: 'line-edited',
        file,
        line: before.line,
        message: `line ${before.line} was edited: its hash no longer matches the prev recorded in line ${l.line}`,
      });
    }
  }

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
