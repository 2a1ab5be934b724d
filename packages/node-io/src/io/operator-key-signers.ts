import { ByokError, type AuditSigner } from '@byok-ceremony/shared';
import { unlockOperatorKey } from '../ops/operator-key-unlock.js';
import { readOperatorKeyFile } from './operator-key-file.js';
import { promptPassphrase, readPassphraseFile } from './operator-key-passphrase.js';

/** Refuses mismatched --operator-key / --passphrase-file counts before any file is opened. */
export function assertOperatorKeyFlags(
  keyFiles: readonly string[],
  passphraseFiles: readonly string[],
  operators: readonly string[],
): void {
  if (keyFiles.length === 0) {
    if (passphraseFiles.length > 0) {
      throw new ByokError('ERR_USAGE', '--passphrase-file needs --operator-key', {
        hint: 'Give each operator key with --operator-key FILE, in --operator order, then its passphrase file.',
      });
    }
    return;
  }
  if (keyFiles.length !== operators.length) {
    throw new ByokError(
      'ERR_USAGE',
      `${operators.length} operator(s) but ${keyFiles.length} --operator-key file(s)`,
      {
        hint: 'When operators sign, each one gives an --operator-key FILE, in the same order as --operator.',
      },
    );
  }
  if (passphraseFiles.length !== 0 && passphraseFiles.length !== keyFiles.length) {
    throw new ByokError(
      'ERR_USAGE',
      `${keyFiles.length} --operator-key file(s) but ${passphraseFiles.length} --passphrase-file file(s)`,
      {
        hint: 'Give one --passphrase-file per --operator-key in scripted runs, or none to be asked on the terminal.',
      },
    );
  }
}

/** Opens each operator's key (in --operator order) with a passphrase from a file or the terminal. */
export async function unlockOperatorKeys(
  keyFiles: readonly string[],
  passphraseFiles: readonly string[],
  operators: readonly string[],
  io: {
    readonly interactive: boolean;
    readonly stdin: NodeJS.ReadableStream;
    readonly stderr: (text: string) => void;
  },
): Promise<AuditSigner[]> {
  const signers: AuditSigner[] = [];
  for (const [i, path] of keyFiles.entries()) {
    const file = await readOperatorKeyFile(path);
    const operator = operators[i]!;
    if (file.name !== operator) {
      throw new ByokError(
        'ERR_OPERATOR_KEY',
        `${path} is ${file.name}'s operator key, but operator ${i + 1} is ${operator}`,
        {
          hint: 'Give the --operator-key files in the same order as --operator.',
        },
      );
    }
    const passphraseFile = passphraseFiles[i];
    if (passphraseFile === undefined && !io.interactive) {
      throw new ByokError('ERR_OPERATOR_KEY', `no passphrase for ${operator}'s operator key`, {
        hint: 'Run on a terminal to type it, or give --passphrase-file FILE per key in a scripted run (never on the command line).',
      });
    }
    const passphrase =
      passphraseFile === undefined
        ? await promptPassphrase(`${operator}, type the passphrase of your operator key: `, io)
        : await readPassphraseFile(passphraseFile);
    try {
      signers.push(unlockOperatorKey(file, passphrase, path));
    } finally {
      passphrase.fill(0);
    }
  }
  return signers;
}
