import type { ImportCeremonyResult } from '../ops/import-ceremony.js';
import type { ImportJournal } from '../ops/import-wrapped-keys.js';
import type { CliDeps } from './deps.js';

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
      `New material ${p.keyMaterialId} of ${p.keyArn} is pending rotation: run byok-online rotate --key-id ${p.keyArn}`,
    );
  deps.stdout(`${lines.join('\n')}\n`);
}

/** After a failure or an interruption: which keys hold their material already. */
export function printImportedBeforeFailure(deps: CliDeps, journal: ImportJournal): void {
  for (const key of journal.auditKeys) {
    deps.stderr(
      `byok-online: imported before the failure: ${key.keyArn} (${key.keyState ?? 'unknown state'})\n`,
    );
  }
  if (journal.auditKeys.length > 0)
    deps.stderr(
      'byok-online: running import again with the same files is safe once the cause is fixed: it imports exactly the rest\n',
    );
}
