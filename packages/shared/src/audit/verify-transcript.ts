import type { AuditFinding } from './audit-finding.js';
import type { AuditChainResult, LoggedEntry } from './verify-chain.js';
import { anchorRoots } from './verify/anchor-roots.js';
import { checkAnchors } from './verify/anchors.js';
import { OFFLINE_TOOL, ONLINE_TOOL } from './verify/ceremony-commands.js';
import { checkCodesMatchDigests } from './verify/check-codes.js';
import { checkCeremonyCompleted } from './verify/completion.js';
import { checkExpectedHeads } from './verify/expected-heads.js';
import { checkInterlock } from './verify/interlock.js';
import { kmsEndpointsOf, rehearsalOf } from './verify/kms-endpoints.js';
import { checkNewMaterialImports } from './verify/new-material-imports.js';
import { checkOneKcvPerMaterial } from './verify/one-kcv-per-material.js';
import { checkOneLogPerMachine } from './verify/one-log-per-machine.js';
import { checkOperatorSignatures, type SignatureLedger } from './verify/operator-signatures.js';
import { reportExceptionsAndFailures } from './verify/recorded-exceptions.js';
import type { Report } from './verify/report.js';
import type {
  CeremonyRun,
  TranscriptOptions,
  TranscriptResult,
} from './verify/transcript-types.js';
import { checkTwoPersonRule } from './verify/two-person-rule.js';
import { verdictOf } from './verify/verdict.js';
import { wrapOnlyRuns } from './verify/wrap-only-runs.js';

/** The rules each entry must keep on its own; returns the pinned signatures, which are anchors. */
function checkEachEntry(
  entries: readonly LoggedEntry[],
  options: TranscriptOptions,
  report: Report,
): SignatureLedger['pinnedSigned'] {
  const ledger: SignatureLedger = { keysSeen: new Map(), pinnedSigned: new Map() };
  for (const e of entries) {
    checkTwoPersonRule(e, report);
    checkCodesMatchDigests(e, report);
    checkOperatorSignatures(e, options, ledger, report);
    reportExceptionsAndFailures(e, report);
  }
  return ledger.pinnedSigned;
}

/**
 * Verifies one or both logs of a ceremony: each chain, the entries' signatures, the two-person
 * rule, the interlock between the machines and that the ceremony completed. Pure: the logs are
 * read and Ed25519 is supplied by the caller. The rules run in a fixed order, which is the order
 * of the findings.
 */
export function verifyTranscript(
  chains: readonly AuditChainResult[],
  options: TranscriptOptions,
): TranscriptResult {
  const findings: AuditFinding[] = chains.flatMap((c) => c.findings);
  const report: Report = (severity, code, at, message) =>
    findings.push({ severity, code, file: at?.file ?? null, line: at?.line ?? null, message });

  const byTool = checkOneLogPerMachine(chains, report);
  const entries = chains.flatMap((c) => c.entries);
  const pinnedSigned = checkEachEntry(entries, options, report);
  const expected = checkExpectedHeads(chains, options.expectedHeads ?? [], report);
  const offline = byTool.get(OFFLINE_TOOL)?.entries;
  const online = byTool.get(ONLINE_TOOL)?.entries;
  let runs: CeremonyRun[] = [];
  if (offline !== undefined && online !== undefined) {
    runs = checkInterlock(offline, online, report);
  } else {
    report(
      'info',
      'not-checked',
      null,
      'the interlock between the two machines was not checked: give both logs',
    );
  }
  checkOneKcvPerMaterial(entries, report);
  if (online !== undefined) checkNewMaterialImports(online, report);
  const anchorsGiven = expected.length > 0 || (options.pinnedKeys ?? []).length > 0;
  const roots = anchorRoots(chains, expected, pinnedSigned);
  const covered = checkAnchors(chains, roots, anchorsGiven, report);
  checkCeremonyCompleted(offline, online, report);
  if (online === undefined && offline !== undefined) runs = wrapOnlyRuns(offline);
  const kmsEndpoints = kmsEndpointsOf(entries);
  const verdict = verdictOf(findings);
  return {
    ok: verdict === 'VERIFIED',
    verdict,
    anchors: entries.flatMap((e) => {
      const c = covered.get(e);
      return c === undefined ? [] : [{ file: e.file, line: e.line, anchor: c.anchor }];
    }),
    logs: chains.map((c) => ({ file: c.file, tool: c.tool, head: c.head, lineCount: c.lineCount })),
    entries,
    runs,
    findings,
    kmsEndpoints,
    rehearsal: rehearsalOf(kmsEndpoints),
  };
}
