import { bytesOf, streamOf } from './web-stream-bytes.js';
import { ByokError, parseMaterialSet, type MaterialSet } from '@byok-ceremony/shared';

/** How the age file is opened: identities (`AGE-SECRET-KEY-1…`), or its passphrase. */
export type AgeKey =
  | { readonly kind: 'identities'; readonly identities: readonly string[] }
  | { readonly kind: 'passphrase'; readonly passphrase: string };

/** An age file is the set plus about 200 bytes a recipient; anything far larger is not one. */
export const AGE_FILE_MAX_BYTES = 1024 * 1024;

/** The identities of an age identity file (what age-keygen writes): comments and blank lines skipped. */
export function parseAgeIdentityFile(text: string, source: string): string[] {
  const identities: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/.test(line))
      throw new ByokError(
        'ERR_AGE',
        `${source}: line ${i + 1} is not an age X25519 identity (AGE-SECRET-KEY-1…)`,
        {
          hint: 'Give the identity file age-keygen wrote (age-keygen -o key.txt).',
        },
      );
    identities.push(line);
  }
  if (identities.length === 0)
    throw new ByokError('ERR_AGE', `${source} holds no age identity`, {
      hint: 'Give the identity file age-keygen wrote (age-keygen -o key.txt).',
    });
  return identities;
}

/** Decrypts an age file of a material set and parses the set strictly. */
export async function decryptMaterialSet(file: Uint8Array, key: AgeKey): Promise<MaterialSet> {
  if (file.length > AGE_FILE_MAX_BYTES)
    throw new ByokError(
      'ERR_AGE',
      `the age file has ${file.length} bytes; a material set's is at most ${AGE_FILE_MAX_BYTES}`,
      {
        hint: 'Give material-set.age as wrap wrote it.',
      },
    );
  // Loaded here: age and its curves are needed only when a backup is decrypted.
  const { Decrypter } = await import('age-encryption');
  const decrypter = new Decrypter();
  if (key.kind === 'passphrase') decrypter.addPassphrase(key.passphrase);
  else for (const identity of key.identities) decrypter.addIdentity(identity);
  let plain: Uint8Array;
  try {
    plain = await bytesOf(await decrypter.decrypt(streamOf(file)));
  } catch (error) {
    const message = (error as Error).message;
    throw new ByokError(
      'ERR_AGE',
      key.kind === 'passphrase'
        ? `the age file cannot be decrypted with this passphrase (${message})`
        : `the age file cannot be decrypted with the identity given (${message})`,
      {
        hint:
          key.kind === 'passphrase'
            ? 'Check the passphrase with the custodian who holds it; the file may be encrypted to recipients instead (--identity).'
            : 'Give the identity file of one of the recipients the file was encrypted to (age-keygen -y key.txt prints its recipient).',
      },
    );
  }
  try {
    return parseMaterialSet(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch (error) {
    if (error instanceof TypeError)
      throw new ByokError(
        'ERR_MATERIAL_SET_INVALID',
        'the age file does not hold a UTF-8 material set',
        {
          hint: 'Give material-set.age as wrap wrote it.',
        },
      );
    throw error;
  } finally {
    plain.fill(0);
  }
}
