import type { AuditFinding } from './audit-finding.js';
import {
  keyIdOfRawLabel,
  RAW_IMPORT_TOKEN_LABEL,
  RAW_MATERIAL_LABEL,
  RAW_PUBLIC_KEY_LABEL,
  type RawParameterFile,
} from './raw-labels.js';
import type { AuditEntry } from './record.js';
import type { LoggedEntry } from './verify-chain.js';
import type { CeremonyRun } from './verify-transcript.js';

export const RAW_MODE_EXCEPTION = 'raw-mode';

type Report = (
  severity: AuditFinding['severity'],
  code: AuditFinding['code'],
  at: LoggedEntry | null,
  message: string,
) => void;

/** Where a raw file came from: the prepare --raw-dir that wrote it, and the key it is for. */
interface RawParameter {
  readonly prepare: LoggedEntry;
  readonly keyId: string;
}

export function isRawEntry(entry: AuditEntry): boolean {
  return entry.exceptions.includes(RAW_MODE_EXCEPTION);
}

function where(e: LoggedEntry): string {
  return `line ${e.line} (${e.entry.command})`;
}

function okRaw(log: readonly LoggedEntry[], command: string): LoggedEntry[] {
  return log.filter(
    (e) => e.entry.command === command && e.entry.outcome === 'ok' && isRawEntry(e.entry),
  );
}

/** The prepare --raw-dir output that has this digest, found by its label `raw:KEY_ID:FILE`. */
function rawParameterOf(
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

function keyIdOfArn(arn: string | null): string | undefined {
  return arn === null ? undefined : /:key\/([^/]+)$/.exec(arn)?.[1];
}

/**
 * Raw mode's files carry no log head, so its runs are linked by their digests alone: wrap raw
 * read a PublicKey.bin that a prepare --raw-dir wrote, and import raw sent that key's
 * ImportToken.bin with the EncryptedKeyMaterial.bin that wrap raw wrote, into that same key.
 */
export function checkRawInterlock(
  offline: readonly LoggedEntry[],
  online: readonly LoggedEntry[],
  report: Report,
): CeremonyRun[] {
  const prepares = online.filter((e) => e.entry.command === 'prepare' && e.entry.outcome === 'ok');
  const wraps = okRaw(offline, 'wrap');
  for (const w of wraps) {
    if (rawParameterOf(prepares, 'PublicKey', w.entry.inputs[RAW_PUBLIC_KEY_LABEL]) === undefined)
      report(
        'error',
        'interlock',
        w,
        `${where(w)} wrapped for a public key that no prepare --raw-dir in the online log wrote`,
      );
  }
  const runs: CeremonyRun[] = [];
  for (const i of okRaw(online, 'import')) {
    const token = rawParameterOf(prepares, 'ImportToken', i.entry.inputs[RAW_IMPORT_TOKEN_LABEL]);
    const material = i.entry.inputs[RAW_MATERIAL_LABEL];
    const w = wraps.find(
      (x) => material !== undefined && x.entry.outputs[RAW_MATERIAL_LABEL] === material,
    );
    runs.push({
      prepare: token?.prepare ?? null,
      wrap: w ?? null,
      import: i,
      requestDigest: token?.prepare.entry.outputs['request'] ?? null,
      wrappedDigest: null,
    });
    if (token === undefined) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)} sent an import token that no prepare --raw-dir in the online log wrote`,
      );
    } else {
      if (token.prepare.entry.seq > i.entry.seq)
        report(
          'error',
          'interlock',
          i,
          `${where(i)} comes before the prepare at line ${token.prepare.line} that wrote its import token`,
        );
      for (const key of i.entry.keys)
        if (keyIdOfArn(key.keyArn) !== token.keyId)
          report(
            'error',
            'interlock',
            i,
            `${where(i)} imported into ${key.keyArn ?? 'no key'} with the import token line ${token.prepare.line} wrote for key ${token.keyId}`,
          );
    }
    if (w === undefined) {
      report(
        'error',
        'interlock',
        i,
        `${where(i)} imported encrypted key material that no wrap raw in the offline log wrote`,
      );
      continue;
    }
    const publicKey = rawParameterOf(prepares, 'PublicKey', w.entry.inputs[RAW_PUBLIC_KEY_LABEL]);
    if (token !== undefined && publicKey !== undefined && publicKey.keyId !== token.keyId)
      report(
        'error',
        'interlock',
        i,
        `${where(i)} imported into key ${token.keyId} material that offline line ${w.line} wrapped for key ${publicKey.keyId}`,
      );
  }
  return runs;
}

/**
 * A raw ceremony is done when every key of the prepare --raw-dir that the last import raw
 * answers holds material and is Enabled. Raw mode proves nothing more (its entries record the
 * raw-mode exception), so no proof is required.
 */
export function checkRawCompletion(
  online: readonly LoggedEntry[],
  last: LoggedEntry,
  report: Report,
): void {
  const prepares = online.filter((e) => e.entry.command === 'prepare' && e.entry.outcome === 'ok');
  const token = rawParameterOf(prepares, 'ImportToken', last.entry.inputs[RAW_IMPORT_TOKEN_LABEL]);
  if (token === undefined) {
    report('error', 'incomplete', last, `${where(last)} answers no prepare --raw-dir in this log`);
    return;
  }
  const answering = okRaw(online, 'import').filter(
    (i) =>
      rawParameterOf(prepares, 'ImportToken', i.entry.inputs[RAW_IMPORT_TOKEN_LABEL])?.prepare ===
      token.prepare,
  );
  for (const { keyArn } of token.prepare.entry.keys) {
    if (keyArn === null) continue;
    const key = answering
      .flatMap((i) => i.entry.keys)
      .filter((k) => k.keyArn === keyArn)
      .at(-1);
    if (key === undefined)
      report(
        'error',
        'incomplete',
        last,
        `no import raw put material into ${keyArn}, which the prepare at line ${token.prepare.line} names`,
      );
    else if (key.keyState !== 'Enabled')
      report(
        'error',
        'incomplete',
        last,
        `${keyArn} ended in state ${key.keyState ?? 'unknown'} after import raw, not Enabled`,
      );
  }
}
