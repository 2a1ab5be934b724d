import { ByokError, serializeMaterialSetBytes, type MaterialSet } from '@byok-ceremony/shared';
import { bytesOf, streamOf } from './web-stream-bytes.js';

/** To whom the age file is encrypted: X25519 recipients (`age1…`), or one passphrase. */
export type AgeTarget =
  | { readonly kind: 'recipients'; readonly recipients: readonly string[] }
  | { readonly kind: 'passphrase'; readonly passphrase: string };

/**
 * The material set as one age file (age-encryption, the reference TypeScript implementation),
 * which `age -d -i key.txt` (or `age -d` and the passphrase) decrypts to the set's JSON.
 */
export async function encryptMaterialSet(set: MaterialSet, target: AgeTarget): Promise<Uint8Array> {
  // Loaded here: age and its curves are needed only when a backup is encrypted.
  const { Encrypter } = await import('age-encryption');
  const encrypter = new Encrypter();
  try {
    if (target.kind === 'passphrase') encrypter.setPassphrase(target.passphrase);
    else for (const recipient of target.recipients) encrypter.addRecipient(recipient);
  } catch (error) {
    throw new ByokError('ERR_USAGE', `age refuses the recipient: ${(error as Error).message}`, {
      hint: 'Give X25519 recipients as age-keygen prints them (age1…).',
    });
  }
  const plain = serializeMaterialSetBytes(set);
  try {
    return await bytesOf(await encrypter.encrypt(streamOf(plain)));
  } finally {
    plain.fill(0);
  }
}
