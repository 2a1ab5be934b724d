import { formatFingerprint } from '@byok-ceremony/shared';
import type { RequestSummary } from '../ops/describe-request.js';
import type { WrappedSummary } from '../ops/describe-wrapped.js';

function formatTimeLeft(seconds: number): string {
  const minutes = Math.floor(Math.abs(seconds) / 60);
  const span = `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
  return seconds > 0 ? `${span} left` : `EXPIRED ${span} ago`;
}

/**
 * How the summary names the request's check code: `show` it (inspect, the read-aloud comparison),
 * or leave it out with a line saying where it comes from, so that a machine that reads a bundle
 * never shows the code its operators are about to type.
 */
export type CheckCodeLine =
  { readonly kind: 'show' } | { readonly kind: 'withhold'; readonly line: string };

/** The lines operators read to check an import request before anything happens. */
export function formatRequestSummary(
  summary: RequestSummary,
  checkCode: CheckCodeLine = { kind: 'show' },
): string[] {
  const lines = [
    `Import request for ceremony ${summary.ceremonyId}`,
    `  created ${summary.createdAt} by ${summary.operators.join(', ') || '(no operator named)'}`,
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
  lines.push(
    checkCode.kind === 'show'
      ? `Check code of the import request: ${summary.checkCode}`
      : checkCode.line,
  );
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
  lines.push(`Check code of the wrapped bundle: ${summary.checkCode}`);
  return lines;
}
