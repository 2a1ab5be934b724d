import {
  ByokError,
  type AuditKeyRecord,
  type ImportRequestBundle,
  type PlanKey,
  planMaterialGroup,
} from '@byok-ceremony/shared';
import type { LoadedPlan } from '@byok-ceremony/node-io';
import type { KeyDescription, KmsPort } from '../kms/kms-port.js';
import { createPlanKeys, type CreatedInKms } from './create-plan-keys.js';
import { planKeysInKms } from './plan-keys-in-kms.js';
import type { KmsForRegion, PrepareImportInput } from './prepare-import.js';
import type { WaitOptions } from './wait-for-imported.js';

export interface PreparePlanKeysInput {
  /** Key ARNs this machine's log shows holding imported material. */
  readonly importedOnRecord: ReadonlySet<string>;
  /** Alias → key ARN this machine's log shows created by this plan without its alias. */
  readonly createdWithoutAlias: ReadonlyMap<string, string>;
  readonly concurrency: number;
  readonly wait: WaitOptions;
  /** The key records of what this run created so far, for the audit entry (each creation adds one). */
  readonly onRecord: (keys: AuditKeyRecord[]) => void;
}

/** The plan's keys ready in KMS, as prepareImport takes them, and what their records add. */
export interface PlanKeysPrepared {
  readonly importInput: Pick<
    PrepareImportInput,
    'keyIds' | 'withReplicas' | 'described' | 'created' | 'groupNames'
  >;
  /** Refuses a request in which a plan key would take material again (an import already made). */
  readonly assertFirstImports: (bundle: ImportRequestBundle) => void;
  /** Key ARN → the plan's alias of it. */
  readonly aliases: ReadonlyMap<string, string>;
  /** A prepared key's record with its alias and what this run created of it. */
  readonly withCreation: (record: AuditKeyRecord) => AuditKeyRecord;
}

type Creation = NonNullable<AuditKeyRecord['created']>[number];

/** The running record of what was created: one record per key ARN, its alias and the pieces made. */
class CreationRecords {
  private readonly records = new Map<string, AuditKeyRecord>();
  private readonly aliases = new Map<string, string>();

  constructor(private readonly onRecord: (keys: AuditKeyRecord[]) => void) {}

  add(piece: CreatedInKms): void {
    const was = this.records.get(piece.arn);
    const created: Creation = piece.kind;
    this.records.set(piece.arn, {
      keyArn: piece.arn,
      keySpec: piece.key.keySpec,
      ...(piece.kind === 'replica' ? {} : { alias: piece.key.alias }),
      keyState: 'PendingImport',
      created: [...(was?.created ?? []), created],
    });
    this.onRecord([...this.records.values()]);
  }

  /** The alias of every plan primary, created or found: the record names each key by it. */
  alias(arn: string, key: PlanKey): void {
    this.aliases.set(arn, key.alias);
  }

  withCreation(record: AuditKeyRecord): AuditKeyRecord {
    const alias = record.keyArn === null ? undefined : this.aliases.get(record.keyArn);
    const created = record.keyArn === null ? undefined : this.records.get(record.keyArn)?.created;
    return {
      ...record,
      ...(alias === undefined ? {} : { alias }),
      ...(created === undefined ? {} : { created }),
    };
  }
}

/** Said when a plan key already took material: the plan's import is a first import. */
const IMPORTED_ALREADY_HINT =
  "A plan imports each key's material once: a key that holds (or held) material is restored with the flag-driven prepare --reimport and the original record, not prepared again from the plan.";

function assertPlanMatches(differences: readonly string[]): void {
  if (differences.length === 0) return;
  const imported = differences.some((d) => d.includes("this plan's material was imported already"));
  throw new ByokError(
    'ERR_PLAN_MISMATCH',
    `KMS differs from the plan in ${differences.length} place(s); nothing was changed:\n${differences.join('\n')}`,
    {
      hint: `${imported ? `${IMPORTED_ALREADY_HINT} ` : ''}Otherwise find out who changed the keys and why, then correct them in KMS or sign a plan that says what KMS holds: prepare --plan creates only what is missing and changes nothing that exists.`,
      details: differences,
    },
  );
}

/**
 * prepare --plan before the import parameters: reads what KMS holds of the plan and refuses the
 * command, listing every difference, before anything changes; then creates what is missing (keys,
 * aliases, replicas) and hands prepareImport the plan's keys with their descriptions in hand.
 */
export async function preparePlanKeys(
  kms: KmsPort,
  kmsFor: KmsForRegion,
  loaded: LoadedPlan,
  input: PreparePlanKeysInput,
): Promise<PlanKeysPrepared> {
  const { found, differences } = await planKeysInKms(kms, kmsFor, {
    plan: loaded.plan,
    policies: loaded.policies,
    importedOnRecord: input.importedOnRecord,
    createdWithoutAlias: input.createdWithoutAlias,
    concurrency: input.concurrency,
  });
  assertPlanMatches(differences);
  const records = new CreationRecords(input.onRecord);
  const ready = await createPlanKeys(kms, kmsFor, found, {
    policies: loaded.policies,
    wait: input.wait,
    account: loaded.plan.account,
    created: (piece) => {
      records.add(piece);
    },
  });
  const described = new Map<string, KeyDescription>();
  const aliases = new Map<string, string>();
  for (const r of ready) {
    records.alias(r.primary.arn, r.key);
    aliases.set(r.primary.arn, r.key.alias);
    for (const d of [r.primary, ...r.replicas]) described.set(d.arn, d);
  }
  const keyIds = ready.map((r) => r.primary.arn);
  return {
    importInput: {
      keyIds,
      withReplicas: new Set(ready.filter((r) => r.replicas.length > 0).map((r) => r.primary.arn)),
      described,
      created: new Set(ready.flatMap((r) => r.createdArns)),
      groupNames: new Map(ready.map((r) => [r.primary.arn, planMaterialGroup(r.key.alias)])),
    },
    assertFirstImports: (bundle) => {
      const primaries = new Set(keyIds);
      const again = bundle.targets.filter(
        (t) => primaries.has(t.keyArn) && t.importType === 'EXISTING_KEY_MATERIAL',
      );
      if (again.length > 0)
        throw new ByokError(
          'ERR_PLAN_MISMATCH',
          `this plan's material was imported already: ${again.map((t) => t.keyArn).join(', ')} held material before`,
          {
            hint: `${IMPORTED_ALREADY_HINT} Nothing was written.`,
          },
        );
    },
    aliases,
    withCreation: (record) => records.withCreation(record),
  };
}
