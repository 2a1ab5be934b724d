import { formatAuditFinding } from './audit-finding.js';
import type { LoggedEntry } from './verify-chain.js';
import type { TranscriptResult } from './verify-transcript.js';

/** What `audit verify` prints: each log with its head, every finding, and the verdict last. */
export function transcriptSummaryLines(result: TranscriptResult): string[] {
  const lines = result.logs.map(
    (log) =>
      `${log.file}: ${log.lineCount} line(s) written by ${log.tool ?? 'unknown'}, head ${log.head ?? 'none'}`,
  );
  for (const f of result.findings) lines.push(`${f.severity}: ${formatAuditFinding(f)}`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const exceptions = result.findings.filter((f) => f.severity === 'exception').length;
  const unanchored = result.findings.filter((f) => f.code === 'unanchored' && f.line !== null);
  lines.push(
    result.verdict === 'VERIFIED'
      ? `VERIFIED: ${result.logs.length} log(s), ${exceptions} exception(s) on record`
      : result.verdict === 'UNANCHORED'
        ? `UNANCHORED: ${unanchored.length} wrap/import line(s) covered by no anchor, ${exceptions} exception(s)`
        : `FAILED: ${errors} problem(s), ${exceptions} exception(s)`,
  );
  return lines;
}

function at(e: LoggedEntry | null): { file: string; line: number; hash: string } | null {
  return e === null ? null : { file: e.file, line: e.line, hash: e.hash };
}

/** The `--json` object of `audit verify`: the verdict, the logs, every finding, the linked runs. */
export function transcriptJson(result: TranscriptResult): Record<string, unknown> {
  return {
    ok: result.ok,
    verdict: result.verdict,
    logs: result.logs,
    findings: result.findings,
    anchors: result.anchors,
    runs: result.runs.map((r) => ({
      requestDigest: r.requestDigest,
      wrappedDigest: r.wrappedDigest,
      prepare: at(r.prepare),
      wrap: at(r.wrap),
      import: at(r.import),
    })),
  };
}
