import { spawn, type ChildProcess } from 'node:child_process';
import { ByokError, type AssembledTransfer, type FrameProgress } from '@byok-ceremony/shared';
import {
  formatFrameProgress,
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

/** `scan --camera` gives up after this long by default (`--camera-timeout SECONDS`). */
export const CAMERA_TIMEOUT_MS = 5 * 60_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Length of the first whole PNG at the start of `data`, or 0 while it is incomplete. `from` is
 * where the chunk scan stopped last time, so each byte is scanned once however the data arrives.
 */
function pngLength(data: Buffer, from: { at: number }): number {
  if (data.length < 8) return 0;
  if (!data.subarray(0, 8).equals(PNG_SIGNATURE))
    throw new ByokError('ERR_QR', 'ffmpeg sent something other than PNG stills', {
      hint: 'use ffmpeg as installed (Debian: apt-get install ffmpeg)',
    });
  while (from.at + 8 <= data.length) {
    const length = data.readUInt32BE(from.at);
    const type = data.toString('latin1', from.at + 4, from.at + 8);
    if (type === 'IEND') return from.at + 12 + length <= data.length ? from.at + 12 + length : 0;
    from.at += 12 + length;
  }
  return 0;
}

/** A PNG still from ffmpeg larger than this is not a camera picture (1080p is about 3 MB). */
const MAX_STILL_BYTES = 64 * 1024 * 1024;

/** How long ffmpeg may take to stop after SIGTERM before it is killed. */
const KILL_GRACE_MS = 2000;

/** ffmpeg started on the camera, with its last stderr line kept and its start failure. */
interface RunningFfmpeg {
  readonly child: ChildProcess;
  /** Rejects when ffmpeg cannot be started (not installed, not executable). */
  readonly failure: Promise<never>;
  stderrTail(): string;
}

function startFfmpeg(device: string, options: CameraOptions): RunningFfmpeg {
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
  return { child, failure, stderrTail: () => stderr.trim() };
}

/** Rejects with the signal's reason once it aborts; never settles without a signal. */
function abortedBy(signal: AbortSignal | undefined): Promise<never> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal === undefined) return;
    const stop = (): void => {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
  });
  aborted.catch(() => undefined);
  return aborted;
}

/** Cuts ffmpeg's PNG stream into whole stills, however the bytes arrive. */
class StillSplitter {
  // Grown by doubling, so a large still costs linear time to gather.
  private store = Buffer.alloc(64 * 1024);
  private used = 0;
  private readonly scan = { at: 8 };

  constructor(private readonly device: string) {}

  /** Takes the next bytes from ffmpeg and returns the stills they complete. */
  push(data: Buffer): Buffer[] {
    if (this.used + data.length > this.store.length) {
      const grown = Buffer.alloc(Math.max(this.store.length * 2, this.used + data.length));
      this.store.copy(grown, 0, 0, this.used);
      this.store = grown;
    }
    data.copy(this.store, this.used);
    this.used += data.length;
    if (this.used > MAX_STILL_BYTES)
      throw new ByokError(
        'ERR_QR',
        `ffmpeg sent a still larger than ${MAX_STILL_BYTES} bytes from ${this.device}`,
        { hint: 'check that DEVICE is a camera; a 1080p PNG still is a few megabytes' },
      );
    const stills: Buffer[] = [];
    for (let n = this.nextLength(); n > 0; n = this.nextLength()) {
      stills.push(Buffer.from(this.store.subarray(0, n)));
      this.store.copy(this.store, 0, n, this.used);
      this.used -= n;
      this.scan.at = 8;
    }
    return stills;
  }

  private nextLength(): number {
    return pngLength(this.store.subarray(0, this.used), this.scan);
  }
}

/** ffmpeg's exit code once its stdout ended (or the start failure, or the abort). */
function exitCodeOf(ffmpeg: RunningFfmpeg, aborted: Promise<never>): Promise<number | null> {
  const { child } = ffmpeg;
  return Promise.race([
    ffmpeg.failure,
    aborted,
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.on('close', resolve);
    }),
  ]);
}

/**
 * Stills from a camera through ffmpeg (`-f v4l2 -i DEVICE`), as PNG images piped on stdout,
 * spawned without a shell. Stops ffmpeg when the consumer stops reading, and when `signal`
 * aborts, even if ffmpeg sends nothing at all: then the generator throws `signal.reason`.
 */
export async function* captureCameraStills(
  device: string,
  options: CameraOptions & { readonly signal?: AbortSignal } = {},
): AsyncGenerator<QrImageSource> {
  const ffmpeg = startFfmpeg(device, options);
  const aborted = abortedBy(options.signal);
  const chunks = (ffmpeg.child.stdout as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const splitter = new StillSplitter(device);
  let count = 0;
  try {
    for (;;) {
      // Raced with the abort: a silent ffmpeg never ends its stdout.
      const next = await Promise.race([chunks.next(), aborted, ffmpeg.failure]);
      if (next.done === true) break;
      for (const still of splitter.push(next.value)) {
        count++;
        yield { name: `${device} still ${count}`, read: () => still };
      }
    }
    const code = await exitCodeOf(ffmpeg, aborted);
    if (code !== 0 || count === 0) {
      const stderr = ffmpeg.stderrTail();
      throw new ByokError(
        'ERR_QR',
        `ffmpeg could not capture from ${device}${stderr === '' ? '' : `: ${stderr.split('\n').pop()!}`}`,
        {
          hint: 'check the device path (ls /dev/video*) and that no other program uses the camera',
        },
      );
    }
  } finally {
    stopChild(ffmpeg.child);
  }
}

/** SIGTERM, then SIGKILL if ffmpeg is still there after the grace period. */
function stopChild(child: ChildProcess): void {
  child.stdout?.destroy();
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, KILL_GRACE_MS);
  timer.unref();
  child.once('exit', () => {
    clearTimeout(timer);
  });
}

/** `scan --camera DEVICE`: read one transfer live, within a time limit that stops ffmpeg. */
export async function scanQrCamera(
  device: string,
  options: ScanQrFilesOptions & CameraOptions = {},
): Promise<AssembledTransfer> {
  const timeoutMs = options.timeoutMs ?? CAMERA_TIMEOUT_MS;
  const seconds = Math.round(timeoutMs / 1000);
  let stills = 0;
  let progress: FrameProgress | undefined;
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      stills === 0
        ? new ByokError(
            'ERR_TIMEOUT',
            `the camera ${device} sent no image in ${seconds} s; ffmpeg was stopped`,
            {
              hint: 'check that the device is the camera (ls /dev/video*), that no other program uses it, and that it is not covered; or save stills and scan the image files',
            },
          )
        : new ByokError(
            'ERR_TIMEOUT',
            `the QR transfer was not complete after ${seconds} s (${progress === undefined ? 'no frame read' : formatFrameProgress(progress)}); ffmpeg was stopped`,
            {
              hint: 'show the missing frames to the camera, closer and steadier, and scan again (--camera-timeout SECONDS for more time)',
            },
          ),
    );
  }, timeoutMs);
  try {
    return await readQrTransfer(
      captureCameraStills(device, { ...options, signal: controller.signal }),
      {
        ...options,
        onImage: (event) => {
          stills++;
          progress = event.progress;
          options.onImage?.(event);
        },
      },
    );
  } finally {
    clearTimeout(timer);
  }
}
