import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf, type ImportRequestBundle } from '@byok-ceremony/shared';
import { AuditSession, factsOfFailure, type OutputWriter } from '@byok-ceremony/node-io';
import {
  wrapCeremony,
  type WrapCeremonyInput,
  type WrapCeremonyPorts,
} from '../../src/ops/wrap-ceremony.js';
import { wrapRawCeremony } from '../../src/ops/wrap-raw-ceremony.js';
import { NOW, importRequest, wrappingKeyPair } from '../helpers/request-fixture.js';
import { unwrapBlob } from '../helpers/unwrap.js';

const OPERATORS = ['ALICE', 'BOB'];

function memory(request?: ImportRequestBundle) {
  const files = new Map<string, Uint8Array>();
  if (request !== undefined)
    files.set('/m/request.json', new TextEncoder().encode(JSON.stringify(request)));
  const writer: OutputWriter = {
    assertWritable: (path) =>
      files.has(path) ? Promise.reject(new Error(`${path} exists`)) : Promise.resolve(),
    write: (path, data) => {
      files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
      return Promise.resolve();
    },
  };
  return { files, writer };
}

function ports(
  files: Map<string, Uint8Array>,
  writer: OutputWriter,
  overrides: Partial<WrapCeremonyPorts> = {},
): WrapCeremonyPorts & { said: string[]; asked: number } {
  const state = { said: [] as string[], asked: 0 };
  return Object.assign(state, {
    readFile: (path: string) => Promise.resolve(files.get(path)!),
    generate: () => Buffer.alloc(32, 7),
    now: () => NOW,
    writer,
    qr: undefined,
    typedCheckCodes: () => {
      state.asked += 1;
      return Promise.resolve([] as string[]);
    },
    showRequest: () => undefined,
    say: (line: string) => state.said.push(line),
    logHead: null,
    ...overrides,
  });
}

function wrapInput(overrides: Partial<WrapCeremonyInput> = {}): WrapCeremonyInput {
  return {
    request: '/m/request.json',
    out: '/m/wrapped.json',
    material: { kind: 'generate' },
    backup: { kind: 'declined' },
    operators: OPERATORS,
    singleOperator: false,
    ...overrides,
  };
}

