import { checkCodeOf } from '../check-code/check-code.js';
import { ByokError } from '../errors.js';
import { anchorCoverage, type AnchorRoot, type Coverage } from './anchor-coverage.js';
import type { AuditFinding } from './audit-finding.js';
import { REQUEST_LABEL, WRAPPED_LABEL } from './audit-label.js';
import { kmsEndpointsOf, rehearsalOf, type KmsEndpointUse } from './kms-endpoint.js';
import { headMatches, parseExpectedHead, type ExpectedHead } from './head-code.js';
import { operatorNameCollisions } from '../validation/operator-name.js';
import { checkRawCompletion, checkRawInterlock, isRawEntry } from './raw-interlock.js';
import type { AuditEntry } from './record.js';
import { auditSignaturePayload, type VerifyEd25519 } from './signed-confirmation.js';
import type { AuditChainResult, LoggedEntry } from './verify-chain.js';
import { checkNewMaterialImports, checkOneKcvPerMaterial } from './verify-material-records.js';

export const OFFLINE_TOOL = 'byok-offline';
export const ONLINE_TOOL = 'byok-online';
/** Commands that write a wrapped-key bundle: recover wraps recovered material exactly as wrap does. */
export const WRAPPING_COMMANDS: readonly string[] = ['wrap', 'recover'];
/** Commands that use a bundle and so must be confirmed by two operators. */
export const TWO_PERSON_COMMANDS: readonly string[] = [...WRAPPING_COMMANDS, 'import'];
/** Commands that change a key's material in KMS without a bundle: two operators all the same. */
export const MATERIAL_CHANGE_COMMANDS: readonly string[] = ['rotate', 'delete-material'];
export const SINGLE_OPERATOR_EXCEPTION = 'single-operator';
export { REQUEST_LABEL, WRAPPED_LABEL } from './audit-label.js';
const PROOF_KINDS: readonly string[] = ['hmac', 'public-key', 'kcv-only'];

export interface PinnedOperatorKey {
  readonly operator: string;
  /** Ed25519 DER SubjectPublicKeyInfo, base64. */
  readonly publicKey: string;
  /** Where the pin came from, for messages (a file name). */
  readonly source: string;
}

export interface TranscriptOptions {
  readonly verifyEd25519: VerifyEd25519;
  /** Operator keys the verifier expects; a recorded key that differs is an error. */
  readonly pinnedKeys?: readonly PinnedOperatorKey[];
  /**
   * Log heads written on the paper record (64-hex heads or head codes); each must be the head of
   * a given log. A string is a 64-hex head given with --expect-head.
   */
  readonly expectedHeads?: readonly (ExpectedHead | string)[];
}

/**
 * VERIFIED: no problem, and an anchor covers every successful wrap and import. UNANCHORED: no
 * problem but that some wrap or import rests on no anchor. FAILED: any other problem.
 */
export type TranscriptVerdict = 'VERIFIED' | 'UNANCHORED' | 'FAILED';

/** The anchor that covers one entry (see anchorCoverage). */
export interface EntryAnchor {
  readonly file: string;
  readonly line: number;
  readonly anchor: string;
}

/** One prepare → wrap → import run as the logs link it. */
export interface CeremonyRun {
  readonly prepare: LoggedEntry | null;
  readonly wrap: LoggedEntry | null;
  readonly import: LoggedEntry | null;
  readonly requestDigest: string | null;
  readonly wrappedDigest: string | null;
}

export interface VerifiedLog {
  readonly file: string;
  readonly tool: string | null;
  readonly head: string | null;
  readonly lineCount: number;
}

export interface TranscriptResult {
  /** True only for VERIFIED. */
  readonly ok: boolean;
  readonly verdict: TranscriptVerdict;
  /** Every entry an anchor covers; an entry not listed is covered by none. */
  readonly anchors: readonly EntryAnchor[];
  readonly logs: readonly VerifiedLog[];
  readonly entries: readonly LoggedEntry[];
  readonly runs: readonly CeremonyRun[];
  readonly findings: readonly AuditFinding[];
  /** Every KMS endpoint the online entries recorded. */
  readonly kmsEndpoints: readonly KmsEndpointUse[];
  /**
   * Why this is a rehearsal's record (a KMS endpoint that is not AWS), or null. It does not
   * change the verdict: a rehearsal is a legitimate run, but never a production record.
   */
  readonly rehearsal: string | null;
}

