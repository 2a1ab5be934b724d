import { bundleFromQrTransfer, type WrappedKeyBundle } from '@byok-ceremony/shared';
import { scanProgressPrinter } from '@byok-ceremony/node-io';
import type { AuditSession } from './audit-session.js';
import type { CliDeps } from './deps.js';
import { TOOL } from './tool.js';

/**
 * `import --scan`: the wrapped bundle from QR images instead of a file. The caller checks it
 * exactly as a file's, check codes included: a QR code proves nothing about its sender.
 */
export async function scanWrappedBundle(
  images: readonly string[],
  deps: CliDeps,
  session: AuditSession,
): Promise<WrappedKeyBundle> {
  // Loaded on use: the image decoders (WebAssembly) are not needed by the other commands.
  const { scanQrImageFiles } = await import('@byok-ceremony/node-io/qr-scan');
  const transfer = await scanQrImageFiles(images, {
    kind: 'wrapped-keys',
    onImage: scanProgressPrinter(deps.stderr, deps.cwd, TOOL),
  });
  // The transport on record: the same SHA-256 wrap logged for the frames it showed.
  session.inputs['qrTransfer'] = transfer.sha256;
  return bundleFromQrTransfer(transfer, 'wrapped-keys');
}