describe('wrapCeremony', () => {
  it('wraps generated material per group, records the confirmed code and the sender code', async () => {
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT' },
      { keySpec: 'SYMMETRIC_DEFAULT' },
    ]);
    const code = checkCodeOf(bundleDigest(request));
    const { files, writer } = memory(request);
    const order: string[] = [];
    const p = ports(files, writer, {
      showRequest: () => order.push('request shown'),
      typedCheckCodes: () => {
        order.push('codes typed');
        return Promise.resolve([code, code]);
      },
      afterConfirmation: () => {
        order.push('operator keys unlocked');
        return Promise.resolve();
      },
      generate: () => {
        order.push('material generated');
        return Buffer.alloc(32, 7);
      },
    });
    const { result, facts: session } = await wrapCeremony(wrapInput(), p);
    // The runbook's order: the code from the online screen, then each passphrase, then material.
    expect(order).toEqual([
      'request shown',
      'codes typed',
      'operator keys unlocked',
      'material generated',
      'material generated',
    ]);
    expect(result.checkCode).toBe(checkCodeOf(bundleDigest(result.bundle)));
    expect(session.checkCodes).toEqual({ request: code, wrapped: result.checkCode });
    expect(session.exceptions).toEqual(['no-backup']);
    const material = unwrapBlob(
      Buffer.from(result.bundle.targets[0]!.encryptedKeyMaterial, 'base64'),
      wrappingKeyPair(2048, 0).privateKey,
      request.targets[0]!.wrappingAlgorithm,
    );
    expect(material).toEqual(Buffer.alloc(32, 7));
    expect(files.has('/m/wrapped.json')).toBe(true);
  });

  it('supplied material goes through the backup step before wrapping, and is zeroed after', async () => {
    const request = importRequest([{ keySpec: 'HMAC_256' }]);
    const code = checkCodeOf(bundleDigest(request));
    const { files, writer } = memory(request);
    const supplied = Buffer.alloc(32, 9);
    const seen: string[] = [];
    const { result, facts: session } = await wrapCeremony(
      wrapInput({
        material: {
          kind: 'supplied',
          origin: 'components',
          materials: new Map([[request.targets[0]!.materialGroup, supplied]]),
        },
        backup: {
          kind: 'write',
          write: (materials) => {
            seen.push(...materials.map((m) => `${m.materialGroup}:${m.bytes.toString('hex')}`));
            return Promise.resolve({ outputs: { 'share-1': 'ab'.repeat(32) } });
          },
        },
      }),
      ports(files, writer, { typedCheckCodes: () => Promise.resolve([code, code]) }),
    );
    expect(seen).toEqual([`${request.targets[0]!.materialGroup}:${'09'.repeat(32)}`]);
    expect(session.outputs?.['backup:share-1']).toBe('ab'.repeat(32));
    expect(result.bundle.materials[0]!.source).toBe('components');
    expect(supplied.equals(Buffer.alloc(32))).toBe(true);
    expect(session.exceptions ?? []).toEqual([]);
  });

  it('recovered material is rebuilt only after the confirmation, fitted to the groups, and its backup is recorded', async () => {
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }, { keySpec: 'HMAC_256' }]);
    const code = checkCodeOf(bundleDigest(request));
    const groups = [...new Set(request.targets.map((t) => t.materialGroup))];
    const backup = {
      schemes: ['recover:shamir'],
      setDigest: 'cd'.repeat(32),
      splitId: 'split-1',
      shares: [{ index: 1, count: 3, threshold: 2 }],
      files: [],
      covers: [],
    };
    const order: string[] = [];
    const held = groups.map(() => Buffer.alloc(32, 3));
    const recovered = (materials: Map<string, Buffer>) =>
      wrapInput({
        backup: undefined,
        material: {
          kind: 'recovered',
          origin: 'file',
          recover: (given) => {
            order.push(`recovered for ${given.ceremonyId}`);
            return Promise.resolve({ materials, backup });
          },
        },
      });
    const { files, writer } = memory(request);
    const session = new AuditSession('recover', OPERATORS);
    const p = ports(files, writer, {
      typedCheckCodes: () => {
        order.push('codes typed');
        return Promise.resolve([code, code]);
      },
    });
    const { result, facts } = await wrapCeremony(
      recovered(new Map(groups.map((g, i) => [g, held[i]!]))),
      p,
    );
    expect(order).toEqual(['codes typed', `recovered for ${request.ceremonyId}`]);
    expect(session.record(facts, undefined).backup).toEqual(backup);
    expect(result.bundle.materials.map((m) => m.source)).toEqual(['file', 'file']);
    for (const bytes of held) expect(bytes.equals(Buffer.alloc(32))).toBe(true);

    // One group short: refused after the rebuild, and what was rebuilt is zeroed.
    const partial = Buffer.alloc(32, 4);
    const short = memory(request);
    await expect(
      wrapCeremony(
        recovered(new Map([[groups[0]!, partial]])),
        ports(short.files, short.writer, { typedCheckCodes: () => Promise.resolve([code, code]) }),
      ),
    ).rejects.toMatchObject({ code: 'ERR_USAGE', message: /missing: / });
    expect(partial.equals(Buffer.alloc(32))).toBe(true);
    expect(short.files.has('/m/wrapped.json')).toBe(false);
  });

  it('the backup step gets the confirmed request and its audit record goes on the entry', async () => {
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    const code = checkCodeOf(bundleDigest(request));
    const { files, writer } = memory(request);
    const session = new AuditSession('wrap', OPERATORS);
    const steps: string[] = [];
    const audit = {
      schemes: ['shamir:2-of-3'],
      setDigest: 'ef'.repeat(32),
      splitId: 'split-2',
      shares: [],
      files: [{ name: 'share-1-of-3.txt', sha256: '01'.repeat(32) }],
      covers: [],
    };
    const { facts } = await wrapCeremony(
      wrapInput({
        backup: {
          kind: 'write',
          assertUsable: () => {
            steps.push('backup folder checked');
            return Promise.resolve();
          },
          write: (_materials, given) => {
            steps.push(`backup of ${given.targets.map((t) => t.keyArn).join(',')}`);
            return Promise.resolve({ outputs: { 'share-1-of-3.txt': '01'.repeat(32) }, audit });
          },
        },
      }),
      ports(files, writer, {
        typedCheckCodes: () => {
          steps.push('codes typed');
          return Promise.resolve([code, code]);
        },
      }),
    );
    expect(steps).toEqual([
      'backup folder checked',
      'codes typed',
      `backup of ${request.targets[0]!.keyArn}`,
    ]);
    expect(session.record(facts, undefined)).toMatchObject({
      backup: audit,
      outputs: { 'backup:share-1-of-3.txt': '01'.repeat(32) },
      exceptions: [],
    });
  });

  it('refusals that need no code come before the prompt', async () => {
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }, { keySpec: 'HMAC_256' }]);
    const cases: [Partial<WrapCeremonyInput>, string][] = [
      [{ backup: undefined }, 'ERR_BACKUP_REQUIRED'],
      [{ material: { kind: 'file', path: '/m/material.bin' } }, 'ERR_USAGE'],
      [{ operators: ['ALICE'] }, 'ERR_OPERATORS'],
    ];
    for (const [overrides, code] of cases) {
      const { files, writer } = memory(request);
      const p = ports(files, writer);
      await expect(wrapCeremony(wrapInput(overrides), p)).rejects.toMatchObject({ code });
      expect(p.asked).toBe(0);
    }
    const { files, writer } = memory(request);
    files.set('/m/wrapped.json', new Uint8Array());
    const p = ports(files, writer);
    await expect(wrapCeremony(wrapInput(), p)).rejects.toThrow(/exists/);
    expect(p.asked).toBe(0);
  });

  it('a wrong code: refused, and the record holds neither the code nor the digest', async () => {
    const request = importRequest([{ keySpec: 'SYMMETRIC_DEFAULT' }]);
    const digest = bundleDigest(request);
    const code = checkCodeOf(digest);
    const { files, writer } = memory(request);
    const session = new AuditSession('wrap', OPERATORS);
    let generated = 0;
    const error: unknown = await wrapCeremony(
      wrapInput(),
      ports(files, writer, {
        typedCheckCodes: () => Promise.resolve([code, 'AAAA-AAAA-AAAA-AAAA-AAAA']),
        generate: () => {
          generated += 1;
          return Buffer.alloc(32);
        },
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CHECK_CODE_MISMATCH' });
    const record = JSON.stringify(session.record(factsOfFailure(error), error)).toLowerCase();
    expect(record.replace(/-/g, '')).not.toContain(code.replace(/-/g, '').toLowerCase());
    expect(record).not.toContain(digest);
    expect(generated).toBe(0);
    expect(files.has('/m/wrapped.json')).toBe(false);
  });
});

describe('wrapRawCeremony', () => {
  it('wraps a material file for a raw public key and records the fingerprint and KCV', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { files, writer } = memory();
    files.set('/m/PublicKey.bin', pair.publicKey.export({ format: 'der', type: 'spki' }));
    files.set('/m/material.bin', Buffer.alloc(32, 5));
    const { result, facts: session } = await wrapRawCeremony(
      {
        publicKey: '/m/PublicKey.bin',
        wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        keySpec: 'SYMMETRIC_DEFAULT',
        wrappingKeySpec: undefined,
        materialFile: '/m/material.bin',
        out: '/m/EncryptedKeyMaterial.bin',
        operators: ['ALICE', 'BOB'],
        singleOperator: false,
      },
      { readFile: (path) => Promise.resolve(files.get(path)!), writer },
    );
    const blob = Buffer.from(files.get('/m/EncryptedKeyMaterial.bin')!);
    expect(unwrapBlob(blob, pair.privateKey, 'RSAES_OAEP_SHA_256')).toEqual(Buffer.alloc(32, 5));
    expect(files.get('/m/material.bin')).toEqual(Buffer.alloc(32));
    // PublicKey.bin names no key: the entry says so with null rather than a made-up ARN.
    expect(session.keys).toEqual([expect.objectContaining({ keyArn: null, kcv: result.kcv })]);
    expect(session.exceptions).toEqual(['raw-mode']);
  });

  it('refuses fewer than two operators before reading a file', async () => {
    const { writer } = memory();
    const read: string[] = [];
    for (const operators of [[], ['ALICE']]) {
      const attempt = wrapRawCeremony(
        {
          publicKey: '/m/PublicKey.bin',
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          keySpec: 'SYMMETRIC_DEFAULT',
          wrappingKeySpec: undefined,
          materialFile: '/m/material.bin',
          out: '/m/EncryptedKeyMaterial.bin',
          operators,
          singleOperator: false,
        },
        {
          readFile: (path) => {
            read.push(path);
            return Promise.resolve(new Uint8Array());
          },
          writer,
        },
      );
      await expect(attempt).rejects.toMatchObject({ code: 'ERR_OPERATORS' });
    }
    expect(read).toEqual([]);
  });
});
