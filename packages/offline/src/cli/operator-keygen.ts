import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError, formatFingerprint, parseOperatorName } from '@byok-ceremony/shared';
import { AuditSession, fileOutputWriter, type CliDeps } from '@byok-ceremony/node-io';
import { operatorKeygenCeremony } from '../ops/operator-keygen-ceremony.js';
import { runOfflineAudited } from './audited.js';
import { withLogOptions } from './ceremony-options.js';
import { newPassphrase } from './operator-passphrase.js';
import { TOOL } from './tool.js';

function fileStem(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'operator'
  );
}

/** `operator keygen`: an Ed25519 operator key, the private half encrypted under a passphrase. */
export function operatorCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command('operator', 'Operator keys that sign confirmations in the audit log', (y) =>
    y
      .command(
        'keygen',
        'Make an operator key pair (Ed25519, private key under a passphrase)',
        (k) =>
          withLogOptions(
            k
              .option('name', {
                type: 'string',
                demandOption: true,
                describe: 'The operator, as named with --operator',
              })
              .option('out', {
                type: 'string',
                describe: 'Key file to write (mode 0600); default operator-NAME.key.json',
              })
              .option('public-out', {
                type: 'string',
                describe: 'Public key file to write; default operator-NAME.pub.json',
              })
              .option('passphrase-file', {
                type: 'string',
                describe: 'Scripted runs: a file holding the passphrase',
              }),
          ),
        async (argv) => {
          const name = parseOperatorName(argv.name, '--name');
          const out = resolve(deps.cwd, argv.out ?? `operator-${fileStem(name)}.key.json`);
          const publicOut = resolve(
            deps.cwd,
            argv['public-out'] ?? `operator-${fileStem(name)}.pub.json`,
          );
          if (out === publicOut) {
            throw new ByokError('ERR_USAGE', '--out and --public-out name the same file', {
              hint: 'Give two different file names.',
            });
          }
          const session = new AuditSession('operator-keygen', [name]);
          const passphraseFile =
            argv['passphrase-file'] === undefined
              ? undefined
              : resolve(deps.cwd, argv['passphrase-file']);
          const { publicKey, fingerprint } = await runOfflineAudited(
            deps,
            resolve(deps.cwd, argv['audit-log']),
            session,
            () =>
              operatorKeygenCeremony(
                { name, out, publicOut },
                {
                  passphrase: () => newPassphrase(name, passphraseFile, deps),
                  random: randomBytes,
                  writer: fileOutputWriter(session),
                },
              ),
          );
          if (argv.json) {
            deps.stdout(
              `${JSON.stringify({ name, keyFile: out, publicKeyFile: publicOut, publicKey, fingerprint })}\n`,
            );
          } else {
            deps.stdout(`${formatFingerprint(fingerprint)}\n`);
            deps.stderr(
              `${TOOL}: wrote ${name}'s operator key to ${out} (keep it with the operator) and the public key to ${publicOut} (give it to the witness).\n`,
            );
          }
        },
      )
      .demandCommand(1, 'Name an operator command: keygen.'),
  );
}
