import {
  rawParameterLabel,
  ByokError,
  IMPORT_TOKENS_FORMAT,
  IMPORT_TOKENS_VERSION,
  canonicalJson,
  defaultWrappingAlgorithm,
  importTokensPathOf,
  type ImportTokensFile,
  type AuditKeyRecord,
  checkCodeOf,
  type ImportRequestBundle,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import {
  FactsBuilder,
  type Ceremony,
  type LoadedPlan,
  type CeremonyFacts,
  type OutputWriter,
  type QrFramesPort,
  type QrFramesWritten,
} from '@byok-ceremony/node-io';
import { nodeBundleDigest, nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import { importWindowWarning } from './import-window.js';
import {
  assertRequestFits,
  ARN_MAX_CHARS,
  READ_LIMITS,
  type TargetShape,
} from './request-size-bounds.js';
import type { PrepareMode } from './plan-import-type.js';
import { preparePlanKeys, type PlanKeysPrepared } from './prepare-plan-keys.js';
import {
  prepareImport,
  type KmsForRegion,
  type PrepareImportInput,
  type PreparedImport,
} from './prepare-import.js';
import type { WaitOptions } from './wait-for-imported.js';

export interface PrepareCeremonyInput {
  readonly keyIds: readonly string[];
  readonly wrappingAlgorithm: WrappingAlgorithm | undefined;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly operators: readonly string[];
  /** The import request file to write. */
  readonly out: string;
  /** Also the seed's raw files, DIR/KEY_ID/{PublicKey,ImportToken}.bin. */
  readonly rawDir: string | undefined;
  readonly mode: PrepareMode;
  readonly keyMaterialId: string | undefined;
  /** --expect-kcv ARN=KCV. */
  readonly expectKcv: ReadonlyMap<string, string>;
  /** --original-record: the KCVs an earlier ceremony's log recorded. */
  readonly kcvOnRecord:
    ((keyArn: string, keyMaterialId: string | null) => string | undefined) | undefined;
  readonly withReplicas: boolean;
  /**
   * prepare --plan: the keys are the plan's, created where KMS lacks them (keyIds is empty and
   * the wrapping choice is the plan's).
   */
  readonly plan: LoadedPlan | undefined;
  /** Key ARNs this machine's log shows holding imported material. */
  readonly importedOnRecord: ReadonlySet<string>;
  /** With a plan: alias → key ARN this machine's log shows created without its alias. */
  readonly createdWithoutAlias: ReadonlyMap<string, string>;
  /** KMS calls in flight at once. */
  readonly concurrency: number;
}

export interface PrepareCeremonyPorts extends Pick<OnlinePorts, 'openKms' | 'now'> {
  readonly newCeremonyId: () => string;
  /** The local log's head before this entry: the request carries it. */
  readonly logHead: string | null;
  readonly writer: OutputWriter;
  readonly writeRawParameters: (dir: string, raw: PreparedImport['raw']) => Promise<void>;
  readonly qr: QrFramesPort<ImportRequestBundle> | undefined;
  /** How long to wait for KMS to finish creating a replica (prepare --plan). */
  readonly wait: WaitOptions;
}

export interface PreparedTarget {
  readonly keyArn: string;
  readonly keySpec: KeySpec;
  readonly materialGroup: string;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly wrappingKeyFingerprint: string;
  readonly parametersValidTo: string;
  readonly importType: string;
  readonly keyMaterialId: string | null;
  readonly expectedKcv: string | null;
}

export interface PrepareCeremonyResult {
  readonly bundle: ImportRequestBundle;
  readonly digest: string;
  /** Shown by this process only: the offline operators type it from this screen. */
  readonly checkCode: string;
  readonly targets: readonly PreparedTarget[];
  readonly reimports: readonly KeyDescription[];
  readonly qrFrames: QrFramesWritten | undefined;
  /** Said to the operators: e.g. the batch may outlive its import parameters. */
  readonly warnings: readonly string[];
  /** prepare --plan: key ARN → the plan's alias of it (primaries only). */
  readonly aliases: ReadonlyMap<string, string>;
}

/** The tokens file's text: the import tokens in target order, bound to the request's digest. */
function tokensFileText(prepared: PreparedImport, digest: string): string {
  const file: ImportTokensFile = {
    format: IMPORT_TOKENS_FORMAT,
    version: IMPORT_TOKENS_VERSION,
    requestDigest: digest,
    tokens: prepared.bundle.targets.map((t, i) => ({
      keyArn: t.keyArn,
      importToken: Buffer.from(prepared.raw[i]!.importToken).toString('base64'),
    })),
  };
  return `${canonicalJson(file)}\n`;
}

/** Refuses, before any KMS call, outputs that exist or whose folder is missing. */
async function assertOutputsUsable(
  input: PrepareCeremonyInput,
  ports: PrepareCeremonyPorts,
): Promise<void> {
  await ports.writer.assertWritable(input.out);
  await ports.writer.assertWritable(importTokensPathOf(input.out));
  if (input.rawDir !== undefined) await ports.writer.assertWritable(input.rawDir);
  await ports.qr?.assertUsable();
}

/**
 * The targets as far as known before any KMS call: the plan's keys and replicas with their key
 * specs, or one target of unknown key spec per --key-id (replicas join only after DescribeKey).
 */
function targetsBeforeKms(input: PrepareCeremonyInput): TargetShape[] {
  const { plan } = input;
  if (plan === undefined)
    return input.keyIds.map(() => ({
      keySpec: undefined,
      wrappingAlgorithm: input.wrappingAlgorithm,
      arnChars: ARN_MAX_CHARS,
    }));
  return plan.plan.keys.flatMap((key) =>
    Array<TargetShape>(1 + key.replicaRegions.length).fill({
      keySpec: key.keySpec,
      wrappingAlgorithm:
        plan.plan.wrappingAlgorithm ??
        defaultWrappingAlgorithm(key.keySpec, plan.plan.wrappingKeySpec),
      arnChars: ARN_MAX_CHARS,
    }),
  );
}

/** With --plan, what KMS lacks of the plan is created first; the plan's keys are then the request's. */
type PlanStep = (kms: KmsPort, kmsFor: KmsForRegion) => Promise<PlanKeysPrepared['importInput']>;

/** GetParametersForImport per key, through one client per Region, all closed at the end. */
async function fetchParameters(
  input: PrepareCeremonyInput,
  ports: PrepareCeremonyPorts,
  planStep: PlanStep | undefined,
): Promise<PreparedImport> {
  const opened = new Map<string, Promise<KmsPort>>();
  return withKms(ports, async (kms) => {
    const kmsFor: KmsForRegion = (region) => {
      // The promise is kept, so keys of one Region in flight at once share one client.
      let regionKms = opened.get(region);
      if (regionKms === undefined) {
        regionKms = ports.openKms(region);
        opened.set(region, regionKms);
      }
      return regionKms;
    };
    try {
      const fromPlan: Partial<PrepareImportInput> =
        planStep === undefined ? {} : await planStep(kms, kmsFor);
      return await prepareImport(
        kms,
        {
          keyIds: input.keyIds,
          wrappingAlgorithm: input.wrappingAlgorithm,
          wrappingKeySpec: input.wrappingKeySpec,
          operators: input.operators,
          auditLogHead: ports.logHead,
          now: ports.now(),
          ceremonyId: ports.newCeremonyId(),
          mode: input.mode,
          keyMaterialId: input.keyMaterialId,
          expectedKcv: (arn, id) => input.expectKcv.get(arn) ?? input.kcvOnRecord?.(arn, id),
          withReplicas: input.withReplicas,
          importedOnRecord: input.importedOnRecord,
          concurrency: input.concurrency,
          plan:
            input.plan === undefined
              ? undefined
              : { digest: input.plan.digest, name: input.plan.plan.name },
          ...fromPlan,
        },
        kmsFor,
      );
    } finally {
      for (const regionKms of opened.values())
        await regionKms.then(
          (k) => {
            k.close();
          },
          () => undefined,
        );
    }
  });
}

/** Every --expect-kcv must name a key of the request: a typo would otherwise go unchecked. */
function assertKcvArnsKnown(input: PrepareCeremonyInput, bundle: ImportRequestBundle): void {
  const unknownKcvArns = [...input.expectKcv.keys()].filter(
    (arn) => !bundle.targets.some((t) => t.keyArn === arn),
  );
  if (unknownKcvArns.length > 0)
    throw new ByokError(
      'ERR_USAGE',
      `--expect-kcv names ${unknownKcvArns.join(', ')}, not a key of this request`,
      {
        hint: 'Give --expect-kcv KEY_ARN=KCV with the full ARN of a key being re-imported; nothing was written.',
      },
    );
}

function preparedTargetsOf(bundle: ImportRequestBundle): PreparedTarget[] {
  return bundle.targets.map((t) => ({
    keyArn: t.keyArn,
    keySpec: t.keySpec,
    materialGroup: t.materialGroup,
    wrappingAlgorithm: t.wrappingAlgorithm,
    wrappingKeySpec: t.wrappingKeySpec,
    wrappingKeyFingerprint: nodeWrappingKeyFingerprint(Buffer.from(t.publicKey, 'base64')),
    parametersValidTo: t.parametersValidTo,
    importType: t.importType ?? 'NEW_KEY_MATERIAL',
    keyMaterialId: t.keyMaterialId ?? null,
    expectedKcv: t.expectedKcv ?? null,
  }));
}

/** The keys on record, with what each had: an import of new material that names it later is refused and flagged. */
function preparedKeyRecords(
  targets: readonly PreparedTarget[],
  prepared: PreparedImport,
): AuditKeyRecord[] {
  return targets.map((t, i) => {
    const current = prepared.currentKeyMaterialIds[i] ?? null;
    const alias = prepared.aliases[i] ?? null;
    return {
      keyArn: t.keyArn,
      ...(alias === null ? {} : { alias }),
      keySpec: t.keySpec,
      materialGroup: t.materialGroup,
      wrappingKeyFingerprint: t.wrappingKeyFingerprint,
      parametersValidTo: t.parametersValidTo,
      ...(t.keyMaterialId === null ? {} : { keyMaterialId: t.keyMaterialId }),
      ...(current === null ? {} : { currentKeyMaterialId: current }),
      ...(t.expectedKcv === null ? {} : { kcv: t.expectedKcv }),
    };
  });
}

/**
 * The bounds assume tokens of at most TOKEN_BOUND_BYTES; KMS's tokens may be up to 6,144 bytes,
 * so what is about to be written is measured too: never a file its reader refuses.
 */
function assertWrittenFits(request: Uint8Array, tokens: Uint8Array): void {
  for (const [what, file, limit] of [
    ['import request', request, READ_LIMITS.request],
    ['import tokens file', tokens, READ_LIMITS.tokens],
  ] as const) {
    const bytes = file.length;
    if (bytes > limit)
      throw new ByokError(
        'ERR_REQUEST_TOO_LARGE',
        `the ${what} would be ${bytes} bytes, above the ${limit} bytes its reader accepts`,
        {
          hint: 'Prepare fewer keys per request (split the --key-id list or the plan); nothing was written, and the import parameters just requested are left to expire unused.',
        },
      );
  }
}

/** Writes the request, its tokens file (and raw files, QR frames); each written one's digest is on record. */
async function writeRequest(
  input: PrepareCeremonyInput,
  ports: PrepareCeremonyPorts,
  prepared: PreparedImport,
  digest: string,
): Promise<Ceremony<QrFramesWritten | undefined>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    // Each file encoded once, its text dropped: writing and digesting a string would encode it
    // again each time (17 MB for the tokens of 10,000 keys, 10 MB for the request).
    const text = Buffer.from(`${JSON.stringify(prepared.bundle, null, 2)}\n`);
    const tokens = Buffer.from(tokensFileText(prepared, digest));
    assertWrittenFits(text, tokens);
    if (input.rawDir !== undefined) await ports.writeRawParameters(input.rawDir, prepared.raw);
    // The tokens first: a request on disk always has its tokens beside it.
    await ports.writer.write(importTokensPathOf(input.out), tokens, 0o644);
    await ports.writer.write(input.out, text, 0o644);
    const qrFrames = await ports.qr?.write(prepared.bundle);
    if (qrFrames !== undefined) facts.add({ outputs: { qrTransfer: qrFrames.transferSha256 } });
    // Bundle digests link the two logs whatever the transport; file digests are kept beside them.
    facts.add({ outputs: { request: digest } });
    facts.output('requestFile', text);
    facts.output('tokensFile', tokens);
    if (input.rawDir !== undefined)
      for (const r of prepared.raw) {
        facts.output(rawParameterLabel(r.keyId, 'PublicKey'), r.publicKey);
        facts.output(rawParameterLabel(r.keyId, 'ImportToken'), r.importToken);
      }
    return qrFrames;
  });
}