type Report = (
  severity: AuditFinding['severity'],
  code: AuditFinding['code'],
  at: LoggedEntry | null,
  message: string,
) => void;

function invalidHead(typed: string): never {
  throw new ByokError('ERR_USAGE', `--expect-head ${JSON.stringify(typed)} is not a log head`, {
    hint: 'Give a head as audit head prints it: its head code (6 groups of 4) or its 64 hex digits.',
  });
}

function where(e: LoggedEntry): string {
  return `line ${e.line} (${e.entry.command})`;
}

function checkOperators(e: LoggedEntry, report: Report): void {
  const { entry } = e;
  const ruled =
    TWO_PERSON_COMMANDS.includes(entry.command) || MATERIAL_CHANGE_COMMANDS.includes(entry.command);
  if (!ruled || entry.outcome !== 'ok') return;
  const collisions = operatorNameCollisions(entry.operators);
  if (collisions.length > 0) {
    report(
      'error',
      'operator-name-collision',
      e,
      `${where(e)} breaks the two-person rule: ${collisions.map(([a, b]) => `${JSON.stringify(a)} and ${JSON.stringify(b)}`).join(', ')} name one person (same letters up to case, compatibility forms or look-alike characters)`,
    );
    return;
  }
  if (entry.operators.length >= 2) return;
  if (entry.operators.length === 1 && entry.exceptions.includes(SINGLE_OPERATOR_EXCEPTION)) {
    report(
      'exception',
      'single-operator',
      e,
      `${where(e)} was done by ${entry.operators[0]!} alone (--single-operator): acceptable for a rehearsal only`,
    );
    return;
  }
  report(
    'error',
    'two-person-rule',
    e,
    `${where(e)} breaks the two-person rule: operators ${JSON.stringify(entry.operators)}`,
  );
}

function isTwoPersonSuccess(entry: AuditEntry): boolean {
  return TWO_PERSON_COMMANDS.includes(entry.command) && entry.outcome === 'ok';
}

/**
 * Signatures verify, are by operators of the entry, and use the pinned keys. With pins, a
 * successful wrap or import must be confirmed by two distinct pinned operators (one with the
 * single-operator exception): a name nobody pinned, or a missing signature, is what a forger
 * of an unanchored last line would write.
 */
