import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { assertLogsRanPlan, parseOperatorName, verificationFailed } from '@byok-ceremony/shared';
import {
  assertOutputAbsent,
  verifyLogFiles,
  withAuditVerifyOptions,
  writeFileExclusive,
} from '@byok-ceremony/node-io';
import { renderCeremonyReport, type ReportFormat } from '../ops/render-ceremony-report.js';
import type { CliDeps } from './deps.js';
import { planReportInputs } from './report-plan.js';
import { TOOL, TOOL_VERSION } from './tool.js';

function formatOf(requested: string | undefined, out: string): ReportFormat {
  if (requested === 'html' || requested === 'md') return requested;
  return /\.(md|markdown)$/i.test(out) ? 'md' : 'html';
}

/** `report`: verifies the logs, then writes the printable ceremony record with the verdict on top. */
export function reportCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'report',
    'Write the printable ceremony record (HTML or Markdown) from the verified audit logs',
    (y) =>
      withAuditVerifyOptions(
        y
          .option('log', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'An audit log (give the online and the offline log)',
          })
          .option('out', {
            type: 'string',
            demandOption: true,
            describe: 'The report to write (never overwritten)',
          })
          .option('format', {
            type: 'string',
            choices: ['html', 'md'],
            describe: 'Default: from --out, else html',
          })
          .option('witness', {
            type: 'string',
            describe: 'The witness, named on the signature lines',
          })
          .option('title', { type: 'string', describe: 'Title of the record' })
          .option('plan', {
            type: 'string',
            describe:
              'The ceremony plan: the record is anchored by the two head codes (asked once each) and the operator keys the plan pins',
          }),
      ),
    async (argv) => {
      const flagWitness =
        argv.witness === undefined ? undefined : parseOperatorName(argv.witness, '--witness');
      const out = resolve(deps.cwd, argv.out);
      const format = formatOf(argv.format, out);
      await assertOutputAbsent(out);
      const planned =
        argv.plan === undefined
          ? undefined
          : await planReportInputs(argv.plan, argv['expect-head'], flagWitness, deps);
      const witness = planned?.witness ?? flagWitness;
      const title = argv.title ?? planned?.loaded.plan.name;
      const result = await verifyLogFiles(
        argv.log,
        argv['operator-pubkey'],
        planned?.heads ?? argv['expect-head'],
        deps.cwd,
        argv['paper-record'],
        planned === undefined
          ? undefined
          : { operators: planned.loaded.plan.operators, source: argv.plan! },
      );
      if (planned !== undefined) assertLogsRanPlan(result.entries, planned.loaded);
      const text = renderCeremonyReport(
        result,
        {
          generatedAt: deps.now().toISOString(),
          generatedBy: `${TOOL} ${TOOL_VERSION}`,
          ...(witness === undefined ? {} : { witness }),
          ...(title === undefined ? {} : { title }),
        },
        format,
      );
      await writeFileExclusive(out, text, 0o644);
      if (argv.json) {
        deps.stdout(
          `${JSON.stringify({ ok: result.ok, verdict: result.verdict, out, format, findings: result.findings })}\n`,
        );
      } else {
        deps.stdout(`${result.verdict} ${out}\n`);
      }
      deps.stderr(`${TOOL}: wrote the ceremony record to ${out}\n`);
      // The record of a failed verification is still written: it is what the auditor must see.
      if (!result.ok) throw verificationFailed(result);
    },
  );
}
