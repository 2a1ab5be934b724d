import {
  ByokError,
  assertCheckCodesConfirmed,
  assertImportRequestBundle,
  assertOperators,
  assertWrappedAnswersRequest,
  assertWrappedKeyBundle,
  checkCodeOf,
  codeDifference,
  formatCheckCodeConfirmed,
  parseStrictJson,
  type AuditBackupRecord,
  type AuditPlanRecord,
  type AuditKeyRecord,
  type ImportRequestBundle,
  type KeySpec,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import {
  FactsBuilder,
  factsOfFailure,
  interruptedError,
  mergeFacts,
  parseJsonFile,
  withFailureFacts,
  type Ceremony,
  type CeremonyFacts,
  type OutputWriter,
  type QrFramesPort,
  type QrFramesWritten,
} from '@byok-ceremony/node-io';
import { nodeBundleDigest } from '@byok-ceremony/node-io/key-material';
import { assertExpectedKcvs, assertNoGeneratedReimport } from './check-expected-kcv.js';
import { checkParametersValid } from './check-parameters-valid.js';
import { describeRequest, type RequestSummary } from './describe-request.js';
import {
  assertSourceFits,
  assertSourceUsable,
  recoverSource,
  resolveMaterials,
  type MaterialPorts,
  type MaterialSource,
} from './material-source.js';
import type { HsmToken, TokenKey, TokenObjectName } from './hsm-token.js';
import {
  hsmRecordOf,
  planTokenMaterial,
  tokenKeysOf,
  tokenSealer,
  type TokenGroupPlan,
  type TokenMaterialSource,
} from './token-material.js';
import {
  checkRequestTargets,
  groupTargets,
  requestWrappingKeys,
  sealRequest,
  wrapRequest,
  type MaterialReady,
} from './wrap-request.js';

type WrappingKeys = ReturnType<typeof requestWrappingKeys>;
type CheckedTargets = ReturnType<typeof checkRequestTargets>;

/** What a backup step returns for the record: label → SHA-256 hex of each backup output. */
export interface BackupRecord {
  readonly outputs: Readonly<Record<string, string>>;
  /** The audit entry's `backup` field: schemes, share labels, KCVs and file digests, never a share. */
  readonly audit?: AuditBackupRecord;
}

/**
 * What happens to the material between "ready" and "wrapped": `declined` is `--no-backup`
 * (generated material then exists only in KMS, logged as an exception); `write` is a backup step
 * that gets the plaintext before any wrapping (its outputs go on record as `backup:LABEL`).
 */
export type BackupPlan =
  | { readonly kind: 'declined' }
  | {
      readonly kind: 'write';
      /** Refuses an unusable backup destination before anything is read or asked. */
      readonly assertUsable?: () => Promise<void>;
      /** The request gives each group its key ARNs and the ceremony id the backups carry. */
      readonly write: (
        materials: readonly MaterialReady[],
        request: ImportRequestBundle,
      ) => Promise<BackupRecord>;
    };

export interface WrapCeremonyInput {
  /** The import request file. */
  readonly request: string;
  /** The wrapped-key bundle to write. */
  readonly out: string;
  readonly material: MaterialSource;
  /** Undefined: no backup offered, which generated material refuses. */
  readonly backup: BackupPlan | undefined;
  readonly operators: readonly string[];
  readonly singleOperator: boolean;
  /**
   * A plan-driven wrap: the plan on record, and its refusal of a request that is not the plan's,
   * which runs with the other refusals that need no code.
   */
  readonly plan?: {
    readonly record: AuditPlanRecord;
    readonly assertRequest: (request: ImportRequestBundle) => void;
  };
}

export interface WrapCeremonyPorts extends MaterialPorts {
  readonly now: () => Date;
  readonly writer: OutputWriter;
  readonly qr: QrFramesPort<WrappedKeyBundle> | undefined;
  /**
   * The codes the operators typed (flags or prompt), in operator order; a prompt may use
   * `difference` (which groups of a typed code differ) to have a mistyped code typed again.
   */
  readonly typedCheckCodes: (
    difference: (typed: string) => string | undefined,
  ) => Promise<readonly string[]>;
  /** Shows the request to the operators before they confirm (stderr); never its code. */
  readonly showRequest: (summary: RequestSummary) => void;
  /** One line for the operators (stderr). */
  readonly say: (line: string) => void;
  /** The local log's head before this entry: the wrapped bundle carries it. */
  readonly logHead: string | null;
  /** Runs once every code matched, before the material: operators unlock their keys (runbook order). */
  readonly afterConfirmation?: () => Promise<void>;
  /** The runner's signal: once aborted (SIGINT, SIGTERM) after the prompts, nothing is made. */
  readonly signal?: AbortSignal;
}

export interface WrapCeremonyResult {
  readonly bundle: WrappedKeyBundle;
  /** This process wrote the bundle: its code is shown here, for the online operators to type. */
  readonly checkCode: string;
  /** Confirmed by every operator. */
  readonly requestCheckCode: string;
  readonly digest: string;
  readonly qrFrames: QrFramesWritten | undefined;
}

const NO_BACKUP_WARNING =
  'warning: --no-backup: the generated material will exist only inside KMS, which cannot export it; an expired or deleted key can never be restored';

/** Refuses, before anything is read or asked, outputs and a backup destination that cannot be used. */
async function assertOutputsUsable(
  input: WrapCeremonyInput,
  ports: WrapCeremonyPorts,
): Promise<void> {
  await ports.writer.assertWritable(input.out);
  await ports.qr?.assertUsable();
  if (input.backup?.kind === 'write') await input.backup.assertUsable?.();
}

interface ReadRequest {
  readonly request: ImportRequestBundle;
  readonly wrappingKeys: WrappingKeys;
  readonly fingerprints: readonly string[];
}

/** Reads and checks the request; its file digest, the peer's log head and its keys go on record. */
async function readRequest(
  input: WrapCeremonyInput,
  ports: WrapCeremonyPorts,
): Promise<Ceremony<ReadRequest>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    const requestBytes = await ports.readFile(input.request, 'import request');
    facts.input('requestFile', requestBytes);
    const request = parseJsonFile(requestBytes, input.request, 'import request');
    assertImportRequestBundle(request);
    facts.add({ peerLogHead: request.auditLogHead });
    // Each wrapping key is decoded and fingerprinted once, here; the rest of the command reuses them.
    const wrappingKeys = requestWrappingKeys(request);
    const fingerprints = wrappingKeys.map((k) => k.fingerprint);
    const keys: AuditKeyRecord[] = request.targets.map((t, i) => ({
      keyArn: t.keyArn,
      keySpec: t.keySpec,
      materialGroup: t.materialGroup,
      wrappingKeyFingerprint: fingerprints[i]!,
      parametersValidTo: t.parametersValidTo,
    }));
    facts.add({ keys });
    return { request, wrappingKeys, fingerprints };
  });
}

