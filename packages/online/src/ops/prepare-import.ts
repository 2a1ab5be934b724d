import { createHash } from 'node:crypto';
import {
  ByokError,
  IMPORT_REQUEST_FORMAT,
  IMPORT_REQUEST_VERSION,
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
import { assertKeyInRegion, regionOfArn } from './key-region.js';
import {
  listsMaterials,
  neverHeldMaterial,
  planImportType,
  type ImportPlan,
  type PrepareMode,
} from './plan-import-type.js';
import { replicaDescriptionProblem, replicaListProblem } from './replica-trust.js';
import { assertRequestFits } from './request-size-bounds.js';
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
  /** auto: a first import, or a re-import where the key holds material; see planImportType. */
  readonly mode: PrepareMode;
  /** --key-material-id: the material a re-import of one key restores. */
  readonly keyMaterialId: string | undefined;
  /** Key ARN → the KCV the original ceremony recorded (--expect-kcv, --original-record). */
  readonly expectedKcv: (keyArn: string, keyMaterialId: string | null) => string | undefined;
  /**
   * Each --key-id (true), or each key id in the set, is a multi-Region primary: its replicas
   * join the request, one material group.
   */
  readonly withReplicas: boolean | ReadonlySet<string>;
  /** Descriptions already in hand, by key ARN (a plan's keys): no DescribeKey for these. */
  readonly described?: ReadonlyMap<string, KeyDescription>;
  /** Key ARNs created by this command: they hold no material, so none is listed. */
  readonly created?: ReadonlySet<string>;
  /** Key ARNs this machine's log shows holding imported material (see keysImportedOnRecord). */
  readonly importedOnRecord: ReadonlySet<string>;
  /** Calls in flight at once; answers keep the order of keyIds. */
  readonly concurrency?: number;
  /** A plan's keys: the material group of each primary (planMaterialGroup of its alias). */
  readonly groupNames?: ReadonlyMap<string, string>;
  /** A plan-driven prepare: the plan's digest and name, which the request carries. */
  readonly plan?: { readonly digest: string; readonly name: string } | undefined;
}

/** KMS in another Region, for replicas; opened once per Region and closed by whoever made it. */
export type KmsForRegion = (region: string) => Promise<KmsPort>;

export interface PreparedImport {
  readonly bundle: ImportRequestBundle;
  /** Keys that already hold material, so the import will be a re-import. */
  readonly reimports: readonly KeyDescription[];
  /** Per target, in target order: the alias its --key-id named it by, or null. */
  readonly aliases: readonly (string | null)[];
  /** Per target, in target order: the key's CurrentKeyMaterialId as DescribeKey gave it, or null. */
  readonly currentKeyMaterialIds: readonly (string | null)[];
  /** Raw import parameters per target, in target order: the tokens file, and --raw-dir. */
  readonly raw: readonly {
    readonly keyId: string;
    readonly publicKey: Uint8Array;
    readonly importToken: Uint8Array;
  }[];
}

interface CheckedKey {
  readonly description: KeyDescription;
  /** `alias/NAME` when --key-id named the key by an alias: known without another KMS call. */
  readonly alias: string | null;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  readonly plan: ImportPlan;
}

/** Why KMS would refuse an import into this key, or the checked key if it would not. */
function checkKey(
  d: KeyDescription,
  explicit: WrappingAlgorithm | undefined,
  wrappingKeySpec: WrappingKeySpec,
): Omit<CheckedKey, 'alias'> | string {
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
  return {
    description: d,
    keySpec: d.keySpec,
    keyUsage: d.keyUsage,
    wrappingAlgorithm: algorithm,
    plan: { importType: 'NEW_KEY_MATERIAL', keyMaterialId: null },
  };
}

function assertNoProblems(problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new ByokError(
    'ERR_KEY_NOT_IMPORTABLE',
    `cannot prepare an import for ${problems.length} key(s):\n${problems.join('\n')}`,
    {
      hint: 'Remove these --key-id values, or create keys for imported material with byok-online create-key; nothing was requested from KMS yet.',
      details: problems,
    },
  );
}

/** The key's own Region's KMS: the default client's, or one opened for the Region of its ARN. */
async function kmsOf(kms: KmsPort, arn: string, kmsFor: KmsForRegion): Promise<KmsPort> {
  const region = regionOfArn(arn);
  return region === undefined || region === kms.region ? kms : kmsFor(region);
}

/** The key descriptions of one --key-id (its replicas too with --with-replicas), and why not. */
interface Described {
  readonly descriptions: readonly { readonly given: string; readonly d: KeyDescription }[];
  readonly problems: readonly string[];
}

/** Whether this key id's replicas join the request. */
function joinsReplicas(input: PrepareImportInput, keyId: string): boolean {
  return typeof input.withReplicas === 'boolean'
    ? input.withReplicas
    : input.withReplicas.has(keyId);
}

/** DescribeKey, unless the caller has the description already. */
async function describedKey(
  kms: KmsPort,
  keyId: string,
  input: PrepareImportInput,
): Promise<KeyDescription> {
  return input.described?.get(keyId) ?? kms.describeKey(keyId);
}

