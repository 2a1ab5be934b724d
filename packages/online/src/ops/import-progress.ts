import type { AuditKeyRecord } from '@byok-ceremony/shared';
import type { CeremonyFacts } from '@byok-ceremony/node-io';
import type { ProofKind } from './prove-material.js';

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

/**
 * What one import run settled so far, in memory and by target index: the keys imported and
 * each key's audit record. (The durable side is the journal file, `ImportJournalFile`.) Created
 * by the import operation itself, so that a failure part-way still reports and logs what
 * happened, in target order.
 */
export class ImportProgress {
  private readonly records: (AuditKeyRecord | undefined)[];
  private readonly settled: (ImportedKey | undefined)[];

  constructor(readonly total: number) {
    this.records = Array.from({ length: total }, () => undefined);
    this.settled = Array.from({ length: total }, () => undefined);
  }

  /** The key's audit record: KMS holds the material, proven or not. */
  record(index: number, record: AuditKeyRecord): void {
    this.records[index] = record;
  }

  /** The key holds the request's material and its outcome is settled. */
  settle(index: number, key: ImportedKey): void {
    this.settled[index] = key;
  }

  imported(): ImportedKey[] {
    return this.settled.filter((k) => k !== undefined);
  }

  facts(): CeremonyFacts {
    return { keys: this.records.filter((k) => k !== undefined) };
  }
}