interface Checked {
  readonly checked: CheckedTargets;
  readonly groups: Map<string, KeySpec>;
  readonly warnings: readonly string[];
}

/** Every refusal that needs no code: material groups, the material's fit, the backup choice, operators. */
function checkBeforeCodes(
  input: WrapCeremonyInput,
  { request, wrappingKeys }: ReadRequest,
  ports: WrapCeremonyPorts,
): Ceremony<Checked> {
  input.plan?.assertRequest(request);
  const checked = checkRequestTargets(request, wrappingKeys);
  const groups = new Map<string, KeySpec>(
    [...groupTargets(checked)].map(([group, members]) => [group, members[0]!.target.keySpec]),
  );
  if (input.material.kind !== 'recovered') assertSourceFits(input.material, [...groups.keys()]);
  assertNoGeneratedReimport(
    request,
    input.material.kind === 'generate' ||
      (input.material.kind === 'token' && input.material.mode === 'generate'),
  );
  if (input.material.kind === 'generate' && input.backup === undefined)
    throw new ByokError('ERR_BACKUP_REQUIRED', 'generated material needs a backup', {
      hint: 'KMS cannot export imported material, so an expired or deleted key could only be restored from a backup: add --backup shamir:M-of-N and/or --backup age:RECIPIENT with --backup-dir DIR, or bring material you keep (--material-file, --material-set, --components). --no-backup is for rehearsals only and is logged.',
    });
  const warnings = checkParametersValid(request.targets, ports.now());
  assertOperators(input.operators, { singleOperator: input.singleOperator });
  return {
    result: { checked, groups, warnings },
    facts: input.singleOperator ? { exceptions: ['single-operator'] } : {},
  };
}

/**
 * The request shown without its code, then every operator's code: only once they all match do
 * the request's digest and code go on record. Then the operators unlock their keys.
 */
