import {
  ByokError,
  type AuditKeyRecord,
  type ImportRequestBundle,
  type ImportTarget,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import { interruptedError } from '@byok-ceremony/node-io';
import { nodeBundleDigest } from '@byok-ceremony/node-io/key-material';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { importExactlyOnce, importLanded } from './import-exactly-once.js';
import type { ImportJournalPort, KeyBefore, KeyDone } from './import-journal.js';
import { runBounded } from './run-bounded.js';
import type { Expiration } from './resolve-expiration.js';
import { importTypeParameters } from './import-type-parameters.js';
import { proveMaterial, type ProofKind } from './prove-material.js';
import { waitForImported, waitForMaterialImported, type WaitOptions } from './wait-for-imported.js';
import { alreadyHolds, checkJournaledDone } from './already-holds.js';
import { claimedMaterialProblem } from './claimed-material-problem.js';
import type { HeldAtPrepare } from './held-at-prepare.js';

export interface ImportedKey {
  readonly keyArn: string;
  readonly keyState: string;
  readonly keyMaterialId: string | null;
  readonly kcv: string;
  readonly proof: ProofKind;
  readonly proven: boolean;
  /** The key already held this material (an earlier, interrupted run): not imported again. */
  readonly alreadyHeld: boolean;
  /** The material is the key's current one (as DescribeKey showed it); false when pending rotation. */
  readonly current: boolean;
}

/** Filled as keys are imported, so a failure part-way still reports (and logs) what happened. */
export interface ImportJournal {
  readonly imported: ImportedKey[];
  readonly auditKeys: AuditKeyRecord[];
}

export interface ImportRun {
  /** Once aborted, no further key is started; the ones in flight finish. */
  readonly signal: AbortSignal;
  /** Key ARN → KeyMaterialId this machine's log records as imported from this same request. */
  readonly onRecord: ReadonlyMap<string, string>;
  /** What the keys had when the request was prepared, to judge what a journal claims. */
  readonly heldAtPrepare: HeldAtPrepare;
  /** Keys in flight at once (DescribeKey, ImportKeyMaterial, the proof). */
  readonly concurrency: number;
  /** Where each key's sending and outcome go, durably, before the next step. */
  readonly journal: ImportJournalPort;
  readonly now: () => Date;
  /** Told of each key as it settles, in completion order (progress, --json-lines). */
  readonly onKey?: (index: number, key: ImportedKey, total: number) => void;
  /** The request's bundle digest when the caller computed it already. */
  readonly requestDigest?: string;
}

/** A journal's claim that KMS does not bear out: nothing more is sent, nothing counts as done. */
function journalNotBorneOut(claim: string, problem: string): ByokError {
  return new ByokError('ERR_JOURNAL', `${claim}, but ${problem}`, {
    hint: 'Nothing more was sent. The journal beside the request does not match KMS: find out who could write there. To import anyway, move the journal aside and run import without --resume (KMS is checked for every key first).',
  });
}

/** Target indices in two waves: the first target of each material group, then the rest. */
export function importWaves(targets: readonly ImportTarget[]): number[][] {
  const seen = new Set<string>();
  const first: number[] = [];
  const rest: number[] = [];
  targets.forEach((t, i) => {
    if (seen.has(t.materialGroup)) rest.push(i);
    else {
      seen.add(t.materialGroup);
      first.push(i);
    }
  });
  return rest.length === 0 ? [first] : [first, rest];
}

/**
 * Imports every target of a checked request/wrapped pair, `run.concurrency` keys at a time, each
 * exactly once: its sending is journaled (fsynced) before ImportKeyMaterial goes out and its
 * outcome after the proof, so a resumed run skips what is done and checks (importLanded) what
 * was in flight before sending anything. Results and audit records are in target order.
 */
export async function importWrappedKeys(
  kms: KmsPort,
  request: ImportRequestBundle,
  wrapped: WrappedKeyBundle,
  expiration: Expiration,
  wait: WaitOptions,
  journal: ImportJournal,
  run: ImportRun,
): Promise<void> {
  const requestDigest = run.requestDigest ?? nodeBundleDigest(request);
  const audit: (AuditKeyRecord | undefined)[] = request.targets.map(() => undefined);
  const imported: (ImportedKey | undefined)[] = request.targets.map(() => undefined);
  const settled = (index: number, key: ImportedKey, record: AuditKeyRecord): void => {
    audit[index] = record;
    imported[index] = key;
    run.onKey?.(index, key, request.targets.length);
  };

  const importOne = async (target: ImportTarget, i: number): Promise<void> => {
    const answer = wrapped.targets[i]!;
    const material = wrapped.materials.find((m) => m.materialGroup === target.materialGroup)!;
    const keyRecord: AuditKeyRecord = {
      keyArn: target.keyArn,
      keySpec: target.keySpec,
      materialGroup: target.materialGroup,
      wrappingKeyFingerprint: answer.wrappingKeyFingerprint,
      kcv: material.kcv,
    };
    const done = async (d: KeyDone, write: boolean): Promise<void> => {
      if (write)
        await run.journal.append({
          event: 'imported',
          target: i,
          keyArn: target.keyArn,
          time: run.now().toISOString(),
          ...d,
        });
      settled(
        i,
        { keyArn: target.keyArn, kcv: material.kcv, ...d },
        {
          ...keyRecord,
          keyState: d.keyState,
          ...(d.keyMaterialId === null ? {} : { keyMaterialId: d.keyMaterialId }),
          proof: d.proof,
        },
      );
    };
    const prove = async (described: KeyDescription, keyMaterialId: string | null) => {
      try {
        return await proveMaterial(kms, target, material, requestDigest);
      } catch (error) {
        audit[i] = {
          ...keyRecord,
          keyState: described.keyState,
          ...(keyMaterialId === null ? {} : { keyMaterialId }),
          proof: material.proof.kind,
        };
        throw error;
      }
    };

    const earlier = run.journal.earlier.keys.get(i);
    if (earlier?.done !== undefined) {
      const check = await checkJournaledDone(
        kms,
        target,
        material,
        requestDigest,
        earlier.done,
        run.heldAtPrepare,
      );
      if (check.problem === undefined)
        return done(
          { ...earlier.done, current: earlier.done.current && !check.pendingRotation },
          false,
        );
      throw journalNotBorneOut(
        `the import journal says ${target.keyArn} was imported (material ${earlier.done.keyMaterialId ?? 'unknown'})`,
        check.problem,
      );
    }
    let before: KeyBefore;
    if (earlier?.sending !== undefined) {
      // Sent by an earlier run that never recorded the answer: find out before sending again.
      const landed = await importLanded(kms, target, earlier.sending);
      if (landed !== undefined) {
        const keyMaterialId = landed.keyMaterialId ?? null;
        // The key as it was before sending comes from the journal too: KMS must bear it out.
        const problem =
          material.proof.kind === 'kcv-only' && keyMaterialId !== null
            ? claimedMaterialProblem(landed.materials, target, keyMaterialId, run.heldAtPrepare)
            : undefined;
        if (problem !== undefined)
          throw journalNotBorneOut(
            `the import journal says material was sent to ${target.keyArn}, and KMS shows ${keyMaterialId ?? 'none'}`,
            problem,
          );
        const { proof, proven } = await prove(landed.described, keyMaterialId);
        const current = keyMaterialId === (landed.described.currentKeyMaterialId ?? null);
        const keyState = landed.described.keyState;
        return done({ keyState, keyMaterialId, proof, proven, alreadyHeld: true, current }, true);
      }
      before = earlier.sending;
    } else {
      const recorded = run.onRecord.get(target.keyArn);
      const { described, held } = await alreadyHolds(
        kms,
        target,
        material,
        requestDigest,
        recorded,
      );
      if (held !== undefined) {
        // New material held is the recorded one, pending rotation; otherwise the current one.
        const keyMaterialId =
          (target.importType === 'NEW_KEY_MATERIAL'
            ? (recorded ?? described.currentKeyMaterialId)
            : (described.currentKeyMaterialId ?? recorded)) ?? null;
        const current = keyMaterialId === (described.currentKeyMaterialId ?? null);
        return done(
          { keyState: described.keyState, keyMaterialId, ...held, alreadyHeld: true, current },
          true,
        );
      }
      before = {
        keyState: described.keyState,
        keyMaterialId: described.currentKeyMaterialId ?? null,
      };
    }
    if (run.signal.aborted) return;
    // Both bundles were validated as strict base64 before they reached this operation.
    const importToken = Buffer.from(target.importToken, 'base64');
    const encryptedKeyMaterial = Buffer.from(answer.encryptedKeyMaterial, 'base64');
    await run.journal.append({
      event: 'sending',
      target: i,
      keyArn: target.keyArn,
      time: run.now().toISOString(),
      ...before,
    });
    const result = await importExactlyOnce(kms, {
      input: {
        keyId: target.keyArn,
        importToken,
        encryptedKeyMaterial,
        expirationModel: expiration.expirationModel,
        validTo: expiration.validTo,
        ...importTypeParameters(target),
      },
      target,
      before,
      sleep: wait.sleep,
    });
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
    audit[i] = {
      ...keyRecord,
      keyState: described.keyState,
      ...(keyMaterialId === null ? {} : { keyMaterialId }),
    };
    const { proof, proven } = await prove(described, keyMaterialId);
    const current = keyMaterialId === (described.currentKeyMaterialId ?? null);
    await done(
      { keyState: described.keyState, keyMaterialId, proof, proven, alreadyHeld: false, current },
      true,
    );
  };

  try {
    // A material group's first target (a multi-Region primary) is imported before the others
    // (its replicas): KMS takes the replicas' EXISTING_KEY_MATERIAL only once the primary has it.
    for (const wave of importWaves(request.targets)) {
      await runBounded(wave, run.concurrency, (i) => importOne(request.targets[i]!, i), run.signal);
      if (run.signal.aborted) break;
    }
  } finally {
    journal.auditKeys.push(...audit.filter((k) => k !== undefined));
    journal.imported.push(...imported.filter((k) => k !== undefined));
  }
  if (journal.imported.length < request.targets.length)
    throw interruptedError(`after ${journal.imported.length} of ${request.targets.length} key(s)`);
}
