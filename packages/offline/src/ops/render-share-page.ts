import { encodeBase64, escapeHtml, type ShareFile } from '@byok-ceremony/shared';
import { encodeQrPng, renderQrMatrix } from '@byok-ceremony/node-io/qr-encode';
import { shareQrPayloads } from './share-qr-payloads.js';

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