async function confirmRequest(
  input: WrapCeremonyInput,
  { request, fingerprints }: ReadRequest,
  ports: WrapCeremonyPorts,
): Promise<Ceremony<string>> {
  ports.showRequest(describeRequest(request, ports.now(), fingerprints));
  const requestDigest = nodeBundleDigest(request);
  const requestCheckCode = checkCodeOf(requestDigest);
  assertCheckCodesConfirmed(
    requestCheckCode,
    input.operators,
    await ports.typedCheckCodes((typed) => codeDifference(requestCheckCode, typed)),
    'import request',
  );
  const facts: CeremonyFacts = {
    inputs: { request: requestDigest },
    checkCodes: { request: requestCheckCode },
  };
  ports.say(formatCheckCodeConfirmed(input.operators));
  try {
    await ports.afterConfirmation?.();
    if (ports.signal?.aborted === true) throw interruptedError('before any material was made');
  } catch (error) {
    throw withFailureFacts(error, facts);
  }
  return { result: requestDigest, facts };
}

/**
 * The material (generated, read or recovered), its backup step, then wrapping: the plaintext
 * is zeroed whatever happens. The backup it came from or the backups made go on record.
 */
async function wrapMaterial(
  input: WrapCeremonyInput,
  ports: WrapCeremonyPorts,
  request: ImportRequestBundle,
  requestDigest: string,
  { checked, groups }: Checked,
): Promise<Ceremony<WrappedKeyBundle>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    if (input.material.kind === 'token')
      throw new ByokError('ERR_INTERNAL', 'token material is wrapped in the token');
    const source = await recoverSource(input.material, request, [...groups.keys()], (backup) => {
      facts.add({ backup });
    });
    if (source.kind === 'token')
      throw new ByokError('ERR_INTERNAL', 'token material is wrapped in the token');
    const materials = await resolveMaterials(source, groups, ports);
    try {
      assertExpectedKcvs(request, materials);
      if (input.backup?.kind === 'write') {
        const backup = await input.backup.write([...materials.values()], request);
        facts.add({
          outputs: Object.fromEntries(
            Object.entries(backup.outputs).map(([label, sha256]) => [`backup:${label}`, sha256]),
          ),
          ...(backup.audit === undefined ? {} : { backup: backup.audit }),
        });
      }
      return wrapRequest({
        request,
        requestDigest,
        checked,
        materials,
        operators: input.operators,
        auditLogHead: ports.logHead,
        createdAt: ports.now().toISOString(),
      });
    } finally {
      for (const material of materials.values()) material.bytes.fill(0);
    }
  });
}

/** The opened token, what it will do for each group, and the keys this run generated in it. */
interface TokenStep {
  readonly token: HsmToken;
  readonly plan: ReadonlyMap<string, TokenGroupPlan>;
  /** The keys this run generated, by material group: destroyed if the run fails. */
  readonly made: [string, TokenKey][];
}

/**
 * `--hsm`: the token opened (module, token, PIN) and every refusal it can give checked before
 * any code is asked; then the rest of the ceremony. If it fails after material was generated,
 * the token objects are destroyed (nothing is left in the token); the session always ends.
 */
async function withToken<T>(
  source: TokenMaterialSource,
  { request }: ReadRequest,
  { checked }: Checked,
  facts: FactsBuilder,
  rest: (step: TokenStep) => Promise<T>,
): Promise<T> {
  const token = await source.open();
  const made: [string, TokenKey][] = [];
  try {
    facts.add({ hsm: hsmRecordOf(token, new Map()) });
    const plan = planTokenMaterial(token, source, request, checked);
    const found = new Map(
      [...plan].flatMap(([group, step]) =>
        step.kind === 'existing' ? [[group, step.key.name]] : [],
      ),
    );
    facts.add({ hsm: hsmRecordOf(token, found) });
    return await rest({ token, plan, made });
  } catch (error) {
    if (made.length === 0) throw error;
    // The record then names only the objects the token failed to destroy.
    const left = new Map<string, TokenObjectName>();
    for (const [group, key] of made.splice(0)) {
      try {
        key.destroy();
      } catch {
        left.set(group, key.name);
      }
    }
    throw withFailureFacts(
      error,
      mergeFacts(factsOfFailure(error), { hsm: hsmRecordOf(token, left) }),
    );
  } finally {
    token.close();
  }
}

