import { ByokError } from '@byok-ceremony/shared';
import type { ShareInput } from './combine-shares.js';
import { SHARE_QR_PART_PREFIX } from './share-qr-payloads.js';

/** The QR codes read from one image: a scan or photograph of (part of) a share page. */
export interface QrImageCodes {
  readonly source: string;
  readonly codes: readonly string[];
}

const PART = /^byok-share-part ([0-9]{1,4})\/([0-9]{1,4})\n/;

interface Collecting {
  readonly total: number;
  readonly parts: Map<number, string>;
  readonly sources: string[];
}

function invalid(message: string, hint: string): ByokError {
  return new ByokError('ERR_SHARE_INVALID', message, { hint });
}

const SCAN_HINT =
  "Scan or photograph every QR code of the share's printed page(s), whole and in focus, and give each share's images together, first page first; or give the share's text file (share-I-of-N.txt).";

/** The share file's text again, once every part of it was read. */
function finished(share: Collecting): ShareInput {
  const source = share.sources.join(', ');
  if (share.parts.size !== share.total) {
    const missing = Array.from({ length: share.total }, (_, i) => i + 1).filter(
      (n) => !share.parts.has(n),
    );
    throw invalid(
      `${source}: a partial share: QR part(s) ${missing.join(', ')} of ${share.total} are missing`,
      SCAN_HINT,
    );
  }
  const text = Array.from({ length: share.total }, (_, i) => share.parts.get(i + 1)!).join('');
  return { source, text };
}

/**
 * The share files that the QR codes of a share page's images rebuild (render-share-page.ts: each
 * code is `byok-share-part I/N`, a line end and the next piece of the file). The parts carry no
 * share number, and a share page holds one share, so the codes of one image are of one share,
 * and a share is the image with its part 1 and the images after it up to the next part 1,
 * whatever order the codes of one image come in. Refused: an image with no part of a
 * share, a share with a part missing, two different codes for one part. Whether each share is
 * whole and of the same split is for parseShareFile (its check line) and combineShares.
 */
export function sharesFromQrImages(images: readonly QrImageCodes[]): ShareInput[] {
  const shares: ShareInput[] = [];
  let current: Collecting | undefined;
  for (const image of images) {
    const parts = image.codes.flatMap((code) => {
      const m = PART.exec(code);
      return m === null
        ? []
        : [{ n: Number(m[1]), total: Number(m[2]), text: code.slice(m[0].length) }];
    });
    if (parts.length === 0)
      throw invalid(
        image.codes.length === 0
          ? `${image.source}: no QR code could be read in this image`
          : `${image.source}: its ${image.codes.length} QR code(s) hold no part of a share (a share page's codes start "${SHARE_QR_PART_PREFIX}")`,
        SCAN_HINT,
      );
    // A share page holds one share: an image of it with part 1 starts the next share.
    const first = parts.find((p) => p.n === 1);
    if (first !== undefined) {
      if (current !== undefined) shares.push(finished(current));
      current = { total: first.total, parts: new Map(), sources: [] };
    }
    for (const part of parts) {
      if (current === undefined || part.total !== current.total || part.n > part.total)
        throw invalid(
          `${image.source}: QR part ${part.n} of ${part.total} belongs to no share read so far (its part 1 was not read before it)`,
          SCAN_HINT,
        );
      const earlier = current.parts.get(part.n);
      if (earlier !== undefined && earlier !== part.text)
        throw invalid(
          `${image.source}: two different QR codes claim to be part ${part.n} of ${part.total} of one share: the images mix two shares`,
          SCAN_HINT,
        );
      current.parts.set(part.n, part.text);
      if (!current.sources.includes(image.source)) current.sources.push(image.source);
    }
  }
  if (current !== undefined) shares.push(finished(current));
  return shares;
}
