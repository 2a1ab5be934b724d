import { ByokError, type AuditSigner, type OperatorKeyFile } from '@byok-ceremony/shared';
import { unlockOperatorKey, WrongPassphraseError } from '../ops/operator-key-unlock.js';
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

/** How many times an operator may type the passphrase of their operator key at a terminal. */
export const PASSPHRASE_TRIES = 3;

/** The audit entry's exception for one wrong passphrase typed at the prompt. */
export function mistypedPassphraseException(operator: string): string {
  return `passphrase-mistyped:${operator}`;
}

type PromptIo = {
  readonly interactive: boolean;
  readonly stdin: NodeJS.ReadableStream;
  readonly stderr: (text: string) => void;
};

/** The operator keys read and checked, those with a passphrase file already open. */
export interface OperatorKeysToUnlock {
  /**
   * The signers in --operator order: each key without a passphrase file is asked for at the
   * terminal, a wrong passphrase asked again (up to PASSPHRASE_TRIES), each wrong try passed
   * to `mistyped` for the audit entry.
   */
  unlock(mistyped: (operator: string) => void): Promise<AuditSigner[]>;
}

type Pending =
  | { readonly kind: 'open'; readonly signer: AuditSigner }
  | {
      readonly kind: 'ask';
      readonly operator: string;
      readonly path: string;
      readonly file: OperatorKeyFile;
    };

/** Asks for one key's passphrase until it opens the key or the tries run out. */
async function askUntilOpen(
  { operator, path, file }: Extract<Pending, { kind: 'ask' }>,
  io: PromptIo,
  mistyped: (operator: string) => void,
): Promise<AuditSigner> {
  for (let attempt = 1; ; attempt++) {
    const passphrase = await promptPassphrase(
      `${operator}, type the passphrase of your operator key: `,
      io,
    );
    try {
      return unlockOperatorKey(file, passphrase, path);
    } catch (error) {
      if (!(error instanceof WrongPassphraseError)) throw error;
      mistyped(operator);
      if (attempt === PASSPHRASE_TRIES) throw error;
      io.stderr(
        `${operator}, that passphrase does not open your operator key; type it again (try ${attempt + 1} of ${PASSPHRASE_TRIES}).\n`,
      );
    } finally {
      passphrase.fill(0);
    }
  }
}

/**
 * Reads each operator's key (in --operator order) and refuses, before anything is asked, what
 * needs no typing: an unreadable key file, another operator's key, a missing or wrong
 * passphrase file, no terminal to ask on. Keys with a passphrase file are opened here; the
 * others are asked for by `unlock`, after the check codes (runbook order).
 */
export async function openOperatorKeys(
  keyFiles: readonly string[],
  passphraseFiles: readonly string[],
  operators: readonly string[],
  io: PromptIo,
): Promise<OperatorKeysToUnlock> {
  const pending: Pending[] = [];
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
    if (passphraseFile === undefined) {
      if (!io.interactive)
        throw new ByokError('ERR_OPERATOR_KEY', `no passphrase for ${operator}'s operator key`, {
          hint: 'Run on a terminal to type it, or give --passphrase-file FILE per key in a scripted run (never on the command line).',
        });
      pending.push({ kind: 'ask', operator, path, file });
      continue;
    }
    const passphrase = await readPassphraseFile(passphraseFile);
    try {
      pending.push({ kind: 'open', signer: unlockOperatorKey(file, passphrase, path) });
    } finally {
      passphrase.fill(0);
    }
  }
  return {
    async unlock(mistyped) {
      const signers: AuditSigner[] = [];
      for (const p of pending)
        signers.push(p.kind === 'open' ? p.signer : await askUntilOpen(p, io, mistyped));
      return signers;
    },
  };
}
