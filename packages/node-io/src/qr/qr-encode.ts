// QR frames out as symbols and PNGs: loaded on use, so that a command that shows no QR code
// never loads qrcode and pngjs (the CLIs import them with import(), as qr-scan's decoders).
export { renderQrMatrix, type QrMatrix } from './qr-matrix.js';
export { encodeQrPng, type QrPngOptions } from './qr-png.js';
