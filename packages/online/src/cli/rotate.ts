import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { AuditSession } from '@byok-ceremony/node-io';
import { rotateCeremony } from '../ops/rotate-ceremony.js';
import { onlinePorts, runOnlineAudited, waitOptions } from './audited.js';
import type { CliDeps } from './deps.js';
import { assertTwoPerson, withSingleOperatorOption } from './two-person.js';
import { globalOptionsOf, stringList } from './global-options.js';

export function rotateCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'rotate',
    'RotateKeyOnDemand for keys whose new imported material is pending rotation, and wait until it is current',
    (y) =>
      withSingleOperatorOption(y).option('key-id', {
        type: 'string',
        array: true,
        describe:
          'Key id, ARN or alias of a symmetric key (a multi-Region primary rotates its replicas)',
      }),
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const keyIds = stringList(args, 'key-id');
      if (keyIds.length === 0)
        throw new ByokError('ERR_USAGE', 'rotate needs at least one --key-id', {
          hint: 'Name each key whose new material is imported: --key-id KEY (repeatable).',
        });
      const exceptions = assertTwoPerson(args, globals.operators);
      const session = new AuditSession('rotate', globals.operators, exceptions);
      const rotated = await runOnlineAudited(deps, globals, session, () =>
        rotateCeremony(
          { keyIds },
          { ...onlinePorts(deps, globals, session), wait: waitOptions(deps) },
        ),
      );
      if (globals.json) {
        deps.stdout(`${JSON.stringify({ rotated })}\n`);
        return;
      }
      for (const r of rotated)
        deps.stdout(
          `Rotated ${r.keyArn}${r.replicaArns.length > 0 ? ` and ${r.replicaArns.length} replica(s)` : ''}: current material ${r.keyMaterialId}\n`,
        );
    },
  );
}
