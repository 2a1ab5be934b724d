import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carry, expectTranscriptVerified, logsOf, ok } from './helpers/ceremony-driver.js';
import { expectRecordMatchesKms } from './helpers/record-vs-kms.js';
import { softHsmToken, type SoftHsmToken } from '../../../test/softhsm.js';
import { startSimEnv, type SimEnv } from './helpers/sim-env.js';
import { Ceremony, OFFLINE_OPS } from './lifecycle/ceremony-steps.js';

// Material generated, held and wrapped by a PKCS#11 token (SoftHSM, a token of the test's own):
// the "done when", through the real CLIs against byok-kms-sim, with OpenSC's pkcs11-tool
// as the independent peer that reads the token.

let s: SimEnv;
beforeAll(async () => {
  s = await startSimEnv();
});
afterAll(async () => {
  await s.close();
});

interface Imported {
  keys: { keyArn: string; keyState: string; keyMaterialId: string; kcv: string }[];
}

interface HsmEntry {
  command: string;
  outcome: string;
  hsm?: {
    token: { label: string; serial: string; manufacturer: string; model: string };
    objects: { materialGroup: string; label: string; id: string }[];
  };
}

const keyIds = (arns: readonly string[]): string[] => arns.flatMap((arn) => ['--key-id', arn]);

/** SoftHSM 2.6 wraps with SHA-1 OAEP only: the algorithms a rehearsal on it uses. */
const OAEP_SHA_1 = ['--wrapping-algorithm', 'RSAES_OAEP_SHA_1'];
const RSA_AES_SHA_1 = ['--wrapping-algorithm', 'RSA_AES_KEY_WRAP_SHA_1'];

async function offlineEntries(c: Ceremony): Promise<HsmEntry[]> {
  const text = await readFile(logsOf(c).offline, 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as HsmEntry);
}

/** prepare → wrap --hsm → import of one request; every key Enabled. */
async function importFromToken(
  c: Ceremony,
  token: SoftHsmToken,
  tag: string,
  arns: readonly string[],
  prepare: readonly string[],
): Promise<Imported> {
  const prep = await c.prepare(`${tag}.json`, [...keyIds(arns), ...prepare]);
  const code = await c.wrap(`${tag}.json`, prep.checkCode, `${tag}-wrapped.json`, [
    '--hsm',
    token.uri,
  ]);
  const imported = await c.import<Imported>(`${tag}.json`, `${tag}-wrapped.json`, code);
  expect(imported.keys.map((k) => k.keyArn)).toEqual(arns);
  expect(imported.keys.map((k) => k.keyState)).toEqual(arns.map(() => 'Enabled'));
  return imported;
}

/** prepare --reimport → recover --hsm → import of the same keys. */
async function recoverFromToken(
  c: Ceremony,
  token: SoftHsmToken,
  tag: string,
  arns: readonly string[],
  prepare: readonly string[],
): Promise<Imported> {
  const re = await c.prepare(`${tag}.json`, [...keyIds(arns), '--reimport', ...prepare]);
  const r = ok(
    await c.offline([
      'recover',
      '--hsm',
      token.uri,
      '--request',
      `${tag}.json`,
      '--out',
      `${tag}-wrapped.json`,
      ...OFFLINE_OPS,
      '--check-code',
      re.checkCode,
      '--check-code',
      re.checkCode,
      '--json',
    ]),
    'recover --hsm',
  );
  const code = (JSON.parse(r.stdout) as { checkCode: string }).checkCode;
  await carry(c.offlineDir, c.onlineDir, [`${tag}-wrapped.json`]);
  return c.import<Imported>(`${tag}.json`, `${tag}-wrapped.json`, code);
}

