import { ByokError } from '../errors.js';

/** One `--backup` choice of wrap. */
export type BackupSpec =
  | { readonly kind: 'shamir'; readonly threshold: number; readonly shares: number }
  | { readonly kind: 'age-recipient'; readonly recipient: string }
  | { readonly kind: 'age-passphrase' };

/** An age X25519 recipient (Bech32, lowercase), the form `age-keygen` prints. */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

function usage(message: string): ByokError {
  return new ByokError('ERR_USAGE', message, {
    hint: 'Use --backup shamir:M-of-N (2 ≤ M ≤ N ≤ 255), --backup age:age1… (a recipient from age-keygen) or --backup age:passphrase.',
  });
}

/** Parses `shamir:M-of-N`, `age:RECIPIENT` or `age:passphrase`. */
export function parseBackupSpec(text: string): BackupSpec {
  const shamir = /^shamir:([0-9]{1,3})-of-([0-9]{1,3})$/.exec(text);
  if (shamir !== null) {
    const threshold = Number(shamir[1]);
    const shares = Number(shamir[2]);
    if (threshold < 2 || shares > 255 || threshold > shares)
      throw usage(`--backup ${text}: the threshold M and share count N need 2 ≤ M ≤ N ≤ 255`);
    return { kind: 'shamir', threshold, shares };
  }
  if (text === 'age:passphrase') return { kind: 'age-passphrase' };
  if (text.startsWith('age:')) {
    const recipient = text.slice(4);
    if (!AGE_RECIPIENT.test(recipient))
      throw usage(
        `--backup ${text}: not an age X25519 recipient (age1 followed by 58 Bech32 characters)`,
      );
    return { kind: 'age-recipient', recipient };
  }
  throw usage(`--backup ${text}: unknown backup scheme`);
}

/** Checks that several --backup choices combine: one Shamir split at most, passphrase or recipients. */
export function assertBackupSpecsCombine(specs: readonly BackupSpec[]): void {
  if (specs.filter((s) => s.kind === 'shamir').length > 1)
    throw usage('give --backup shamir:M-of-N once: one split per ceremony');
  const passphrase = specs.some((s) => s.kind === 'age-passphrase');
  if (passphrase && specs.some((s) => s.kind === 'age-recipient'))
    throw usage(
      'age:passphrase and age:RECIPIENT cannot go into one age file (age encrypts to one or the other)',
    );
  if (specs.filter((s) => s.kind === 'age-passphrase').length > 1)
    throw usage('give --backup age:passphrase once');
  const recipients = specs.flatMap((s) => (s.kind === 'age-recipient' ? [s.recipient] : []));
  if (new Set(recipients).size !== recipients.length)
    throw usage('an age recipient is named twice');
}
