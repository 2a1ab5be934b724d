import {
  createCipheriv,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  constants,
} from 'node:crypto';
import {
  BUNDLE_VERSION,
  KEY_SPEC_RULES,
  WRAPPED_KEYS_FORMAT,
  bundleDigest,
  encodeBase64,
  keyCheckValue,
  proofMessage,
  wrappingKeyFingerprint,
  type ImportRequestBundle,
  type ImportTarget,
  type MaterialRecord,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';

interface Material {
  readonly bytes: Buffer;
  readonly record: MaterialRecord;
}

function makeMaterial(target: ImportTarget, requestDigest: string): Material {
  const rule = KEY_SPEC_RULES[target.keySpec].material!;
  const group = target.materialGroup;
  switch (rule.kind) {
    case 'symmetric': {
      const bytes = randomBytes(rule.bytes);
      const kcv = keyCheckValue(target.keySpec, {
        aesEncryptBlock: (block) => {
          const cipher = createCipheriv('aes-256-ecb', bytes, null).setAutoPadding(false);
          return Buffer.concat([cipher.update(block), cipher.final()]);
        },
      });
      return {
        bytes,
        record: {
          materialGroup: group,
          keySpec: target.keySpec,
          source: 'generated',
          kcv,
          proof: { kind: 'kcv-only' },
        },
      };
    }
    case 'hmac': {
      const bytes = randomBytes(rule.minBytes);
      const kcv = keyCheckValue(target.keySpec, {
        hmacOfZeroBlock: () => createHmac(rule.hash, bytes).update(new Uint8Array(16)).digest(),
      });
      const mac = createHmac(rule.hash, bytes).update(proofMessage(requestDigest, group)).digest();
      return {
        bytes,
        record: {
          materialGroup: group,
          keySpec: target.keySpec,
          source: 'generated',
          kcv,
          proof: { kind: 'hmac', mac: encodeBase64(mac) },
        },
      };
    }
    case 'ec-private':
    case 'rsa-private': {
      const pair =
        rule.kind === 'ec-private'
          ? generateKeyPairSync('ec', { namedCurve: rule.curve })
          : generateKeyPairSync('rsa', { modulusLength: rule.modulusBits });
      const bytes = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
      const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
      const kcv = keyCheckValue(target.keySpec, { publicKeyDer: () => spki });
      return {
        bytes,
        record: {
          materialGroup: group,
          keySpec: target.keySpec,
          source: 'generated',
          kcv,
          proof: { kind: 'public-key', publicKey: encodeBase64(spki) },
        },
      };
    }
  }
}

/** Wraps material for one target as byok-offline does (and as KMS-FACTS.md spells out). */
export function wrapMaterial(target: ImportTarget, material: Uint8Array): Buffer {
  const spki = Buffer.from(target.publicKey, 'base64');
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const oaepHash = target.wrappingAlgorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const rsa = (data: Uint8Array) =>
    publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (target.wrappingAlgorithm.startsWith('RSAES_OAEP')) return rsa(material);
  const aesKey = randomBytes(32);
  const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
  const wrapped = Buffer.concat([rsa(aesKey), kwp.update(material), kwp.final()]);
  aesKey.fill(0);
  return wrapped;
}

/**
 * A wrapped-key bundle answering `request`, made with node:crypto in the test: the offline
 * side's job, so online tests do not depend on byok-offline. `tamper` changes one material record.
 */
export function wrapForTest(
  request: ImportRequestBundle,
  tamper?: (record: MaterialRecord) => MaterialRecord,
): WrappedKeyBundle {
  const requestDigest = bundleDigest(request);
  const materials = new Map<string, Material>();
  for (const target of request.targets) {
    if (!materials.has(target.materialGroup))
      materials.set(target.materialGroup, makeMaterial(target, requestDigest));
  }
  const bundle: WrappedKeyBundle = {
    format: WRAPPED_KEYS_FORMAT,
    version: BUNDLE_VERSION,
    ceremonyId: request.ceremonyId,
    requestDigest,
    createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    operators: ['CAROL', 'DAVE'],
    auditLogHead: null,
    materials: [...materials.values()].map((m) =>
      tamper === undefined ? m.record : tamper(m.record),
    ),
    targets: request.targets.map((target) => ({
      keyArn: target.keyArn,
      materialGroup: target.materialGroup,
      wrappingKeyFingerprint: wrappingKeyFingerprint(Buffer.from(target.publicKey, 'base64')),
      encryptedKeyMaterial: encodeBase64(
        wrapMaterial(target, materials.get(target.materialGroup)!.bytes),
      ),
    })),
  };
  for (const m of materials.values()) m.bytes.fill(0);
  return bundle;
}
