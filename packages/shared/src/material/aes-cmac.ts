/**
 * AES-CMAC (RFC 4493) over a caller-supplied AES block encryption, so the AES itself runs in
 * a vetted, constant-time implementation (node:crypto / OpenSSL) and never in this package.
 */
export type EncryptBlock = (block: Uint8Array) => Uint8Array;

const BLOCK = 16;
const RB = 0x87;

function shiftLeft(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) out[i] = ((input[i]! << 1) | ((input[i + 1] ?? 0) >> 7)) & 0xff;
  return out;
}

function subkey(previous: Uint8Array): Uint8Array {
  const out = shiftLeft(previous);
  // Constant-time conditional XOR with Rb when the top bit was set.
  out[BLOCK - 1]! ^= RB & -(previous[0]! >> 7);
  return out;
}

export function aesCmac(encryptBlock: EncryptBlock, message: Uint8Array): Uint8Array {
  const l = encryptBlock(new Uint8Array(BLOCK));
  const k1 = subkey(l);
  const k2 = subkey(k1);
  l.fill(0);
  const blocks = Math.max(1, Math.ceil(message.length / BLOCK));
  const complete = message.length > 0 && message.length % BLOCK === 0;
  const last = new Uint8Array(BLOCK);
  last.set(message.subarray((blocks - 1) * BLOCK));
  if (!complete) last[message.length - (blocks - 1) * BLOCK] = 0x80;
  const k = complete ? k1 : k2;
  for (let i = 0; i < BLOCK; i++) last[i]! ^= k[i]!;
  let x: Uint8Array = new Uint8Array(BLOCK);
  for (let b = 0; b < blocks; b++) {
    const y = b === blocks - 1 ? last : message.subarray(b * BLOCK, (b + 1) * BLOCK);
    const input = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) input[i] = x[i]! ^ y[i]!;
    x.fill(0);
    x = encryptBlock(input);
    input.fill(0);
  }
  k1.fill(0);
  k2.fill(0);
  last.fill(0);
  return x;
}
