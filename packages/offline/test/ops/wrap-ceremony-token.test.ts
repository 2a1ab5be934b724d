import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ByokError,
  bundleDigest,
  checkCodeOf,
  type ImportRequestBundle,
  type KeySpec,
} from '@byok-ceremony/shared';
import { factsOfFailure, type OutputWriter } from '@byok-ceremony/node-io';
import type { HsmToken, TokenKey, TokenObjectName } from '../../src/ops/hsm-token.js';
import { tokenObjectName, type TokenMaterialSource } from '../../src/ops/token-material.js';
import { wrapCeremony, type WrapCeremonyPorts } from '../../src/ops/wrap-ceremony.js';
import { NOW, importRequest } from '../helpers/request-fixture.js';

// wrapCeremony's token path over a fake token: what happens before the codes, and that a failure
// after generation leaves nothing in the token.

interface FakeToken extends HsmToken {
  readonly objects: Map<string, KeySpec>;
  readonly destroyed: string[];
  closed: boolean;
}

function fakeToken(
  options: {
    readonly noSha256?: boolean;
    readonly wrapFails?: (label: string) => boolean;
    readonly existing?: readonly { label: string; keySpec: KeySpec; secret: string }[];
  } = {},
): FakeToken {
  const objects = new Map<string, KeySpec>();
  const secrets = new Map<string, string>();
  const destroyed: string[] = [];
  const key = (keySpec: KeySpec, name: TokenObjectName): TokenKey => ({
    keySpec,
    name,
    mac: (message) => createHmac('sha256', secrets.get(name.label)!).update(message).digest(),
    publicKeyDer: () => {
      throw new Error('no key pairs here');
    },
    wrap: () => {
      if (options.wrapFails?.(name.label) === true)
        throw new ByokError('ERR_HSM', 'the token failed to wrap the material (CKR_DEVICE_ERROR)');
      return Buffer.alloc(256, 1);
    },
    destroy: () => {
      objects.delete(name.label);
      destroyed.push(name.label);
    },
  });
  for (const e of options.existing ?? []) {
    objects.set(e.label, e.keySpec);
    secrets.set(e.label, e.secret);
  }
  const token: FakeToken = {
    objects,
    destroyed,
    closed: false,
    description: { label: 'fake', serial: '42', manufacturer: 'tests', model: 'fake v1' },
    cannotWrap: (algorithm) =>
      options.noSha256 === true && algorithm.endsWith('SHA_256') ? 'no SHA-256 OAEP' : undefined,
    cannotGenerate: () => undefined,
    hasObjectLabelled: (label) => objects.has(label),
    keyLabels: () => [...objects.keys()],
    generate: (keySpec, name) => {
      objects.set(name.label, keySpec);
      secrets.set(name.label, name.label);
      return key(keySpec, name);
    },
    find: (keySpec, name) =>
      [...objects]
        .filter(([label, spec]) => spec === keySpec && (name.label ?? label) === label)
        .map(([label]) => key(keySpec, { label, id: new Uint8Array(16) })),
    close: () => {
      token.closed = true;
    },
  };
  return token;
}

function setUp(
  request: ImportRequestBundle,
  token: FakeToken,
  mode: TokenMaterialSource['mode'],
  writeFails = false,
) {
  const files = new Map<string, Uint8Array>([
    ['/m/request.json', new TextEncoder().encode(JSON.stringify(request))],
  ]);
  const writer: OutputWriter = {
    assertWritable: () => Promise.resolve(),
    write: (path, data) => {
      if (writeFails) return Promise.reject(new ByokError('ERR_IO', 'the disk is full'));
      files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
      return Promise.resolve();
    },
  };
  const code = checkCodeOf(bundleDigest(request));
  const state = { asked: 0 };
  const ports: WrapCeremonyPorts = {
    readFile: (path) => Promise.resolve(files.get(path)!),
    generate: () => {
      throw new Error('no material is generated in this process with --hsm');
    },
    now: () => NOW,
    writer,
    qr: undefined,
    typedCheckCodes: () => {
      state.asked += 1;
      return Promise.resolve([code, code]);
    },
    showRequest: () => undefined,
    say: () => undefined,
    logHead: null,
  };
  const input = {
    request: '/m/request.json',
    out: '/m/wrapped.json',
    material: { kind: 'token', mode, open: () => Promise.resolve(token) } as const,
    backup: undefined,
    operators: ['ALICE', 'BOB'],
    singleOperator: false,
  };
  return { files, ports, input, state };
}

const twoKeys = () =>
  importRequest([
    { keySpec: 'SYMMETRIC_DEFAULT', wrappingAlgorithm: 'RSAES_OAEP_SHA_1' },
    { keySpec: 'HMAC_256', wrappingAlgorithm: 'RSAES_OAEP_SHA_1' },
  ]);

async function failure(run: Promise<unknown>): Promise<ByokError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ByokError);
  return error as ByokError;
}

