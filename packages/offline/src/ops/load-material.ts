import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ByokError, KEY_SPEC_RULES, type KeySpec } from '@byok-ceremony/shared';

const PEM_BEGIN = Buffer.from('-----BEGIN ');

function invalid(message: string, hint: string): ByokError {
  return new ByokError('ERR_MATERIAL_INVALID', message, { hint });
}

/**
 * Parses a private key given as PEM (PKCS#8, SEC 1 or PKCS#1) or DER (PKCS#8, or the
 * traditional SEC 1 / PKCS#1 form that OpenSSL 3.0's `genpkey -outform DER` writes).
 */
function parsePrivateKey(
  bytes: Buffer,
  keySpec: KeySpec,
  traditional: 'sec1' | 'pkcs1',
): KeyObject {
  const isPem = bytes.subarray(0, PEM_BEGIN.length).equals(PEM_BEGIN);
  const attempts: (() => KeyObject)[] = isPem
    ? [() => createPrivateKey({ key: bytes, format: 'pem' })]
    : [
        () => createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' }),
        () => createPrivateKey({ key: bytes, format: 'der', type: traditional }),
      ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // The parser's message may quote the input, so it is not passed on.
    }
  }
  throw invalid(
    `the material file is not a ${keySpec} private key (${bytes.length} bytes, ${isPem ? 'PEM' : 'DER'} that is not an unencrypted PKCS#8 or traditional private key)`,
    'Give an unencrypted private key as PKCS#8 DER or PEM (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY); openssl pkcs8 -topk8 -nocrypt -outform DER converts one.',
  );
}

type MaterialRule = NonNullable<(typeof KEY_SPEC_RULES)[KeySpec]['material']>;

/** RSA material: the size the key spec names, two primes; returned as PKCS#8 DER. */
function loadRsaMaterial(
  bytes: Buffer,
  keySpec: KeySpec,
  rule: Extract<MaterialRule, { kind: 'rsa-private' }>,
): Buffer {
  const key = parsePrivateKey(bytes, keySpec, 'pkcs1');
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'rsa') {
    throw invalid(
      `the material file holds a ${key.asymmetricKeyType ?? 'unknown'} key; ${keySpec} needs an RSA key`,
      'Give the RSA private key of the size the KMS key was created with.',
    );
  }
  if (details?.modulusLength !== rule.modulusBits) {
    throw invalid(
      `the material file holds an RSA key of ${details?.modulusLength ?? 0} bits; ${keySpec} needs ${rule.modulusBits} bits`,
      'Give the RSA private key of the size the KMS key was created with.',
    );
  }
  const der = key.export({ format: 'der', type: 'pkcs8' });
  let primes: number;
  try {
    primes = countRsaPrimes(der);
  } catch (error) {
    der.fill(0);
    throw error;
  }
  if (primes !== 2) {
    der.fill(0);
    throw invalid(
      'the material file holds a multi-prime RSA key; KMS imports two-prime RSA keys only',
      'Generate the key with two primes (openssl genpkey -algorithm RSA, the default).',
    );
  }
  return der;
}

/** EC material: on the key spec's curve, within KMS's size; returned as PKCS#8 DER. */
function loadEcMaterial(
  bytes: Buffer,
  keySpec: KeySpec,
  rule: Extract<MaterialRule, { kind: 'ec-private' }>,
): Buffer {
  const key = parsePrivateKey(bytes, keySpec, 'sec1');
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== rule.curve) {
    throw invalid(
      `the material file holds a ${key.asymmetricKeyType ?? 'unknown'} key${curve === undefined ? '' : ` on ${curve}`}; ${keySpec} needs an EC key on ${rule.curve}`,
      `Give the EC private key on ${rule.curve} (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:${rule.curve}).`,
    );
  }
  const der = key.export({ format: 'der', type: 'pkcs8' });
  if (der.length > rule.maxPkcs8Bytes) {
    const size = der.length;
    der.fill(0);
    throw invalid(
      `the material's PKCS#8 encoding has ${size} bytes; ${keySpec} material is at most ${rule.maxPkcs8Bytes}`,
      'Give a plain PKCS#8 EC key with a named curve and no extra attributes.',
    );
  }
  return der;
}

