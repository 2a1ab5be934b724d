import { ByokError } from '@byok-ceremony/shared';
import {
  promptNewPassphrase,
  promptPassphrase,
  readHiddenLine,
  readInputFile,
  readPassphraseFile,
  type PortRecorder,
  type CliDeps,
  type InputFileKind,
} from '@byok-ceremony/node-io';
import { backupDirPlan } from '../io/backup-plan.js';
import { readPrivateFile } from '../io/read-private-file.js';
import { listShareFiles, SHARE_IMAGE } from '../io/list-share-files.js';
import { componentsSource } from '../ops/components-source.js';
import type { MaterialSource } from '../ops/material-source.js';
import { materialSetFileSource, type RecoverPorts } from '../ops/recover-material.js';
import type { BackupPlan } from '../ops/wrap-ceremony.js';
import type { MaterialPlan } from './material-flags.js';

/** Reads wrap's inputs: a material file only if it is private to its owner (umask 077). */
export function readOfflineFile(path: string, what: InputFileKind): Promise<Uint8Array> {
  return what === 'material file' ? readPrivateFile(path, what) : readInputFile(path, what);
}

function passphraseNotGiven(): ByokError {
  return new ByokError('ERR_USAGE', 'the age passphrase was not given', {
    hint: 'Give the passphrase file (scripted runs), or run on a terminal to be asked.',
  });
}

/** A passphrase from its file, or asked without echo on a terminal (twice for a new one). */
export function passphraseAsker(
  file: string | undefined,
  deps: CliDeps,
  confirm: boolean,
): () => Promise<string> {
  return async () => {
    let bytes: Buffer;
    if (file !== undefined) bytes = await readPassphraseFile(file);
    else if (!deps.interactive) throw passphraseNotGiven();
    else {
      bytes = confirm
        ? await promptNewPassphrase(
            {
              first: 'Passphrase for the age backup: ',
              again: 'The same passphrase again: ',
              code: 'ERR_AGE',
            },
            deps,
          )
        : await promptPassphrase('Passphrase for the age backup: ', deps);
    }
    // age-encryption takes a string; that copy cannot be zeroed (docs/offline.md, Secrets).
    const text = bytes.toString('utf8');
    bytes.fill(0);
    return text;
  };
}

/** Refuses, before any prompt, a passphrase that cannot be had: its file unusable, or no terminal. */
export function passphraseCheck(file: string | undefined, deps: CliDeps): () => Promise<void> {
  return async () => {
    if (file !== undefined) (await readPassphraseFile(file)).fill(0);
    else if (!deps.interactive) throw passphraseNotGiven();
  };
}

export function recoverPorts(
  passphrase: () => Promise<string>,
  assertPassphraseUsable: () => Promise<void>,
): RecoverPorts {
  return {
    readPrivate: readPrivateFile,
    readFile: readInputFile,
    passphrase,
    listShareFiles,
    isShareImage: (path) => SHARE_IMAGE.test(path),
    qrCodesIn: async (bytes, name) => {
      // Loaded here: the QR decoders are needed only for images of share pages.
      const { readQrImageCodes } = await import('@byok-ceremony/node-io/qr-scan');
      return readQrImageCodes(bytes, name);
    },
    assertPassphraseUsable,
  };
}

/** wrap's MaterialSource and BackupPlan for the plan its flags gave. */
export function materialOf(
  plan: MaterialPlan,
  deps: CliDeps,
  session: Pick<PortRecorder, 'wrote'>,
): { readonly material: MaterialSource; readonly backup: BackupPlan | undefined } {
  switch (plan.kind) {
    case 'generate-no-backup':
      return { material: { kind: 'generate' }, backup: { kind: 'declined' } };
    case 'generate':
      return {
        material: { kind: 'generate' },
        backup: backupDirPlan(
          {
            specs: plan.backups,
            dir: plan.backupDir,
            passphrase: passphraseAsker(plan.passphraseFile, deps, true),
            assertPassphraseUsable: passphraseCheck(plan.passphraseFile, deps),
            now: deps.now,
          },
          session,
        ),
      };
    case 'file':
      return { material: { kind: 'file', path: plan.path }, backup: undefined };
    case 'material-set':
      return {
        material: materialSetFileSource(
          plan.path,
          recoverPorts(passphraseAsker(undefined, deps, false), passphraseCheck(undefined, deps)),
        ),
        backup: undefined,
      };
    case 'components':
      return {
        material: componentsSource(plan.count, plan.files, {
          readPrivate: readPrivateFile,
          askHidden: async (prompt, what) => {
            deps.stderr(prompt);
            try {
              return await readHiddenLine(deps.stdin, {
                what,
                code: 'ERR_COMPONENT_INVALID',
                endHint: 'Run on a terminal, or give --component-file per custodian.',
              });
            } finally {
              deps.stderr('\n');
            }
          },
          say: (line) => {
            deps.stderr(`${line}\n`);
          },
        }),
        backup: undefined,
      };
  }
}