function checkSignatures(
  e: LoggedEntry,
  options: TranscriptOptions,
  keysSeen: Map<string, { key: string; at: LoggedEntry }>,
  report: Report,
  pinnedSigned: Map<LoggedEntry, string[]>,
): void {
  const { entry } = e;
  const pins = options.pinnedKeys ?? [];
  const twoPerson = isTwoPersonSuccess(entry);
  let problems = 0;
  const fail: Report = (severity, code, at, message) => {
    problems++;
    report(severity, code, at, message);
  };
  if (twoPerson && pins.length > 0) {
    for (const operator of new Set(entry.operators)) {
      if (!pins.some((p) => p.operator === operator))
        fail(
          'error',
          'operator-unpinned',
          e,
          `${where(e)} names operator ${JSON.stringify(operator)}, whose operator key is not pinned: with --operator-pubkey given, every operator of a wrap or import must be pinned`,
        );
    }
  }
  const signatures = entry.signatures ?? [];
  const payload = signatures.length > 0 ? auditSignaturePayload(entry) : undefined;
  const signed = new Set<string>();
  const pinnedSigners = new Set<string>();
  for (const sig of signatures) {
    if (!entry.operators.includes(sig.operator) || signed.has(sig.operator)) {
      fail(
        'error',
        'signature-operator',
        e,
        `${where(e)} has a signature by ${sig.operator}, who is not an operator of the entry or signed twice`,
      );
      continue;
    }
    signed.add(sig.operator);
    if (!options.verifyEd25519(sig.publicKey, payload!, sig.signature)) {
      fail(
        'error',
        'signature-invalid',
        e,
        `${where(e)}: the signature of ${sig.operator} does not verify: the entry was changed after it was signed`,
      );
      continue;
    }
    const pinned = pins.filter((p) => p.operator === sig.operator);
    if (pinned.length > 0 && !pinned.some((p) => p.publicKey === sig.publicKey)) {
      fail(
        'error',
        'signature-unexpected-key',
        e,
        `${where(e)} was signed by ${sig.operator} with a key other than the one pinned in ${pinned.map((p) => p.source).join(', ')}`,
      );
    } else if (pinned.length > 0) {
      pinnedSigners.add(sig.operator);
      pinnedSigned.set(e, [...(pinnedSigned.get(e) ?? []), sig.operator]);
    } else if (pins.length > 0 && !twoPerson) {
      // On a wrap or import the operator is already reported as not pinned.
      fail(
        'error',
        'signature-unexpected-key',
        e,
        `${where(e)} was signed by ${sig.operator}, whose key is not pinned (--operator-pubkey)`,
      );
    }
    const seen = keysSeen.get(sig.operator);
    if (seen !== undefined && seen.key !== sig.publicKey) {
      fail(
        'error',
        'signature-unexpected-key',
        e,
        `${where(e)} was signed by ${sig.operator} with another key than ${seen.at.file} line ${seen.at.line}`,
      );
    } else if (seen === undefined) {
      keysSeen.set(sig.operator, { key: sig.publicKey, at: e });
    }
  }
  if (!twoPerson) return;
  for (const operator of entry.operators) {
    if (!signed.has(operator) && pins.some((p) => p.operator === operator)) {
      fail(
        'error',
        'signature-missing',
        e,
        `${where(e)} has no signature by ${operator}, whose operator key is pinned`,
      );
    }
  }
  if (pins.length === 0 || problems > 0) return;
  const alone =
    pinnedSigners.size === 1 &&
    entry.operators.length === 1 &&
    entry.exceptions.includes(SINGLE_OPERATOR_EXCEPTION);
  if (pinnedSigners.size < 2 && !alone)
    report(
      'error',
      'signature-missing',
      e,
      `${where(e)} is confirmed by ${pinnedSigners.size} pinned operator signature(s): with --operator-pubkey given, a wrap or import needs two distinct pinned operators (one with --single-operator)`,
    );
}

/** A recorded check code must be the one its recorded bundle digest gives. */
function checkCodesMatchDigests(e: LoggedEntry, report: Report): void {
  for (const [label, code] of Object.entries(e.entry.checkCodes)) {
    const digest = e.entry.inputs[label] ?? e.entry.outputs[label];
    if (digest !== undefined && checkCodeOf(digest) !== code) {
      report(
        'error',
        'check-code-mismatch',
        e,
        `${where(e)}: the ${label} check code ${code} is not the one of the recorded ${label} digest`,
      );
    }
  }
}

function predecessorHash(log: readonly LoggedEntry[], e: LoggedEntry): string | null | undefined {
  if (e.entry.seq === 0) return null;
  return log.find((x) => x.entry.seq === e.entry.seq - 1)?.hash;
}

function okEntries(log: readonly LoggedEntry[], command: string): LoggedEntry[] {
  return log.filter((e) => e.entry.command === command && e.entry.outcome === 'ok');
}

/** The successful wraps and recovers: each wrote a wrapped-key bundle for a request. */
function okWraps(log: readonly LoggedEntry[]): LoggedEntry[] {
  return log.filter((e) => WRAPPING_COMMANDS.includes(e.entry.command) && e.entry.outcome === 'ok');
}

function sameCheckCode(a: AuditEntry, b: AuditEntry, label: string): boolean {
  const x = a.checkCodes[label];
  const y = b.checkCodes[label];
  return x === undefined || y === undefined || x === y;
}

