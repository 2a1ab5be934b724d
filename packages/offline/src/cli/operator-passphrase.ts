import { ByokError } from '@byok-ceremony/shared';
import { promptPassphrase, readPassphraseFile, type CliDeps } from '@byok-ceremony/node-io';

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
  const first = await promptPassphrase(
    `${name}, choose a passphrase for your operator key: `,
    deps,
  );
  const again = await promptPassphrase(`${name}, type the passphrase again: `, deps);
  try {
    if (!first.equals(again)) {
      first.fill(0);
      throw new ByokError('ERR_OPERATOR_KEY', 'the two passphrases differ', {
        hint: 'Run the command again and type the same passphrase twice.',
      });
    }
    return first;
  } finally {
    again.fill(0);
  }
}
