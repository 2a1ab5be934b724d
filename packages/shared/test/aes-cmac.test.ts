import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesCmac } from '../src/material/aes-cmac.js';
import { keyCheckValue } from '../src/material/key-check-value.js';
import { decodeHex, encodeHex } from '../src/encoding/hex.js';

function aesEcb(keyHex: string) {
  return (block: Uint8Array): Uint8Array => {
    const cipher = createCipheriv(`aes-${keyHex.length * 4}-ecb`, Buffer.from(keyHex, 'hex'), null);
    cipher.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
  };
}

const MESSAGE =
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';

describe('aesCmac', () => {
  // RFC 4493, section 4: AES-128 test vectors.
  const key128 = '2b7e151628aed2a6abf7158809cf4f3c';
  it.each([
    [0, 'bb1d6929e95937287fa37d129b756746'],
    [16, '070a16b46b4d4144f79bdd9dd04a287c'],
    [40, 'dfa66747de9ae63030ca32611497c827'],
    [64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('RFC 4493 example with a %i-byte message', (length, mac) => {
    expect(encodeHex(aesCmac(aesEcb(key128), decodeHex(MESSAGE.slice(0, length * 2))!))).toBe(mac);
  });

  // NIST SP 800-38B, appendix D.3: AES-256 (the key size of KMS symmetric material).
  const key256 = '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4';
  it.each([
    [0, '028962f61b7bf89efc6b551f4667d983'],
    [16, '28a7023f452e8f82bd4bf28d8c37c35c'],
    [40, 'aaf3d8f1de5640c232f5b169b9c911e6'],
    [64, 'e1992190549f6ed5696a2c056c315410'],
  ])('SP 800-38B AES-256 example with a %i-byte message', (length, mac) => {
    expect(encodeHex(aesCmac(aesEcb(key256), decodeHex(MESSAGE.slice(0, length * 2))!))).toBe(mac);
  });
});

describe('keyCheckValue', () => {
  it('is the first three bytes of AES-CMAC over a zero block for symmetric material', () => {
    const kcv = keyCheckValue('SYMMETRIC_DEFAULT', { aesEncryptBlock: aesEcb(key256()) });
    const full = encodeHex(aesCmac(aesEcb(key256()), new Uint8Array(16)));
    expect(kcv).toBe(full.slice(0, 6).toUpperCase());
    expect(kcv).toMatch(/^[0-9A-F]{6}$/);
  });

  it('differs for different material', () => {
    const other = 'ff'.repeat(32);
    expect(keyCheckValue('SYMMETRIC_DEFAULT', { aesEncryptBlock: aesEcb(key256()) })).not.toBe(
      keyCheckValue('SYMMETRIC_DEFAULT', { aesEncryptBlock: aesEcb(other) }),
    );
  });

  it('refuses key specs that take no imported material', () => {
    expect(() => keyCheckValue('ML_DSA_44', {})).toThrow(/takes no imported material/);
  });
});

function key256(): string {
  return '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4';
}
