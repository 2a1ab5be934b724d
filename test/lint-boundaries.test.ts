import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error the ESLint configuration is plain JavaScript
import { ALLOWED_PACKAGES, NETWORK_GLOBALS } from '../eslint.config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BOUNDARY_RULES = new Set([
  'no-restricted-imports',
  'no-restricted-syntax',
  'no-restricted-globals',
  'no-restricted-properties',
]);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    // The boundary rules are syntactic: only they run, without the type-aware parsing the
    // configuration's other rules need (a TypeScript program per probe, most of this file's time).
    ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  });
});

/**
 * The path a probe is linted as, which picks the configuration's blocks for it: a real source
 * file, whose contents ESLint replaces with the probe's text.
 */
function sourceFile(pkg: string, path = 'src/index.ts'): string {
  const file = `${ROOT}packages/${pkg}/${path}`;
  expect(existsSync(file), `${file} exists`).toBe(true);
  return file;
}

/** The boundary findings of one text, by line; a parse error fails the probe outright. */
async function boundaryFindings(text: string, filePath: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(text, { filePath });
  const messages = result!.messages;
  expect(messages.filter((m) => m.fatal === true)).toEqual([]);
  return messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId));
}

/** Lints one probe per line and returns the lines the boundaries let through. */
async function unguardedLines(lines: readonly string[], filePath: string): Promise<string[]> {
  const findings = await boundaryFindings(`${lines.join('\n')}\n`, filePath);
  const flagged = new Set(findings.map((m) => m.line));
  return lines.filter((_, i) => !flagged.has(i + 1));
}

async function expectRefused(lines: readonly string[], filePath: string): Promise<void> {
  expect(lines.length).toBeGreaterThan(0);
  expect(await unguardedLines(lines, filePath)).toEqual([]);
}

async function expectAllowed(lines: readonly string[], filePath: string): Promise<void> {
  const findings = await boundaryFindings(`${lines.join('\n')}\n`, filePath);
  expect(findings.map((m) => `${lines[m.line - 1]!}: ${m.message}`)).toEqual([]);
}

const bothForms = (names: readonly string[]) => names.flatMap((m) => [m, `node:${m}`]);
const importsOf = (names: readonly string[]) =>
  names.map((m, i) => `import * as m${i} from '${m}';`);

/** What an attacker's edit could use to reach the network from the air-gapped side. */
const NETWORK_BUILTINS = builtinModules.filter((m) =>
  /^(_http_|_tls_|http|https|http2|net|tls|dns|dgram|cluster|inspector|worker_threads)/.test(m),
);

/** Every form that reaches the network or gets past the import checks, for offline and node-io. */
const AIR_GAP_PROBES = [
  // The probes that once passed `npm run lint`.
  "import inspector from 'node:inspector';",
  "import { Worker } from 'node:worker_threads';",
  "await fetch('https://example.com/');",
  "new WebSocket('wss://example.com/');",
  // The other forms of the same.
  "const http = await import('node:http');",
  "const net = await import('net');",
  "const name = 'node:net'; await import(name);",
  "await import(`node:${'net'}`);",
  "const tls = require('node:tls');",
  "import dns = require('dns');",
  "export { request } from 'node:https';",
  "export * from 'node:dgram';",
  "import { spawn } from 'node:child_process';",
  "import { createRequire } from 'node:module';",
  "import '@aws-sdk/client-kms';",
  "import '@smithy/signature-v4';",
  "import '@byok-ceremony/online';",
  "import '@byok-ceremony/kms-sim';",
  "import 'left-pad';",
  "const get = await import('got');",
  "new EventSource('https://example.com/');",
  'new XMLHttpRequest();',
  "new Request('https://example.com/');",
  'Response.json({});',
  "globalThis.fetch('https://example.com/');",
  "globalThis['WebSocket'];",
  "process.binding('tcp_wrap');",
  "process._linkedBinding('tcp_wrap');",
];

