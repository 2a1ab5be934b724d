import { formatAuditFinding } from './audit-finding.js';
import { headCodeOf } from './head-code.js';
import type { AuditKeyRecord, AuditKmsRecord } from './record.js';
import { REQUEST_LABEL } from './audit-label.js';
import { reportBackups, type ReportBackup } from './report-backups.js';
import type { TranscriptResult, TranscriptVerdict } from './verify/transcript-types.js';
import type { LoggedEntry } from './verify-chain.js';
import { checkCodeOf } from '../check-code/check-code.js';
import { canonicalJson } from '../digest/canonical-json.js';
import { sha256 } from '../digest/sha256.js';
import { decodeBase64 } from '../encoding/base64.js';
import { encodeHex } from '../encoding/hex.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { formatFingerprint } from '../material/fingerprint.js';

export const NON_DEFAULT_ENDPOINT = 'REHEARSAL/NON-AWS ENDPOINT';

/** How the report names a step's KMS, with a non-default endpoint flagged. */
export function formatKmsUsed(kms: AuditKmsRecord): string {
  const where = `Region ${kms.region}${kms.accounts.length === 0 ? '' : `, account ${kms.accounts.join(', ')}`}`;
  return kms.endpoint === null
    ? `KMS: ${where}, AWS default endpoint`
    : `KMS: ${where}, ${NON_DEFAULT_ENDPOINT}: ${kms.endpoint}`;
}

export interface ReportStep {
  readonly tool: string;
  readonly file: string;
  readonly line: number;
  readonly seq: number;
  readonly time: string;
  readonly command: string;
  readonly operators: readonly string[];
  readonly outcome: string;
  readonly error: string | null;
  readonly exceptions: readonly string[];
  readonly checkCodes: readonly (readonly [string, string])[];
  readonly digests: readonly (readonly [string, string])[];
  /** Operator and the fingerprint of their public key as keygen printed it, per signature. */
  readonly signatures: readonly (readonly [string, string])[];
  readonly peerLogHead: string | null;
  readonly kmsRequestIds: readonly string[];
  /** Where the step's KMS calls went (byok-online), or null when the entry records none. */
  readonly kms: AuditKmsRecord | null;
  readonly hash: string;
}

export interface ReportKey {
  readonly keyArn: string;
  /** The alias a step named the key by (create-key --alias, prepare --key-id alias/…), or null. */
  readonly alias: string | null;
  readonly keySpec: string | null;
  readonly materialGroup: string | null;
  readonly wrappingKeyFingerprint: string | null;
  readonly kcv: string | null;
  readonly keyMaterialId: string | null;
  readonly keyState: string | null;
  readonly proof: string | null;
}

export interface CeremonyReport {
  readonly title: string;
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly verified: boolean;
  readonly verdict: TranscriptVerdict;
  /**
   * The ceremony's id on every printed page: the check code of the import request the last
   * successful import answered (else of the last prepare), as the screens showed it; null if none.
   */
  readonly ceremonyId: string | null;
  /** A head-code-style digest of everything in the record but when and by what it was made. */
  readonly recordDigest: string;
  /** The anchors that cover the logs, as audit verify names them. */
  readonly anchors: readonly string[];
  readonly problems: readonly string[];
  readonly exceptions: readonly string[];
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  readonly tools: readonly string[];
  readonly operators: readonly string[];
  readonly witness: string | null;
  /** The ceremony plans the entries ran from (plan-driven commands): name, plan code, digest. */
  readonly plans: readonly { name: string; code: string; digest: string }[];
  readonly logs: readonly {
    file: string;
    tool: string;
    head: string;
    headCode: string | null;
    lines: number;
  }[];
  readonly steps: readonly ReportStep[];
  readonly keys: readonly ReportKey[];
  /** The backups the steps made (each with its custody rows) or recovered material from. */
  readonly backups: readonly ReportBackup[];
  /** Every KMS endpoint other than the SDK's AWS default that a step used: a rehearsal or not AWS. */
  readonly nonDefaultEndpoints: readonly string[];
}

export interface ReportMeta {
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly witness?: string;
  readonly title?: string;
}

/** As `operator keygen` printed it, so the witness compares it with what was written down. */
function publicKeyFingerprint(publicKey: string): string {
  const der = decodeBase64(publicKey);
  return der === undefined ? 'invalid key' : formatFingerprint(encodeHex(sha256(der)));
}

function ceremonyIdOf(result: TranscriptResult): string | null {
  const ok = result.entries.filter((e) => e.entry.outcome === 'ok');
  const last = (command: string) => ok.filter((e) => e.entry.command === command).at(-1);
  const digest =
    last('import')?.entry.inputs[REQUEST_LABEL] ?? last('prepare')?.entry.outputs[REQUEST_LABEL];
  return digest === undefined ? null : checkCodeOf(digest);
}

