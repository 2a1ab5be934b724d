import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  ByokError,
  canonicalJson,
  formatFingerprint,
  OPERATOR_KEY_VERSION,
  parseOperatorName,
  OPERATOR_PUBLIC_KEY_FORMAT,
  wrappingKeyFingerprint,
  type OperatorPublicKeyFile,
} from '@byok-ceremony/shared';
import {
  appendAuditEntry,
  assertOutputAbsent,
  promptPassphrase,
  readPassphraseFile,
  writeFileExclusive,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { createOperatorKey } from '../ops/operator-key-create.js';
import { withLogOptions } from './ceremony-options.js';
import { TOOL, TOOL_VERSION } from './tool.js';

function fileStem(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'operator'
  );
}

async function passphraseFor(
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
          const auditLog = resolve(deps.cwd, argv['audit-log']);
          await assertOutputAbsent(out);
          await assertOutputAbsent(publicOut);
          const passphrase = await passphraseFor(
            name,
            argv['passphrase-file'] === undefined
              ? undefined
              : resolve(deps.cwd, argv['passphrase-file']),
            deps,
          );
          let file;
          try {
            file = createOperatorKey(name, passphrase, randomBytes);
          } finally {
            passphrase.fill(0);
          }
          const publicFile: OperatorPublicKeyFile = {
            format: OPERATOR_PUBLIC_KEY_FORMAT,
            version: OPERATOR_KEY_VERSION,
            name,
            publicKey: file.publicKey,
          };
          const fingerprint = wrappingKeyFingerprint(Buffer.from(file.publicKey, 'base64'));
          await writeFileExclusive(out, `${JSON.stringify(file, null, 2)}\n`, 0o600);
          try {
            await writeFileExclusive(publicOut, `${canonicalJson(publicFile)}\n`, 0o644);
            await appendAuditEntry(
              auditLog,
              {
                command: 'operator-keygen',
                operators: [name],
                exceptions: [],
                inputs: {},
                outputs: { operatorPublicKey: fingerprint },
                checkCodes: {},
                keys: [],
                kmsRequestIds: [],
                peerLogHead: null,
                outcome: 'ok',
                error: null,
              },
              { time: deps.now().toISOString(), tool: TOOL, toolVersion: TOOL_VERSION },
            );
          } catch (error) {
            await unlink(out).catch(() => undefined);
            await unlink(publicOut).catch(() => undefined);
            throw error instanceof ByokError
              ? error
              : new ByokError(
                  'ERR_IO',
                  `cannot finish the operator key: ${(error as Error).message}`,
                  {
                    hint: 'Check that the folders of --public-out and --audit-log are writable; nothing was kept.',
                  },
                );
          }
          if (argv.json) {
            deps.stdout(
              `${JSON.stringify({ name, keyFile: out, publicKeyFile: publicOut, publicKey: file.publicKey, fingerprint })}\n`,
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
