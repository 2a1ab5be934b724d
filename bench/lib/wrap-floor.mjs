// The floor of a wrap in Node.js: what any node:crypto program must do to wrap every target of
// an import request, and nothing else. It reads the request (JSON.parse), imports each wrapping
// key (the RSAPublicKey inside the DER SPKI, as PKCS#1: OpenSSL's cheapest import), generates
// 32 bytes, encrypts them with RSA-OAEP SHA-256 and writes the results (one file, fsynced). No
// checks, no check codes, no proofs, no KCVs, no audit log: byok-offline wrap against this
// process is the price of everything the ceremony adds.
//   node bench/lib/wrap-floor.mjs REQUEST OUT
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/** Offset and length of the DER element whose header starts at `at`. */
function element(der, at) {
  const first = der[at + 1];
  if (first < 0x80) return { body: at + 2, end: at + 2 + first };
  let length = 0;
  const bytes = first & 0x7f;
  for (let i = 0; i < bytes; i++) length = length * 256 + der[at + 2 + i];
  return { body: at + 2 + bytes, end: at + 2 + bytes + length };
}

/** The RSAPublicKey in an SPKI: SEQUENCE { AlgorithmIdentifier, BIT STRING { 0x00, key } }. */
function pkcs1Of(spki) {
  const outer = element(spki, 0);
  const algorithm = element(spki, outer.body);
  const bits = element(spki, algorithm.end);
  return spki.subarray(bits.body + 1, bits.end);
}

const [requestPath, outPath] = process.argv.slice(2);
const request = JSON.parse(readFileSync(requestPath, 'utf8'));
const wrapped = request.targets.map((target) => {
  const key = createPublicKey({
    key: pkcs1Of(Buffer.from(target.publicKey, 'base64')),
    format: 'der',
    type: 'pkcs1',
  });
  const material = randomBytes(32);
  const encrypted = publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    material,
  );
  material.fill(0);
  return { keyArn: target.keyArn, encryptedKeyMaterial: encrypted.toString('base64') };
});
const fd = openSync(outPath, 'wx', 0o600);
writeSync(fd, JSON.stringify({ targets: wrapped }));
fsyncSync(fd);
closeSync(fd);
