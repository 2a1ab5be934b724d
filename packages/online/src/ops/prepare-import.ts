import {
  BUNDLE_VERSION,
  ByokError,
  IMPORT_REQUEST_FORMAT,
  assertImportRequestBundle,
  checkWrappingCombination,
  defaultWrappingAlgorithm,
  isImportableKeySpec,
  isKeySpec,
  isKeyUsage,
  type ImportRequestBundle,
  type ImportTarget,
  type KeySpec,
  type KeyUsage,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { assignMaterialGroups } from './assign-material-groups.js';
import { runBounded } from './run-bounded.js';

/** States in which KMS accepts material: a first import, or a re-import of the same material. */
const IMPORTABLE_STATES = ['PendingImport', 'Enabled', 'Disabled'];

export interface PrepareImportInput {
  readonly keyIds: readonly string[];
  readonly wrappingAlgorithm: WrappingAlgorithm | undefined;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly operators: readonly string[];
  readonly auditLogHead: string | null;
  readonly now: Date;
  readonly ceremonyId: string;
  /** Calls in flight at once; answers keep the order of keyIds. */
  readonly concurrency?: number;
}

export interface PreparedImport {
  readonly bundle: ImportRequestBundle;
  /** Keys that already hold material, so the import will be a re-import. */
  readonly reimports: readonly KeyDescription[];
  /** Raw import parameters per target, in target order, for --raw-dir. */
  readonly raw: readonly {
    readonly keyId: string;
    readonly publicKey: Uint8Array;
    readonly importToken: Uint8Array;
  }[];
}

interface CheckedKey {
  readonly description: KeyDescription;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly wrappingAlgorithm: WrappingAlgorithm;
}

/** Why KMS would refuse an import into this key, or the checked key if it would not. */
function checkKey(
  d: KeyDescription,
  explicit: WrappingAlgorithm | undefined,
  wrappingKeySpec: WrappingKeySpec,
): CheckedKey | string {
  if (d.origin !== 'EXTERNAL')
    return `its origin is ${d.origin}, not EXTERNAL: only keys created for imported material take it`;
  if (!IMPORTABLE_STATES.includes(d.keyState))
    return `its state is ${d.keyState}; import needs ${IMPORTABLE_STATES.join(', ')}`;
  if (!isKeySpec(d.keySpec) || !isImportableKeySpec(d.keySpec))
    return `KMS does not accept imported material for key spec ${d.keySpec}`;
  if (!isKeyUsage(d.keyUsage)) return `its key usage ${d.keyUsage} is not one the ceremony knows`;
  const algorithm = explicit ?? defaultWrappingAlgorithm(d.keySpec, wrappingKeySpec);
  if (algorithm === undefined)
    return `no wrapping algorithm carries ${d.keySpec} material with a ${wrappingKeySpec} wrapping key`;
  const verdict = checkWrappingCombination(d.keySpec, algorithm, wrappingKeySpec);
  if (!verdict.allowed) return verdict.reason;
  return { description: d, keySpec: d.keySpec, keyUsage: d.keyUsage, wrappingAlgorithm: algorithm };
}

/**
 * DescribeKey for every key and refuse the whole request, naming each bad key, before any
 * GetParametersForImport; then one parameter set per key, built into a validated request bundle.
 */
export async function prepareImport(
  kms: KmsPort,
  input: PrepareImportInput,
): Promise<PreparedImport> {
  const concurrency = input.concurrency ?? 1;
  const descriptions = (
    await runBounded(input.keyIds, concurrency, (keyId) => kms.describeKey(keyId))
  ).map((o) => (o.started ? o.value : undefined)) as KeyDescription[];

  const problems: string[] = [];
  const checked: CheckedKey[] = [];
  const seen = new Map<string, string>();
  descriptions.forEach((d, i) => {
    const given = input.keyIds[i]!;
    const earlier = seen.get(d.arn);
    if (earlier !== undefined) {
      problems.push(`${given}: the same key as ${earlier} (${d.arn})`);
      return;
    }
    seen.set(d.arn, given);
    const result = checkKey(d, input.wrappingAlgorithm, input.wrappingKeySpec);
    if (typeof result === 'string') problems.push(`${d.arn}: ${result}`);
    else checked.push(result);
  });
  if (problems.length > 0) {
    throw new ByokError(
      'ERR_KEY_NOT_IMPORTABLE',
      `cannot prepare an import for ${problems.length} key(s):\n${problems.join('\n')}`,
      {
        hint: 'Remove these --key-id values, or create keys for imported material with byok-online create-key; nothing was requested from KMS yet.',
        details: problems,
      },
    );
  }

  const groups = assignMaterialGroups(checked.map((c) => c.description));
  const targets: ImportTarget[] = [];
  const raw: { keyId: string; publicKey: Uint8Array; importToken: Uint8Array }[] = [];
  const fetched = await runBounded(checked, concurrency, (key) =>
    kms.getParametersForImport(key.description.arn, key.wrappingAlgorithm, input.wrappingKeySpec),
  );
  for (const [i, key] of checked.entries()) {
    const outcome = fetched[i]!;
    if (!outcome.started) throw new Error('runBounded left a key unstarted without a failure');
    const parameters = outcome.value;
    targets.push({
      keyArn: key.description.arn,
      keySpec: key.keySpec,
      keyUsage: key.keyUsage,
      materialGroup: groups[i]!,
      wrappingAlgorithm: key.wrappingAlgorithm,
      wrappingKeySpec: input.wrappingKeySpec,
      publicKey: Buffer.from(parameters.publicKey).toString('base64'),
      importToken: Buffer.from(parameters.importToken).toString('base64'),
      parametersValidTo: rfc3339(parameters.parametersValidTo),
    });
    raw.push({
      keyId: key.description.keyId,
      publicKey: parameters.publicKey,
      importToken: parameters.importToken,
    });
  }

  const bundle: ImportRequestBundle = {
    format: IMPORT_REQUEST_FORMAT,
    version: BUNDLE_VERSION,
    ceremonyId: input.ceremonyId,
    createdAt: rfc3339(input.now),
    operators: [...input.operators],
    auditLogHead: input.auditLogHead,
    targets,
  };
  assertImportRequestBundle(bundle);
  return {
    bundle,
    reimports: checked.map((c) => c.description).filter((d) => d.keyState !== 'PendingImport'),
    raw,
  };
}

/** RFC 3339 UTC without milliseconds, as the bundle formats expect. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
