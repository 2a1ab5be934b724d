// Deterministic, realistic bundles for QR sizing, benchmarks and tests: RSA_4096 wrapping keys
// (550-byte DER SPKI), import tokens of a chosen size, 512-byte wrapped material.

/** mulberry32: a small seeded PRNG, so every run makes the same images and bundles. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bytes = (random, n) =>
  Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
const hex = (random, n) => bytes(random, n).toString('hex');
const uuid = (random) => {
  const h = hex(random, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
};

/** The 550-byte DER of an RSA-4096 SubjectPublicKeyInfo: real header, random modulus. */
function rsa4096Spki(random) {
  const header = Buffer.from(
    '30820222300d06092a864886f70d01010105000382020f003082020a0282020100',
    'hex',
  );
  const modulus = bytes(random, 512);
  modulus[0] |= 0x80;
  return Buffer.concat([header, modulus, Buffer.from('0203010001', 'hex')]);
}

/**
 * An import request for `keys` SYMMETRIC_DEFAULT keys under RSA_4096 wrapping keys.
 * tokenBytes: real KMS import tokens are about 1-1.5 KB; byok-kms-sim's are 1,206 bytes.
 */
export function sampleImportRequest(keys, { tokenBytes = 1400, seed = 1 } = {}) {
  const random = seededRandom(seed);
  return {
    format: 'byok-ceremony/import-request',
    version: 1,
    ceremonyId: uuid(random),
    createdAt: '2026-11-28T10:15:00Z',
    operators: ['alice', 'bob'],
    auditLogHead: hex(random, 32),
    targets: Array.from({ length: keys }, (_, i) => ({
      keyArn: `arn:aws:kms:eu-west-1:111122223333:key/${uuid(random)}`,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      materialGroup: `key-${i + 1}`,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_4096',
      publicKey: rsa4096Spki(random).toString('base64'),
      importToken: bytes(random, tokenBytes).toString('base64'),
      parametersValidTo: '2026-11-29T10:15:00Z',
    })),
  };
}

/** The wrapped-key answer to a request: 512-byte RSAES-OAEP blobs, a KCV per key. */
export function sampleWrappedKeys(request, { seed = 2, requestDigest } = {}) {
  const random = seededRandom(seed);
  return {
    format: 'byok-ceremony/wrapped-keys',
    version: 1,
    ceremonyId: request.ceremonyId,
    requestDigest: requestDigest ?? hex(random, 32),
    createdAt: '2026-11-28T10:40:00Z',
    operators: ['carol', 'dave'],
    auditLogHead: hex(random, 32),
    materials: request.targets.map((t) => ({
      materialGroup: t.materialGroup,
      keySpec: t.keySpec,
      source: 'generated',
      kcv: hex(random, 3).toUpperCase(),
      proof: { kind: 'kcv-only' },
    })),
    targets: request.targets.map((t) => ({
      keyArn: t.keyArn,
      materialGroup: t.materialGroup,
      wrappingKeyFingerprint: hex(random, 32),
      encryptedKeyMaterial: bytes(random, 512).toString('base64'),
    })),
  };
}
