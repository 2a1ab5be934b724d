import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { AuditSession } from '@byok-ceremony/node-io';
import { deleteMaterialCeremony } from '../ops/delete-material-ceremony.js';
import { onlinePorts, runOnlineAudited } from './audited.js';
import type { CliDeps } from './deps.js';
import { assertTwoPerson, withSingleOperatorOption } from './two-person.js';
import { globalOptionsOf } from './global-options.js';

export function deleteMaterialCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'delete-material',
    'DeleteImportedKeyMaterial: the key becomes PendingImport until the same material is imported again',
    (y) =>
      withSingleOperatorOption(y)
        .option('key-id', { type: 'string', describe: 'Key id, ARN or alias' })
        .option('key-material-id', {
          type: 'string',
          describe: 'The material to delete (default: the current one)',
        }),
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const keyId = args['key-id'];
      if (typeof keyId !== 'string' || keyId === '')
        throw new ByokError('ERR_USAGE', 'delete-material needs one --key-id', {
          hint: 'Name the key: --key-id KEY.',
        });
      const keyMaterialId = args['key-material-id'];
      if (keyMaterialId !== undefined && !/^[0-9a-f]{64}$/.test(keyMaterialId))
        throw new ByokError('ERR_USAGE', `bad --key-material-id ${keyMaterialId}`, {
          hint: 'A KeyMaterialId is 64 lowercase hex digits; byok-online status --key-id KEY lists them.',
        });
      const exceptions = assertTwoPerson(args, globals.operators);
      const session = new AuditSession('delete-material', globals.operators, exceptions);
      const deleted = await runOnlineAudited(deps, globals, session, () =>
        deleteMaterialCeremony({ keyId, keyMaterialId }, onlinePorts(deps, globals, session)),
      );
      if (globals.json) {
        deps.stdout(`${JSON.stringify(deleted)}\n`);
        return;
      }
      deps.stdout(
        `Deleted material ${deleted.keyMaterialId ?? '(current)'} of ${deleted.keyArn}: the key is ${deleted.keyState}\n`,
      );
      deps.stderr(
        'byok-online: note: re-import the same material to restore it: byok-online prepare --reimport --key-id KEY\n',
      );
    },
  );
}
