import { keyIdOfRawLabel, type RawParameterFile } from '../raw-labels.js';
import type { AuditEntry } from '../record.js';
import type { LoggedEntry } from '../verify-chain.js';

export const RAW_MODE_EXCEPTION = 'raw-mode';

/** Where a raw file came from: the prepare --raw-dir that wrote it, and the key it is for. */
export interface RawParameter {
  readonly prepare: LoggedEntry;
  readonly keyId: string;
}

/** Raw mode's entries record the raw-mode exception; they link by raw files, not bundles. */
export function isRawEntry(entry: AuditEntry): boolean {
  return entry.exceptions.includes(RAW_MODE_EXCEPTION);
}

/** The successful raw-mode entries of one command. */
export function okRaw(log: readonly LoggedEntry[], command: string): LoggedEntry[] {
  return log.filter(
    (e) => e.entry.command === command && e.entry.outcome === 'ok' && isRawEntry(e.entry),
  );
}

/** The prepare --raw-dir output that has this digest, found by its label `raw:KEY_ID:FILE`. */
export function rawParameterOf(
  prepares: readonly LoggedEntry[],
  file: RawParameterFile,
  digest: string | undefined,
): RawParameter | undefined {
  if (digest === undefined) return undefined;
  for (const prepare of prepares)
    for (const [label, value] of Object.entries(prepare.entry.outputs)) {
      const keyId = keyIdOfRawLabel(label, file);
      if (keyId !== undefined && value === digest) return { prepare, keyId };
    }
  return undefined;
}