/** The token makes (or has) each group's key and computes its KCV, proof and wrapped blobs. */
function wrapInTokenStep(
  { token, plan, made }: TokenStep,
  input: WrapCeremonyInput,
  ports: WrapCeremonyPorts,
  request: ImportRequestBundle,
  requestDigest: string,
  { checked }: Checked,
): Ceremony<WrappedKeyBundle> {
  const keys = tokenKeysOf(token, plan, made);
  const hsm = hsmRecordOf(token, new Map([...keys].map(([group, key]) => [group, key.name])));
  try {
    const bundle = sealRequest(
      {
        request,
        requestDigest,
        checked,
        operators: input.operators,
        auditLogHead: ports.logHead,
        createdAt: ports.now().toISOString(),
      },
      new Map([...keys].map(([group, key]) => [group, tokenSealer(key)])),
    );
    return { result: bundle, facts: { hsm } };
  } catch (error) {
    throw withFailureFacts(error, { hsm });
  }
}

/**
 * The bundle checked the way import will read it, then written (and its QR frames); its digests
 * and code go on record, and each key's record gains its material's KCV and proof.
 */
async function writeWrapped(
  input: WrapCeremonyInput,
  ports: WrapCeremonyPorts,
  { request, fingerprints }: ReadRequest,
  requestDigest: string,
  bundle: WrappedKeyBundle,
  keys: readonly AuditKeyRecord[],
): Promise<
  Ceremony<{
    readonly digest: string;
    readonly checkCode: string;
    readonly qrFrames: QrFramesWritten | undefined;
  }>
> {
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  // Check what is about to be written the way import will read it.
  assertWrappedKeyBundle(parseStrictJson(text));
  assertWrappedAnswersRequest(request, bundle, { requestDigest, fingerprints });
  const digest = nodeBundleDigest(bundle);
  const checkCode = checkCodeOf(digest);
  await ports.writer.write(input.out, text, 0o644);
  const qrFrames = await ports.qr?.write(bundle);
  const materialOf = new Map(bundle.materials.map((m) => [m.materialGroup, m]));
  const facts = new FactsBuilder();
  if (qrFrames !== undefined) facts.add({ outputs: { qrTransfer: qrFrames.transferSha256 } });
  facts.add({ outputs: { wrapped: digest } });
  facts.output('wrappedFile', text);
  facts.add({
    checkCodes: { wrapped: checkCode },
    keys: keys.map((key) => {
      const material =
        key.materialGroup === undefined ? undefined : materialOf.get(key.materialGroup);
      return material === undefined
        ? key
        : { ...key, kcv: material.kcv, proof: material.proof.kind };
    }),
  });
  return { result: { digest, checkCode, qrFrames }, facts: facts.build() };
}

/**
 * `wrap`: every refusal that needs no code first (outputs, request, material groups, backup
 * choice, operators, the material's files and shares), then the request shown without its code, the operators' codes, the
 * material, the backup step, wrapping, and the bundle written and checked as import reads it.
 */
export async function wrapCeremony(
  input: WrapCeremonyInput,
  ports: WrapCeremonyPorts,
): Promise<Ceremony<WrapCeremonyResult>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    if (input.plan !== undefined) facts.add({ plan: input.plan.record });
    await assertOutputsUsable(input, ports);
    const read = facts.take(await readRequest(input, ports));
    const checked = facts.take(checkBeforeCodes(input, read, ports));
    await assertSourceUsable(input.material, ports);
    if (input.material.kind === 'token')
      return withToken(input.material, read, checked, facts, (token) =>
        confirmAndWrap(input, ports, read, checked, facts, token),
      );
    return confirmAndWrap(input, ports, read, checked, facts, undefined);
  });
}

/** The request confirmed, the material wrapped (in this process or in the token), the bundle written. */
async function confirmAndWrap(
  input: WrapCeremonyInput,
  ports: WrapCeremonyPorts,
  read: ReadRequest,
  checked: Checked,
  facts: FactsBuilder,
  token: TokenStep | undefined,
): Promise<WrapCeremonyResult> {
  const requestDigest = facts.take(await confirmRequest(input, read, ports));
  const requestCheckCode = checkCodeOf(requestDigest);
  if (input.material.kind === 'generate' && input.backup?.kind === 'declined') {
    facts.add({ exceptions: ['no-backup'] });
    ports.say(NO_BACKUP_WARNING);
  }
  for (const warning of checked.warnings) ports.say(`warning: ${warning}`);
  const bundle =
    token === undefined
      ? facts.take(await wrapMaterial(input, ports, read.request, requestDigest, checked))
      : facts.take(wrapInTokenStep(token, input, ports, read.request, requestDigest, checked));
  const { digest, checkCode, qrFrames } = facts.take(
    await writeWrapped(input, ports, read, requestDigest, bundle, facts.keys),
  );
  return { bundle, checkCode, requestCheckCode, digest, qrFrames };
}
