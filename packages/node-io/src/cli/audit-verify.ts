import type { Argv } from 'yargs';
import {
  paperRecordLine,
  transcriptJson,
  transcriptSummaryLines,
  verificationFailed,
} from '@byok-ceremony/shared';
import { logHeads } from '../io/log-heads.js';
import { verifyLogFiles } from '../io/verify-log-files.js';
import { withAuditVerifyOptions } from './audit-verify-options.js';
import type { CliDeps } from './deps.js';

/** `audit verify LOG...`: the chains, signatures, two-person rule, interlock and completion. */
export function auditCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command('audit', 'Check the ceremony audit logs', (y) =>
    y
      .command(
        'verify <logs..>',
        'Verify one or both audit logs (offline and online) as one transcript',
        (v) =>
          withAuditVerifyOptions(
            v.positional('logs', {
              type: 'string',
              array: true,
              demandOption: true,
              describe: 'Audit log files',
            }),
          ),
        async (argv) => {
          const result = await verifyLogFiles(
            argv.logs,
            argv['operator-pubkey'],
            argv['expect-head'],
            deps.cwd,
            argv['paper-record'],
          );
          if (argv.json) deps.stdout(`${JSON.stringify(transcriptJson(result))}\n`);
          else
            deps.stdout(
              transcriptSummaryLines(result)
                .map((l) => `${l}\n`)
                .join(''),
            );
          if (!result.ok) throw verificationFailed(result);
        },
      )
      .command(
        'head <logs..>',
        "Print each log's head (the hash of its last line) and its head code for the paper record",
        (v) =>
          v
            .positional('logs', {
              type: 'string',
              array: true,
              demandOption: true,
              describe: 'Audit log files',
            })
            .option('json', {
              type: 'boolean',
              default: false,
              describe: 'Print one JSON object on stdout',
            }),
        async (argv) => {
          const logs = await logHeads(argv.logs, deps.cwd);
          deps.stdout(
            argv.json
              ? `${JSON.stringify({ logs })}\n`
              : logs
                  .map(
                    (l) =>
                      `${l.file}: head ${l.head} (${l.lineCount} line(s), ${l.tool ?? 'unknown'})\n` +
                      `  paper record: ${paperRecordLine(l.tool ?? 'unknown', l.headCode)}\n`,
                  )
                  .join(''),
          );
        },
      )
      .demandCommand(1, 'Name an audit command: verify or head.'),
  );
}
