import { open, seal } from './secret-box.js';

/**
 * The simulator's symmetric ciphertext: like KMS's, it names the key and the key material
 * that made it, and authenticates the encryption context.
 *   magic "BKSC" | version 1 | key id length (1) | key id | KeyMaterialId (32) | AES-256-GCM box
 * The header and the canonical encryption context are the GCM associated data.
 */
const MAGIC = Buffer.from('BKSC', 'ascii');
const VERSION = 1;

export interface CiphertextHeader {
  keyId: string;
  keyMaterialId: string;
  header: Buffer;
  body: Buffer;
}

function canonicalContext(context: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function encryptSymmetric(
  keyId: string,
  keyMaterialId: string,
  material: Buffer,
  plaintext: Buffer,
  context: Record<string, string> | undefined,
): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  const header = Buffer.concat([
    MAGIC,
    Buffer.from([VERSION, id.length]),
    id,
    Buffer.from(keyMaterialId, 'hex'),
  ]);
  const body = seal(material, plaintext, Buffer.concat([header, canonicalContext(context)]));
  return Buffer.concat([header, body]);
}

/** Reads the header, or undefined if the blob is not one of ours. */
export function parseCiphertext(blob: Buffer): CiphertextHeader | undefined {
  if (blob.length < MAGIC.length + 2 || !blob.subarray(0, MAGIC.length).equals(MAGIC))
    return undefined;
  if (blob[MAGIC.length] !== VERSION) return undefined;
  const idLength = blob[MAGIC.length + 1]!;
  const idStart = MAGIC.length + 2;
  const headerEnd = idStart + idLength + 32;
  if (blob.length < headerEnd + 28) return undefined;
  return {
    keyId: blob.subarray(idStart, idStart + idLength).toString('ascii'),
    keyMaterialId: blob.subarray(idStart + idLength, headerEnd).toString('hex'),
    header: blob.subarray(0, headerEnd),
    body: blob.subarray(headerEnd),
  };
}

/** Throws if the material, the header or the encryption context do not match. */
export function decryptSymmetric(
  parsed: CiphertextHeader,
  material: Buffer,
  context: Record<string, string> | undefined,
): Buffer {
  return open(material, parsed.body, Buffer.concat([parsed.header, canonicalContext(context)]));
}
