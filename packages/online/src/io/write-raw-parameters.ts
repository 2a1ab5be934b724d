import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileExclusive } from '@byok-ceremony/node-io';
import { ByokError, quoteForMessage } from '@byok-ceremony/shared';
import { KMS_KEY_ID } from '../kms/kms-response.js';

/**
 * The seed procedure's step 6 outputs, binary, one folder per key: DIR/KEY_ID/PublicKey.bin and
 * DIR/KEY_ID/ImportToken.bin. DIR must not exist; it is created here and removed again on failure.
 */
export async function writeRawParameters(
  dir: string,
  keys: readonly {
    readonly keyId: string;
    readonly publicKey: Uint8Array;
    readonly importToken: Uint8Array;
  }[],
): Promise<string[]> {
  // Each id names a folder: only a KMS key id, so no answer can climb out with ../ or a /.
  const bad = keys.find(
    (k, i) => !KMS_KEY_ID.test(k.keyId) || keys.findIndex((o) => o.keyId === k.keyId) !== i,
  );
  if (bad !== undefined)
    throw new ByokError(
      'ERR_KMS',
      `refusing to write the raw parameters: ${quoteForMessage(bad.keyId)} is not a KMS key id that names one folder`,
      { hint: 'The endpoint does not behave like KMS: check --endpoint-url; nothing was written.' },
    );
  await mkdir(dir, { mode: 0o755 });
  const written: string[] = [];
  try {
    for (const key of keys) {
      const keyDir = join(dir, key.keyId);
      await mkdir(keyDir, { mode: 0o755 });
      for (const [name, bytes] of [
        ['PublicKey.bin', key.publicKey],
        ['ImportToken.bin', key.importToken],
      ] as const) {
        await writeFileExclusive(join(keyDir, name), bytes, 0o644);
        written.push(join(keyDir, name));
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return written;
}
