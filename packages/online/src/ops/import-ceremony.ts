import {
  assertCheckCodesConfirmed,
  assertImportRequestBundle,
  assertWrappedAnswersRequest,
  assertWrappedKeyBundle,
  checkCodeOf,
  formatCheckCodeConfirmed,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import {
  interruptedError,
  parseJsonFile,
  type AuditFacts,
  type LoggedAuditEntry,
} from '@byok-ceremony/node-io';
import { nodeBundleDigest, nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import { assertNotSwapped } from './assert-not-swapped.js';
import { assertParametersFresh } from './assert-parameters-fresh.js';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import { importWrappedKeys, type ImportedKey, type ImportJournal } from './import-wrapped-keys.js';
import { materialsHeldAtPrepare } from './held-at-prepare.js';
import { regionRoutedKms } from './region-routed-kms.js';
import { resumeNote, type OpenJournal } from './import-journal.js';
import type { Expiration } from './resolve-expiration.js';
import { rotateAfterImport, type RotationOutcome } from './rotate-after-import.js';
import type { WaitOptions } from './wait-for-imported.js';

/** Where the wrapped bundle comes from: its file, or QR images of it (`--scan`). */
export type WrappedSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'scan'; readonly images: readonly string[] };

export interface ImportCeremonyInput {
  /** The import request file this machine's prepare wrote. */
  readonly request: string;
  readonly wrapped: WrappedSource;
  readonly operators: readonly string[];
  readonly expiration: Expiration;
  /** --rotate: RotateKeyOnDemand on each key that took new material, once every Region holds it. */
  readonly rotate: boolean;
  /** Continue the run its journal records (`import --resume`). */
  readonly resume: boolean;
  readonly concurrency: number;
}

export interface ImportCeremonyPorts extends OnlinePorts {
  /** Reads the wrapped bundle's QR frames; returns the bundle and the transfer's SHA-256. */
  readonly scanWrapped: (
    images: readonly string[],
  ) => Promise<{ readonly bundle: WrappedKeyBundle; readonly transferSha256: string }>;
  /** The codes the operators typed (flags or prompt), in operator order. */
  readonly typedCheckCodes: () => Promise<readonly string[]>;
  /** This machine's own audit log, for the request's origin and the keys already imported. */
  readonly localLog: readonly LoggedAuditEntry[];
  readonly localLogPath: string;
  readonly wait: WaitOptions;
  readonly signal: AbortSignal;
  /** The journal beside the request: created, or opened to resume. */
  readonly openJournal: OpenJournal;
  /** Told of each key as it settles (progress, --json-lines). */
  readonly onKey?: ((index: number, key: ImportedKey, total: number) => void) | undefined;
  /** Runs once every code matched, before KMS: operators unlock their keys (the runbook's order). */
  readonly afterConfirmation?: () => Promise<void>;
}

export interface ImportCeremonyResult {
  /** Typed by every operator before anything happened. */
  readonly checkCode: string;
  readonly keys: readonly ImportedKey[];
  readonly rotation: RotationOutcome;
}

/** Whether the request's log head is an entry of this machine's log (null: its first entry is prepare). */
function requestCameFromLog(
  request: ImportRequestBundle,
  log: readonly LoggedAuditEntry[],
): boolean {
  if (request.auditLogHead === null) return log[0]?.entry.command === 'prepare';
  return log.some((e) => e.hash === request.auditLogHead);
}

/** Key ARN → KeyMaterialId that earlier imports of this request on this log put on record. */
function keysOnRecord(
  log: readonly LoggedAuditEntry[],
  requestDigest: string,
): Map<string, string> {
  const found = new Map<string, string>();
  for (const { entry } of log) {
    if (entry.command !== 'import' || entry.inputs['request'] !== requestDigest) continue;
    for (const key of entry.keys)
      if (key.keyMaterialId !== undefined && key.keyArn !== null)
        found.set(key.keyArn, key.keyMaterialId);
  }
  return found;
}

/**
 * `import`: reads and checks both bundles, refuses expired parameters, warns when the request is
 * not from this log, then (only once every operator typed the wrapped bundle's code) imports,
 * waits and proves per key. The read bundle's code and digests go on record only after that.
 */
export async function importCeremony(
  input: ImportCeremonyInput,
  ports: ImportCeremonyPorts,
  facts: AuditFacts,
  journal: ImportJournal = { imported: [], auditKeys: [] },
): Promise<ImportCeremonyResult> {
  const requestBytes = await ports.readFile(input.request, 'import request');
  facts.input('requestFile', requestBytes);
  let wrapped: unknown;
  if (input.wrapped.kind === 'file') {
    const wrappedBytes = await ports.readFile(input.wrapped.path, 'wrapped-key bundle');
    facts.input('wrappedFile', wrappedBytes);
    wrapped = parseJsonFile(wrappedBytes, input.wrapped.path, 'wrapped-key bundle');
  }
  const request = parseJsonFile(requestBytes, input.request, 'import request');
  assertNotSwapped(request, wrapped);
  assertImportRequestBundle(request);
  if (input.wrapped.kind === 'scan') {
    const scanned = await ports.scanWrapped(input.wrapped.images);
    // The transport on record: the same SHA-256 wrap logged for the frames it showed.
    facts.inputs['qrTransfer'] = scanned.transferSha256;
    wrapped = scanned.bundle;
  }
  assertWrappedKeyBundle(wrapped);
  facts.peerLogHead = wrapped.auditLogHead;
  // Each bundle is hashed once; the digests are recorded only after the codes match.
  const requestDigest = nodeBundleDigest(request);
  const wrappedDigest = nodeBundleDigest(wrapped);
  const fingerprints = request.targets.map((t) =>
    nodeWrappingKeyFingerprint(Buffer.from(t.publicKey, 'base64')),
  );
  assertWrappedAnswersRequest(request, wrapped, { requestDigest, fingerprints });
  assertParametersFresh(request, ports.now());
  if (!requestCameFromLog(request, ports.localLog))
    ports.say(
      `warning: the import request was not prepared with this audit log (${ports.localLogPath}): its log head is not an entry of it; check --audit-log and that this is the ceremony's request`,
    );

  const checkCode = checkCodeOf(wrappedDigest);
  assertCheckCodesConfirmed(
    checkCode,
    input.operators,
    await ports.typedCheckCodes(),
    'wrapped-key bundle',
  );
  facts.inputs['request'] = requestDigest;
  facts.inputs['wrapped'] = wrappedDigest;
  facts.checkCodes['wrapped'] = checkCode;
  ports.say(formatCheckCodeConfirmed(input.operators));
  await ports.afterConfirmation?.();
  if (ports.signal.aborted) throw interruptedError('before any key was imported');

  const record = await ports.openJournal({
    resume: input.resume,
    request,
    digests: { request: requestDigest, wrapped: wrappedDigest },
  });
  let rotation: RotationOutcome;
  try {
    if (record.resumedBytes !== undefined) {
      facts.input('resumedJournal', record.resumedBytes);
      ports.say(resumeNote(record.earlier, request.targets.length));
    }
    rotation = await withKms(ports, async (home) => {
      // Replicas are imported in their own Regions: calls go by each key ARN's Region.
      const kms = regionRoutedKms(home, (region) => ports.openKms(region));
      try {
        try {
          await importWrappedKeys(kms, request, wrapped, input.expiration, ports.wait, journal, {
            signal: ports.signal,
            onRecord: keysOnRecord(ports.localLog, requestDigest),
            heldAtPrepare: materialsHeldAtPrepare(ports.localLog, requestDigest),
            requestDigest,
            concurrency: input.concurrency,
            journal: record,
            now: ports.now,
            ...(ports.onKey === undefined ? {} : { onKey: ports.onKey }),
          });
        } finally {
          facts.keys = journal.auditKeys;
        }
        for (const key of journal.imported)
          if (key.keyState === 'PendingImport')
            ports.say(
              `warning: ${key.keyArn} stays PendingImport until every one of its materials is imported again: re-import the others (byok-online status --key-id ${key.keyArn} lists them)`,
            );
        return await rotateAfterImport(
          kms,
          request,
          input.rotate,
          ports.wait,
          facts,
          journal.imported,
        );
      } finally {
        kms.close();
      }
    });
  } finally {
    await record.close();
  }
  return { checkCode, keys: journal.imported, rotation };
}
