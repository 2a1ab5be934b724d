import type { Argv } from 'yargs';
import {
  ByokError,
  KEY_SPECS,
  KEY_USAGES,
  isImportableKeySpec,
  isKeySpec,
  isKeyUsage,
} from '@byok-ceremony/shared';
import { AuditSession } from '@byok-ceremony/node-io';
import { createKeysCeremony } from '../ops/create-key-ceremony.js';
import {
  resolveKeyUsage,
  type CreatedKey,
  type CreateExternalKeyInput,
} from '../ops/create-external-key.js';
import { normalizeAlias } from '../ops/normalize-alias.js';
import { parseTags } from '../ops/parse-tags.js';
import { onlinePorts, runOnlineAudited } from './audited.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, stringList, type GlobalOptions } from './global-options.js';

/** Most keys one create-key makes: a ceremony's batch, not a migration. */
const MAX_COUNT = 1000;

/** Only the key specs KMS takes imported material for are offered. */
const IMPORTABLE_KEY_SPECS = KEY_SPECS.filter(isImportableKeySpec);

function withCreateKeyOptions(y: Argv) {
  return y
    .option('key-spec', {
      type: 'string',
      default: 'SYMMETRIC_DEFAULT',
      describe: `One of ${IMPORTABLE_KEY_SPECS.join(', ')}`,
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
    .option('tag', { type: 'string', array: true, describe: 'Tag KEY=VALUE (repeatable)' })
    .option('count', {
      type: 'number',
      describe: 'Create N keys alike (1–1000)',
    })
    .option('alias-prefix', {
      type: 'string',
      describe: 'With --count: alias each key PREFIX1, PREFIX2, … (e.g. alias/tenant-)',
    })
    .conflicts('alias', 'alias-prefix')
    .implies('alias-prefix', 'count');
}

type CreateKeyArgs = Awaited<ReturnType<typeof withCreateKeyOptions>['argv']>;

/** --key-spec and --key-usage, refused unless KMS takes imported material for them. */
function keySpecAndUsageOf(
  args: CreateKeyArgs,
): Pick<CreateExternalKeyInput, 'keySpec' | 'keyUsage'> {
  const keySpec = args['key-spec'];
  if (!isKeySpec(keySpec)) {
    throw new ByokError('ERR_USAGE', `unknown --key-spec ${keySpec}`, {
      hint: `Use one of ${IMPORTABLE_KEY_SPECS.join(', ')}.`,
    });
  }
  const usage = args['key-usage'];
  if (usage !== undefined && !isKeyUsage(usage)) {
    throw new ByokError('ERR_USAGE', `unknown --key-usage ${usage}`, {
      hint: `Use one of ${KEY_USAGES.join(', ')}.`,
    });
  }
  return { keySpec, keyUsage: resolveKeyUsage(keySpec, usage) };
}

/** The keys to create, one per --count, every alias and tag checked before the first exists. */
function keysToCreate(args: CreateKeyArgs): CreateExternalKeyInput[] {
  const { keySpec, keyUsage } = keySpecAndUsageOf(args);
  const count = args['count'] ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
    throw new ByokError('ERR_USAGE', `--count ${String(count)} is not a number of keys`, {
      hint: `Give --count a whole number from 1 to ${MAX_COUNT}.`,
    });
  if (count > 1 && args.alias !== undefined)
    throw new ByokError('ERR_USAGE', '--alias names one key, but --count makes several', {
      hint: 'Use --alias-prefix alias/PREFIX- to alias each key PREFIX-1, PREFIX-2, …',
    });
  const prefix = args['alias-prefix'];
  // Every alias is checked before the first key exists.
  const aliases = Array.from({ length: count }, (_, i) =>
    prefix !== undefined
      ? normalizeAlias(`${prefix}${i + 1}`)
      : args.alias === undefined
        ? undefined
        : normalizeAlias(args.alias),
  );
  const tags = parseTags(stringList(args, 'tag'));
  const description = args.description;
  if (description !== undefined && description.length > 8192) {
    throw new ByokError('ERR_USAGE', '--description is longer than 8192 characters', {
      hint: 'Shorten the description.',
    });
  }
  const multiRegion = args['multi-region'];
  return aliases.map((alias) => ({ keySpec, keyUsage, description, alias, multiRegion, tags }));
}

function printCreated(
  deps: CliDeps,
  globals: GlobalOptions,
  inputs: readonly CreateExternalKeyInput[],
  all: readonly CreatedKey[],
): void {
  if (inputs.length > 1) {
    if (globals.json) deps.stdout(`${JSON.stringify({ keys: all })}\n`);
    else
      for (const key of all)
        deps.stdout(`${key.arn}${key.alias === undefined ? '' : ` ${key.alias}`}\n`);
    deps.stderr(
      `byok-online: ${inputs.length} keys wait for material (PendingImport): next, byok-online prepare with a --key-id for each\n`,
    );
    return;
  }
  const created = all[0]!;
  const { keySpec, keyUsage, alias } = inputs[0]!;
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
}

export function createKeyCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'create-key',
    'Create a KMS key of origin EXTERNAL, waiting for imported material',
    withCreateKeyOptions,
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const inputs = keysToCreate(args);
      const session = new AuditSession('create-key', globals.operators);
      const all = await runOnlineAudited(deps, globals, session, () =>
        createKeysCeremony(inputs, onlinePorts(deps, globals, session)),
      );
      printCreated(deps, globals, inputs, all);
    },
  );
}