describe('wrapCeremony with token material', () => {
  it('generates each group in the token after the codes, records the token and its objects', async () => {
    const request = twoKeys();
    const token = fakeToken();
    const { files, ports, input, state } = setUp(request, token, 'generate');
    const { result, facts } = await wrapCeremony(input, ports);
    expect(state.asked).toBe(1);
    const labels = request.targets.map((t) => `${request.ceremonyId}/${t.keyArn}`);
    expect([...token.objects.keys()]).toEqual(labels);
    expect(facts.hsm).toEqual({
      token: token.description,
      objects: request.targets.map((t, i) => ({
        materialGroup: t.materialGroup,
        label: labels[i],
        id: createHash('sha256').update(labels[i]!).digest('hex').slice(0, 32),
      })),
    });
    // The KCVs and the HMAC proof are the token's MACs.
    const mac = (label: string, message: Uint8Array) =>
      createHmac('sha256', label).update(message).digest();
    expect(result.bundle.materials.map((m) => m.kcv)).toEqual(
      labels.map((l) => mac(l, new Uint8Array(16)).subarray(0, 3).toString('hex').toUpperCase()),
    );
    expect(result.bundle.materials[1]!.proof.kind).toBe('hmac');
    expect(token.closed).toBe(true);
    expect(files.has('/m/wrapped.json')).toBe(true);
  });

  it('a wrap the token refuses after generation destroys every object generated; the record names none', async () => {
    const request = twoKeys();
    const second = `${request.ceremonyId}/${request.targets[1]!.keyArn}`;
    const token = fakeToken({ wrapFails: (label) => label === second });
    const { files, ports, input } = setUp(request, token, 'generate');
    const error = await failure(wrapCeremony(input, ports));
    expect(error.message).toContain('CKR_DEVICE_ERROR');
    expect(token.objects.size).toBe(0);
    expect(token.destroyed).toHaveLength(2);
    expect(factsOfFailure(error).hsm?.objects).toEqual([]);
    expect(token.closed).toBe(true);
    expect(files.has('/m/wrapped.json')).toBe(false);
  });

  it('an output that cannot be written destroys the objects too', async () => {
    const token = fakeToken();
    const { ports, input } = setUp(twoKeys(), token, 'generate', true);
    await failure(wrapCeremony(input, ports));
    expect(token.objects.size).toBe(0);
    expect(token.destroyed).toHaveLength(2);
  });

  it('refuses before the codes: a wrapping algorithm the token lacks, a label that exists', async () => {
    const sha256 = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', wrappingAlgorithm: 'RSAES_OAEP_SHA_256' },
    ]);
    const token = fakeToken({ noSha256: true });
    const refused = setUp(sha256, token, 'generate');
    const error = await failure(wrapCeremony(refused.input, refused.ports));
    expect(error.code).toBe('ERR_HSM_MECHANISM');
    expect(error.hint).toContain('can wrap with: RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_1.');
    expect(refused.state.asked).toBe(0);
    expect(token.objects.size).toBe(0);
    expect(token.closed).toBe(true);

    const request = twoKeys();
    const label = tokenObjectName(request.ceremonyId, request.targets[0]!.keyArn).label;
    const taken = fakeToken({
      existing: [{ label, keySpec: 'SYMMETRIC_DEFAULT', secret: 'earlier' }],
    });
    const again = setUp(request, taken, 'generate');
    const exists = await failure(wrapCeremony(again.input, again.ports));
    expect(exists.code).toBe('ERR_HSM_OBJECT_EXISTS');
    expect(again.state.asked).toBe(0);
    expect([...taken.objects.keys()]).toEqual([label]);
  });

  it('recover: finds each key by its ARN; the expected KCV picks among rotations, or it is refused', async () => {
    const request = importRequest([
      { keySpec: 'SYMMETRIC_DEFAULT', wrappingAlgorithm: 'RSAES_OAEP_SHA_1' },
    ]);
    const arn = request.targets[0]!.keyArn;
    const existing = [
      {
        label: `11111111-1111-4111-8111-111111111111/${arn}`,
        keySpec: 'SYMMETRIC_DEFAULT' as const,
        secret: 'first',
      },
      {
        label: `22222222-2222-4222-8222-222222222222/${arn}`,
        keySpec: 'SYMMETRIC_DEFAULT' as const,
        secret: 'rotated',
      },
    ];
    const ambiguous = setUp(request, fakeToken({ existing }), 'existing');
    const error = await failure(wrapCeremony(ambiguous.input, ambiguous.ports));
    expect(error.code).toBe('ERR_HSM_OBJECT');
    expect(error.message).toContain('holds 2 keys');
    expect(ambiguous.state.asked).toBe(0);

    const kcv = createHmac('sha256', 'first')
      .update(new Uint8Array(16))
      .digest()
      .subarray(0, 3)
      .toString('hex')
      .toUpperCase();
    const pinned: ImportRequestBundle = {
      ...request,
      version: 2,
      targets: [
        {
          ...request.targets[0]!,
          importType: 'EXISTING_KEY_MATERIAL',
          keyMaterialId: null,
          expectedKcv: kcv,
        },
      ],
    };
    const token = fakeToken({ existing });
    const picked = setUp(pinned, token, 'existing');
    const { result, facts } = await wrapCeremony(picked.input, picked.ports);
    expect(result.bundle.materials[0]!.kcv).toBe(kcv);
    expect(facts.hsm?.objects.map((o) => o.label)).toEqual([existing[0]!.label]);
    // Existing objects are the custody: recover never destroys them.
    expect(token.destroyed).toEqual([]);
  });
});
