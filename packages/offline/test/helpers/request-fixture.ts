import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  BUNDLE_VERSION,
  IMPORT_REQUEST_FORMAT,
  defaultWrappingAlgorithm,
  type ImportRequestBundle,
  type ImportTarget,
  type KeySpec,
  type KeyUsage,
  KEY_SPEC_RULES,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';

/** The fixed clock of in-process tests. */
export const NOW = new Date('2026-11-29T10:00:00.000Z');

const keyCache = new Map<string, { publicKey: KeyObject; privateKey: KeyObject }>();

/** The throwaway wrapping keys the simulator's tests use too (generated once; tests only). */
const FIXTURE_POOL = new URL(
  '../../../kms-sim/test/fixtures/wrapping-key-pool.json',
  import.meta.url,
);
let fixtureKeys: { spec: string; privateKeyPkcs8: string }[] | undefined;

function fixtureKey(bits: number, slot: number): string | undefined {
  fixtureKeys ??= (
    JSON.parse(readFileSync(FIXTURE_POOL, 'utf8')) as {
      keys: { spec: string; privateKeyPkcs8: string }[];
    }
  ).keys;
  return fixtureKeys.filter((key) => key.spec === `RSA_${bits}`)[slot]?.privateKeyPkcs8;
}

/** Throwaway RSA wrapping key pairs, one per size and slot: from the fixture pool while it lasts. */
export function wrappingKeyPair(
  bits: number,
  slot = 0,
): { publicKey: KeyObject; privateKey: KeyObject } {
  const id = `${bits}/${slot}`;
  let pair = keyCache.get(id);
  if (pair === undefined) {
    const pkcs8 = fixtureKey(bits, slot);
    if (pkcs8 === undefined) {
      pair = generateKeyPairSync('rsa', { modulusLength: bits });
    } else {
      const privateKey = createPrivateKey({
        key: Buffer.from(pkcs8, 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
      pair = { privateKey, publicKey: createPublicKey(privateKey) };
    }
    keyCache.set(id, pair);
  }
  return pair;
}

export function spkiBase64(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

export function keyArn(): string {
  return `arn:aws:kms:eu-west-2:111122223333:key/${randomUUID()}`;
}

export interface TargetOptions {
  readonly keySpec: KeySpec;
  readonly keyUsage?: KeyUsage;
  readonly materialGroup?: string;
  readonly wrappingAlgorithm?: WrappingAlgorithm;
  readonly wrappingKeySpec?: WrappingKeySpec;
  readonly slot?: number;
  readonly validTo?: Date;
  readonly keyArn?: string;
}

export function target(options: TargetOptions, index: number): ImportTarget {
  const wrappingKeySpec = options.wrappingKeySpec ?? 'RSA_2048';
  const bits = Number(wrappingKeySpec.slice(4));
  return {
    keyArn: options.keyArn ?? keyArn(),
    keySpec: options.keySpec,
    keyUsage: options.keyUsage ?? KEY_SPEC_RULES[options.keySpec].keyUsages[0]!,
    materialGroup: options.materialGroup ?? `key-${index}`,
    wrappingAlgorithm:
      options.wrappingAlgorithm ?? defaultWrappingAlgorithm(options.keySpec, wrappingKeySpec)!,
    wrappingKeySpec,
    publicKey: spkiBase64(wrappingKeyPair(bits, options.slot ?? index).publicKey),
    importToken: randomBytes(64).toString('base64'),
    parametersValidTo: (options.validTo ?? new Date(NOW.getTime() + 24 * 3600 * 1000))
      .toISOString()
      .replace(/\.\d+Z$/, 'Z'),
  };
}

/** A valid import request, as byok-online prepare would write it, with throwaway keys and fake tokens. */
export function importRequest(targets: readonly TargetOptions[]): ImportRequestBundle {
  return {
    format: IMPORT_REQUEST_FORMAT,
    version: BUNDLE_VERSION,
    ceremonyId: randomUUID(),
    createdAt: '2026-11-29T09:00:00Z',
    operators: ['ALICE', 'BOB'],
    auditLogHead: 'ab'.repeat(32),
    targets: targets.map(target),
  };
}

/**
 * The same request as prepare writes it today (version 3): each token's SHA-256 in place of the
 * token, the version 2 lifecycle fields, and the plan's name and digest (null without a plan).
 */
export function importRequestV3(
  targets: readonly TargetOptions[],
  plan: { readonly ceremonyName: string | null; readonly planDigest: string | null } = {
    ceremonyName: null,
    planDigest: null,
  },
): ImportRequestBundle {
  const v1 = importRequest(targets);
  return {
    ...v1,
    version: 3,
    ...plan,
    targets: v1.targets.map(({ importToken, ...t }) => ({
      ...t,
      importTokenSha256: createHash('sha256')
        .update(Buffer.from(importToken!, 'base64'))
        .digest('hex'),
      importType: 'NEW_KEY_MATERIAL' as const,
      keyMaterialId: null,
      expectedKcv: null,
    })),
  };
}
