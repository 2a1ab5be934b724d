import {
  assertCheckCodesConfirmed,
  assertImportRequestBundle,
  assertWrappedAnswersRequest,
  assertWrappedKeyBundle,
  checkCodeOf,
  codeDifference,
  formatCheckCodeConfirmed,
  type AuditPlanRecord,
  type ImportRequestBundle,
  type ImportTarget,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import {
  FactsBuilder,
  inputFact,
  interruptedError,
  parseJsonFile,
  withFailureFacts,
  type Ceremony,
  type CeremonyFacts,
  type LoggedAuditEntry,
} from '@byok-ceremony/node-io';
import { nodeBundleDigest, nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import { assertNotSwapped } from './assert-not-swapped.js';
import { assertParametersFresh } from './assert-parameters-fresh.js';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import { importWrappedKeys, type ImportedKey } from './import-wrapped-keys.js';
import { importTokensOf, readKeptTokens } from './kept-import-tokens.js';
import { keyMaterialDescriptionOf } from './key-material-description.js';
import { materialsHeldAtPrepare } from './held-at-prepare.js';
import { regionRoutedKms } from './region-routed-kms.js';
import { resumeNote, type OpenedJournalFile, type OpenJournalFile } from './import-journal.js';
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
  /**
   * A plan-driven import: the plan on record, its refusal of a request that is not the plan's
   * (before any code is asked), and each key's expiry from the plan, by material group.
   */
  readonly plan?: {
    readonly record: AuditPlanRecord;
    readonly assertRequest: (request: ImportRequestBundle) => void;
    readonly expirationOf: (materialGroup: string) => Expiration;
  };
}

export interface ImportCeremonyPorts extends OnlinePorts {
  /** Reads the wrapped bundle's QR frames; returns the bundle and the transfer's SHA-256. */
  readonly scanWrapped: (
    images: readonly string[],
  ) => Promise<{ readonly bundle: WrappedKeyBundle; readonly transferSha256: string }>;
  /**
   * The codes the operators typed (flags or prompt), in operator order; a prompt may use
   * `difference` (which groups of a typed code differ) to have a mistyped code typed again.
   */
  readonly typedCheckCodes: (
    difference: (typed: string) => string | undefined,
  ) => Promise<readonly string[]>;
  /** --resume: refuses a journal of another request or wrapped bundle, before the codes. */
  readonly assertJournalResumable?: (options: {
    readonly request: ImportRequestBundle;
    readonly digests: { readonly request: string; readonly wrapped: string };
  }) => Promise<void>;
  /** This machine's own audit log, for the request's origin and the keys already imported. */
  readonly localLog: readonly LoggedAuditEntry[];
  readonly localLogPath: string;
  readonly wait: WaitOptions;
  readonly signal: AbortSignal;
  /** The journal beside the request: created, or opened to resume. */
  readonly openJournal: OpenJournalFile;
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

/** Each target's expiry: the plan's for its key, else the one of the flags. */
function expirationOf(input: ImportCeremonyInput): (target: ImportTarget) => Expiration {
  const { plan } = input;
  return plan === undefined
    ? () => input.expiration
    : (target) => plan.expirationOf(target.materialGroup);
}

/** Both bundles read, parsed and checked against each other, the wrapped one not yet confirmed. */
interface CheckedPair {
  readonly request: ImportRequestBundle;
  readonly wrapped: WrappedKeyBundle;
  readonly requestDigest: string;
  readonly wrappedDigest: string;
  /** Per target, in target order: from the request (versions 1, 2) or the tokens file kept (3). */
  readonly importTokens: readonly Uint8Array[];
}

/** What readBundles read: the request, the wrapped bundle unchecked, and any kept tokens. */
interface ReadBundles {
  readonly request: ImportRequestBundle;
  readonly wrapped: unknown;
  readonly keptTokens: { readonly path: string; readonly bytes: Uint8Array } | undefined;
}

/** Reads the request and the wrapped bundle (its file or its QR frames), each on record as read. */
async function readBundles(
  input: ImportCeremonyInput,
  ports: ImportCeremonyPorts,
): Promise<Ceremony<ReadBundles>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
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
    // Version 3 carries only the tokens' hashes: the tokens were kept beside the request.
    const keptTokens =
      request.version === 3
        ? await readKeptTokens(input.request, (path) => ports.readFile(path, 'import tokens file'))
        : undefined;
    if (keptTokens !== undefined) facts.input('tokensFile', keptTokens.bytes);
    if (input.wrapped.kind === 'scan') {
      const scanned = await ports.scanWrapped(input.wrapped.images);
      // The transport on record: the same SHA-256 wrap logged for the frames it showed.
      facts.add({ inputs: { qrTransfer: scanned.transferSha256 } });
      wrapped = scanned.bundle;
    }
    return { request, wrapped, keptTokens };
  });
}

/**
 * Checks that the wrapped bundle answers the request and the parameters are fresh, and warns
 * when the request is not from this log. The peer's log head is on record once it parsed.
 */
