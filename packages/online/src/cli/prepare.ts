import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  ByokError,
  DEFAULT_QR_DENSITY,
  DEFAULT_WRAPPING_KEY_SPEC,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  isWrappingAlgorithm,
  isWrappingKeySpec,
  type QrDensity,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
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
  withQrShowOptions,
} from '@byok-ceremony/node-io';
import { writeRawParameters } from '../io/write-raw-parameters.js';
import { keysImportedOnRecord } from '../ops/keys-imported-on-record.js';
import { prepareCeremony } from '../ops/prepare-ceremony.js';
import { onlinePorts, runOnlineAudited, waitOptions } from './audited.js';
import { concurrencyOf, withConcurrencyOption } from './concurrency-option.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, stringList, type GlobalOptions } from './global-options.js';
import { prepareLifecycleOf, withPrepareLifecycleOptions } from './prepare-lifecycle.js';
import { assertNoFlagsBesidePlan, planGlobals } from './prepare-plan-options.js';
import { printPrepared } from './prepare-output.js';
import { TOOL } from './tool.js';

/** The request goes out at `normal`: version-18 codes, comfortable for a 720p webcam. */
const REQUEST_QR_DENSITY: QrDensity = DEFAULT_QR_DENSITY;

function withPrepareOptions(y: Argv) {
  return withPrepareLifecycleOptions(
    withConcurrencyOption(withQrShowOptions(y, REQUEST_QR_DENSITY)),
  )
    .option('key-id', {
      type: 'string',
      array: true,
      describe: 'Key id, ARN, alias name or alias ARN (repeatable)',
    })
    .option('wrapping-algorithm', {
      type: 'string',
      describe: `One of ${WRAPPING_ALGORITHMS.join(', ')} (default: per key spec)`,
    })
    .option('wrapping-key-spec', {
      type: 'string',
      describe: `One of ${WRAPPING_KEY_SPECS.join(', ')} (default: ${DEFAULT_WRAPPING_KEY_SPEC})`,
    })
    .option('plan', {
      type: 'string',
      describe:
        'Ceremony plan (docs/plan-format.md): create what KMS lacks of it, then prepare its keys',
    })
    .option('out', {
      type: 'string',
      describe: 'Import request file to write (must not exist)',
    })
    .option('raw-dir', {
      type: 'string',
      describe: 'Also write DIR/KEY_ID/PublicKey.bin and ImportToken.bin (DIR must not exist)',
    });
}

type PrepareArgs = Awaited<ReturnType<typeof withPrepareOptions>['argv']>;

interface PrepareFlags {
  readonly keyIds: string[];
  readonly algorithm: WrappingAlgorithm | undefined;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly out: string;
}

/** --out, refused as a usage error before anything runs. */
function outOf(args: PrepareArgs): string {
  if (args.out === undefined || args.out === '') {
    throw new ByokError('ERR_USAGE', 'prepare needs --out FILE', {
      hint: 'Name the import request file to write, e.g. --out request.json.',
    });
  }
  return args.out;
}

/** The keys, the wrapping choice and --out, each refused as a usage error before anything runs. */
function prepareFlagsOf(args: PrepareArgs): PrepareFlags {
  const keyIds = stringList(args, 'key-id');
  if (keyIds.length === 0) {
    throw new ByokError('ERR_USAGE', 'prepare needs at least one --key-id', {
      hint: 'Name each key: --key-id KEY_ID_OR_ARN (repeatable); create one with byok-online create-key.',
    });
  }
  const duplicates = keyIds.filter((k, i) => keyIds.indexOf(k) !== i);
  if (duplicates.length > 0) {
    throw new ByokError('ERR_USAGE', `--key-id ${duplicates[0]!} is given twice`, {
      hint: 'Name each key once.',
    });
  }
  const algorithm = args['wrapping-algorithm'];
  if (algorithm !== undefined && !isWrappingAlgorithm(algorithm)) {
    throw new ByokError('ERR_USAGE', `unknown --wrapping-algorithm ${algorithm}`, {
      hint: `Use one of ${WRAPPING_ALGORITHMS.join(', ')}, or leave it out to pick per key spec.`,
    });
  }
  const wrappingKeySpec = args['wrapping-key-spec'] ?? DEFAULT_WRAPPING_KEY_SPEC;
  if (!isWrappingKeySpec(wrappingKeySpec)) {
    throw new ByokError('ERR_USAGE', `unknown --wrapping-key-spec ${wrappingKeySpec}`, {
      hint: `Use one of ${WRAPPING_KEY_SPECS.join(', ')} (RSA_4096 is preferred).`,
    });
  }
  return { keyIds, algorithm, wrappingKeySpec, out: outOf(args) };
}

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
