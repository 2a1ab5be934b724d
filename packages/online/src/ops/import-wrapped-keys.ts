import type { ImportRequestBundle, ImportTarget, WrappedKeyBundle } from '@byok-ceremony/shared';
import {
  factsOfFailure,
  interruptedError,
  withFailureFacts,
  type Ceremony,
} from '@byok-ceremony/node-io';
import { nodeBundleDigest } from '@byok-ceremony/node-io/key-material';
import type { KmsPort } from '../kms/kms-port.js';
import type { HeldAtPrepare } from './held-at-prepare.js';
import { importOneKey, type KeyImport } from './import-one-key.js';
import type { ImportJournalFile } from './import-journal.js';
import { ImportProgress, type ImportedKey } from './import-progress.js';
import type { Expiration } from './resolve-expiration.js';
import { runBounded } from './run-bounded.js';
import type { WaitOptions } from './wait-for-imported.js';

export type { ImportedKey } from './import-progress.js';

export interface ImportRun {
  /** Once aborted, no further key is started; the ones in flight finish. */
  readonly signal: AbortSignal;
  /** Key ARN → KeyMaterialId that this machine's log records as imported from this same request. */
  readonly onRecord: ReadonlyMap<string, string>;
  /** What the keys had when the request was prepared, to judge what a journal claims. */
  readonly heldAtPrepare: HeldAtPrepare;
  /** Keys in flight at once (DescribeKey, ImportKeyMaterial, the proof). */
  readonly concurrency: number;
  /** Where each key's sending and outcome go, durably, before the next step. */
  readonly journal: ImportJournalFile;
  readonly now: () => Date;
  /** Told of each key as it settles, in completion order (progress, --json-lines). */
  readonly onKey?: (index: number, key: ImportedKey, total: number) => void;
  /** The request's bundle digest when the caller computed it already. */
  readonly requestDigest?: string;
  /** Each target's import token, in target order (a version 3 request's come from its tokens file). */
  readonly importTokens: readonly Uint8Array[];
  /** KeyMaterialDescription for the keys that take one (symmetric encryption keys). */
  readonly keyMaterialDescription: string;
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
 * exactly once (`importOneKey`): its sending is journaled (fsynced) before ImportKeyMaterial goes
 * out and its outcome after the proof, so a resumed run skips what is done and checks what was
 * in flight before sending anything. Returns the keys imported, their records as the facts, in
 * target order; a failure or an interruption carries the records of the keys settled so far.
 */
export async function importWrappedKeys(
  kms: KmsPort,
  request: ImportRequestBundle,
  wrapped: WrappedKeyBundle,
  /** Each target's expiry: the flags' one for all, or each key's from a plan. */
  expirationOf: (target: ImportTarget) => Expiration,
  wait: WaitOptions,
  run: ImportRun,
): Promise<Ceremony<readonly ImportedKey[]>> {
  const requestDigest = run.requestDigest ?? nodeBundleDigest(request);
  const total = request.targets.length;
  const progress = new ImportProgress(total);
  // By group once: a search per key would be quadratic in the keys.
  const materialOf = new Map(wrapped.materials.map((m) => [m.materialGroup, m]));
  const keyImport = (i: number): KeyImport => {
    const target = request.targets[i]!;
    return {
      kms,
      index: i,
      target,
      answer: wrapped.targets[i]!,
      importToken: run.importTokens[i]!,
      keyMaterialDescription: run.keyMaterialDescription,
      material: materialOf.get(target.materialGroup)!,
      requestDigest,
      expiration: expirationOf(target),
      wait,
      signal: run.signal,
      onRecord: run.onRecord.get(target.keyArn),
      heldAtPrepare: run.heldAtPrepare,
      journal: run.journal,
      now: run.now,
    };
  };
  const importOne = async (i: number): Promise<void> => {
    try {
      const settled = await importOneKey(keyImport(i));
      if (settled === undefined) return;
      progress.record(i, settled.record);
      progress.settle(i, settled.key);
      run.onKey?.(i, settled.key, total);
    } catch (error) {
      const [record] = factsOfFailure(error).keys ?? [];
      if (record !== undefined) progress.record(i, record);
      throw error;
    }
  };
  try {
    // A material group's first target (a multi-Region primary) is imported before the others
    // (its replicas): KMS takes the replicas' EXISTING_KEY_MATERIAL only once the primary has it.
    for (const wave of importWaves(request.targets)) {
      await runBounded(wave, run.concurrency, (i) => importOne(i), run.signal);
      if (run.signal.aborted) break;
    }
  } catch (error) {
    throw withFailureFacts(error, progress.facts());
  }
  const imported = progress.imported();
  if (imported.length < total)
    throw withFailureFacts(
      interruptedError(
        `after ${imported.length} of ${total} key(s)`,
        // The journal exists now: a plain re-run is refused, --resume does exactly the rest.
        'Run the same import again with --resume (same --request and --wrapped): it checks in KMS every key whose outcome is unknown and imports exactly the rest.',
      ),
      progress.facts(),
    );
  return { result: imported, facts: progress.facts() };
}
