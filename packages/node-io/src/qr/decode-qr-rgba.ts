import jsQR from 'jsqr';
import { ByokError } from '@byok-ceremony/shared';
import {
  boxBlur,
  grayscale,
  invert,
  resize,
  shrink,
  stretchContrast,
  toRgba,
  type GrayImage,
  type RgbaImage,
} from './gray-image.js';
import { QR_MAX_IMAGE_PIXELS } from './image-header.js';

/** Larger images are averaged down to about this size before the search (a 1280×720 frame is 0.9 MP). */
export const QR_SEARCH_PIXELS = 2_100_000;

export interface QrDecodeResult {
  readonly text: string;
  /** Which pass found it, for the benchmark and --debug. */
  readonly pass: string;
}

type Pass = readonly [name: string, make: (base: GrayImage) => GrayImage | undefined];

/**
 * The passes, cheapest and likeliest first; each is one jsQR search over a transformed copy.
 * jsQR's binariser thresholds 8-pixel blocks against their neighbourhood, so a shrunk copy
 * helps blur and noise, a stretched one low contrast, and an enlarged one small codes.
 */
const PASSES: readonly Pass[] = [
  ['direct', (g) => g],
  ['half', (g) => (g.width * g.height > 400_000 ? shrink(g, 2) : undefined)],
  ['contrast', (g) => stretchContrast(g)],
  ['blur', (g) => boxBlur(g)],
  ['enlarge', (g) => (g.width * g.height < 1_000_000 ? resize(g, 1.5) : undefined)],
  // Inverted here, not by jsQR: its own inversion (1.4.0, onlyInvert) throws on every image.
  ['inverted', (g) => invert(g)],
];

export interface DecodeQrOptions {
  /** Run only these passes (by name), e.g. `['direct']` for a quick first look. */
  readonly only?: readonly string[];
  /** Skip these passes. */
  readonly skip?: readonly string[];
  /** Stop starting new passes after this many milliseconds: noisy images make jsQR slow. */
  readonly budgetMs?: number;
  /** Milliseconds from any origin, read for the budget; `performance.now` unless given. */
  readonly clock?: () => number;
}

/**
 * Find one QR code in an RGBA image and return its text, or undefined when there is none.
 * jsQR is plain JavaScript; it runs in well under a second on a clean 1280×720 frame.
 */
export function decodeQrFromRgba(
  image: RgbaImage,
  options: DecodeQrOptions = {},
): QrDecodeResult | undefined {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const pixels = image.width * image.height;
  if (image.data.length < pixels * 4)
    throw new ByokError('ERR_QR', `image data is shorter than ${image.width}×${image.height} RGBA`);
  if (pixels > QR_MAX_IMAGE_PIXELS)
    throw new ByokError(
      'ERR_QR',
      `image of ${(pixels / 1e6).toFixed(1)} megapixels exceeds the limit`,
    );
  const factor = Math.max(1, Math.ceil(Math.sqrt(pixels / QR_SEARCH_PIXELS)));
  const base = grayscale(image, factor);
  for (const [name, make] of PASSES) {
    if (options.only !== undefined && !options.only.includes(name)) continue;
    if (options.skip?.includes(name) === true) continue;
    if (options.budgetMs !== undefined && clock() - started > options.budgetMs) break;
    const gray = make(base);
    if (gray === undefined) continue;
    let found: ReturnType<typeof jsQR.default>;
    try {
      found = jsQR.default(toRgba(gray), gray.width, gray.height, {
        inversionAttempts: 'dontInvert',
      });
    } catch {
      // jsQR 1.4 throws a TypeError on some featureless images: that is "no code here".
      found = null;
    }
    if (found !== null && found.data !== '') return { text: found.data, pass: name };
  }
  return undefined;
}
