import { spawn } from 'node:child_process';
import { ByokError, type AssembledTransfer } from '@byok-ceremony/shared';
import {
  readQrTransfer,
  type QrImageSource,
  type ScanQrFilesOptions,
} from '@byok-ceremony/node-io/qr-scan';

export interface CameraOptions {
  /** The ffmpeg binary, found on PATH by default. */
  readonly ffmpeg?: string;
  /** Stills a second to decode. */
  readonly fps?: number;
  /** Give up after this long without completing the transfer. */
  readonly timeoutMs?: number;
  /** ffmpeg input arguments; the default reads a V4L2 device. Tests use lavfi or a file. */
  readonly inputArgs?: readonly string[];
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Length of the first whole PNG at the start of `data`, or 0 while it is incomplete. */
function pngLength(data: Buffer): number {
  if (data.length < 8) return 0;
  if (!data.subarray(0, 8).equals(PNG_SIGNATURE))
    throw new ByokError('ERR_QR', 'ffmpeg sent something other than PNG stills');
  let at = 8;
  while (at + 8 <= data.length) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    at += 12 + length;
    if (type === 'IEND') return at <= data.length ? at : 0;
  }
  return 0;
}

/**
 * Stills from a camera through ffmpeg (`-f v4l2 -i DEVICE`), as PNG images piped on stdout,
 * spawned without a shell. Stops ffmpeg when the consumer stops reading.
 */
export async function* captureCameraStills(
  device: string,
  options: CameraOptions = {},
): AsyncGenerator<QrImageSource> {
  const ffmpeg = options.ffmpeg ?? 'ffmpeg';
  const input = options.inputArgs ?? ['-f', 'v4l2', '-i', device];
  const args = ['-hide_banner', '-loglevel', 'error', ...input];
  args.push('-vf', `fps=${options.fps ?? 4}`, '-f', 'image2pipe', '-vcodec', 'png', 'pipe:1');
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-2000);
  });
  const failure = new Promise<never>((_, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new ByokError('ERR_QR', `--camera needs ffmpeg, and ${ffmpeg} was not found`, {
              hint: 'install ffmpeg (Debian: apt-get install ffmpeg), or save stills of the frames and scan the image files',
            })
          : new ByokError('ERR_QR', `cannot start ${ffmpeg}: ${err.message}`, { cause: err }),
      );
    });
  });
  failure.catch(() => undefined);
  let buffer = Buffer.alloc(0);
  let count = 0;
  try {
    for await (const data of child.stdout as AsyncIterable<Buffer>) {
      buffer = Buffer.concat([buffer, data]);
      for (let n = pngLength(buffer); n > 0; n = pngLength(buffer)) {
        const still = buffer.subarray(0, n);
        buffer = buffer.subarray(n);
        count++;
        yield { name: `${device} still ${count}`, read: () => still };
      }
    }
    const code = await Promise.race([
      failure,
      new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.on('close', resolve);
      }),
    ]);
    if (code !== 0 || count === 0)
      throw new ByokError(
        'ERR_QR',
        `ffmpeg could not capture from ${device}${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n').pop()!}`}`,
        {
          hint: 'check the device path (ls /dev/video*) and that no other program uses the camera',
        },
      );
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

/** `scan --camera DEVICE`: read one transfer live, within a time limit. */
export async function scanQrCamera(
  device: string,
  options: ScanQrFilesOptions & CameraOptions = {},
): Promise<AssembledTransfer> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, timeoutMs);
  async function* untilTimeout(): AsyncGenerator<QrImageSource> {
    for await (const still of captureCameraStills(device, options)) {
      if (controller.signal.aborted) return;
      yield still;
    }
  }
  try {
    return await readQrTransfer(untilTimeout(), options);
  } finally {
    clearTimeout(timer);
  }
}