/**
 * `prepare`: refuses unusable outputs first, then GetParametersForImport per key, then writes the
 * request (and raw files, QR frames). The sender's code is on record beside the digests.
 */
export async function prepareCeremony(
  input: PrepareCeremonyInput,
  ports: PrepareCeremonyPorts,
): Promise<Ceremony<PrepareCeremonyResult>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    await assertOutputsUsable(input, ports);
    // Before any KMS call: no import parameters whose 24 hours would run out unused.
    assertRequestFits(
      {
        targets: targetsBeforeKms(input),
        wrappingKeySpec: input.plan?.plan.wrappingKeySpec ?? input.wrappingKeySpec,
        operators: input.operators,
        ceremonyName: input.plan?.plan.name ?? null,
      },
      'Nothing was asked of KMS and nothing was written.',
    );
    const started = ports.now();
    const { plan } = input;
    if (plan !== undefined) facts.add({ plan: { name: plan.plan.name, digest: plan.digest } });
    // Set inside the KMS session, read after it.
    const planned: { value?: PlanKeysPrepared; readyAt?: Date } = {};
    const prepared = await fetchParameters(
      input,
      ports,
      plan === undefined
        ? undefined
        : async (kms, kmsFor) => {
            planned.value = await preparePlanKeys(kms, kmsFor, plan, {
              importedOnRecord: input.importedOnRecord,
              createdWithoutAlias: input.createdWithoutAlias,
              concurrency: input.concurrency,
              wait: ports.wait,
              onRecord: (keys) => {
                facts.add({ keys });
              },
            });
            // Creating keys is no part of what an import of them will take.
            planned.readyAt = ports.now();
            return planned.value.importInput;
          },
    );
    planned.value?.assertFirstImports(prepared.bundle);
    assertKcvArnsKnown(input, prepared.bundle);
    const { bundle } = prepared;
    const preparedAt = ports.now();
    const warning = importWindowWarning({
      keys: bundle.targets.length,
      prepareMs: preparedAt.getTime() - (planned.readyAt ?? started).getTime(),
      preparedAt,
      earliestValidTo: new Date(
        Math.min(...bundle.targets.map((t) => Date.parse(t.parametersValidTo))),
      ),
    });
    const digest = nodeBundleDigest(bundle);
    const checkCode = checkCodeOf(digest);
    const targets = preparedTargetsOf(bundle);
    const shown: CeremonyFacts = {
      keys: preparedKeyRecords(targets, prepared).map((k) => planned.value?.withCreation(k) ?? k),
      checkCodes: { request: checkCode },
    };
    facts.add(shown);
    const qrFrames = facts.take(await writeRequest(input, ports, prepared, digest));
    return {
      bundle,
      digest,
      checkCode,
      targets,
      reimports: prepared.reimports,
      qrFrames,
      warnings: warning === undefined ? [] : [warning],
      aliases: planned.value?.aliases ?? new Map(),
    };
  });
}
