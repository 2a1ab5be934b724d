import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError, KEY_SPECS } from '@byok-ceremony/shared';
import {
  AuditSession,
  fileOutputWriter,
  readInputFile,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { prepareBackupDir } from '../io/backup-plan.js';
import { componentsNewCeremony, type ComponentsNewGroup } from '../ops/components-new-ceremony.js';
import { runOfflineAudited } from './audited.js';
import { withLogOptions } from './ceremony-options.js';

function withComponentsNewOptions(z: Argv) {
  return withLogOptions(z)
    .option('custodians', {
      type: 'number',
      demandOption: true,
      describe: 'Number of custodians (2 to 9)',
    })
    .option('out-dir', {
      type: 'string',
      demandOption: true,
      describe: 'New or empty folder for the forms (mode 0600 each)',
    })
    .option('request', {
      type: 'string',
      describe: 'Import request: components for each of its material groups',
    })
    .option('key-spec', {
      type: 'string',
      choices: KEY_SPECS,
      describe: 'Without --request: one key of this spec (default SYMMETRIC_DEFAULT)',
    })
    .conflicts('request', 'key-spec');
}

type ComponentsNewArgs = Awaited<ReturnType<typeof withComponentsNewOptions>['argv']>;

function printComponents(
  deps: CliDeps,
  outDir: string,
  result: { readonly written: number; readonly groups: readonly ComponentsNewGroup[] },
): void {
  const lines = [
    `Wrote ${result.written} component forms to ${outDir} (mode 0600), one per custodian and key:`,
  ];
  for (const g of result.groups) {
    lines.push(`  ${g.materialGroup}: ${g.keySpec}, key KCV ${g.keyKcv}`);
    for (const f of g.files) lines.push(`    ${f.name}: component KCV ${f.kcv}`);
  }
  lines.push(
    'Each custodian takes their own form, checks its component KCV, and keeps it in a sealed bag.',
    'The witness writes each key KCV on the record: at wrap, after the components, the custodians type it together.',
  );
  deps.stdout(`${lines.join('\n')}\n`);
}

async function runComponentsNew(argv: ComponentsNewArgs, deps: CliDeps): Promise<void> {
  if (!Number.isInteger(argv.custodians) || argv.custodians < 2 || argv.custodians > 9)
    throw new ByokError(
      'ERR_USAGE',
      `--custodians ${argv.custodians}: split knowledge needs 2 to 9 custodians`,
      { hint: 'Give --custodians 2 or more.' },
    );
  const outDir = resolve(deps.cwd, argv['out-dir']);
  const session = new AuditSession('components new', []);
  const writer = fileOutputWriter(session);
  const result = await runOfflineAudited(deps, resolve(deps.cwd, argv['audit-log']), session, () =>
    componentsNewCeremony(
      {
        custodians: argv.custodians,
        outDir,
        request: argv.request === undefined ? undefined : resolve(deps.cwd, argv.request),
        keySpec: argv['key-spec'],
      },
      {
        readFile: readInputFile,
        prepareDir: async (dir) => {
          // A folder this command made is removed again if it fails; one that existed never is.
          const created = await prepareBackupDir(dir);
          if (created !== undefined) session.wrote(created);
        },
        write: (p, data, mode) => writer.write(p, data, mode),
      },
    ),
  );
  if (argv.json) {
    deps.stdout(
      `${JSON.stringify({ outDir, custodians: argv.custodians, groups: result.groups })}\n`,
    );
    return;
  }
  printComponents(deps, outDir, result);
}

/** `components new --custodians N --out-dir DIR (--request FILE | --key-spec SPEC)`. */
export function componentsCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command('components', 'Split knowledge: XOR key components for custodians', (y) =>
    y
      .command(
        'new',
        'Generate material for each key of a request (or one key) as N XOR components, one form per custodian',
        withComponentsNewOptions,
        (argv) => runComponentsNew(argv, deps),
      )
      .demandCommand(1, 'Name a subcommand: components new'),
  );
}
