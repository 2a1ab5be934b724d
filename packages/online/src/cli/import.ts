import type { Argv } from 'yargs';
import { AuditSession, factsOfFailure } from '@byok-ceremony/node-io';
import { importCeremony } from '../ops/import-ceremony.js';
import { runOnlineAudited } from './audited.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf } from './global-options.js';
import { saidComplete } from './import-complete.js';
import { importPlanOf, type ImportArgs } from './import-flags.js';
import { withImportOptions } from './import-options.js';
import { printImported, printImportedBeforeFailure } from './import-output.js';
import { importFromPlan } from './import-plan.js';
import { importPorts } from './import-ports.js';
import { RAW_FLAGS, runImportRaw } from './import-raw.js';
import { planGlobals } from './plan-globals.js';

async function runImport(args: ImportArgs, deps: CliDeps): Promise<void> {
  if (await saidComplete(args, deps)) return;
  const planned =
    typeof args['plan'] === 'string' ? await importFromPlan(args['plan'], args, deps) : undefined;
  const flagGlobals = globalOptionsOf(args, deps);
  const globals = planned === undefined ? flagGlobals : planGlobals(flagGlobals, planned.loaded);
  const plan = importPlanOf(args, deps, globals);
  const session = new AuditSession(
    'import',
    globals.operators,
    plan.singleOperator ? ['single-operator'] : [],
  );
  try {
    const result = await runOnlineAudited(deps, globals, session, async ({ signal }) =>
      importCeremony(
        {
          ...plan.input,
          operators: globals.operators,
          ...(planned === undefined ? {} : { plan: planned.plan }),
        },
        await importPorts(args, deps, globals, session, plan, signal),
      ),
    );
    if (args['json-lines'] !== true) printImported(deps, globals.json, result);
  } catch (error) {
    printImportedBeforeFailure(deps, factsOfFailure(error).keys ?? [], error);
    throw error;
  }
}

export function importCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'import',
    'Import wrapped key material into KMS and prove it (import raw: one raw file, the seed procedure)',
    (y) => withImportOptions(y, deps),
    async (args) => {
      if (RAW_FLAGS.some((flag) => args[flag] !== undefined)) {
        await runImportRaw(args, deps);
        return;
      }
      await runImport(args, deps);
    },
  );
}