/** Links the two logs through the bundle digests and the log heads each bundle carried. */
function checkInterlock(
  offline: readonly LoggedEntry[],
  online: readonly LoggedEntry[],
  report: Report,
): CeremonyRun[] {
  const hashes = new Map<string, Set<string>>([
    [OFFLINE_TOOL, new Set(offline.map((e) => e.hash))],
    [ONLINE_TOOL, new Set(online.map((e) => e.hash))],
  ]);
  for (const e of [...offline, ...online]) {
    const head = e.entry.peerLogHead;
    const other = e.entry.tool === OFFLINE_TOOL ? ONLINE_TOOL : OFFLINE_TOOL;
    if (head !== null && !hashes.get(other)!.has(head)) {
      report(
        'error',
        'interlock',
        e,
        `${where(e)} read a bundle written after ${other} log entry ${head.slice(0, 16)}…, which is not in the ${other} log: that log was edited or truncated`,
      );
    }
  }
  const prepares = okEntries(online, 'prepare');
  // Raw mode's entries link by their raw files' digests (raw-interlock.ts).
  const wraps = okWraps(offline).filter((w) => !isRawEntry(w.entry));
  const runs: CeremonyRun[] = checkRawInterlock(offline, online, report);
  for (const w of wraps) {
    const request = w.entry.inputs[REQUEST_LABEL];
    const p = prepares.find(
      (x) => request !== undefined && x.entry.outputs[REQUEST_LABEL] === request,
    );
    if (p === undefined) {
      report(
        'error',
        'interlock',
        w,
        `${where(w)} wrapped a request that no prepare in the online log wrote`,
      );
      continue;
    }
    if (w.entry.peerLogHead !== predecessorHash(online, p)) {
      report(
        'error',
        'interlock',
        w,
        `${where(w)} names online log head ${w.entry.peerLogHead ?? 'null'}, but the request was written by the prepare at online line ${p.line}, after another entry`,
      );
    }
    if (!sameCheckCode(w.entry, p.entry, REQUEST_LABEL))
      report(
        'error',
        'interlock',
        w,
        `${where(w)} records another request check code than online line ${p.line}`,
      );
  }
  for (const i of okEntries(online, 'import').filter((x) => !isRawEntry(x.entry))) {
    const wrapped = i.entry.inputs[WRAPPED_LABEL];
    const request = i.entry.inputs[REQUEST_LABEL];
    // The wrap that wrote the bundle is the entry right after the offline head the import names.
    const writers = wraps.filter(
      (x) => wrapped !== undefined && x.entry.outputs[WRAPPED_LABEL] === wrapped,
    );
    const w =
      writers.find((x) => predecessorHash(offline, x) === i.entry.peerLogHead) ?? writers[0];
    const p = prepares.find(
      (x) => request !== undefined && x.entry.outputs[REQUEST_LABEL] === request,
    );
    runs.push({
      prepare: p ?? null,
      wrap: w ?? null,
      import: i,
      requestDigest: request ?? null,
      wrappedDigest: wrapped ?? null,
    });
    if (w === undefined) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)} imported a wrapped bundle that no wrap in the offline log wrote`,
      );
      continue;
    }
    if (i.entry.peerLogHead !== predecessorHash(offline, w)) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)} names offline log head ${i.entry.peerLogHead ?? 'null'}, but the bundle was written by the wrap at offline line ${w.line}, after another entry`,
      );
    }
    if (w.entry.inputs[REQUEST_LABEL] !== request)
      report(
        'error',
        'interlock',
        i,
        `${where(i)} and offline line ${w.line} name different requests`,
      );
    if (p !== undefined && p.entry.seq > i.entry.seq)
      report(
        'error',
        'interlock',
        i,
        `${where(i)} comes before the prepare at line ${p.line} that it answers`,
      );
    if (!sameCheckCode(w.entry, i.entry, WRAPPED_LABEL))
      report(
        'error',
        'interlock',
        i,
        `${where(i)} records another wrapped check code than offline line ${w.line}`,
      );
    for (const key of i.entry.keys) {
      const wrappedKey = w.entry.keys.find((k) => k.keyArn === key.keyArn);
      if (wrappedKey === undefined) {
        report(
          'error',
          'interlock',
          i,
          `${where(i)} imported into ${key.keyArn}, which offline line ${w.line} did not wrap for`,
        );
      } else if (
        key.kcv !== undefined &&
        wrappedKey.kcv !== undefined &&
        key.kcv !== wrappedKey.kcv
      ) {
        report(
          'error',
          'interlock',
          i,
          `${where(i)}: KCV ${key.kcv} of ${key.keyArn} differs from ${wrappedKey.kcv} at offline line ${w.line}`,
        );
      }
    }
  }
  return runs;
}