/** --with-replicas: the primary's replicas, described in their own Regions, after the primary. */
async function withReplicaDescriptions(
  kms: KmsPort,
  primary: KeyDescription,
  kmsFor: KmsForRegion,
  input: PrepareImportInput,
): Promise<{ readonly all: KeyDescription[]; readonly problem?: string }> {
  if (primary.multiRegionKeyType !== 'PRIMARY')
    return {
      all: [primary],
      problem: `${primary.arn}: --with-replicas needs a multi-Region primary key; this key is ${primary.multiRegion ? 'a replica' : 'not multi-Region'}`,
    };
  const listProblem = replicaListProblem(primary);
  if (listProblem !== undefined)
    return { all: [primary], problem: `${primary.arn}: ${listProblem}` };
  const all = [primary];
  for (const arn of primary.replicaKeyArns) {
    const replica = await describedKey(await kmsOf(kms, arn, kmsFor), arn, input);
    const problem = replicaDescriptionProblem(primary, arn, replica);
    if (problem !== undefined) return { all: [primary], problem: `${primary.arn}: ${problem}` };
    all.push(replica);
  }
  return { all };
}

/** DescribeKey for every key (and its replicas with --with-replicas), in --key-id order. */
async function describeKeys(
  kms: KmsPort,
  input: PrepareImportInput,
  kmsFor: KmsForRegion,
): Promise<Described> {
  const described = await runBounded(input.keyIds, input.concurrency ?? 1, async (keyId) => {
    const primary = await describedKey(kms, keyId, input);
    const { all, problem } = joinsReplicas(input, keyId)
      ? await withReplicaDescriptions(kms, primary, kmsFor, input)
      : { all: [primary], problem: undefined };
    return { all: all.map((d) => ({ given: d === primary ? keyId : d.arn, d })), problem };
  });
  const done = described.flatMap((o) => (o.started ? [o.value] : []));
  return {
    descriptions: done.flatMap((o) => o.all),
    problems: done.flatMap((o) => (o.problem === undefined ? [] : [o.problem])),
  };
}

/** The keys KMS would take at all, once each; the others named with why. */
function usableKeys(
  { descriptions, problems }: Described,
  input: PrepareImportInput,
): { readonly usable: CheckedKey[]; readonly problems: string[] } {
  const usable: CheckedKey[] = [];
  const found = [...problems];
  const seen = new Map<string, string>();
  for (const { given, d } of descriptions) {
    const earlier = seen.get(d.arn);
    if (earlier !== undefined) {
      found.push(`${given}: the same key as ${earlier} (${d.arn})`);
      continue;
    }
    seen.set(d.arn, given);
    const result = checkKey(d, input.wrappingAlgorithm, input.wrappingKeySpec);
    if (typeof result === 'string') found.push(`${d.arn}: ${result}`);
    else usable.push({ ...result, alias: aliasNamed(given) });
  }
  return { usable, problems: found };
}

type PlannedKey = CheckedKey & { readonly expectedKcv: string | null };

/** Per usable key, the import type its materials call for (a replica follows its primary). */
async function planImports(
  kms: KmsPort,
  usable: readonly CheckedKey[],
  input: PrepareImportInput,
  kmsFor: KmsForRegion,
): Promise<{ readonly planned: PlannedKey[]; readonly problems: string[] }> {
  // Only keys KMS would take at all get their materials listed.
  const listed = await runBounded(usable, input.concurrency ?? 1, async (key) => {
    const d = key.description;
    // A key this command created, or one DescribeKey shows never held material, has none to
    // list: null plans it as a first import, one ListKeyRotations fewer per new key.
    const none =
      input.created?.has(d.arn) === true || neverHeldMaterial(d, input.importedOnRecord.has(d.arn));
    return listsMaterials(d) && !none
      ? (await kmsOf(kms, d.arn, kmsFor)).listKeyMaterials(d.arn)
      : null;
  });
  const planned: PlannedKey[] = [];
  const problems: string[] = [];
  const primaryPlans = new Map<string, ImportPlan>();
  for (const [i, key] of usable.entries()) {
    const d = key.description;
    const outcome = listed[i]!;
    const materials = outcome.started ? outcome.value : null;
    const primaryPlan =
      input.withReplicas !== false && d.primaryKeyArn !== undefined
        ? primaryPlans.get(d.primaryKeyArn)
        : undefined;
    // A replica takes its primary's material, which KMS then knows: EXISTING, under the same id.
    const plan =
      primaryPlan !== undefined && d.multiRegionKeyType === 'REPLICA'
        ? {
            importType: 'EXISTING_KEY_MATERIAL' as const,
            keyMaterialId:
              primaryPlan.importType === 'EXISTING_KEY_MATERIAL' ? primaryPlan.keyMaterialId : null,
          }
        : planImportType(
            d,
            materials,
            input.mode,
            input.keyMaterialId,
            input.importedOnRecord.has(d.arn),
          );
    if ('problem' in plan) {
      problems.push(`${d.arn}: ${plan.problem}`);
      continue;
    }
    if (d.multiRegionKeyType === 'PRIMARY') primaryPlans.set(d.arn, plan);
    // Asked here, before any GetParametersForImport, so a record with no answer stops the run first.
    const expectedKcv =
      plan.importType === 'EXISTING_KEY_MATERIAL'
        ? (input.expectedKcv(d.arn, plan.keyMaterialId) ?? null)
        : null;
    planned.push({ ...key, plan, expectedKcv });
  }
  return { planned, problems };
}

