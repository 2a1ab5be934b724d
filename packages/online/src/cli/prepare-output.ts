import { relative } from 'node:path';
import { formatFingerprint, importTokensPathOf } from '@byok-ceremony/shared';
import type { PrepareCeremonyResult } from '../ops/prepare-ceremony.js';
import type { LoadedPlan } from '@byok-ceremony/node-io';
import type { CliDeps } from './deps.js';

/** What prepare prints: the request written, its targets, and the sender's check code. */
export function printPrepared(
  deps: CliDeps,
  json: boolean,
  result: PrepareCeremonyResult,
  out: string,
  rawDir: string | undefined,
  plan: LoadedPlan | undefined,
): void {
  const { checkCode, digest, bundle, targets, aliases } = result;
  if (json) {
    deps.stdout(
      `${JSON.stringify({
        checkCode,
        digest,
        ceremonyId: bundle.ceremonyId,
        out,
        tokens: importTokensPathOf(out),
        ...(rawDir === undefined ? {} : { rawDir }),
        ...(plan === undefined ? {} : { planCode: plan.code, planDigest: plan.digest }),
        targets: targets.map((t) => {
          const alias = aliases.get(t.keyArn);
          return alias === undefined ? t : { ...t, alias };
        }),
      })}\n`,
    );
    return;
  }
  const lines = [
    `Import request for ${targets.length} key(s) written to ${relative(deps.cwd, out) || out}`,
  ];
  for (const t of targets) {
    lines.push(
      '',
      `  ${t.keyArn}${aliases.has(t.keyArn) ? `  ${aliases.get(t.keyArn)!}` : ''}`,
      `    key spec          ${t.keySpec} (material group ${t.materialGroup})`,
      `    wrapping          ${t.wrappingAlgorithm} with ${t.wrappingKeySpec}`,
      `    wrapping key      ${formatFingerprint(t.wrappingKeyFingerprint)}`,
      `    parameters valid  until ${t.parametersValidTo}`,
      `    import type       ${t.importType}${t.keyMaterialId === null ? '' : ` of ${t.keyMaterialId}`}${t.expectedKcv === null ? '' : `, KCV must be ${t.expectedKcv}`}`,
    );
  }
  const tokens = importTokensPathOf(relative(deps.cwd, out) || out);
  lines.push(
    '',
    `Import tokens kept in ${tokens}: it stays on this machine, beside the request, for import`,
  );
  if (rawDir !== undefined)
    lines.push('', `Raw PublicKey.bin and ImportToken.bin per key in ${rawDir}/KEY_ID/`);
  lines.push(
    '',
    `Check code of the import request (read it aloud to the offline operators): ${checkCode}`,
  );
  deps.stdout(`${lines.join('\n')}\n`);
}
