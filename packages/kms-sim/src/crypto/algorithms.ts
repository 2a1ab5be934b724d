import type { KeySpec, KeyUsage } from '@byok-ceremony/shared';
import type { KeyMetadata } from '../model/kms-types.js';

export type AlgorithmLists = Pick<
  KeyMetadata,
  'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms'
>;
type SigningAlgorithm = NonNullable<KeyMetadata['SigningAlgorithms']>[number];
type MacAlgorithm = NonNullable<KeyMetadata['MacAlgorithms']>[number];

const RSA_SIGNING: SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];

const ECDSA_BY_SPEC: Partial<Record<KeySpec, SigningAlgorithm>> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  ECC_NIST_P384: 'ECDSA_SHA_384',
  ECC_NIST_P521: 'ECDSA_SHA_512',
  ECC_SECG_P256K1: 'ECDSA_SHA_256',
};

/** The algorithm lists DescribeKey and GetPublicKey show for a key spec and usage. */
export function algorithmsOf(keySpec: KeySpec, keyUsage: KeyUsage): AlgorithmLists {
  if (keyUsage === 'GENERATE_VERIFY_MAC') {
    return { MacAlgorithms: [`HMAC_SHA_${keySpec.slice('HMAC_'.length)}` as MacAlgorithm] };
  }
  if (keyUsage === 'KEY_AGREEMENT') return { KeyAgreementAlgorithms: ['ECDH'] };
  if (keyUsage === 'ENCRYPT_DECRYPT') {
    return {
      EncryptionAlgorithms:
        keySpec === 'SYMMETRIC_DEFAULT'
          ? ['SYMMETRIC_DEFAULT']
          : ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    };
  }
  if (keySpec.startsWith('RSA_')) return { SigningAlgorithms: RSA_SIGNING };
  const ecdsa = ECDSA_BY_SPEC[keySpec];
  return { SigningAlgorithms: ecdsa === undefined ? [] : [ecdsa] };
}

export interface SigningScheme {
  hash: 'sha256' | 'sha384' | 'sha512';
  kind: 'ecdsa' | 'pss' | 'pkcs1';
}

export function signingSchemeOf(algorithm: string): SigningScheme | undefined {
  const match = /^(ECDSA|RSASSA_PSS|RSASSA_PKCS1_V1_5)_SHA_(256|384|512)$/.exec(algorithm);
  if (match === null) return undefined;
  const kind = match[1] === 'ECDSA' ? 'ecdsa' : match[1] === 'RSASSA_PSS' ? 'pss' : 'pkcs1';
  return { hash: `sha${match[2]}` as SigningScheme['hash'], kind };
}
