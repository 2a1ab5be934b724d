import { bundleFromQrTransfer, type WrappedKeyBundle } from '@byok-ceremony/shared';
import { scanProgressPrinter } from '@byok-ceremony/node-io';
import type { CliDeps } from './deps.js';
import { TOOL } from './tool.js';

/**
 * `import --scan`: the wrapped bundle from QR images instead of a file. The caller checks it
 * exactly as a file's, check codes included: a QR code proves nothing about its sender.
 */
export async function scanWrappedBundle(
  images: readonly string[],
  deps: CliDeps,
): Promise<{ readonly bundle: WrappedKeyBundle; readonly transferSha256: string }> {
  // Loaded on use: the image decoders (WebAssembly) are not needed by the other commands.
  const { scanQrImageFiles } = await import('@byok-ceremony/node-io/qr-scan');
  const transfer = await scanQrImageFiles(images, {
    kind: 'wrapped-keys',
    onImage: scanProgressPrinter(deps.stderr, deps.cwd, TOOL),
  });
  return {
    bundle: bundleFromQrTransfer(transfer, 'wrapped-keys'),
    transferSha256: transfer.sha256,
  };
}