describe('wrap --hsm: material generated and wrapped in a PKCS#11 token', () => {
  it(
    'SYMMETRIC_DEFAULT, HMAC_256, ECC_NIST_P256 and RSA_2048 from SoftHSM: Enabled with their proofs, the secrets unreadable, the EC point the one KMS holds; recover --hsm after delete-material; the transcript verifies',
    { timeout: 0 },
    async () => {
      const token = await softHsmToken();
      const c = await Ceremony.start(s, { offlineEnv: token.env });
      const symArns = [
        await c.createKey(['--key-spec', 'SYMMETRIC_DEFAULT']),
        await c.createKey(['--key-spec', 'HMAC_256']),
      ];
      const asymArns = [
        await c.createKey(['--key-spec', 'ECC_NIST_P256']),
        await c.createKey(['--key-spec', 'RSA_2048']),
      ];
      const sym = await importFromToken(c, token, 'sym', symArns, OAEP_SHA_1);
      const asym = await importFromToken(c, token, 'asym', asymArns, RSA_AES_SHA_1);

      // The record names the token and each object, never the PIN.
      const log = await readFile(logsOf(c).offline, 'utf8');
      expect(log).not.toContain(token.pin);
      const wraps = (await offlineEntries(c)).filter((e) => e.command === 'wrap');
      expect(wraps.map((e) => e.outcome)).toEqual(['ok', 'ok']);
      const objects = wraps.flatMap((e) => e.hsm?.objects ?? []);
      for (const e of wraps)
        expect(e.hsm?.token).toMatchObject({ label: token.label, manufacturer: 'SoftHSM project' });
      expect(objects.map((o) => o.label.split('/').slice(1).join('/'))).toEqual([
        ...symArns,
        ...asymArns,
      ]);

      // Each secret stays in the token: pkcs11-tool cannot read a secret key's value, and lists
      // each private key as sensitive since it was made (it reads no private key at all).
      for (const object of objects.slice(0, 2))
        await expect(
          token.pkcs11Tool(['--read-object', '--type', 'secrkey', '--label', object.label]),
          object.label,
        ).rejects.toThrow(/CKR_ATTRIBUTE_SENSITIVE|sensitive/i);
      for (const object of objects) {
        const type = objects.indexOf(object) < 2 ? 'secrkey' : 'privkey';
        const listed = await token.pkcs11Tool([
          '--list-objects',
          '--type',
          type,
          '--label',
          object.label,
        ]);
        expect(listed.stdout, object.label).toMatch(
          /Access:\s+sensitive, always sensitive, extractable/,
        );
      }

      // The EC public key KMS returns is the token's CKA_EC_POINT, as pkcs11-tool reads it.
      const ecObject = objects[2]!;
      const listed = await token.pkcs11Tool([
        '--list-objects',
        '--type',
        'pubkey',
        '--label',
        ecObject.label,
      ]);
      const point = /EC_POINT:\s+([0-9a-f]+)/i.exec(listed.stdout)?.[1];
      expect(point, listed.stdout).toBeDefined();
      const kmsKey = await s.kms.send(new GetPublicKeyCommand({ KeyId: asymArns[0] }));
      const spki = Buffer.from(kmsKey.PublicKey!);
      // The DER OCTET STRING around the 65-byte point is the end of a P-256 SPKI.
      expect(spki.subarray(-65).toString('hex')).toBe(point!.slice(-130));
      expect(point!.toLowerCase().startsWith('044104')).toBe(true);

      // Delete the material; the token is the custody: recover --hsm brings each key back.
      for (const arn of [...symArns, ...asymArns])
        ok(await c.operated(['delete-material', '--key-id', arn]));
      const symBack = await recoverFromToken(c, token, 're-sym', symArns, OAEP_SHA_1);
      const asymBack = await recoverFromToken(c, token, 're-asym', asymArns, RSA_AES_SHA_1);
      expect([...symBack.keys, ...asymBack.keys].map((k) => k.keyState)).toEqual(
        [...symArns, ...asymArns].map(() => 'Enabled'),
      );
      expect(symBack.keys.map((k) => k.keyMaterialId)).toEqual(
        sym.keys.map((k) => k.keyMaterialId),
      );
      expect(asymBack.keys.map((k) => k.kcv)).toEqual(asym.keys.map((k) => k.kcv));
      const recovers = (await offlineEntries(c)).filter((e) => e.command === 'recover');
      expect(recovers.flatMap((e) => e.hsm?.objects.map((o) => o.label) ?? [])).toEqual(
        objects.map((o) => o.label),
      );

      await expectTranscriptVerified(c);
      await expectRecordMatchesKms(logsOf(c), () => s.kms);
      // The object ids are the first 16 bytes of the labels' SHA-256 (pkcs11-tool --id finds them).
      for (const o of objects)
        expect(o.id).toBe(createHash('sha256').update(o.label).digest('hex').slice(0, 32));
    },
  );
});
