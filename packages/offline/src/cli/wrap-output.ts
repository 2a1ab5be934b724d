import type { CliDeps } from '@byok-ceremony/node-io';
import type { WrapCeremonyResult } from '../ops/wrap-ceremony.js';
import type { WrapBundleFlags } from './wrap-bundle.js';

/** What wrap and recover print: the bundle written, each material's KCV, and the check code. */
export function printWrapResult(
  flags: Pick<WrapBundleFlags, 'json' | 'out'>,
  { bundle, checkCode, requestCheckCode, digest }: WrapCeremonyResult,
  deps: CliDeps,
): void {
  const materials = bundle.materials.map((m) => ({
    materialGroup: m.materialGroup,
    keySpec: m.keySpec,
    kcv: m.kcv,
    source: m.source,
  }));
  const targets = bundle.targets.map((t) => ({ keyArn: t.keyArn, materialGroup: t.materialGroup }));
  if (flags.json) {
    deps.stdout(
      `${JSON.stringify({
        checkCode,
        requestCheckCode,
        requestDigest: bundle.requestDigest,
        digest,
        out: flags.out,
        materials,
        targets,
      })}\n`,
    );
    return;
  }
  const lines = [`Wrote ${flags.out}`, 'Materials (key check values):'];
  for (const m of materials)
    lines.push(`  ${m.materialGroup}: ${m.keySpec} KCV ${m.kcv} (${m.source})`);
  lines.push('Targets:');
  for (const t of targets) lines.push(`  ${t.keyArn} (material group ${t.materialGroup})`);
  lines.push(
    `Check code of the wrapped bundle (read it aloud to the online operators): ${checkCode}`,
  );
  deps.stdout(`${lines.join('\n')}\n`);
}
