import { create } from 'qrcode/lib/core/qrcode.js';
import { BASE45_ALPHABET, ByokError } from '@byok-ceremony/shared';

/** A QR symbol: `size` × `size` modules, row by row, 1 for dark. No quiet zone. */
export interface QrMatrix {
  readonly size: number;
  readonly version: number;
  readonly modules: Uint8Array;
}

const ALPHANUMERIC = new Set(BASE45_ALPHABET);

/**
 * Encode a frame text as a QR symbol in alphanumeric mode at error correction M (other text,
 * such as a URL, in byte mode), with `qrcode`'s choice of the smallest version and best mask.
 */
export function renderQrMatrix(text: string): QrMatrix {
  const mode = Array.from(text).every((ch) => ALPHANUMERIC.has(ch)) ? 'alphanumeric' : 'byte';
  try {
    const qr = create([{ data: text, mode }], { errorCorrectionLevel: 'M' });
    return { size: qr.modules.size, version: qr.version, modules: qr.modules.data.slice() };
  } catch (err) {
    throw new ByokError('ERR_QR', `cannot encode ${text.length} characters in one QR code`, {
      cause: err,
      hint: 'use a lower --qr-density',
    });
  }
}
