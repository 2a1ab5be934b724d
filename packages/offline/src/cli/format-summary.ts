import { formatFingerprint } from '@byok-ceremony/shared';
import type { RequestSummary } from '../ops/describe-request.js';
import type { WrappedSummary } from '../ops/describe-wrapped.js';

function formatTimeLeft(seconds: number): string {
  const minutes = Math.floor(Math.abs(seconds) / 60);
  const span = `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
  return seconds > 0 ? `${span} left` : `EXPIRED ${span} ago`;
}

/** The lines operators read to check an import request before anything happens. */
export function formatRequestSummary(summary: RequestSummary, checkCodeLine: string): string[] {
  const lines = [
    `Import request for ceremony ${summary.ceremonyId}`,
    `  created ${summary.createdAt} by ${summary.operators.join(', ') || '(no operator named)'}`,
    ...(summary.ceremonyName === null ? [] : [`  ceremony name ${summary.ceremonyName}`]),
    ...(summary.planDigest === null ? [] : [`  from the plan with SHA-256 ${summary.planDigest}`]),
    `  ${summary.targets.length} target(s); time left by this machine's clock (${summary.clock}):`,
  ];
  for (const t of summary.targets) {
    lines.push(
      `  - ${t.keyArn}`,
      `      ${t.keySpec} ${t.keyUsage}, material group ${t.materialGroup}`,
      `      wrapped with ${t.wrappingAlgorithm} under ${t.wrappingKeySpec} ${formatFingerprint(t.wrappingKeyFingerprint)}`,
      `      valid to ${t.parametersValidTo} (${formatTimeLeft(t.secondsLeft)})`,
    );
  }
  // Never the code itself: the operators type it from the screen of the machine that wrote the bundle.
  lines.push(checkCodeLine);
  return lines;
}

/** The lines that describe a wrapped-key bundle: materials with their KCVs, then targets. */
export function formatWrappedSummary(summary: WrappedSummary): string[] {
  const lines = [
    `Wrapped-key bundle for ceremony ${summary.ceremonyId}`,
    `  answers import request ${summary.requestDigest}`,
    `  created ${summary.createdAt} by ${summary.operators.join(', ') || '(no operator named)'}`,
    '  materials:',
  ];
  for (const m of summary.materials) {
    lines.push(`  - ${m.materialGroup}: ${m.keySpec}, KCV ${m.kcv}, ${m.source}, proof ${m.proof}`);
  }
  lines.push('  targets:');
  for (const t of summary.targets) {
    lines.push(
      `  - ${t.keyArn} (material group ${t.materialGroup}, ${t.encryptedKeyMaterialBytes} bytes under ${formatFingerprint(t.wrappingKeyFingerprint)})`,
    );
  }
  lines.push(
    'Check code: shown by the byok-offline wrap that wrote this bundle, and typed on the online machine',
  );
  return lines;
}
