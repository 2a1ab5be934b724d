import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { readQrImageCodes } from '@byok-ceremony/node-io/qr-scan';
import { combineShares } from '../../src/ops/combine-shares.js';
import { shareQrPayloads } from '../../src/ops/share-qr-payloads.js';
import { sharesFromQrImages, type QrImageCodes } from '../../src/ops/shares-from-qr-images.js';
import { splitMaterialSet } from '../../src/ops/split-material-set.js';
import { materialSetFixture } from '../helpers/material-set-fixture.js';

function refusal(images: readonly QrImageCodes[]): { code: string; message: string } {
  try {
    sharesFromQrImages(images);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('accepted');
}

/** The share page's QR images side by side on one white PNG, as a scan of the page shows them. */
function pageOf(pngs: readonly Buffer[]): Buffer {
  const images = pngs.map((b) => PNG.sync.read(b));
  const gap = 40;
  const width = images.reduce((w, i) => w + i.width + gap, gap);
  const height = Math.max(...images.map((i) => i.height)) + 2 * gap;
  const page = new PNG({ width, height });
  page.data.fill(255);
  let x = gap;
  for (const image of images) {
    PNG.bitblt(image, page, 0, 0, image.width, image.height, x, gap);
    x += image.width + gap;
  }
  return PNG.sync.write(page);
}

describe('shares rebuilt from the QR codes of share pages', () => {
  it('rebuilds each share from its images, whatever order the codes of one image come in', async () => {
    const set = materialSetFixture(['RSA_2048', 'SYMMETRIC_DEFAULT']);
    const { files } = await splitMaterialSet(set, 2, 3);
    const [one, , three] = files;
    const parts1 = shareQrPayloads(one!.text);
    const parts3 = shareQrPayloads(three!.text);
    expect(parts1.length).toBeGreaterThan(2);
    const shares = sharesFromQrImages([
      { source: 'p1.png', codes: [parts1[1]!, parts1[0]!] },
      { source: 'p2.png', codes: parts1.slice(2).reverse() },
      { source: 's3.png', codes: parts3 },
    ]);
    expect(shares).toEqual([
      { source: 'p1.png, p2.png', text: one!.text },
      { source: 's3.png', text: three!.text },
    ]);
    expect((await combineShares(shares)).splitId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses an image with no share, a partial share and two shares mixed, naming the image', async () => {
    const set = materialSetFixture(['RSA_2048']);
    const { files } = await splitMaterialSet(set, 2, 3);
    const parts1 = shareQrPayloads(files[0]!.text);
    const parts2 = shareQrPayloads(files[1]!.text);
    expect(refusal([{ source: 'blank.png', codes: [] }])).toMatchObject({
      code: 'ERR_SHARE_INVALID',
      message: 'blank.png: no QR code could be read in this image',
    });
    expect(refusal([{ source: 'ticket.png', codes: ['https://example.com'] }]).message).toBe(
      'ticket.png: its 1 QR code(s) hold no part of a share (a share page\'s codes start "byok-share-part")',
    );
    expect(refusal([{ source: 'half.png', codes: parts1.slice(0, 1) }]).message).toMatch(
      /^half\.png: a partial share: QR part\(s\) 2(, \d+)* of \d+ are missing$/,
    );
    expect(refusal([{ source: 'late.png', codes: parts1.slice(1) }]).message).toMatch(
      /^late\.png: QR part 2 of \d+ belongs to no share read so far/,
    );
    expect(
      refusal([
        { source: 'a.png', codes: parts1 },
        { source: 'b.png', codes: [parts2[1]!] },
      ]).message,
    ).toBe(
      `b.png: two different QR codes claim to be part 2 of ${parts1.length} of one share: the images mix two shares`,
    );
  });

  it('reads every code of a page image with the decoder recover loads (ZXing)', async () => {
    const { encodeQrPng, renderQrMatrix } = await import('@byok-ceremony/node-io/qr-encode');
    const set = materialSetFixture(['RSA_2048']);
    const { files } = await splitMaterialSet(set, 2, 2);
    const payloads = shareQrPayloads(files[0]!.text);
    // The encoder and scale the share page uses.
    const page = pageOf(
      payloads.map((p) => Buffer.from(encodeQrPng(renderQrMatrix(p), { scale: 4, margin: 4 }))),
    );
    const codes = await readQrImageCodes(page, 'page.png');
    expect([...codes].sort()).toEqual([...payloads].sort());
    expect(sharesFromQrImages([{ source: 'page.png', codes }])).toEqual([
      { source: 'page.png', text: files[0]!.text },
    ]);
  });
});
