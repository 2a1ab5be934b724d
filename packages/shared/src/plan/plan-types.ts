import type { BackupSpec } from '../custody/backup-spec.js';
import type { KeySpec, KeyUsage, WrappingAlgorithm, WrappingKeySpec } from '../kms/rules.js';

export const PLAN_FORMAT = 'byok-ceremony/plan';
export const PLAN_VERSION = 1;
/** A plan is a reviewed document, not data: a thousand keys are about 300 kB of YAML. */
export const PLAN_MAX_BYTES = 4 * 1024 * 1024;
/** As many keys as one ceremony may hold (docs/plan-format.md). */
export const PLAN_MAX_KEYS = 10_000;

export interface PlanOperator {
  readonly name: string;
  /** SHA-256 of the operator key's public key (DER), hex: what `operator keygen` printed. */
  readonly operatorKey: string;
}

export interface PlanKey {
  /** `alias/…`: how the plan, KMS and the record name the key. */
  readonly alias: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  /** A key policy file, relative to the plan's folder, or null for KMS's default policy. */
  readonly policyFile: string | null;
  /** Regions of the multi-Region replicas the ceremony creates; empty for a single-Region key. */
  readonly replicaRegions: readonly string[];
  /** RFC 3339 UTC when the imported material expires, or null: it does not expire. */
  readonly validTo: string | null;
}

export type PlanMaterial =
  | { readonly source: 'generate' }
  | { readonly source: 'components'; readonly custodians: number }
  | { readonly source: 'material-set' }
  /**
   * Generated, kept and wrapped in a PKCS#11 token (`wrap --plan --hsm URI`): the URI given on
   * the day must name this token by label and serial; its module path and PIN stay the
   * machine's, not the plan's.
   */
  | { readonly source: 'hsm'; readonly token: string; readonly serial: string };

export interface CeremonyPlan {
  readonly format: typeof PLAN_FORMAT;
  readonly version: typeof PLAN_VERSION;
  /** The ceremony's name: on the record, and each material's KeyMaterialDescription. */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly operators: readonly PlanOperator[];
  readonly witness: string;
  readonly material: PlanMaterial;
  /**
   * The backups wrap makes of generated material, as `--backup` spells them (shamir:M-of-N,
   * age:RECIPIENT, age:passphrase); 'none' for a rehearsal (recorded as an exception), and for
   * material the custodians keep (components, a material set).
   */
  readonly backup: readonly BackupSpec[] | 'none';
  readonly wrappingAlgorithm: WrappingAlgorithm | null;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly keys: readonly PlanKey[];
}

/** A plan with what its digest covers besides itself: the SHA-256 of each policy file it names. */
export interface DigestedPlan {
  readonly plan: CeremonyPlan;
  /** Policy file → SHA-256 of its bytes, hex. */
  readonly policyDigests: Readonly<Record<string, string>>;
  /** SHA-256 of the canonical plan and its policy digests (docs/plan-format.md), hex. */
  readonly digest: string;
  /** The digest's check-code form, which the sign-off sheet carries. */
  readonly code: string;
}
