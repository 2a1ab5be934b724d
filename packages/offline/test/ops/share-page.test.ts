import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShareFile } from '@byok-ceremony/shared';
import { nodeSha256 } from '../../src/ops/node-sha256.js';
import { renderSharePage } from '../../src/ops/render-share-page.js';
import { joinShareQrPayloads, shareQrPayloads } from '../../src/ops/share-qr-payloads.js';
import { splitMaterialSet } from '../../src/ops/split-material-set.js';
import { materialSetFixture } from '../helpers/material-set-fixture.js';
import { tempDir } from '../helpers/run-cli.js';

describe('the printable share page', () => {
  it('carries the share file in QR codes that zbarimg reads back to the same text', async () => {
    // An RSA key makes a share of several QR codes.
    const set = materialSetFixture(['RSA_2048', 'SYMMETRIC_DEFAULT']);
    const { files } = await splitMaterialSet(set, 2, 3);
    const file = files[0]!;
    const share = parseShareFile(file.text, nodeSha256);
    const page = renderSharePage(share, file.text, file.name);
    expect(page).toContain('Material share 1 of 3: any 2 rebuild the keys');
    expect(page).toContain(`KCV <strong>${set.groups[0]!.kcv}</strong>`);
    const images = [...page.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) =>
      Buffer.from(m[1]!, 'base64'),
    );
    expect(images.length).toBe(shareQrPayloads(file.text).length);
    expect(images.length).toBeGreaterThan(1);
    const dir = tempDir();
    const decoded = images.map((png, i) => {
      const path = join(dir, `part-${i}.png`);
      writeFileSync(path, png);
      return execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', path], {
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString();
    });
    expect(joinShareQrPayloads(decoded.reverse())).toBe(file.text);
  });

  it('joins only a complete set of parts', () => {
    const payloads = shareQrPayloads('a\n'.repeat(2000));
    expect(joinShareQrPayloads(payloads.slice(1))).toBeUndefined();
    expect(joinShareQrPayloads(['not a part'])).toBeUndefined();
  });
});
