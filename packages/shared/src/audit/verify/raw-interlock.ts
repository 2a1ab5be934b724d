import { RAW_IMPORT_TOKEN_LABEL, RAW_MATERIAL_LABEL, RAW_PUBLIC_KEY_LABEL } from '../raw-labels.js';
import type { LoggedEntry } from '../verify-chain.js';
import { okRaw, rawParameterOf } from './raw-entries.js';
import { where, type Report } from './report.js';
import type { CeremonyRun } from './transcript-types.js';

/** The key id at the end of a key ARN. */
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
