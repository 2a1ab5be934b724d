import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  DescribeKeyCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  ListKeyRotationsCommand,
  type KMSClient,
  type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import type { AuditEntry, AuditKeyRecord } from '@byok-ceremony/shared';
import { expect } from 'vitest';

export async function readAuditLog(path: string): Promise<AuditEntry[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditEntry);
}

const MAC_ALGORITHMS: Readonly<Record<string, MacAlgorithmSpec>> = {
  HMAC_224: 'HMAC_SHA_224',
  HMAC_256: 'HMAC_SHA_256',
  HMAC_384: 'HMAC_SHA_384',
  HMAC_512: 'HMAC_SHA_512',
};

/** The block every KCV is computed over (shared's KCV_INPUT_BLOCK): what GenerateMac is asked for. */
const KCV_INPUT_BLOCK = new Uint8Array(16);

const keyIdOf = (arn: string): string => arn.split('/').at(-1)!;
const kcvOf = (bytes: Uint8Array): string =>
  Buffer.from(bytes).subarray(0, 3).toString('hex').toUpperCase();
const succeeded = (entry: AuditEntry, ...commands: string[]): boolean =>
  entry.outcome === 'ok' && commands.includes(entry.command);

/** A key record that names its key: every key of an import does (only wrap raw names none). */
type NamedKeyRecord = AuditKeyRecord & { readonly keyArn: string };

function namedKey(key: AuditKeyRecord): NamedKeyRecord {
  expect(key.keyArn, 'an import names each of its keys').not.toBeNull();
  return key as NamedKeyRecord;
}

/** What the record says KMS holds for one key of the last import. */
interface ExpectedKey {
  readonly key: NamedKeyRecord;
  /** A later delete-material took the material out: the key waits for it (PendingImport). */
  readonly deleted: boolean;
  /** New material that no import --rotate or rotate made current yet. */
  readonly pendingRotation: boolean;
  /** The KCV the offline machine put on record for this key's material, if any. */
  readonly offlineKcv: string | undefined;
}

function expectedKeys(
  online: readonly AuditEntry[],
  offline: readonly AuditEntry[],
): ExpectedKey[] {
  const at = online.map((e, i) => [e, i] as const).filter(([e]) => succeeded(e, 'import'));
  const [lastImport, index] = at.at(-1) ?? [];
  expect(lastImport, 'the online log holds a successful import').toBeDefined();
  expect(lastImport!.keys.length, 'the last import names its keys').toBeGreaterThan(0);
  const before = online.slice(0, index);
  const after = online.slice(index! + 1);
  return lastImport!.keys.map(namedKey).map((key) => {
    const named = (e: AuditEntry): boolean => e.keys.some((k) => k.keyArn === key.keyArn);
    const newMaterial = before.some(
      (e) =>
        succeeded(e, 'import') &&
        e.keys.some((k) => k.keyArn === key.keyArn && k.keyMaterialId !== key.keyMaterialId),
    );
    // import --rotate names the primary; its replicas (the same key id) rotate with it.
    const rotatedByImport = Object.entries(lastImport!.outputs).some(
      ([label, value]) =>
        label.startsWith('rotation:') &&
        keyIdOf(label) === keyIdOf(key.keyArn) &&
        value === key.keyMaterialId,
    );
    const rotatedLater = after.some(
      (e) =>
        succeeded(e, 'rotate') &&
        e.keys.some((k) => k.keyArn === key.keyArn && k.keyMaterialId === key.keyMaterialId),
    );
    const deleted = after.some(
      (e) =>
        succeeded(e, 'delete-material') &&
        named(e) &&
        e.keys.every((k) => k.keyMaterialId === undefined || k.keyMaterialId === key.keyMaterialId),
    );
    const wrapped = [...offline].reverse().find((e) => succeeded(e, 'wrap', 'recover') && named(e));
    return {
      key,
      deleted,
      pendingRotation: newMaterial && !rotatedByImport && !rotatedLater,
      offlineKcv: wrapped?.keys.find((k) => k.keyArn === key.keyArn)?.kcv,
    };
  });
}

