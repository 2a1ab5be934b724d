import { createCipheriv, createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import {
  KCV_INPUT_BLOCK,
  KEY_SPEC_RULES,
  keyCheckValue,
  type KeySpec,
} from '@byok-ceremony/shared';

/** DER SubjectPublicKeyInfo of a PKCS#8 DER private key. */
export function publicKeyOfPrivate(pkcs8: Buffer): Buffer {
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
}

/** The material's key check value, with node:crypto computing what shared's definition takes. */
export function materialKcv(keySpec: KeySpec, material: Buffer): string {
  const rule = KEY_SPEC_RULES[keySpec].material;
  return keyCheckValue(keySpec, {
    aesEncryptBlock: (block) => {
      const cipher = createCipheriv('aes-256-ecb', material, null);
      cipher.setAutoPadding(false);
      // The parts hold secret-derived values (AES_K(0) is CMAC's subkey seed): zero them too.
      const head = cipher.update(block);
      const tail = cipher.final();
      try {
        return Buffer.concat([head, tail]);
      } finally {
        head.fill(0);
        tail.fill(0);
      }
    },
    hmacOfZeroBlock: () =>
      createHmac(rule?.kind === 'hmac' ? rule.hash : 'sha256', material)
        .update(KCV_INPUT_BLOCK)
        .digest(),
    publicKeyDer: () => publicKeyOfPrivate(material),
  });
}
