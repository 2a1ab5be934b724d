import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  AuditSession,
  fileOutputWriter,
  planSummaryLines,
  presentQrFrames,
  readPlanFile,
  type LoadedPlan,
  qrFramesPort,
  qrShowFlagsOf,
  readAuditLogEntries,
  readIntactAuditLogEntries,
} from '@byok-ceremony/node-io';
import { writeRawParameters } from '../io/write-raw-parameters.js';
import { keysCreatedWithoutAlias } from '../ops/keys-created-without-alias.js';
import { keysImportedOnRecord } from '../ops/keys-imported-on-record.js';
import { prepareCeremony } from '../ops/prepare-ceremony.js';
import { onlinePorts, runOnlineAudited, waitOptions } from './audited.js';
import { concurrencyOf } from './concurrency-option.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, type GlobalOptions } from './global-options.js';
import { prepareLifecycleOf } from './prepare-lifecycle.js';
import {
  REQUEST_QR_DENSITY,
  outOf,
  prepareFlagsOf,
  withPrepareOptions,
  type PrepareArgs,
  type PrepareFlags,
} from './prepare-options.js';
import { assertNoFlagsBesidePlan } from './prepare-plan-options.js';
import { planGlobals } from './plan-globals.js';
import { printPrepared } from './prepare-output.js';
import { TOOL } from './tool.js';

async function runPrepare(
  args: PrepareArgs,
  deps: CliDeps,
  globals: GlobalOptions,
  flags: PrepareFlags,
  plan: LoadedPlan | undefined,
): Promise<void> {
  const { keyIds, algorithm, wrappingKeySpec } = flags;
  const lifecycle = await prepareLifecycleOf(args, keyIds, deps.cwd);
  if (plan !== undefined) {
    const summary = planSummaryLines(plan, true)
      .map((l) => `${l}\n`)
      .join('');
    // stdout carries only the JSON object with --json.
    if (globals.json) deps.stderr(summary);
    else deps.stdout(summary);
  }
  const out = resolve(deps.cwd, flags.out);
  const concurrency = concurrencyOf(args);
  const rawDir = args['raw-dir'] === undefined ? undefined : resolve(deps.cwd, args['raw-dir']);
  const qr = qrShowFlagsOf(args, deps.cwd, REQUEST_QR_DENSITY);
  const caption = (code: string): string =>
    `Import request, check code ${code}: confirm it on the offline machine`;

  const session = new AuditSession('prepare', globals.operators);
  const result = await runOnlineAudited(deps, globals, session, async ({ logHead }) =>
    prepareCeremony(
      {
        keyIds,
        wrappingAlgorithm: algorithm,
        wrappingKeySpec,
        operators: globals.operators,
        out,
        rawDir,
        mode: lifecycle.mode,
        keyMaterialId: lifecycle.keyMaterialId,
        expectKcv: lifecycle.expectKcv,
        kcvOnRecord: lifecycle.kcvOnRecord,
        withReplicas: lifecycle.withReplicas,
        plan,
        importedOnRecord: keysImportedOnRecord(await readAuditLogEntries(globals.auditLog)),
        createdWithoutAlias:
          plan === undefined
            ? new Map()
            : keysCreatedWithoutAlias(await readIntactAuditLogEntries(globals.auditLog), plan),
        concurrency,
      },
      {
        ...onlinePorts(deps, globals, session),
        newCeremonyId: randomUUID,
        logHead,
        writer: fileOutputWriter(session),
        writeRawParameters: async (dir, raw) => {
          await writeRawParameters(dir, raw);
          session.wrote(dir);
        },
        qr: qrFramesPort(qr, session),
        wait: waitOptions(deps),
      },
    ),
  );
  for (const warning of result.warnings) deps.stderr(`${TOOL}: ${warning}\n`);
  for (const d of result.reimports) {
    deps.stderr(
      `byok-online: note: ${d.arn} is ${d.keyState} and already holds material: this is a re-import, and KMS accepts only the same material again\n`,
    );
  }
  printPrepared(deps, globals.json, result, out, rawDir, plan);
  if (qr !== undefined && result.qrFrames !== undefined)
    await presentQrFrames(result.qrFrames, qr, caption(result.checkCode), deps, TOOL);
}

export function prepareCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'prepare',
    'Get import parameters for one or more EXTERNAL keys and write the import request for the offline machine',
    withPrepareOptions,
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      if (args.plan === undefined) {
        await runPrepare(args, deps, globals, prepareFlagsOf(args), undefined);
        return;
      }
      assertNoFlagsBesidePlan(args);
      const out = outOf(args);
      const plan = await readPlanFile(resolve(deps.cwd, args.plan));
      await runPrepare(
        args,
        deps,
        planGlobals(globals, plan),
        {
          keyIds: [],
          algorithm: plan.plan.wrappingAlgorithm ?? undefined,
          wrappingKeySpec: plan.plan.wrappingKeySpec,
          out,
        },
        plan,
      );
    },
  );
}
