import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { keyStatus } from '../ops/key-status.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, openKms } from './global-options.js';

function iso(date: Date | undefined): string | null {
  return date === undefined ? null : date.toISOString();
}

export function statusCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'status',
    'Show a key: state, origin, expiration and key materials',
    (y) => y.option('key-id', { type: 'string', describe: 'Key id, ARN, alias name or alias ARN' }),
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const keyId = args['key-id'];
      if (keyId === undefined || keyId === '') {
        throw new ByokError('ERR_USAGE', 'status needs --key-id', {
          hint: 'Name the key: --key-id KEY_ID_OR_ARN.',
        });
      }
      const kms = await openKms(deps, globals, { kmsRequestIds: [] });
      let status;
      try {
        status = await keyStatus(kms, keyId);
      } finally {
        kms.close();
      }
      const d = status.description;
      const report = {
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
      if (globals.json) {
        deps.stdout(`${JSON.stringify(report)}\n`);
        return;
      }
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
        for (const m of report.keyMaterials) {
          lines.push(
            `    ${m.keyMaterialId ?? '-'} ${m.keyMaterialState ?? '-'} ${m.importState ?? '-'}${m.validTo === null ? '' : ` valid to ${m.validTo}`}`,
          );
        }
      }
      deps.stdout(`${lines.join('\n')}\n`);
    },
  );
}
