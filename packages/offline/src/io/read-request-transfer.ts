import type { AssembledTransfer } from '@byok-ceremony/shared';
import { scanProgressPrinter } from '@byok-ceremony/node-io';

/** The import request's QR transfer, from image files or a camera, as scan reads it. */
export async function readRequestTransfer(
  source: {
    readonly camera: string | undefined;
    readonly images: readonly string[];
    /** `--camera-timeout`: ffmpeg is stopped when the transfer is not complete by then. */
    readonly cameraTimeoutMs?: number;
  },
  onImage: ReturnType<typeof scanProgressPrinter>,
): Promise<AssembledTransfer> {
  const options = { kind: 'import-request' as const, onImage };
  // Loaded on use: the image decoders (WebAssembly) are not needed by the other commands.
  if (source.camera !== undefined) {
    const { scanQrCamera } = await import('./qr-camera.js');
    return scanQrCamera(source.camera, {
      ...options,
      ...(source.cameraTimeoutMs === undefined ? {} : { timeoutMs: source.cameraTimeoutMs }),
    });
  }
  const { scanQrImageFiles } = await import('@byok-ceremony/node-io/qr-scan');
  return scanQrImageFiles(source.images, options);
}
