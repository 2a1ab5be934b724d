import type { ImportCeremonyResult } from '../ops/import-ceremony.js';
import { isByokError, type AuditKeyRecord } from '@byok-ceremony/shared';
import type { ImportedKey } from '../ops/import-wrapped-keys.js';
import type { CliDeps } from './deps.js';

/** The request's import parameters (its tokens) expired, by our check or by KMS's. */
export function importParametersExpired(error: unknown): boolean {
  return (
    isByokError(error) &&
    (error.code === 'ERR_PARAMETERS_EXPIRED' ||
      error.message.includes('ExpiredImportTokenException'))
  );
}

/** What import prints once its entry is on record. */
export function printImported(deps: CliDeps, json: boolean, result: ImportCeremonyResult): void {
  const { checkCode, keys, rotation } = result;
  if (json) {
    deps.stdout(
      `${JSON.stringify({ checkCode, keys, rotated: rotation.rotated, pendingRotation: rotation.pending })}\n`,
    );
    return;
  }
  const lines = [`Imported ${keys.length} key(s) (wrapped bundle ${checkCode})`];
  for (const key of keys) {
    const proof =
      key.proof === 'kcv-only'
        ? `KCV ${key.kcv} on record (symmetric material cannot be proven outside KMS)`
        : `${key.proof === 'hmac' ? 'GenerateMac' : 'GetPublicKey'} matches the offline value: proven`;
    lines.push(
      '',
      `  ${key.keyArn}${key.alreadyHeld ? ' (already held this material: not imported again)' : ''}`,
      `    state           ${key.keyState}`,
      `    KeyMaterialId   ${key.keyMaterialId ?? '(not reported)'}`,
      `    proof           ${proof}`,
    );
  }
  for (const r of rotation.rotated)
    lines.push(
      '',
      `Rotated ${r.keyArn}${r.replicaArns.length > 0 ? ` and ${r.replicaArns.length} replica(s)` : ''}: current material ${r.keyMaterialId}`,
    );
  for (const p of rotation.pending)
    lines.push(
      '',
      `New material ${p.keyMaterialId} of ${p.keyArn} is pending rotation: run byok-online rotate --key-id ${p.keyArn} --operator A --operator B`,
    );
  deps.stdout(`${lines.join('\n')}\n`);
}

/** After a failure or an interruption: which keys hold their material already. */
export function printImportedBeforeFailure(
  deps: CliDeps,
  keys: readonly AuditKeyRecord[],
  error: unknown,
): void {
  for (const key of keys) {
    deps.stderr(
      `byok-online: imported before the failure: ${key.keyArn} (${key.keyState ?? 'unknown state'})\n`,
    );
  }
  // Expired import parameters never come back: --resume would fail the same way (see the hint).
  if (keys.length > 0 && !importParametersExpired(error))
    deps.stderr(
      'byok-online: once the cause is fixed, run the same import with --resume: it imports exactly the rest\n',
    );
}

/**
 * Per key as it settles: a JSON line on stdout (--json-lines), or a progress bar redrawn on a
 * terminal's stderr; nothing otherwise.
 */
export function keyProgress(
  deps: CliDeps,
  jsonLines: boolean,
): ((index: number, key: ImportedKey, total: number) => void) | undefined {
  if (jsonLines)
    return (index, key) => {
      deps.stdout(`${JSON.stringify({ index, ...key })}\n`);
    };
  if (deps.stderrIsTty !== true) return undefined;
  let settled = 0;
  return (_index, _key, total) => {
    settled++;
    const width = 30;
    const filled = Math.round((settled / total) * width);
    deps.stderr(
      `\rbyok-online: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${settled}/${total} key(s)${settled === total ? '\n' : ''}`,
    );
  };
}
