/**
 * Just enough DER (X.690) to read the AlgorithmIdentifier of a PKCS#8 PrivateKeyInfo
 * (RFC 5208): node:crypto names a key's curve but does not give its OID.
 */

/** The DER encoding (tag, length, value) of an OBJECT IDENTIFIER given in dotted form. */
export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  const body: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups: number[] = [];
    let value = arc;
    do {
      groups.unshift(Number(value & 0x7fn));
      value >>= 7n;
    } while (value > 0n);
    groups.forEach((group, index) => body.push(index < groups.length - 1 ? group | 0x80 : group));
  }
  return Buffer.from([0x06, body.length, ...body]);
}

interface Element {
  readonly tag: number;
  readonly contentStart: number;
  readonly end: number;
}

function elementAt(der: Buffer, offset: number): Element | undefined {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) return undefined;
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 3) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = der[contentStart + i];
      if (byte === undefined) return undefined;
      length = length * 256 + byte;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  return end > der.length ? undefined : { tag, contentStart, end };
}

/** The contents of PrivateKeyInfo's privateKeyAlgorithm (algorithm OID and parameters), or undefined. */
export function pkcs8AlgorithmIdentifier(der: Buffer): Buffer | undefined {
  const info = elementAt(der, 0);
  if (info?.tag !== 0x30) return undefined;
  const version = elementAt(der, info.contentStart);
  if (version?.tag !== 0x02) return undefined;
  const algorithm = elementAt(der, version.end);
  if (algorithm?.tag !== 0x30 || algorithm.end > info.end) return undefined;
  return der.subarray(algorithm.contentStart, algorithm.end);
}
