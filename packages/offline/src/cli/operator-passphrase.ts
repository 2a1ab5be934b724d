import { ByokError } from '@byok-ceremony/shared';
import { promptNewPassphrase, readPassphraseFile, type CliDeps } from '@byok-ceremony/node-io';

/** A new operator key's passphrase: from --passphrase-file, or typed twice on a terminal. */
export async function newPassphrase(
  name: string,
  file: string | undefined,
  deps: CliDeps,
): Promise<Buffer> {
  if (file !== undefined) return readPassphraseFile(file);
  if (!deps.interactive) {
    throw new ByokError('ERR_OPERATOR_KEY', `no passphrase for ${name}'s operator key`, {
      hint: 'Run on a terminal to type it, or give --passphrase-file FILE in a scripted run (never on the command line).',
    });
  }
  return promptNewPassphrase(
    {
      first: `${name}, choose a passphrase for your operator key: `,
      again: `${name}, type the passphrase again: `,
      code: 'ERR_OPERATOR_KEY',
    },
    deps,
  );
}