function lineRanges(entries: readonly LoggedEntry[]): string {
  const ranges: string[] = [];
  let start = 0;
  for (let i = 1; i <= entries.length; i++) {
    if (i < entries.length && entries[i]!.line === entries[i - 1]!.line + 1) continue;
    const first = entries[start]!.line;
    const last = entries[i - 1]!.line;
    ranges.push(first === last ? `${first}` : `${first}–${last}`);
    start = i;
  }
  return `${entries.length === 1 ? 'line' : 'lines'} ${ranges.join(', ')}`;
}

/** Where protection starts: each log whose head the paper record gives, each pinned signature. */
function anchorRoots(
  chains: readonly AuditChainResult[],
  expected: readonly ExpectedHead[],
  pinnedSigned: ReadonlyMap<LoggedEntry, string[]>,
): AnchorRoot[] {
  const roots: AnchorRoot[] = [];
  for (const chain of chains) {
    const last = chain.entries.find((x) => x.hash === chain.head);
    if (last === undefined) continue;
    for (const h of expected)
      if ((h.tool === undefined || h.tool === chain.tool) && headMatches(h, chain.head!))
        roots.push({ entry: last, anchor: `the head of ${chain.file} (${h.source})` });
  }
  for (const [e, operators] of pinnedSigned)
    roots.push({
      entry: e,
      anchor: `the pinned signature(s) of ${operators.join(' and ')} on ${e.file}:${e.line}`,
    });
  return roots;
}

/**
 * Only anchors protect: a head from the paper record, a pinned operator's signature, and what an
 * anchored line names. A successful wrap or import that no anchor covers is reported.
 */
function checkAnchors(
  chains: readonly AuditChainResult[],
  roots: readonly AnchorRoot[],
  anchorsGiven: boolean,
  report: Report,
): Map<LoggedEntry, Coverage> {
  const covered = anchorCoverage(
    chains.flatMap((c) => (c.tool === null ? [] : [{ tool: c.tool, entries: c.entries }])),
    roots,
  );
  if (!anchorsGiven && chains.some((c) => c.entries.length > 0))
    report(
      'error',
      'unanchored',
      null,
      'no anchor was given: no --expect-head or --paper-record head and no --operator-pubkey, and a hash chain proves nothing by itself (whoever rewrites a log can recompute it)',
    );
  for (const chain of chains) {
    if (chain.entries.length === 0) continue;
    const uncovered = chain.entries.filter((e) => !covered.has(e));
    const anchors = [
      ...new Set(chain.entries.flatMap((e) => (covered.has(e) ? [covered.get(e)!.anchor] : []))),
    ];
    const by = anchors.length === 0 ? '' : `covered by ${anchors.join('; ')}`;
    report(
      'info',
      'anchor',
      chain.entries[0]!,
      uncovered.length === 0
        ? `all ${chain.entries.length} line(s) ${by}`
        : `${lineRanges(uncovered)} covered by no anchor${by === '' ? '' : `; the others ${by}`}`,
    );
    for (const e of uncovered) {
      if (!isTwoPersonSuccess(e.entry)) continue;
      report(
        'error',
        'unanchored',
        e,
        `${where(e)} is covered by no anchor: no paper-record head of ${chain.file}, no pinned operator's signature on it or a later line, and no covered line of the other log naming it or a later line, so it could be forged or replaced without a trace`,
      );
    }
  }
  return covered;
}

/** The ceremony is done when the last import put material into every key of its request, proven and Enabled. */
function checkCompletion(online: readonly LoggedEntry[], report: Report): void {
  const imports = okEntries(online, 'import');
  const last = imports.at(-1);
  if (last === undefined) {
    report(
      'error',
      'incomplete',
      null,
      'the ceremony did not complete: the online log has no successful import',
    );
    return;
  }
  if (isRawEntry(last.entry)) {
    checkRawCompletion(online, last, report);
    return;
  }
  const request = last.entry.inputs[REQUEST_LABEL];
  const prepare = okEntries(online, 'prepare').find(
    (p) => request !== undefined && p.entry.outputs[REQUEST_LABEL] === request,
  );
  const wanted = prepare?.entry.keys.map((k) => k.keyArn) ?? last.entry.keys.map((k) => k.keyArn);
  if (prepare === undefined)
    report(
      'error',
      'incomplete',
      last,
      `${where(last)} answers a request that no prepare in this log wrote`,
    );
  for (const arn of wanted) {
    const key = last.entry.keys.find((k) => k.keyArn === arn);
    if (key === undefined) {
      report(
        'error',
        'incomplete',
        last,
        `${where(last)} did not import ${arn}, which the request names`,
      );
    } else if (key.keyState !== 'Enabled') {
      report(
        'error',
        'incomplete',
        last,
        `${where(last)}: ${arn} ended in state ${key.keyState ?? 'unknown'}, not Enabled`,
      );
    } else if (key.proof === undefined || !PROOF_KINDS.includes(key.proof)) {
      report(
        'error',
        'incomplete',
        last,
        `${where(last)}: no proof is recorded that ${arn} holds the material`,
      );
    }
  }
}