async function expectSymmetricMaterial(
  kms: KMSClient,
  expected: ExpectedKey,
  currentKeyMaterialId: string | undefined,
): Promise<void> {
  const { key, deleted, pendingRotation } = expected;
  const listed = await kms.send(
    new ListKeyRotationsCommand({ KeyId: key.keyArn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }),
  );
  const ours = (listed.Rotations ?? []).find((r) => r.KeyMaterialId === key.keyMaterialId);
  expect(
    [ours?.KeyMaterialState, ours?.ImportState],
    `${key.keyArn}: the recorded material ${key.keyMaterialId} in ListKeyRotations`,
  ).toEqual([
    pendingRotation ? 'PENDING_ROTATION' : 'CURRENT',
    deleted ? 'PENDING_IMPORT' : 'IMPORTED',
  ]);
  if (!pendingRotation)
    expect(currentKeyMaterialId, `${key.keyArn}: CurrentKeyMaterialId`).toBe(key.keyMaterialId);
}

/** The proof KMS can give of material it holds, against the KCV on record. */
async function expectProof(kms: KMSClient, keySpec: string, key: NamedKeyRecord): Promise<void> {
  expect(key.kcv, `${key.keyArn}: a KCV on record`).toMatch(/^[0-9A-F]{6}$/);
  if (keySpec.startsWith('HMAC_')) {
    expect(key.proof ?? 'hmac').toBe('hmac');
    const { Mac } = await kms.send(
      new GenerateMacCommand({
        KeyId: key.keyArn,
        Message: KCV_INPUT_BLOCK,
        MacAlgorithm: MAC_ALGORITHMS[keySpec],
      }),
    );
    expect(kcvOf(Mac!), `${key.keyArn}: GenerateMac of the zero block vs the KCV`).toBe(key.kcv);
  } else {
    expect(key.proof ?? 'public-key').toBe('public-key');
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.keyArn }));
    const fingerprint = createHash('sha256').update(PublicKey!).digest();
    expect(kcvOf(fingerprint), `${key.keyArn}: SHA-256 of GetPublicKey vs the KCV`).toBe(key.kcv);
  }
}

/**
 * Asks KMS, with the test's own SDK clients, about every key the online log's last import names,
 * and holds it to the record: the key's state (PendingImport after a later delete-material), its
 * KeyMaterialId (symmetric keys: current, or pending rotation, as the record says), and the proof
 * of HMAC and asymmetric material against the recorded KCV. Both machines' KCVs must agree.
 */
export async function expectRecordMatchesKms(
  logs: { readonly online: string; readonly offline: string },
  kmsFor: (keyArn: string) => KMSClient,
): Promise<void> {
  const expected = expectedKeys(await readAuditLog(logs.online), await readAuditLog(logs.offline));
  for (const e of expected) {
    const { key, deleted } = e;
    const kms = kmsFor(key.keyArn);
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: key.keyArn }))).KeyMetadata!;
    expect(key.keyState, `${key.keyArn}: state on record`).toBe('Enabled');
    expect(meta.KeyState, `${key.keyArn}: KeyState in KMS`).toBe(
      deleted ? 'PendingImport' : 'Enabled',
    );
    expect(key.keyMaterialId, `${key.keyArn}: KeyMaterialId on record`).toMatch(/^[0-9a-f]{64}$/);
    const keySpec = meta.KeySpec!;
    if (key.keySpec !== undefined) expect(keySpec).toBe(key.keySpec);
    if (e.offlineKcv !== undefined && key.kcv !== undefined)
      expect(key.kcv, `${key.keyArn}: the KCVs of both machines`).toBe(e.offlineKcv);
    if (keySpec === 'SYMMETRIC_DEFAULT') {
      expect(key.proof ?? 'kcv-only').toBe('kcv-only');
      await expectSymmetricMaterial(kms, e, meta.CurrentKeyMaterialId);
    } else if (!deleted) {
      await expectProof(kms, keySpec, key);
    }
  }
}