/** GetParametersForImport per planned key: the request's targets and the raw parameters. */
async function fetchTargets(
  kms: KmsPort,
  planned: readonly PlannedKey[],
  input: PrepareImportInput,
  kmsFor: KmsForRegion,
): Promise<Pick<PreparedImport, 'raw'> & { readonly targets: ImportTarget[] }> {
  const assigned = assignMaterialGroups(planned.map((c) => c.description));
  // A plan names each key's group after its alias; its replicas share the primary's group.
  const renamed = new Map<string, string>();
  planned.forEach((c, i) => {
    const name = input.groupNames?.get(c.description.arn);
    if (name !== undefined) renamed.set(assigned[i]!, name);
  });
  const groups = assigned.map((g) => renamed.get(g) ?? g);
  const fetched = await runBounded(planned, input.concurrency ?? 1, async (key) =>
    (await kmsOf(kms, key.description.arn, kmsFor)).getParametersForImport(
      key.description.arn,
      key.wrappingAlgorithm,
      input.wrappingKeySpec,
    ),
  );
  const targets: ImportTarget[] = [];
  const raw: { keyId: string; publicKey: Uint8Array; importToken: Uint8Array }[] = [];
  for (const [i, key] of planned.entries()) {
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
      // The token stays on this machine (REQUEST.tokens.json); its hash crosses, bound by the code.
      importTokenSha256: createHash('sha256').update(parameters.importToken).digest('hex'),
      parametersValidTo: rfc3339(parameters.parametersValidTo),
      importType: key.plan.importType,
      keyMaterialId: key.plan.keyMaterialId,
      expectedKcv: key.expectedKcv,
    });
    raw.push({
      keyId: key.description.keyId,
      publicKey: parameters.publicKey,
      importToken: parameters.importToken,
    });
  }
  return { targets, raw };
}

/**
 * DescribeKey for every key and refuse the whole request, naming each bad key, before any
 * GetParametersForImport; then one parameter set per key, built into a validated request bundle.
 */
export async function prepareImport(
  kms: KmsPort,
  input: PrepareImportInput,
  kmsFor: KmsForRegion = () => Promise.reject(new Error('one Region only')),
): Promise<PreparedImport> {
  for (const keyId of input.keyIds) assertKeyInRegion(keyId, kms.region);
  const checked = usableKeys(await describeKeys(kms, input, kmsFor), input);
  assertNoProblems(checked.problems);
  const { planned, problems } = await planImports(kms, checked.usable, input, kmsFor);
  assertNoProblems(problems);
  // Every key's spec, algorithm, ARN and replicas known now: the exact bound, before any parameters.
  assertRequestFits(
    {
      targets: planned.map((k) => ({
        keySpec: k.keySpec,
        wrappingAlgorithm: k.wrappingAlgorithm,
        arnChars: k.description.arn.length,
      })),
      wrappingKeySpec: input.wrappingKeySpec,
      operators: input.operators,
      ceremonyName: input.plan?.name ?? null,
    },
    'No import parameters were requested and nothing was written.',
  );
  const { targets, raw } = await fetchTargets(kms, planned, input, kmsFor);
  const bundle: ImportRequestBundle = {
    format: IMPORT_REQUEST_FORMAT,
    version: IMPORT_REQUEST_VERSION,
    ceremonyId: input.ceremonyId,
    createdAt: rfc3339(input.now),
    operators: [...input.operators],
    auditLogHead: input.auditLogHead,
    // A flag-driven prepare has no plan: no plan digest and no ceremony name.
    planDigest: input.plan?.digest ?? null,
    ceremonyName: input.plan?.name ?? null,
    targets,
  };
  assertImportRequestBundle(bundle);
  return {
    bundle,
    reimports: planned
      .filter(
        (c) =>
          c.plan.importType === 'EXISTING_KEY_MATERIAL' &&
          c.description.keyState !== 'PendingImport' &&
          c.description.multiRegionKeyType !== 'REPLICA',
      )
      .map((c) => c.description),
    aliases: planned.map((c) => c.alias),
    currentKeyMaterialIds: planned.map((c) => c.description.currentKeyMaterialId ?? null),
    raw,
  };
}

/** `alias/NAME` from an alias name or alias ARN as --key-id gave it; null for a key id or key ARN. */
function aliasNamed(given: string): string | null {
  const alias = /^(?:arn:[^:]+:kms:[^:]*:\d{12}:)?(alias\/.+)$/.exec(given);
  return alias === null ? null : alias[1]!;
}

/** RFC 3339 UTC without milliseconds, as the bundle formats expect. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