function checkPair(
  { request, wrapped, keptTokens }: ReadBundles,
  ports: ImportCeremonyPorts,
  plan: ImportCeremonyInput['plan'],
): Ceremony<CheckedPair> {
  assertWrappedKeyBundle(wrapped);
  plan?.assertRequest(request);
  const facts: CeremonyFacts = { peerLogHead: wrapped.auditLogHead };
  try {
    // Each bundle is hashed once; the digests are recorded only after the codes match.
    const requestDigest = nodeBundleDigest(request);
    const wrappedDigest = nodeBundleDigest(wrapped);
    const fingerprints = request.targets.map((t) =>
      nodeWrappingKeyFingerprint(Buffer.from(t.publicKey, 'base64')),
    );
    assertWrappedAnswersRequest(request, wrapped, { requestDigest, fingerprints });
    const importTokens = importTokensOf(request, requestDigest, keptTokens);
    assertParametersFresh(request, ports.now());
    if (!requestCameFromLog(request, ports.localLog))
      ports.say(
        `warning: the import request was not prepared with this audit log (${ports.localLogPath}): its log head is not an entry of it; check --audit-log and that this is the ceremony's request`,
      );
    return {
      result: { request, wrapped, requestDigest, wrappedDigest, importTokens },
      facts,
    };
  } catch (error) {
    throw withFailureFacts(error, facts);
  }
}

/** Every operator typed the wrapped bundle's code: only then are its digests and code on record. */
async function confirmWrapped(
  pair: CheckedPair,
  input: ImportCeremonyInput,
  ports: ImportCeremonyPorts,
): Promise<Ceremony<string>> {
  const checkCode = checkCodeOf(pair.wrappedDigest);
  assertCheckCodesConfirmed(
    checkCode,
    input.operators,
    await ports.typedCheckCodes((typed) => codeDifference(checkCode, typed)),
    'wrapped-key bundle',
  );
  const facts: CeremonyFacts = {
    inputs: { request: pair.requestDigest, wrapped: pair.wrappedDigest },
    checkCodes: { wrapped: checkCode },
  };
  ports.say(formatCheckCodeConfirmed(input.operators));
  try {
    await ports.afterConfirmation?.();
    if (ports.signal.aborted) throw interruptedError('before any key was imported');
  } catch (error) {
    throw withFailureFacts(error, facts);
  }
  return { result: checkCode, facts };
}

/** Imports every key through its Region's KMS, then rotates (or reports pending) what took new material. */
async function importAndRotate(
  pair: CheckedPair,
  input: ImportCeremonyInput,
  ports: ImportCeremonyPorts,
  journal: OpenedJournalFile,
): Promise<
  Ceremony<{ readonly keys: readonly ImportedKey[]; readonly rotation: RotationOutcome }>
> {
  const facts = new FactsBuilder();
  const { request, wrapped, requestDigest } = pair;
  return facts.run(() =>
    withKms(ports, async (home) => {
      // Replicas are imported in their own Regions: calls go by each key ARN's Region.
      const kms = regionRoutedKms(home, (region) => ports.openKms(region));
      try {
        const keys = facts.take(
          await importWrappedKeys(kms, request, wrapped, expirationOf(input), ports.wait, {
            signal: ports.signal,
            onRecord: keysOnRecord(ports.localLog, requestDigest),
            heldAtPrepare: materialsHeldAtPrepare(ports.localLog, requestDigest),
            requestDigest,
            importTokens: pair.importTokens,
            keyMaterialDescription: keyMaterialDescriptionOf(request),
            concurrency: input.concurrency,
            journal,
            now: ports.now,
            ...(ports.onKey === undefined ? {} : { onKey: ports.onKey }),
          }),
        );
        for (const key of keys)
          if (key.keyState === 'PendingImport')
            ports.say(
              `warning: ${key.keyArn} stays PendingImport until every one of its materials is imported again: re-import the others (byok-online status --key-id ${key.keyArn} lists them)`,
            );
        const rotation = facts.take(
          await rotateAfterImport(kms, request, input.rotate, ports.wait, keys),
        );
        return { keys, rotation };
      } finally {
        kms.close();
      }
    }),
  );
}

/**
 * `import`: reads and checks both bundles, refuses expired parameters, warns when the request is
 * not from this log, then (only once every operator typed the wrapped bundle's code) imports,
 * waits and proves per key. The read bundle's code and digests go on record only after that.
 */
export async function importCeremony(
  input: ImportCeremonyInput,
  ports: ImportCeremonyPorts,
): Promise<Ceremony<ImportCeremonyResult>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    if (input.plan !== undefined) facts.add({ plan: input.plan.record });
    const read = facts.take(await readBundles(input, ports));
    const pair = facts.take(checkPair(read, ports, input.plan));
    // A journal --resume cannot go on from is refused before the codes are asked, not after.
    if (input.resume)
      await ports.assertJournalResumable?.({
        request: pair.request,
        digests: { request: pair.requestDigest, wrapped: pair.wrappedDigest },
      });
    const checkCode = facts.take(await confirmWrapped(pair, input, ports));
    const journal = await ports.openJournal({
      resume: input.resume,
      request: pair.request,
      digests: { request: pair.requestDigest, wrapped: pair.wrappedDigest },
    });
    try {
      if (journal.resumedBytes !== undefined) {
        facts.add(inputFact('resumedJournal', journal.resumedBytes));
        ports.say(resumeNote(journal.earlier, pair.request.targets.length));
      }
      const { keys, rotation } = facts.take(await importAndRotate(pair, input, ports, journal));
      return { checkCode, keys, rotation };
    } finally {
      await journal.close();
    }
  });
}
