import type { Argv } from 'yargs';
import {
  ByokError,
  KEY_SPECS,
  KEY_USAGES,
  isImportableKeySpec,
  isKeySpec,
  isKeyUsage,
} from '@byok-ceremony/shared';
import { resolveKeyUsage, type CreateExternalKeyInput } from '../ops/create-external-key.js';
import { normalizeAlias } from '../ops/normalize-alias.js';
import { parseTags } from '../ops/parse-tags.js';
import { stringList } from './global-options.js';

// create-key's options and the keys they describe, every one checked before the first exists.

/** Most keys one create-key makes: a ceremony's batch, not a migration. */
const MAX_COUNT = 1000;

/** Only the key specs KMS takes imported material for are offered. */
const IMPORTABLE_KEY_SPECS = KEY_SPECS.filter(isImportableKeySpec);

export function withCreateKeyOptions(y: Argv) {
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
export function keysToCreate(args: CreateKeyArgs): CreateExternalKeyInput[] {
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
