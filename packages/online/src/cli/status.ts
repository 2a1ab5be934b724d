import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { expiryFindings, type ExpiryFinding } from '../ops/expiry-report.js';
import type { KeyStatus } from '../ops/key-status.js';
import { keysToWatch } from '../ops/keys-to-watch.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, openKms, stringList } from './global-options.js';

/** Without --warn-days, materials this close to expiry are warned about (and exit 0). */
const DEFAULT_WARN_DAYS = 30;

function iso(date: Date | undefined): string | null {
  return date === undefined ? null : date.toISOString();
}

function reportOf(status: KeyStatus) {
  const d = status.description;
  return {
    keyId: d.keyId,
    keyArn: d.arn,
    keyState: d.keyState,
    origin: d.origin,
    keySpec: d.keySpec,
    keyUsage: d.keyUsage,
    expirationModel: d.expirationModel ?? null,
    validTo: iso(d.validTo),
    currentKeyMaterialId: d.currentKeyMaterialId ?? null,
    multiRegion: d.multiRegion,
    multiRegionKeyType: d.multiRegionKeyType ?? null,
    primaryKeyArn: d.primaryKeyArn ?? null,
    replicaKeyArns: d.replicaKeyArns,
    keyMaterials:
      status.keyMaterials?.map((m) => ({
        keyMaterialId: m.keyMaterialId ?? null,
        keyMaterialState: m.keyMaterialState ?? null,
        importState: m.importState ?? null,
        expirationModel: m.expirationModel ?? null,
        validTo: iso(m.validTo),
        rotationDate: iso(m.rotationDate),
      })) ?? null,
  };
}

function textOf(report: ReturnType<typeof reportOf>): string[] {
  const lines = [
    report.keyArn,
    `  state              ${report.keyState}`,
    `  origin             ${report.origin}`,
    `  key spec / usage   ${report.keySpec} / ${report.keyUsage}`,
    `  expiration         ${report.expirationModel ?? '-'}${report.validTo === null ? '' : ` (valid to ${report.validTo})`}`,
    `  current material   ${report.currentKeyMaterialId ?? '-'}`,
  ];
  if (report.multiRegion) {
    lines.push(
      `  multi-Region       ${report.multiRegionKeyType ?? ''} (primary ${report.primaryKeyArn ?? '-'})`,
    );
    for (const replica of report.replicaKeyArns) lines.push(`    replica          ${replica}`);
  }
  if (report.keyMaterials === null) {
    lines.push('  key materials      (listed for symmetric EXTERNAL keys only)');
  } else {
    lines.push(`  key materials      ${report.keyMaterials.length}`);
    for (const m of report.keyMaterials)
      lines.push(
        `    ${m.keyMaterialId ?? '-'} ${m.keyMaterialState ?? '-'} ${m.importState ?? '-'}${m.validTo === null ? '' : ` valid to ${m.validTo}`}`,
      );
  }
  return lines;
}

function findingText(f: ExpiryFinding): string {
  const material = f.keyMaterialId === null ? '' : ` material ${f.keyMaterialId}`;
  return f.kind === 'missing'
    ? `${f.keyArn}${material} has expired or was deleted: it awaits re-import (prepare --reimport)`
    : `${f.keyArn}${material} expires ${iso(f.validTo) ?? ''} (in ${f.daysLeft ?? 0} day(s)): re-import it before then`;
}

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
        .option('warn-days', {
          type: 'number',
          describe: `Exit 1 when any material expires within N days or awaits re-import (warnings: ${DEFAULT_WARN_DAYS} days)`,
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
      const kms = await openKms(deps, globals, { kmsRequestIds: [] });
      let statuses: KeyStatus[];
      try {
        statuses = await keysToWatch(kms, keyIds, all);
      } finally {
        kms.close();
      }
      const findings = expiryFindings(statuses, deps.now(), warnDays ?? DEFAULT_WARN_DAYS);
      const reports = statuses.map(reportOf);
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
          `${findings.length} key material(s) expire within ${warnDays} day(s) or await re-import`,
          {
            hint: 'Re-import each with byok-online prepare --reimport --key-id KEY before it expires.',
          },
        );
    },
  );
}
