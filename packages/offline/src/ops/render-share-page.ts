import { encodeBase64, escapeHtml, type ShareFile } from '@byok-ceremony/shared';
import { encodeQrPng, renderQrMatrix } from '@byok-ceremony/node-io/qr-encode';

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

/**
 * A printable page for one share: its labels in large type (for the bag and the record), the
 * share file as QR codes, and the file's text for typing it back in by hand. Self-contained,
 * no network loads (CSP), opens from file://.
 */
export function renderSharePage(share: ShareFile, text: string, fileName: string): string {
  const codes = shareQrPayloads(text).map((payload, i, all) => {
    const png = encodeQrPng(renderQrMatrix(payload), { scale: 4, margin: 4 });
    return `<figure><img alt="part ${i + 1} of ${all.length}" src="data:image/png;base64,${encodeBase64(png)}"><figcaption>part ${i + 1} of ${all.length}</figcaption></figure>`;
  });
  const covers = share.covers
    .map(
      (c) =>
        `<li>${escapeHtml(c.materialGroup)}: ${escapeHtml(c.keySpec)}, KCV <strong>${escapeHtml(c.kcv)}</strong></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Share ${share.index} of ${share.count} (threshold ${share.threshold}), ceremony ${escapeHtml(share.ceremonyId)}</title>
<style>
body { font: 12pt/1.4 system-ui, sans-serif; margin: 1.5cm; color: #000; background: #fff; }
h1 { font-size: 20pt; margin: 0 0 0.3em; }
figure { display: inline-block; margin: 0.4em; text-align: center; page-break-inside: avoid; }
img { image-rendering: pixelated; width: 8cm; height: auto; }
pre { font: 9pt/1.3 monospace; white-space: pre; page-break-inside: avoid; }
.warn { border: 2px solid #000; padding: 0.4em; }
</style>
</head>
<body>
<h1>Material share ${share.index} of ${share.count}: any ${share.threshold} rebuild the keys</h1>
<p>Ceremony <strong>${escapeHtml(share.ceremonyId)}</strong><br>Set digest ${escapeHtml(share.setDigest)}<br>File ${escapeHtml(fileName)}</p>
<ul>
${covers}
</ul>
<p class="warn">Secret. Keep this page in its own tamper-evident bag, with its custodian; write the bag's serial on the ceremony record. Fewer than ${share.threshold} shares reveal nothing of the keys.</p>
${codes.join('\n')}
<h2>The share file</h2>
<pre>${escapeHtml(text)}</pre>
</body>
</html>
`;
}
