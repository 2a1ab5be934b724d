// The share file as QR payloads and back, apart from the page that draws them: the CLI loads the
// reader of share pages at start, and it must not bring the PNG encoder only the page needs.

/** Characters of the share file per QR code: version 25 or so in byte mode at level M. */
export const SHARE_QR_CHUNK_CHARS = 900;
export const SHARE_QR_PART_PREFIX = 'byok-share-part';

/**
 * The share file's text cut at line ends into QR payloads of at most SHARE_QR_CHUNK_CHARS,
 * each starting `byok-share-part I/N` and a line end. The parts in order, without that first
 * line, are the file again.
 */
export function shareQrPayloads(text: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (current.length + line.length > SHARE_QR_CHUNK_CHARS && current !== '') {
      chunks.push(current);
      current = '';
    }
    current += line;
  }
  if (current !== '') chunks.push(current);
  return chunks.map((chunk, i) => `${SHARE_QR_PART_PREFIX} ${i + 1}/${chunks.length}\n${chunk}`);
}

/** Puts shareQrPayloads back together; undefined unless every part is there once, in order. */
export function joinShareQrPayloads(payloads: readonly string[]): string | undefined {
  const parts = new Map<number, string>();
  let total = 0;
  for (const payload of payloads) {
    const m = /^byok-share-part ([0-9]+)\/([0-9]+)\n/.exec(payload);
    if (m === null) return undefined;
    total = Number(m[2]);
    parts.set(Number(m[1]), payload.slice(m[0].length));
  }
  if (total === 0 || parts.size !== total) return undefined;
  return Array.from({ length: total }, (_, i) => parts.get(i + 1) ?? '').join('');
}
