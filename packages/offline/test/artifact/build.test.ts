import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, buildOffline, type OfflineBuild } from './build.js';

interface CdxComponent {
  name: string;
  version: string;
  purl?: string;
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
  hashes?: { alg: string; content: string }[];
  properties?: { name: string; value: string }[];
}
interface CdxBom {
  bomFormat: string;
  specVersion: string;
  metadata: { component: CdxComponent & { hashes: { alg: string; content: string }[] } };
  components: CdxComponent[];
}

let first: OfflineBuild;
let second: OfflineBuild;

beforeAll(() => {
  // Two builds of this tree from two working folders into two unrelated output folders.
  first = buildOffline(mkdtempSync(join(tmpdir(), 'byok-build-a-')), tmpdir());
  second = buildOffline(
    join(mkdtempSync(join(tmpdir(), 'byok-build-b-')), 'deeper', 'out'),
    join(REPO, 'packages', 'offline'),
  );
});

const sha256 = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex');

describe('npm run build:offline', () => {
  it('is reproducible: two builds in different folders are byte-identical, SBOM too', () => {
    expect(readFileSync(first.bundle).equals(readFileSync(second.bundle))).toBe(true);
    for (const name of ['byok-offline.cdx.json', 'byok-offline.mjs.sha256'])
      expect(
        readFileSync(join(first.outDir, name)).equals(readFileSync(join(second.outDir, name))),
        name,
      ).toBe(true);
    const text = readFileSync(first.bundle, 'utf8');
    for (const local of [REPO, first.outDir, second.outDir, tmpdir() + '/'])
      expect(text.includes(local), local).toBe(false);
  });

  it('prints the SHA-256 and the read-aloud form that sha256sum and cut give, and writes a sha256sum file', () => {
    const digest = sha256(first.bundle);
    expect(first.printed).toContain(`SHA-256:    ${digest}`);
    // The command docs/airgap.md gives for the air-gapped machine, which has only its OS's tools.
    const byOs = execFileSync(
      'sh',
      [
        '-c',
        "sha256sum byok-offline.mjs | cut -c1-4,5-8,9-12,13-16,17-20,21-24 --output-delimiter=' '",
      ],
      { cwd: first.outDir, encoding: 'utf8' },
    ).trim();
    expect(byOs).toMatch(/^([0-9a-f]{4} ){5}[0-9a-f]{4}$/);
    expect(byOs).toBe(digest.slice(0, 24).replace(/(.{4})(?!$)/g, '$1 '));
    expect(first.printed).toContain(`Read aloud: ${byOs}\n`);
    expect(readFileSync(join(first.outDir, 'byok-offline.mjs.sha256'), 'utf8')).toBe(
      `${digest}  byok-offline.mjs\n`,
    );
    expect(
      execFileSync('sha256sum', ['-c', 'byok-offline.mjs.sha256'], {
        cwd: first.outDir,
        encoding: 'utf8',
      }),
    ).toBe('byok-offline.mjs: OK\n');
    expect(statSync(first.bundle).mode & 0o111).not.toBe(0);
  });

  it('embeds the ZXing WebAssembly and reads nothing from node_modules at run time', () => {
    const text = readFileSync(first.bundle, 'utf8');
    const wasm = readFileSync(join(REPO, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'));
    expect(text).toContain(wasm.subarray(0, 3000).toString('base64').slice(0, 2000));
    expect(text).toContain('// node_modules/zxing-wasm/dist/reader/zxing_reader.wasm\n');
    // node-io's loader reads the file from node_modules; the bundle must carry the embedded one.
    expect(text).not.toContain("resolve('zxing-wasm/reader/zxing_reader.wasm')");
  });

  it('has a CycloneDX 1.5 SBOM, valid against the schema, of exactly what it bundles', async () => {
    const json = readFileSync(join(first.outDir, 'byok-offline.cdx.json'), 'utf8');
    const invalid = await new Validation.JsonStrictValidator(Spec.Version.v1dot5).validate(json);
    expect(invalid).toBeNull();
    const bom = JSON.parse(json) as CdxBom;
    expect([bom.bomFormat, bom.specVersion]).toEqual(['CycloneDX', '1.5']);
    expect(bom.metadata.component.hashes).toEqual([
      { alg: 'SHA-256', content: sha256(first.bundle) },
    ]);
    const names = bom.components.map((c) => c.name);
    for (const name of [
      '@byok-ceremony/offline',
      '@byok-ceremony/node-io',
      '@byok-ceremony/shared',
      'yargs',
      'zxing-wasm',
      'jsqr',
      'pngjs',
      'qrcode',
      'shamir-secret-sharing',
    ])
      expect(names).toContain(name);
    // Build tools and test libraries are not in the artifact.
    for (const name of [
      'esbuild',
      'vitest',
      'typescript',
      '@aws-sdk/client-kms',
      '@cyclonedx/cyclonedx-library',
    ])
      expect(names).not.toContain(name);
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };
    for (const c of bom.components) {
      expect(c.licenses?.length, c.name).toBeGreaterThan(0);
      const sources = (c.properties ?? []).filter((p) => p.name === 'byok:source');
      expect(sources.length, c.name).toBeGreaterThan(0);
      const files = (c.properties ?? []).filter((p) => p.name === 'byok:bundled-file');
      expect(files.length, c.name).toBeGreaterThan(0);
      for (const { value } of files) {
        const [, path, digest, patched] =
          /^(\S+) sha256:([0-9a-f]{64})( \(patched at build: .+\))?$/.exec(value)!;
        if (patched === undefined) expect(sha256(join(REPO, path!)), path).toBe(digest);
      }
      if (c.name.startsWith('@byok-ceremony/')) {
        expect(c.purl).toBeUndefined();
        continue;
      }
      const dir = sources[0]!.value;
      const locked = lock.packages[dir]!;
      expect(c.version).toBe(locked.version);
      expect(c.purl).toBe(`pkg:npm/${c.name.replace('@', '%40')}@${c.version}`);
      expect(c.hashes).toEqual([
        {
          alg: 'SHA-512',
          content: Buffer.from(locked.integrity!.replace(/^sha512-/, ''), 'base64').toString('hex'),
        },
      ]);
    }
  });
});
