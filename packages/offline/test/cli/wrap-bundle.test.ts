import { execFileSync } from 'node:child_process';
import { createHash, createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertWrappedAnswersRequest,
  assertWrappedKeyBundle,
  auditEntryHash,
  bundleDigest,
  checkCodeOf,
  proofMessage,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';
import {
  importRequest,
  importRequestV3,
  wrappingKeyPair,
  type TargetOptions,
} from '../helpers/request-fixture.js';
import { runCli, tempDir } from '../helpers/run-cli.js';
import { unwrapBlob } from '../helpers/unwrap.js';
import { soloWrapArgv, wrapArgv } from '../../../../test/ceremony/driver.mjs';

/** Two operators who type the check code at a prompt, or are refused without one. */
const ALICE_AND_BOB = ['--operator', 'ALICE', '--operator', 'BOB'];

function writeRequest(dir: string, request: ImportRequestBundle): string {
  const path = join(dir, 'request.json');
  writeFileSync(path, JSON.stringify(request, null, 2));
  return path;
}

function operatorArgs(request: ImportRequestBundle): string[] {
  const code = checkCodeOf(bundleDigest(request));
  return ['--operator', 'ALICE', '--check-code', code, '--operator', 'BOB', '--check-code', code];
}

async function wrap(
  targets: readonly TargetOptions[],
  extra: string[] = ['--no-backup'],
  request: ImportRequestBundle = importRequest(targets),
) {
  const dir = tempDir();
  writeRequest(dir, request);
  const result = await runCli(
    [
      'wrap',
      '--request',
      'request.json',
      '--out',
      'wrapped.json',
      '--json',
      ...operatorArgs(request),
      ...extra,
    ],
    dir,
  );
  return { dir, request, result };
}

function readBundle(dir: string): WrappedKeyBundle {
  const value: unknown = JSON.parse(readFileSync(join(dir, 'wrapped.json'), 'utf8'));
  assertWrappedKeyBundle(value);
  return value;
}

/** Decrypts the blob of target i with the fixture's private wrapping key. */
function unwrapTarget(request: ImportRequestBundle, bundle: WrappedKeyBundle, i: number): Buffer {
  const t = request.targets[i]!;
  const bits = Number(t.wrappingKeySpec.slice(4));
  return unwrapBlob(
    Buffer.from(bundle.targets[i]!.encryptedKeyMaterial, 'base64'),
    wrappingKeyPair(bits, i).privateKey,
    t.wrappingAlgorithm,
  );
}

function opensslCmacKcv(material: Buffer): string {
  const zero = join(tempDir(), 'zero.bin');
  writeFileSync(zero, Buffer.alloc(16));
  const out = execFileSync('openssl', [
    'mac',
    '-cipher',
    'AES-256-CBC',
    '-macopt',
    `hexkey:${material.toString('hex')}`,
    '-in',
    zero,
    'CMAC',
  ])
    .toString()
    .trim();
  return out.slice(0, 6).toUpperCase();
}

describe('wrap --request (bundle mode)', () => {
  it('wraps SYMMETRIC_DEFAULT, HMAC_256, ECC_NIST_P256 and RSA_2048 keys that the wrapping keys unwrap, with KCVs and proofs', async () => {
    const { dir, request, result } = await wrap([
      { keySpec: 'SYMMETRIC_DEFAULT' },
      { keySpec: 'HMAC_256' },
      { keySpec: 'ECC_NIST_P256' },
      { keySpec: 'RSA_2048', wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256' },
    ]);
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const bundle = readBundle(dir);
    assertWrappedAnswersRequest(request, bundle);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out['checkCode']).toBe(checkCodeOf(bundleDigest(bundle)));
    expect(out['requestCheckCode']).toBe(checkCodeOf(bundleDigest(request)));
    expect(out['requestDigest']).toBe(bundleDigest(request));
    expect(out['materials']).toEqual(
      bundle.materials.map((m) => ({
        materialGroup: m.materialGroup,
        keySpec: m.keySpec,
        kcv: m.kcv,
        source: 'generated',
      })),
    );
    expect(statSync(join(dir, 'wrapped.json')).mode & 0o777).toBe(0o644);

    const [sym, hmac, ec, rsa] = [0, 1, 2, 3].map((i) => unwrapTarget(request, bundle, i));
    expect(sym!.length).toBe(32);
    expect(bundle.materials[0]!.kcv).toBe(opensslCmacKcv(sym!));
    expect(bundle.materials[0]!.proof).toEqual({ kind: 'kcv-only' });

    expect(hmac!.length).toBe(32);
    expect(bundle.materials[1]!.kcv).toBe(
      createHmac('sha256', hmac!).update(Buffer.alloc(16)).digest('hex').slice(0, 6).toUpperCase(),
    );
    expect(bundle.materials[1]!.proof).toEqual({
      kind: 'hmac',
      mac: createHmac('sha256', hmac!)
        .update(proofMessage(bundle.requestDigest, 'key-1'))
        .digest('base64'),
    });

    for (const [i, pkcs8, type] of [
      [2, ec!, 'ec'],
      [3, rsa!, 'rsa'],
    ] as const) {
      const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      expect(key.asymmetricKeyType).toBe(type);
      const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
      expect(bundle.materials[i]!.proof).toEqual({
        kind: 'public-key',
        publicKey: spki.toString('base64'),
      });
      expect(bundle.materials[i]!.kcv).toBe(
        createHash('sha256').update(spki).digest('hex').slice(0, 6).toUpperCase(),
      );
    }
    expect(
      createPrivateKey({ key: ec!, format: 'der', type: 'pkcs8' }).asymmetricKeyDetails?.namedCurve,
    ).toBe('prime256v1');
    expect(
      createPrivateKey({ key: rsa!, format: 'der', type: 'pkcs8' }).asymmetricKeyDetails
        ?.modulusLength,
    ).toBe(2048);

    const log = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8').trim().split('\n');
    expect(log).toHaveLength(1);
    const entry = JSON.parse(log[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      command: 'wrap',
      outcome: 'ok',
      error: null,
      operators: ['ALICE', 'BOB'],
      exceptions: ['no-backup'],
      peerLogHead: request.auditLogHead,
      checkCodes: { request: out['requestCheckCode'], wrapped: out['checkCode'] },
      outputs: {
        wrapped: bundleDigest(bundle),
        wrappedFile: createHash('sha256')
          .update(readFileSync(join(dir, 'wrapped.json')))
          .digest('hex'),
      },
    });
    expect((entry['keys'] as { kcv: string }[]).map((k) => k.kcv)).toEqual(
      bundle.materials.map((m) => m.kcv),
    );
    // No secret enters the log.
    for (const secret of [sym!, hmac!]) {
      expect(log[0]).not.toContain(secret.toString('hex'));
      expect(log[0]).not.toContain(secret.toString('base64'));
    }
  });

  it('wraps a version 3 request, which carries token hashes and no token, answering its digest', async () => {
    const targets: TargetOptions[] = [{ keySpec: 'SYMMETRIC_DEFAULT' }, { keySpec: 'HMAC_256' }];
    const request = importRequestV3(targets);
    const { dir, result } = await wrap(targets, ['--no-backup'], request);
    expect(result.code, result.stderr).toBe(0);
    const bundle = readBundle(dir);
    // The digest the code was read from covers the hashes: the answer names this exact request.
    expect(bundle.requestDigest).toBe(bundleDigest(request));
    expect(() => assertWrappedAnswersRequest(request, bundle)).not.toThrow();
    expect(unwrapTarget(request, bundle, 0)).toHaveLength(32);
    const edited = {
      ...request,
      targets: request.targets.map((t, i) =>
        i === 0 ? { ...t, importTokenSha256: 'ab'.repeat(32) } : t,
      ),
    };
    expect(bundleDigest(edited)).not.toBe(bundle.requestDigest);
  });

  it('gives every target of a material group the same material, each under its own wrapping key', async () => {
    const { dir, request, result } = await wrap([
      { keySpec: 'SYMMETRIC_DEFAULT', materialGroup: 'mrk-1' },
      {
        keySpec: 'SYMMETRIC_DEFAULT',
        materialGroup: 'mrk-1',
        wrappingAlgorithm: 'RSAES_OAEP_SHA_1',
      },
      { keySpec: 'SYMMETRIC_DEFAULT', materialGroup: 'other' },
    ]);
    expect(result.code).toBe(0);
    const bundle = readBundle(dir);
    expect(bundle.materials.map((m) => m.materialGroup)).toEqual(['mrk-1', 'other']);
    expect(bundle.targets[0]!.wrappingKeyFingerprint).not.toBe(
      bundle.targets[1]!.wrappingKeyFingerprint,
    );
    const [a, b, c] = [0, 1, 2].map((i) => unwrapTarget(request, bundle, i));
    expect(a!.equals(b!)).toBe(true);
    expect(a!.equals(c!)).toBe(false);
    expect(bundle.materials[0]!.kcv).toBe(opensslCmacKcv(a!));
  });

  it('wraps existing material from --material-file without --no-backup, and prints the check code', async () => {
    const dir = tempDir();
    const material = Buffer.from(execFileSync('openssl', ['rand', '32']));
    writeFileSync(join(dir, 'material.bin'), material, { mode: 0o600 });
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', materialGroup: 'g' },
      { keySpec: 'SYMMETRIC_DEFAULT', materialGroup: 'g' },
    ]);
    writeRequest(dir, request);
    const result = await runCli(
      [
        'wrap',
        '--request',
        'request.json',
        '--out',
        'wrapped.json',
        '--material-file',
        'material.bin',
        ...operatorArgs(request),
      ],
      dir,
    );
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const bundle = readBundle(dir);
    expect(unwrapTarget(request, bundle, 0).equals(material)).toBe(true);
    expect(unwrapTarget(request, bundle, 1).equals(material)).toBe(true);
    expect(bundle.materials[0]).toMatchObject({ source: 'file', kcv: opensslCmacKcv(material) });
    expect(result.stdout).toContain(
      `Check code of the wrapped bundle (read it aloud to the online operators): ${checkCodeOf(bundleDigest(bundle))}`,
    );
    expect(result.stdout).toContain(`KCV ${bundle.materials[0]!.kcv}`);
    expect(result.stdout).toContain(request.targets[1]!.keyArn);
    // The request's code comes from the online screen: this machine never shows it.
    expect(result.stdout + result.stderr).not.toContain(checkCodeOf(bundleDigest(request)));
    expect(result.stderr).toContain(
      'Check code: confirm below with the code the online machine shows (byok-online prepare)',
    );
    expect(result.stderr).toContain('Check code confirmed by ALICE and BOB\n');
    expect(result.stderr).not.toContain('no-backup');
    expect(result.stdout + result.stderr).not.toContain(material.toString('hex'));
  });

  it("chains the bundle's auditLogHead to the log's head before the command's entry", async () => {
    const dir = tempDir();
    const request = importRequest([{ keySpec: 'HMAC_256' }]);
    writeRequest(dir, request);
    const args = [
      'wrap',
      '--request',
      'request.json',
      '--no-backup',
      '--json',
      ...operatorArgs(request),
    ];
    expect((await runCli([...args, '--out', 'wrapped.json'], dir)).code).toBe(0);
    expect(readBundle(dir).auditLogHead).toBeNull();
    const first = readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8').trim();
    expect(
      (
        await runCli(
          [...args, '--out', 'wrapped2.json', '--audit-log', 'byok-offline-audit.jsonl'],
          dir,
        )
      ).code,
    ).toBe(0);
    const second = JSON.parse(readFileSync(join(dir, 'wrapped2.json'), 'utf8')) as WrappedKeyBundle;
    expect(second.auditLogHead).toBe(auditEntryHash(first));
  });

  it('asks each operator for the check code on a terminal', async () => {
    const dir = tempDir();
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    writeRequest(dir, request);
    const code = checkCodeOf(bundleDigest(request));
    const result = await runCli(
      wrapArgv('request.json', undefined, 'wrapped.json', ['--no-backup'], ALICE_AND_BOB),
      dir,
      { stdinLines: [code.toLowerCase(), code.replace(/-/g, ' ')] },
    );
    expect(result.stderr).toContain('ALICE, type the check code shown on the other machine: ');
    expect(result.stderr).toContain('BOB, type the check code shown on the other machine: ');
    expect(result.code).toBe(0);
    // Nothing before the confirmation shows the code the operators were asked to type.
    const [beforeConfirmed] = result.stderr.split('Check code confirmed by ALICE and BOB');
    expect(beforeConfirmed).not.toBe(result.stderr);
    expect(beforeConfirmed).not.toContain(code);
    expect(beforeConfirmed).toContain('Check code: confirm below with the code the online machine');
    expect(existsSync(join(dir, 'wrapped.json'))).toBe(true);
  });

  it('records --single-operator as an exception', async () => {
    const dir = tempDir();
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    writeRequest(dir, request);
    const code = checkCodeOf(bundleDigest(request));
    const result = await runCli(soloWrapArgv('request.json', code), dir);
    expect(result.code).toBe(0);
    const entry = JSON.parse(readFileSync(join(dir, 'byok-offline-audit.jsonl'), 'utf8')) as {
      exceptions: string[];
    };
    expect(entry.exceptions).toEqual(['single-operator', 'no-backup']);
  });
});