/**
 * Reads existing material for one key spec and returns it in the form KMS imports (raw bytes,
 * or PKCS#8 DER). Errors give sizes and types, never content. The caller zeroes both Buffers.
 */
export function loadMaterial(bytes: Buffer, keySpec: KeySpec): Buffer {
  const rule = KEY_SPEC_RULES[keySpec].material;
  switch (rule?.kind) {
    case 'symmetric':
      if (bytes.length !== rule.bytes) {
        throw invalid(
          `the material file has ${bytes.length} bytes; ${keySpec} material is exactly ${rule.bytes} raw bytes`,
          `Give the raw key bytes, not hex or base64 (openssl rand -out material.bin ${rule.bytes} makes such a file).`,
        );
      }
      return Buffer.from(bytes);
    case 'hmac':
      if (bytes.length < rule.minBytes || bytes.length > rule.maxBytes) {
        throw invalid(
          `the material file has ${bytes.length} bytes; ${keySpec} material is ${rule.minBytes} to ${rule.maxBytes} raw bytes`,
          `Give the raw key bytes, not hex or base64 (openssl rand -out material.bin ${rule.minBytes} makes such a file).`,
        );
      }
      return Buffer.from(bytes);
    case 'rsa-private':
      return loadRsaMaterial(bytes, keySpec, rule);
    case 'ec-private':
      return loadEcMaterial(bytes, keySpec, rule);
    case undefined:
      throw new ByokError(
        'ERR_KEY_NOT_IMPORTABLE',
        `KMS does not accept imported material for ${keySpec}`,
        {
          hint: 'Create the key with a key spec that takes imported material (see docs/kms-rules.md).',
        },
      );
  }
}

/**
 * The number of primes of a PKCS#8 RSA key: 2 plus the entries of RSAPrivateKey's optional
 * otherPrimeInfos (RFC 8017 A.1.2), read from the DER, since node:crypto does not report it.
 */
function countRsaPrimes(pkcs8: Buffer): number {
  const reader = new DerReader(pkcs8);
  const outer = reader.enter(0x30);
  outer.skip(0x02); // version
  outer.skip(0x30); // AlgorithmIdentifier
  const rsaKey = new DerReader(outer.read(0x04)).enter(0x30);
  for (let i = 0; i < 9; i++) rsaKey.skip(0x02); // version, n, e, d, p, q, dP, dQ, qInv
  if (rsaKey.done()) return 2;
  return 2 + rsaKey.enter(0x30).count();
}

/** The minimum of a DER reader that countRsaPrimes needs: definite lengths, tags checked. */
class DerReader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}

  done(): boolean {
    return this.offset >= this.bytes.length;
  }

  read(tag: number): Buffer {
    if (this.bytes[this.offset] !== tag) throw invalidDer();
    let length = this.bytes[this.offset + 1] ?? 0;
    let header = 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      if (octets === 0 || octets > 4) throw invalidDer();
      length = 0;
      for (let i = 0; i < octets; i++)
        length = length * 256 + (this.bytes[this.offset + 2 + i] ?? 0);
      header += octets;
    }
    const start = this.offset + header;
    if (start + length > this.bytes.length) throw invalidDer();
    this.offset = start + length;
    return this.bytes.subarray(start, start + length);
  }

  skip(tag: number): void {
    this.read(tag);
  }

  enter(tag: number): DerReader {
    return new DerReader(this.read(tag));
  }

  count(): number {
    let n = 0;
    while (!this.done()) {
      this.read(this.bytes[this.offset] ?? 0);
      n++;
    }
    return n;
  }
}

function invalidDer(): ByokError {
  return invalid(
    'the material file is not a well-formed PKCS#8 RSA private key',
    'Give an unencrypted PKCS#8 private key, DER or PEM.',
  );
}
