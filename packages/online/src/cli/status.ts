import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { expiryFindings } from '../ops/expiry-report.js';
import type { KeyStatus } from '../ops/key-status.js';
import { keysToWatch } from '../ops/keys-to-watch.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, openKms, stringList } from './global-options.js';
import { findingText, iso, reportOf, textOf } from './status-output.js';
import { recordedKcvsOf } from './status-record.js';

/** Without --warn-days, materials this close to expiry are warned about (and exit 0). */
const DEFAULT_WARN_DAYS = 30;

export function statusCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'status',
    'Show keys: state, origin, expiration and every key material; warn ahead of expiry',
    (y) =>
      y
        .option('key-id', {
          type: 'string',
          array: true,
          describe: 'Key id, ARN, alias name or alias ARN (repeatable)',
        })
        .option('all-external', {
          type: 'boolean',
          describe: 'Every key of origin EXTERNAL in the Region',
        })
        .option('record', {
          type: 'string',
          array: true,
          describe:
            "The ceremony's audit log (repeatable: online and offline): show the KCV it recorded for each key's material",
        })
        .option('warn-days', {
          type: 'number',
          describe: `Exit 1 when any material expires within N days or awaits import, or a key is pending deletion (warnings: ${DEFAULT_WARN_DAYS} days)`,
        })
        .conflicts('key-id', 'all-external'),
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const keyIds = stringList(args, 'key-id');
      const all = args['all-external'] === true;
      if (keyIds.length === 0 && !all) {
        throw new ByokError('ERR_USAGE', 'status needs --key-id or --all-external', {
          hint: 'Name the keys: --key-id KEY (repeatable), or --all-external for every EXTERNAL key of the Region.',
        });
      }
      const warnDays = args['warn-days'];
      if (
        warnDays !== undefined &&
        (!Number.isInteger(warnDays) || warnDays < 0 || warnDays > 3650)
      )
        throw new ByokError(
          'ERR_USAGE',
          `--warn-days ${String(warnDays)} is not a number of days`,
          {
            hint: 'Give --warn-days a whole number from 0 to 3650.',
          },
        );
      // Read and chain-checked before KMS is opened: a wrong file is refused first.
      const recorded = await recordedKcvsOf(deps.cwd, stringList(args, 'record'));
      const kms = await openKms(deps, globals, {
        kmsRequest: () => undefined,
        usedKms: () => undefined,
      });
      let statuses: KeyStatus[];
      try {
        statuses = await keysToWatch(kms, keyIds, all);
      } finally {
        kms.close();
      }
      const findings = expiryFindings(statuses, deps.now(), warnDays ?? DEFAULT_WARN_DAYS);
      const reports = statuses.map((status) => reportOf(status, recorded));
      if (globals.json) {
        const findingsJson = findings.map((f) => ({
          ...f,
          validTo: iso(f.validTo),
          daysLeft: f.daysLeft ?? null,
        }));
        // One key by --key-id keeps the single-object form; several keys are a list.
        const body =
          keyIds.length === 1 && !all
            ? { ...reports[0]!, expiring: findingsJson }
            : { keys: reports, expiring: findingsJson };
        deps.stdout(`${JSON.stringify(body)}\n`);
      } else {
        deps.stdout(`${reports.map((r) => textOf(r).join('\n')).join('\n\n')}\n`);
      }
      for (const f of findings) deps.stderr(`byok-online: warning: ${findingText(f)}\n`);
      if (warnDays !== undefined && findings.length > 0)
        throw new ByokError(
          'ERR_MATERIAL_EXPIRING',
          `${findings.length} key material(s) expire within ${warnDays} day(s), await import, or belong to keys pending deletion`,
          {
            hint: 'Re-import each material with byok-online prepare --reimport --key-id KEY before it expires; import keys that await it; cancel a deletion that is a mistake (aws kms cancel-key-deletion).',
          },
        );
    },
  );
}
