import type { Argv } from 'yargs';
import { ByokError, KEY_SPECS, KEY_USAGES, isKeySpec, isKeyUsage } from '@byok-ceremony/shared';
import { AuditSession } from '@byok-ceremony/node-io';
import { createKeyCeremony } from '../ops/create-key-ceremony.js';
import { resolveKeyUsage } from '../ops/create-external-key.js';
import { normalizeAlias } from '../ops/normalize-alias.js';
import { parseTags } from '../ops/parse-tags.js';
import { onlinePorts, runOnlineAudited } from './audited.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, stringList } from './global-options.js';

export function createKeyCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'create-key',
    'Create a KMS key of origin EXTERNAL, waiting for imported material',
    (y) =>
      y
        .option('key-spec', {
          type: 'string',
          default: 'SYMMETRIC_DEFAULT',
          describe: `One of ${KEY_SPECS.join(', ')}`,
        })
        .option('key-usage', {
          type: 'string',
          describe: `One of ${KEY_USAGES.join(', ')} (default: the spec's first)`,
        })
        .option('description', { type: 'string', describe: 'Key description' })
        .option('alias', { type: 'string', describe: 'Alias to create, NAME or alias/NAME' })
        .option('multi-region', {
          type: 'boolean',
          default: false,
          describe: 'Create a multi-Region primary key',
        })
        .option('tag', { type: 'string', array: true, describe: 'Tag KEY=VALUE (repeatable)' }),
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const keySpec = args['key-spec'];
      if (!isKeySpec(keySpec)) {
        throw new ByokError('ERR_USAGE', `unknown --key-spec ${keySpec}`, {
          hint: `Use one of ${KEY_SPECS.join(', ')}.`,
        });
      }
      const usage = args['key-usage'];
      if (usage !== undefined && !isKeyUsage(usage)) {
        throw new ByokError('ERR_USAGE', `unknown --key-usage ${usage}`, {
          hint: `Use one of ${KEY_USAGES.join(', ')}.`,
        });
      }
      const keyUsage = resolveKeyUsage(keySpec, usage);
      const alias = args.alias === undefined ? undefined : normalizeAlias(args.alias);
      const tags = parseTags(stringList(args, 'tag'));
      const description = args.description;
      if (description !== undefined && description.length > 8192) {
        throw new ByokError('ERR_USAGE', '--description is longer than 8192 characters', {
          hint: 'Shorten the description.',
        });
      }

      const session = new AuditSession('create-key', globals.operators);
      const created = await runOnlineAudited(deps, globals, session, () =>
        createKeyCeremony(
          { keySpec, keyUsage, description, alias, multiRegion: args['multi-region'], tags },
          onlinePorts(deps, globals, session),
          session,
        ),
      );
      if (globals.json) {
        deps.stdout(
          `${JSON.stringify({
            keyId: created.keyId,
            arn: created.arn,
            keySpec,
            keyUsage,
            ...(alias === undefined ? {} : { alias }),
          })}\n`,
        );
        return;
      }
      deps.stdout(`KeyId: ${created.keyId}\nArn:   ${created.arn}\n`);
      if (alias !== undefined) deps.stdout(`Alias: ${alias}\n`);
      deps.stderr(
        `byok-online: the key waits for material (PendingImport): next, byok-online prepare --key-id ${created.keyId} --out request.json\n`,
      );
    },
  );
}
