import {
  ByokError,
  type AuditKeyRecord,
  type ImportTarget,
  type MaterialRecord,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { withFailureFacts } from '@byok-ceremony/node-io';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { alreadyHolds, checkJournaledDone } from './already-holds.js';
import { claimedMaterialProblem } from './claimed-material-problem.js';
import type { HeldAtPrepare } from './held-at-prepare.js';
import { importExactlyOnce, importLanded } from './import-exactly-once.js';
import type { ImportJournalFile, KeyBefore, KeyDone } from './import-journal.js';
import type { ImportedKey } from './import-progress.js';
import { importTypeParameters } from './import-type-parameters.js';
import { proveMaterial, type ProofKind } from './prove-material.js';
import type { Expiration } from './resolve-expiration.js';
import { waitForImported, waitForMaterialImported, type WaitOptions } from './wait-for-imported.js';

/** One target of a checked request/wrapped pair, with what importing it needs. */
export interface KeyImport {
  readonly kms: KmsPort;
  readonly index: number;
  readonly target: ImportTarget;
  readonly answer: WrappedKeyBundle['targets'][number];
  /** The token ImportKeyMaterial sends: the request's, or the one kept beside a version 3 request. */
  readonly importToken: Uint8Array;
  readonly keyMaterialDescription: string;
  readonly material: MaterialRecord;
  readonly requestDigest: string;
  readonly expiration: Expiration;
  readonly wait: WaitOptions;
  readonly signal: AbortSignal;
  /** The KeyMaterialId this machine's log records as imported from this request, if any. */
  readonly onRecord: string | undefined;
  readonly heldAtPrepare: HeldAtPrepare;
  readonly journal: ImportJournalFile;
  readonly now: () => Date;
}

/** A key settled: what the import reports, and its audit record. */
export interface KeySettled {
  readonly key: ImportedKey;
  readonly record: AuditKeyRecord;
}

/** Where a key stands once an earlier run's journal and KMS were consulted. */
type KeyReached =
  /** Settled already; `write`: its outcome is not yet in the journal. */
  | { readonly kind: 'settled'; readonly done: KeyDone; readonly write: boolean }
  /** KMS holds the material: it is to be proven. */
  | {
      readonly kind: 'holds';
      /** The key as KMS described it, or as its answer to ImportKeyMaterial left it. */
      readonly now: KeyNow;
      readonly keyMaterialId: string | null;
      readonly alreadyHeld: boolean;
    }
  /**
   * Nothing landed: ImportKeyMaterial is to be sent, the key being as `before`: read from KMS by
   * this run (`readNow`), or taken from an earlier run's journal, which proves nothing alone.
   */
  | { readonly kind: 'send'; readonly before: KeyBefore; readonly readNow: boolean };

/** What the audit record and the journal need of the key once it holds the material. */
type KeyNow = Pick<KeyDescription, 'keyState' | 'currentKeyMaterialId'>;

type KeyHolds = Extract<KeyReached, { readonly kind: 'holds' }>;
type KeyDoneReached = Extract<KeyReached, { readonly kind: 'settled' }>;

/** A key whose proof failed: where it stands, and why. */
interface KeyUnproven {
  readonly kind: 'unproven';
  readonly state: { readonly keyState: string; readonly keyMaterialId: string | null };
  readonly error: unknown;
}

/** A journal's claim that KMS does not bear out: nothing more is sent, nothing counts as done. */
function journalNotBorneOut(claim: string, problem: string): ByokError {
  return new ByokError('ERR_JOURNAL', `${claim}, but ${problem}`, {
    hint: 'Nothing more was sent. The journal beside the request does not match KMS: find out who could write there. To import anyway, move the journal aside and run import without --resume (KMS is checked for every key first).',
  });
}

/** The one place a key's audit record is made: the target, and where KMS left it. */
function keyRecordOf(
  key: KeyImport,
  state: { readonly keyState: string; readonly keyMaterialId: string | null; proof: ProofKind },
): AuditKeyRecord {
  return {
    keyArn: key.target.keyArn,
    keySpec: key.target.keySpec,
    materialGroup: key.target.materialGroup,
    wrappingKeyFingerprint: key.answer.wrappingKeyFingerprint,
    kcv: key.material.kcv,
    keyState: state.keyState,
    ...(state.keyMaterialId === null ? {} : { keyMaterialId: state.keyMaterialId }),
    proof: state.proof,
  };
}

/** An earlier run said the key is done: KMS must bear that out. */
async function resumeDone(key: KeyImport, done: KeyDone): Promise<KeyReached> {
  const { kms, target, material, requestDigest, heldAtPrepare } = key;
  const check = await checkJournaledDone(kms, target, material, requestDigest, done, heldAtPrepare);
  if (check.problem !== undefined)
    throw journalNotBorneOut(
      `the import journal says ${target.keyArn} was imported (material ${done.keyMaterialId ?? 'unknown'})`,
      check.problem,
    );
  return {
    kind: 'settled',
    done: { ...done, current: done.current && !check.pendingRotation },
    write: false,
  };
}

/** Sent by an earlier run that never recorded the answer: find out before sending again. */
async function resumeSending(key: KeyImport, sending: KeyBefore): Promise<KeyReached> {
  const { kms, target, material, heldAtPrepare } = key;
  const landed = await importLanded(kms, target, sending);
  if (landed === undefined) return { kind: 'send', before: sending, readNow: false };
  const keyMaterialId = landed.keyMaterialId ?? null;
  // The key as it was before sending comes from the journal too: KMS must bear it out.
  const problem =
    material.proof.kind === 'kcv-only' && keyMaterialId !== null
      ? claimedMaterialProblem(landed.materials, target, keyMaterialId, heldAtPrepare)
      : undefined;
  if (problem !== undefined)
    throw journalNotBorneOut(
      `the import journal says material was sent to ${target.keyArn}, and KMS shows ${keyMaterialId ?? 'none'}`,
      problem,
    );
  return { kind: 'holds', now: landed.described, keyMaterialId, alreadyHeld: true };
}

/** No journal for the key: KMS says whether it holds the material already (an earlier run). */
async function checkHeld(key: KeyImport): Promise<KeyReached> {
  const { kms, target, material, requestDigest, onRecord: recorded } = key;
  const { described, held } = await alreadyHolds(kms, target, material, requestDigest, recorded);
  if (held === undefined)
    return {
      kind: 'send',
      before: {
        keyState: described.keyState,
        keyMaterialId: described.currentKeyMaterialId ?? null,
      },
      readNow: true,
    };
  // New material held is the recorded one, pending rotation; otherwise the current one.
  const keyMaterialId =
    (target.importType === 'NEW_KEY_MATERIAL'
      ? (recorded ?? described.currentKeyMaterialId)
      : (described.currentKeyMaterialId ?? recorded)) ?? null;
  const current = keyMaterialId === (described.currentKeyMaterialId ?? null);
  const done = { keyState: described.keyState, keyMaterialId, ...held, alreadyHeld: true, current };
  return { kind: 'settled', done, write: true };
}

/** Resume: what the journal of an earlier run and KMS say of the key, before anything is sent. */
function resumeKey(key: KeyImport): Promise<KeyReached> {
  const earlier = key.journal.earlier.keys.get(key.index);
  if (earlier?.done !== undefined) return resumeDone(key, earlier.done);
  if (earlier?.sending !== undefined) return resumeSending(key, earlier.sending);
  return checkHeld(key);
}

/** Send: journaled (fsynced) first, then ImportKeyMaterial exactly once, then the wait. */
async function sendKey(key: KeyImport, before: KeyBefore, readNow: boolean): Promise<KeyHolds> {
  const { kms, target, answer, wait, expiration, journal, importToken } = key;
  // The wrapped bundle was validated as strict base64 before it reached this operation.
  const encryptedKeyMaterial = Buffer.from(answer.encryptedKeyMaterial, 'base64');
  const time = key.now().toISOString();
  await journal.append({
    event: 'sending',
    target: key.index,
    keyArn: target.keyArn,
    time,
    ...before,
  });
  const result = await importExactlyOnce(kms, {
    input: {
      keyId: target.keyArn,
      importToken,
      encryptedKeyMaterial,
      expirationModel: expiration.expirationModel,
      validTo: expiration.validTo,
      ...importTypeParameters(target, key.keyMaterialDescription),
    },
    target,
    before,
    sleep: wait.sleep,
  });
  if (
    result.answered &&
    result.keyMaterialId !== undefined &&
    readNow &&
    firstMaterialNeedsNoWait(key, before)
  )
    return {
      kind: 'holds',
      now: { keyState: 'Enabled', currentKeyMaterialId: result.keyMaterialId },
      keyMaterialId: result.keyMaterialId,
      alreadyHeld: false,
    };
  // A named re-import may leave the key PendingImport while other materials still await theirs.
  const named =
    target.importType === 'EXISTING_KEY_MATERIAL' && typeof target.keyMaterialId === 'string'
      ? target.keyMaterialId
      : undefined;
  const described =
    named === undefined
      ? await waitForImported(kms, target.keyArn, wait)
      : await waitForMaterialImported(kms, target.keyArn, named, wait);
  const keyMaterialId = result.keyMaterialId ?? described.currentKeyMaterialId ?? null;
  return { kind: 'holds', now: described, keyMaterialId, alreadyHeld: false };
}

/**
 * Whether KMS's answer to ImportKeyMaterial says all the wait would read: the first material of a
 * symmetric key that held none (this run's DescribeKey before sending: PendingImport, no current
 * material; a journal's word for it is not enough).
 * KMS imports the material before it answers, and a key whose one material is imported is
 * Enabled (the service model: "When this operation is successful, the state of the KMS key
 * changes to Enabled"), its current material the KeyMaterialId answered. A DescribeKey now could
 * only add a stale read. HMAC and asymmetric keys keep the wait: their proof (GenerateMac,
 * GetPublicKey) comes next and needs the key usable; so do re-imports, rotations and replicas,
 * whose state depends on materials this answer does not show.
 */
function firstMaterialNeedsNoWait(key: KeyImport, before: KeyBefore): boolean {
  return (
    key.target.keySpec === 'SYMMETRIC_DEFAULT' &&
    key.material.proof.kind === 'kcv-only' &&
    key.target.importType !== 'EXISTING_KEY_MATERIAL' &&
    before.keyState === 'PendingImport' &&
    before.keyMaterialId === null
  );
}

/** Prove: the material KMS holds is the request's (HMAC, public key, or its KCV alone). */
async function proveKey(key: KeyImport, holds: KeyHolds): Promise<KeyDoneReached | KeyUnproven> {
  const { now, keyMaterialId, alreadyHeld } = holds;
  const state = { keyState: now.keyState, keyMaterialId };
  try {
    const { proof, proven } = await proveMaterial(
      key.kms,
      key.target,
      key.material,
      key.requestDigest,
    );
    const current = keyMaterialId === (now.currentKeyMaterialId ?? null);
    return {
      kind: 'settled',
      done: { ...state, proof, proven, alreadyHeld, current },
      write: true,
    };
  } catch (error) {
    return { kind: 'unproven', state, error };
  }
}

/**
 * Imports one key exactly once: resume (what the journal and KMS say), send, confirm (the wait)
 * and prove, then its outcome to the journal. Undefined when the run was stopped before this key
 * was sent. A proof that fails throws its error carrying the key's record (KMS holds the
 * material), so the entry names it.
 */
export async function importOneKey(key: KeyImport): Promise<KeySettled | undefined> {
  const resumed = await resumeKey(key);
  if (resumed.kind === 'send' && key.signal.aborted) return undefined;
  const reached =
    resumed.kind === 'send' ? await sendKey(key, resumed.before, resumed.readNow) : resumed;
  const outcome = reached.kind === 'holds' ? await proveKey(key, reached) : reached;
  if (outcome.kind === 'unproven')
    throw withFailureFacts(outcome.error, {
      keys: [keyRecordOf(key, { ...outcome.state, proof: key.material.proof.kind })],
    });
  const { done } = outcome;
  if (outcome.write)
    await key.journal.append({
      event: 'imported',
      target: key.index,
      keyArn: key.target.keyArn,
      time: key.now().toISOString(),
      ...done,
    });
  return {
    key: { keyArn: key.target.keyArn, kcv: key.material.kcv, ...done },
    record: keyRecordOf(key, done),
  };
}
