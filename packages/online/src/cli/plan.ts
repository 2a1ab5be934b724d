import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { planSummaryLines, readPlanFile } from '@byok-ceremony/node-io';
import type { CliDeps } from './deps.js';

/**
 * `plan check FILE`: the plan read and checked whole, as prepare and wrap will read it, without
 * the network or a log; it prints the plan code the sign-off sheet carries.
 */
export function planCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'plan',
    'Check a ceremony plan and print its plan code (docs/plan-format.md)',
    (y) =>
      y
        .command(
          'check <file>',
          'Check the plan whole (no network) and print its plan code for the sign-off sheet',
          (v) =>
            v.positional('file', {
              type: 'string',
              demandOption: true,
              describe: 'The plan (YAML or JSON)',
            }),
          async (argv) => {
            const loaded = await readPlanFile(resolve(deps.cwd, argv.file));
            if (argv.json === true) {
              const { plan, digest, code, policyDigests } = loaded;
              deps.stdout(
                `${JSON.stringify({ planCode: code, planDigest: digest, policyDigests, plan })}\n`,
              );
              return;
            }
            deps.stdout(
              ['The plan is valid.', ...planSummaryLines(loaded, true)]
                .map((l) => `${l}\n`)
                .join(''),
            );
          },
        )
        .demandCommand(1, 'plan needs a subcommand: plan check FILE'),
  );
}
