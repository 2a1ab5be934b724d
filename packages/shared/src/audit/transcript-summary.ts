import { formatAuditFinding } from './audit-finding.js';
import type { LoggedEntry } from './verify-chain.js';
import type { KmsEndpointUse } from './verify/kms-endpoints.js';
import { ONLINE_TOOL } from './verify/ceremony-commands.js';
import type { TranscriptResult } from './verify/transcript-types.js';

function endpointLine(use: KmsEndpointUse): string {
  const where =
    use.endpoint === null
      ? "the SDK's default (AWS)"
      : `${use.endpoint} (${use.aws ? 'AWS' : 'not AWS: a rehearsal'})`;
  return `KMS endpoint: ${where}, in ${use.entries} online line(s)`;
}

/**
 * What `audit verify` prints: each log with its head, the KMS endpoints the online steps used,
 * every finding, and the verdict last, marked as a rehearsal's when a KMS endpoint is not AWS.
 */
export function transcriptSummaryLines(result: TranscriptResult): string[] {
  const lines = result.logs.map(
    (log) =>
      `${log.file}: ${log.lineCount} line(s) written by ${log.tool ?? 'unknown'}, head ${log.head ?? 'none'}`,
  );
  if (result.logs.some((l) => l.tool === ONLINE_TOOL))
    lines.push(
      ...(result.kmsEndpoints.length === 0
        ? ['KMS endpoint: none recorded (no online line talked to KMS)']
        : result.kmsEndpoints.map(endpointLine)),
    );
  for (const f of result.findings) lines.push(`${f.severity}: ${formatAuditFinding(f)}`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const exceptions = result.findings.filter((f) => f.severity === 'exception').length;
  const unanchored = result.findings.filter((f) => f.code === 'unanchored' && f.line !== null);
  const verdict = `${result.verdict}${result.rehearsal === null ? '' : ` (rehearsal: ${result.rehearsal})`}`;
  lines.push(
    result.verdict === 'VERIFIED'
      ? `${verdict}: ${result.logs.length} log(s), ${exceptions} exception(s) on record`
      : result.verdict === 'UNANCHORED'
        ? `${verdict}: ${unanchored.length} wrap/import line(s) covered by no anchor, ${exceptions} exception(s)`
        : `${verdict}: ${errors} problem(s), ${exceptions} exception(s)`,
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
    rehearsal: result.rehearsal,
    kmsEndpoints: result.kmsEndpoints,
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