function mergeKey(into: Map<string, ReportKey>, key: AuditKeyRecord): void {
  // A wrap raw names no key; the import raw that follows it names the key and its state.
  if (key.keyArn === null) return;
  const was = into.get(key.keyArn);
  into.set(key.keyArn, {
    keyArn: key.keyArn,
    alias: key.alias ?? was?.alias ?? null,
    keySpec: key.keySpec ?? was?.keySpec ?? null,
    materialGroup: key.materialGroup ?? was?.materialGroup ?? null,
    wrappingKeyFingerprint:
      (key.wrappingKeyFingerprint === undefined
        ? undefined
        : formatFingerprint(key.wrappingKeyFingerprint)) ??
      was?.wrappingKeyFingerprint ??
      null,
    kcv: key.kcv ?? was?.kcv ?? null,
    keyMaterialId: key.keyMaterialId ?? was?.keyMaterialId ?? null,
    keyState: key.keyState ?? was?.keyState ?? null,
    proof: key.proof ?? was?.proof ?? null,
  });
}

/**
 * The ceremony record as operators and the witness read it: every step in time order with the
 * values compared aloud, the keys with their final states, the exceptions and the verdict.
 */
/** Each plan the entries name, once, in the order first named. */
function plansOf(entries: readonly LoggedEntry[]): CeremonyReport['plans'] {
  const plans = new Map<string, { name: string; code: string; digest: string }>();
  for (const { entry } of entries)
    if (entry.plan !== undefined && !plans.has(entry.plan.digest))
      plans.set(entry.plan.digest, { ...entry.plan, code: checkCodeOf(entry.plan.digest) });
  return [...plans.values()];
}

export function ceremonyReport(result: TranscriptResult, meta: ReportMeta): CeremonyReport {
  const entries = [...result.entries].sort((a, b) =>
    a.entry.time === b.entry.time ? 0 : a.entry.time < b.entry.time ? -1 : 1,
  );
  const keys = new Map<string, ReportKey>();
  for (const e of entries)
    if (e.entry.outcome === 'ok') for (const k of e.entry.keys) mergeKey(keys, k);
  const operators = [...new Set(entries.flatMap((e) => e.entry.operators))];
  const tools = [...new Set(entries.map((e) => `${e.entry.tool} ${e.entry.toolVersion}`))].sort();
  const body = {
    title: meta.title ?? 'Key ceremony record',
    verified: result.ok,
    verdict: result.verdict,
    ceremonyId: ceremonyIdOf(result),
    anchors: [...new Set(result.anchors.map((a) => a.anchor))],
    problems: result.findings.filter((f) => f.severity === 'error').map(formatAuditFinding),
    exceptions: result.findings.filter((f) => f.severity === 'exception').map(formatAuditFinding),
    firstTime: entries[0]?.entry.time ?? null,
    lastTime: entries.at(-1)?.entry.time ?? null,
    tools,
    operators,
    witness: meta.witness ?? null,
    plans: plansOf(entries),
    logs: result.logs.map((l) => ({
      file: l.file,
      tool: l.tool ?? 'unknown',
      head: l.head ?? 'none',
      headCode: l.head === null ? null : headCodeOf(l.head),
      lines: l.lineCount,
    })),
    steps: entries.map((e) => ({
      tool: e.entry.tool,
      file: e.file,
      line: e.line,
      seq: e.entry.seq,
      time: e.entry.time,
      command: e.entry.command,
      operators: e.entry.operators,
      outcome: e.entry.outcome,
      error: e.entry.error === null ? null : `${e.entry.error.code}: ${e.entry.error.message}`,
      exceptions: e.entry.exceptions,
      checkCodes: Object.entries(e.entry.checkCodes),
      digests: [
        ...Object.entries(e.entry.inputs).map(([k, v]) => [`in ${k}`, v] as const),
        ...Object.entries(e.entry.outputs).map(([k, v]) => [`out ${k}`, v] as const),
      ],
      signatures: (e.entry.signatures ?? []).map(
        (s) => [s.operator, publicKeyFingerprint(s.publicKey)] as const,
      ),
      peerLogHead: e.entry.peerLogHead,
      kmsRequestIds: e.entry.kmsRequestIds,
      kms: e.entry.kms ?? null,
      hash: e.hash,
    })),
    keys: [...keys.values()],
    backups: reportBackups(entries.map((e) => e.entry)),
    nonDefaultEndpoints: [
      ...new Set(entries.flatMap((e) => (e.entry.kms?.endpoint ? [e.entry.kms.endpoint] : []))),
    ],
  };
  // Two prints of one record from the same logs carry the same digest, whenever they were made.
  const recordDigest = headCodeOf(encodeHex(sha256(encodeUtf8(canonicalJson(body)))));
  return { ...body, recordDigest, generatedAt: meta.generatedAt, generatedBy: meta.generatedBy };
}