/**
 * Verifies one or both logs of a ceremony: each chain, the entries' signatures, the two-person
 * rule, the interlock between the machines and that the ceremony completed. Pure: the logs are
 * read and Ed25519 is supplied by the caller.
 */
export function verifyTranscript(
  chains: readonly AuditChainResult[],
  options: TranscriptOptions,
): TranscriptResult {
  const findings: AuditFinding[] = chains.flatMap((c) => c.findings);
  const report: Report = (severity, code, at, message) =>
    findings.push({ severity, code, file: at?.file ?? null, line: at?.line ?? null, message });

  const byTool = new Map<string, AuditChainResult>();
  for (const chain of chains) {
    if (chain.tool === null) continue;
    const other = byTool.get(chain.tool);
    if (other !== undefined) {
      report(
        'error',
        'interlock',
        null,
        `${other.file} and ${chain.file} are both ${chain.tool} logs: give one log per machine`,
      );
    } else {
      byTool.set(chain.tool, chain);
    }
  }
  const entries = chains.flatMap((c) => c.entries);
  const keysSeen = new Map<string, { key: string; at: LoggedEntry }>();
  const pinnedSigned = new Map<LoggedEntry, string[]>();
  for (const e of entries) {
    checkOperators(e, report);
    checkCodesMatchDigests(e, report);
    checkSignatures(e, options, keysSeen, report, pinnedSigned);
    const others = e.entry.exceptions.filter((x) => x !== SINGLE_OPERATOR_EXCEPTION);
    if (others.length > 0)
      report(
        'exception',
        'recorded-exception',
        e,
        `${where(e)} records exception(s): ${others.join(', ')}`,
      );
    if (e.entry.outcome === 'error')
      report(
        'exception',
        'command-failed',
        e,
        `${where(e)} failed: ${e.entry.error?.code ?? ''} ${e.entry.error?.message ?? ''}`.trimEnd(),
      );
  }
  const expected = (options.expectedHeads ?? []).map((h) =>
    typeof h === 'string' ? (parseExpectedHead(h, '--expect-head') ?? invalidHead(h)) : h,
  );
  for (const h of expected) {
    const fits = chains.filter(
      (c) => c.head !== null && (h.tool === undefined || h.tool === c.tool),
    );
    if (!fits.some((c) => headMatches(h, c.head!)))
      report(
        'error',
        'head-unexpected',
        null,
        `no ${h.tool ?? ''}${h.tool === undefined ? '' : ' '}log ends at the head ${h.value} (${h.source}): a log was truncated, replaced, or lines were added`,
      );
  }

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
  if (online !== undefined) {
    checkCompletion(online, report);
  } else if (offline !== undefined && okWraps(offline).length === 0) {
    report('error', 'incomplete', null, 'the offline log has no successful wrap');
  }
  if (online === undefined && offline !== undefined) {
    runs = okWraps(offline).map((w) => ({
      prepare: null,
      wrap: w,
      import: null,
      requestDigest: w.entry.inputs[REQUEST_LABEL] ?? null,
      wrappedDigest: w.entry.outputs[WRAPPED_LABEL] ?? null,
    }));
  }
  const kmsEndpoints = kmsEndpointsOf(entries);
  const errors = findings.filter((f) => f.severity === 'error');
  const verdict: TranscriptVerdict =
    errors.length === 0
      ? 'VERIFIED'
      : errors.every((f) => f.code === 'unanchored')
        ? 'UNANCHORED'
        : 'FAILED';
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