describe('the ESLint boundaries guard the air gap', () => {
  it('lists only declared dependencies as allowed npm packages', () => {
    const allowed = ALLOWED_PACKAGES as Record<string, readonly string[]>;
    expect(Object.keys(allowed).sort()).toEqual(
      ['kms-sim', 'node-io', 'offline', 'online', 'shared'].sort(),
    );
    for (const [pkg, names] of Object.entries(allowed)) {
      const manifest = JSON.parse(readFileSync(`${ROOT}packages/${pkg}/package.json`, 'utf8')) as {
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      // An optional dependency (the PKCS#11 binding, a native addon) is declared all the same.
      const declared = { ...manifest.dependencies, ...manifest.optionalDependencies };
      for (const name of names) expect(declared, `${pkg}: ${name}`).toHaveProperty([name]);
    }
    expect(NETWORK_GLOBALS).toEqual(
      expect.arrayContaining(['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest']),
    );
  });

  it('packages/shared: every built-in module in both forms, any npm package off its list', async () => {
    await expectRefused(
      [
        "import { createHash } from 'crypto';",
        "import { PNG } from 'pngjs';",
        "import 'node:test';",
        "import '@byok-ceremony/node-io';",
        "import jsQR from 'jsqr';",
        "import QRCode from 'qrcode/lib/core/qrcode.js';",
        "const fs = await import('node:fs');",
        "const os = require('os');",
        'await fetch(url);',
        'export const now = Date.now();',
        'export const today = new Date();',
        'export const t = performance.now();',
      ],
      sourceFile('shared'),
    );
    await expectRefused(importsOf(bothForms(builtinModules)), sourceFile('shared'));
    await expectAllowed(
      [
        "import { sha256 } from '@noble/hashes/sha2.js';",
        'export const parsed = new Date(0);',
        "import { canonicalJson } from '../digest/canonical-json.js';",
        "const { sha256 } = await import('../digest/sha256.js');",
      ],
      sourceFile('shared'),
    );
  });

  for (const pkg of ['offline', 'node-io']) {
    it(`packages/${pkg}: every network-capable built-in, the network globals, require and computed import()`, async () => {
      expect(NETWORK_BUILTINS).toEqual(
        expect.arrayContaining(['net', 'tls', 'dns/promises', 'inspector', 'worker_threads']),
      );
      await expectRefused(importsOf(bothForms(NETWORK_BUILTINS)), sourceFile(pkg));
      await expectRefused(AIR_GAP_PROBES, sourceFile(pkg));
      if (pkg === 'offline') await expectRefused(["import { PNG } from 'pngjs';"], sourceFile(pkg));
    });
  }

  it('packages/offline: the PKCS#11 binding in the token port only, which stays air-gapped', async () => {
    const port = sourceFile('offline', 'src/io/pkcs11/load-pkcs11.ts');
    await expectAllowed(
      [
        "const pkcs11 = await import('pkcs11js');",
        "import type { PKCS11 } from 'pkcs11js';",
        "import { ByokError } from '@byok-ceremony/shared';",
      ],
      port,
    );
    await expectRefused(importsOf(bothForms(NETWORK_BUILTINS)), port);
    await expectRefused(AIR_GAP_PROBES, port);
    for (const elsewhere of ['src/index.ts', 'src/ops/token-material.ts', 'src/cli/hsm-flags.ts'])
      await expectRefused(
        ["const pkcs11 = await import('pkcs11js');", "import { PKCS11 } from 'pkcs11js';"],
        sourceFile('offline', elsewhere),
      );
    await expectRefused(["import { PKCS11 } from 'pkcs11js';"], sourceFile('node-io'));
  });

  it('packages/offline and node-io: what they need stays allowed', async () => {
    const common = [
      "import { createHash } from 'node:crypto';",
      "import { readFile } from 'node:fs/promises';",
      "import { join } from 'node:path';",
      "import { createInterface } from 'node:readline';",
      "import yargs from 'yargs';",
      "import { ByokError } from '@byok-ceremony/shared';",
      'const bytes = new TextEncoder().encode("x");',
    ];
    await expectAllowed(
      [
        ...common,
        "import '@byok-ceremony/node-io';",
        "const { scanQrImageFiles } = await import('@byok-ceremony/node-io/qr-scan');",
        "const camera = await import('../io/qr-camera.js');",
      ],
      sourceFile('offline'),
    );
    await expectAllowed(
      [
        ...common,
        "import { PNG } from 'pngjs';",
        "import { readBarcodes } from 'zxing-wasm/reader';",
      ],
      sourceFile('node-io'),
    );
    // The camera capture spawns ffmpeg: child_process there and nowhere else.
    await expectAllowed(
      ["import { spawn } from 'node:child_process';"],
      sourceFile('offline', 'src/io/qr-camera.ts'),
    );
    await expectRefused(
      ["import { connect } from 'node:net';", 'await fetch(url);'],
      sourceFile('offline', 'src/io/qr-camera.ts'),
    );
  });

  it('packages/online: the AWS SDK only in src/kms/, never offline or kms-sim', async () => {
    await expectRefused(
      [
        "import { KMSClient } from '@aws-sdk/client-kms';",
        "const sdk = await import('@aws-sdk/client-kms');",
        "import '@byok-ceremony/offline';",
        "import '@byok-ceremony/kms-sim';",
        "import 'left-pad';",
        "import { loadSharedConfigFiles } from '@smithy/core/config';",
      ],
      sourceFile('online'),
    );
    await expectAllowed(
      [
        "import { KMSClient } from '@aws-sdk/client-kms';",
        "import { request } from 'node:https';",
        "import '@byok-ceremony/node-io';",
      ],
      sourceFile('online', 'src/kms/create-kms-client.ts'),
    );
  });

  it('packages/online: @smithy/core only in src/kms/aws-profile.ts', async () => {
    await expectRefused(
      [
        "import { loadSharedConfigFiles } from '@smithy/core/config';",
        "const core = await import('@smithy/core');",
        "export { loadSharedConfigFiles } from '@smithy/core/config';",
      ],
      sourceFile('online', 'src/kms/create-kms-client.ts'),
    );
    await expectAllowed(
      ["import { loadSharedConfigFiles } from '@smithy/core/config';"],
      sourceFile('online', 'src/kms/aws-profile.ts'),
    );
  });

  it('packages/kms-sim: node:http and its signer, never online or offline', async () => {
    await expectRefused(
      [
        "import '@byok-ceremony/online';",
        "import '@byok-ceremony/offline';",
        "import '@aws-sdk/client-kms';",
        // Of node-io, only key-material: never its main entry or its QR entries.
        "import { runAudited } from '@byok-ceremony/node-io';",
        "import { qrMatrix } from '@byok-ceremony/node-io/qr-encode';",
        "const scan = await import('@byok-ceremony/node-io/qr-scan');",
        "export { qrMatrix } from '@byok-ceremony/node-io/qr-encode';",
      ],
      sourceFile('kms-sim'),
    );
    await expectAllowed(
      [
        "import { createServer } from 'node:http';",
        "import { SignatureV4 } from '@smithy/signature-v4';",
        "import { Sha256 } from '@aws-crypto/sha256-js';",
        "import { wrapKeyPadded } from '@byok-ceremony/node-io/key-material';",
      ],
      sourceFile('kms-sim'),
    );
  });
});
