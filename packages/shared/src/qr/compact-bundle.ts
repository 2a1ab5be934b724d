import { assertImportRequestBundle } from '../bundle/assert-import-request.js';
import { assertWrappedKeyBundle } from '../bundle/assert-wrapped-keys.js';
import {
  IMPORT_REQUEST_FORMAT,
  WRAPPED_KEYS_FORMAT,
  type Bundle,
  type ImportRequestBundle,
  type WrappedKeyBundle,
} from '../bundle/types.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { quoteForMessage } from '../encoding/bounded-text.js';
import { decodeHex, encodeHex } from '../encoding/hex.js';
import { concatBytes, encodeUtf8 } from '../encoding/utf8.js';
import { ByokError } from '../errors.js';
import type { QrPayloadKind } from './frame.js';

/**
 * Compact binary form of a bundle for QR transfer (docs/qr-format.md): the bundle's JSON in a
 * tagged binary encoding where base64 and hex strings travel as their bytes, UUIDs as 16
 * bytes, timestamps as seconds, and every string repeated (field names, enum values, ARN
 * prefixes) as a back-reference into a table pre-loaded with the format's vocabulary.
 * Decoding gives the same JSON value, so the bundle digest and check code are unchanged.
 */
export const COMPACT_BUNDLE_VERSION = 3;

/** Frozen with version 1: appending changes the format, so a new list needs a new version. */
const DICTIONARY_V1: readonly string[] = [
  IMPORT_REQUEST_FORMAT,
  WRAPPED_KEYS_FORMAT,
  ...'format version ceremonyId createdAt operators auditLogHead targets keyArn keySpec keyUsage'.split(
    ' ',
  ),
  ...'materialGroup wrappingAlgorithm wrappingKeySpec publicKey importToken parametersValidTo'.split(
    ' ',
  ),
  ...'requestDigest materials source kcv proof kind mac wrappingKeyFingerprint encryptedKeyMaterial'.split(
    ' ',
  ),
  ...'generated file components hmac public-key kcv-only'.split(' '),
  ...'SYMMETRIC_DEFAULT HMAC_224 HMAC_256 HMAC_384 HMAC_512 RSA_2048 RSA_3072 RSA_4096'.split(' '),
  ...'ECC_NIST_P256 ECC_NIST_P384 ECC_NIST_P521 ECC_SECG_P256K1 ECC_NIST_EDWARDS25519 SM2'.split(
    ' ',
  ),
  ...'ML_DSA_44 ML_DSA_65 ML_DSA_87 ENCRYPT_DECRYPT SIGN_VERIFY GENERATE_VERIFY_MAC KEY_AGREEMENT'.split(
    ' ',
  ),
  ...'RSAES_OAEP_SHA_256 RSAES_OAEP_SHA_1 RSA_AES_KEY_WRAP_SHA_256 RSA_AES_KEY_WRAP_SHA_1'.split(
    ' ',
  ),
  ...'RSAES_PKCS1_V1_5 SM2PKE'.split(' '),
];

/** Version 2: version 1's list, then the words of import request version 2. */
const DICTIONARY_V2: readonly string[] = [
  ...DICTIONARY_V1,
  ...'importType keyMaterialId expectedKcv NEW_KEY_MATERIAL EXISTING_KEY_MATERIAL'.split(' '),
];

/**
 * Version 3: version 2's list, then the words of import request version 3, whose token hashes
 * (64 lowercase hex) travel as their 32 bytes.
 */
const DICTIONARY_V3: readonly string[] = [
  ...DICTIONARY_V2,
  ...'importTokenSha256 planDigest ceremonyName'.split(' '),
];

const DICTIONARIES: Readonly<Record<number, readonly string[]>> = {
  1: DICTIONARY_V1,
  2: DICTIONARY_V2,
  3: DICTIONARY_V3,
};

const Tag = {
  Null: 0,
  False: 1,
  True: 2,
  Uint: 3,
  NegInt: 4,
  Text: 5,
  Ref: 6,
  Base64: 7,
  HexLower: 8,
  HexUpper: 9,
  WithUuid: 10,
  Seconds: 11,
  Array: 12,
  Object: 13,
  WithHex32: 14,
} as const;

const UUID_IN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** Multi-Region key ids: mrk- and 32 hex digits. */
const HEX32_IN = /[0-9a-f]{32}/;
const SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Arrays and objects inside one another, deeper than any bundle (a bundle uses 4). */
export const COMPACT_MAX_VALUE_DEPTH = 16;
/** Strings built around a UUID or a hex id inside one another (an ARN uses 1). */
export const COMPACT_MAX_STRING_DEPTH = 4;
/** The longest string a frame may build from parts; base64 and text strings are bounded by the bytes. */
export const COMPACT_MAX_STRING_CHARS = 65_536;
/** All strings decoded, references included: a bundle's worth, so references cannot multiply it. */
export const COMPACT_MAX_DECODED_CHARS = 32 * 1024 * 1024;
/** The largest compact payload read: the bundle-file limit. */
export const COMPACT_MAX_BYTES = 16 * 1024 * 1024;
/** 9999-12-31T23:59:59Z, the last second a four-digit-year timestamp can name. */
const MAX_SECONDS = 253_402_300_799;

const bad = (why: string): ByokError =>
  new ByokError('ERR_QR', `QR transfer does not hold a valid compact bundle: ${why}`, {
    hint: 'use the same byok-ceremony release on both machines',
  });

class Writer {
  readonly parts: number[] = [];
  readonly table: Map<string, number>;
  constructor(dictionary: readonly string[]) {
    this.table = new Map<string, number>(dictionary.map((s, i) => [s, i]));
  }

  byte(b: number): void {
    this.parts.push(b);
  }
  varint(n: number): void {
    for (; n >= 0x80; n = Math.floor(n / 128)) this.parts.push((n % 128) | 0x80);
    this.parts.push(n);
  }
  bytes(b: Uint8Array): void {
    this.varint(b.length);
    for (const v of b) this.parts.push(v);
  }
  string(s: string, depth = 0): void {
    const ref = this.table.get(s);
    if (ref !== undefined) {
      this.byte(Tag.Ref);
      this.varint(ref);
      return;
    }
    this.encodeFresh(s, depth);
    this.table.set(s, this.table.size);
  }
  encodeFresh(s: string, depth: number): void {
    // Parts only while the reader accepts them: within its nesting and length limits.
    const split = depth < COMPACT_MAX_STRING_DEPTH && s.length <= COMPACT_MAX_STRING_CHARS;
    const uuid = split ? UUID_IN.exec(s) : null;
    if (SECONDS.test(s)) {
      const ms = Date.parse(s);
      if (
        Number.isSafeInteger(ms) &&
        ms >= 0 &&
        new Date(ms).toISOString() === s.replace('Z', '.000Z')
      ) {
        this.byte(Tag.Seconds);
        this.varint(ms / 1000);
        return;
      }
    }
    if (s.length >= 6 && s.length % 2 === 0) {
      if (/^[0-9a-f]+$/.test(s)) {
        this.byte(Tag.HexLower);
        this.bytes(decodeHex(s)!);
        return;
      }
      if (/^[0-9A-F]+$/.test(s)) {
        this.byte(Tag.HexUpper);
        this.bytes(decodeHex(s)!);
        return;
      }
    }
    if (s.length >= 8) {
      const raw = decodeBase64(s);
      if (raw !== undefined && encodeBase64(raw) === s) {
        this.byte(Tag.Base64);
        this.bytes(raw);
        return;
      }
    }
    if (uuid !== null) {
      this.byte(Tag.WithUuid);
      this.string(s.slice(0, uuid.index), depth + 1);
      for (const v of decodeHex(uuid[0].replaceAll('-', ''))!) this.byte(v);
      this.string(s.slice(uuid.index + 36), depth + 1);
      return;
    }
    const hex32 = split && s.length > 32 ? HEX32_IN.exec(s) : null;
    if (hex32 !== null) {
      this.byte(Tag.WithHex32);
      this.string(s.slice(0, hex32.index), depth + 1);
      for (const v of decodeHex(hex32[0])!) this.byte(v);
      this.string(s.slice(hex32.index + 32), depth + 1);
      return;
    }
    this.byte(Tag.Text);
    this.bytes(encodeUtf8(s));
  }
  value(v: unknown, depth = 0): void {
    if (depth > COMPACT_MAX_VALUE_DEPTH)
      throw new ByokError('ERR_INTERNAL', 'bundle nests too deeply for the compact encoding');
    if (v === null) this.byte(Tag.Null);
    else if (v === false) this.byte(Tag.False);
    else if (v === true) this.byte(Tag.True);
    else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v))
        throw new ByokError('ERR_INTERNAL', `bundle holds a non-integer ${v}`);
      this.byte(v >= 0 ? Tag.Uint : Tag.NegInt);
      this.varint(v >= 0 ? v : -v - 1);
    } else if (typeof v === 'string') this.string(v);
    else if (Array.isArray(v)) {
      this.byte(Tag.Array);
      this.varint(v.length);
      for (const item of v as unknown[]) this.value(item, depth + 1);
    } else if (typeof v === 'object') {
      // Sorted as in canonical JSON, so the same bundle always gives the same bytes.
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.byte(Tag.Object);
      this.varint(entries.length);
      for (const [k, x] of entries) {
        this.string(k);
        this.value(x, depth + 1);
      }
    } else throw new ByokError('ERR_INTERNAL', `bundle holds a ${typeof v}`);
  }
}

class Reader {
  at = 0;
  readonly table: string[];
  /** Characters of every string decoded so far, references included. */
  decodedChars = 0;
  constructor(
    readonly data: Uint8Array,
    dictionary: readonly string[],
  ) {
    this.table = [...dictionary];
  }

  byte(): number {
    const b = this.data[this.at++];
    if (b === undefined) throw bad('it ends early');
    return b;
  }
  varint(): number {
    let n = 0;
    // At most 8 bytes (56 bits, past 2^53), the last one not zero: one encoding per number.
    for (let i = 0, shift = 1; i < 8; i++, shift *= 128) {
      const b = this.byte();
      n += (b & 0x7f) * shift;
      if (n > Number.MAX_SAFE_INTEGER) throw bad('a number is too large');
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw bad('a number has a needlessly long encoding');
        return n;
      }
    }
    throw bad('a number is too large');
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.at + n > this.data.length) throw bad('it ends early');
    return this.data.slice(this.at, (this.at += n));
  }
  string(tag = this.byte(), depth = 0): string {
    let s: string;
    if (tag === Tag.Ref) {
      const found = this.table[this.varint()];
      if (found === undefined) throw bad('a string reference points nowhere');
      s = found;
    } else {
      s = this.fresh(tag, depth);
      this.table.push(s);
    }
    this.decodedChars += s.length;
    if (this.decodedChars > COMPACT_MAX_DECODED_CHARS)
      throw bad(`its strings add up to more than ${COMPACT_MAX_DECODED_CHARS} characters`);
    return s;
  }
  /** The prefix or suffix of a string built around an id, one level deeper. */
  part(depth: number): string {
    if (depth >= COMPACT_MAX_STRING_DEPTH)
      throw bad(`strings nest deeper than ${COMPACT_MAX_STRING_DEPTH} levels`);
    return this.string(this.byte(), depth + 1);
  }
  joined(prefix: string, id: string, suffix: string): string {
    if (prefix.length + id.length + suffix.length > COMPACT_MAX_STRING_CHARS)
      throw bad(`a string is longer than ${COMPACT_MAX_STRING_CHARS} characters`);
    return prefix + id + suffix;
  }
  fresh(tag: number, depth: number): string {
    switch (tag) {
      case Tag.Text: {
        const raw = this.bytes();
        try {
          return new TextDecoderLite(raw).text();
        } catch {
          throw bad('a string is not UTF-8');
        }
      }
      case Tag.Base64:
        return encodeBase64(this.bytes());
      case Tag.HexLower:
        return encodeHex(this.bytes());
      case Tag.HexUpper:
        return encodeHex(this.bytes()).toUpperCase();
      case Tag.Seconds: {
        const seconds = this.varint();
        if (seconds > MAX_SECONDS) throw bad(`a time of ${seconds} s is after the year 9999`);
        return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
      }
      case Tag.WithUuid: {
        const prefix = this.part(depth);
        const hex = encodeHex(Uint8Array.from({ length: 16 }, () => this.byte()));
        const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        return this.joined(prefix, uuid, this.part(depth));
      }
      case Tag.WithHex32: {
        const prefix = this.part(depth);
        const hex = encodeHex(Uint8Array.from({ length: 16 }, () => this.byte()));
        return this.joined(prefix, hex, this.part(depth));
      }
      default:
        throw bad(`unknown string tag ${tag}`);
    }
  }
  value(depth = 0): unknown {
    if (depth > COMPACT_MAX_VALUE_DEPTH)
      throw bad(`arrays and objects nest deeper than ${COMPACT_MAX_VALUE_DEPTH} levels`);
    const tag = this.byte();
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Uint:
        return this.varint();
      case Tag.NegInt:
        return -this.varint() - 1;
      case Tag.Array: {
        const n = this.varint();
        if (n > this.data.length - this.at) throw bad('an array is longer than the data');
        return Array.from({ length: n }, () => this.value(depth + 1));
      }
      case Tag.Object: {
        const n = this.varint();
        if (n > this.data.length - this.at) throw bad('an object is longer than the data');
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = this.string();
          if (Object.hasOwn(out, key) || key === '__proto__')
            throw bad(`field ${quoteForMessage(key)} twice or forbidden`);
          out[key] = this.value(depth + 1);
        }
        return out;
      }
      default:
        return this.string(tag);
    }
  }
}

/** Strict UTF-8 decoding without TextDecoder (not in this package's ES library). */
class TextDecoderLite {
  constructor(readonly raw: Uint8Array) {}
  text(): string {
    let out = '';
    const r = this.raw;
    for (let i = 0; i < r.length;) {
      const b = r[i]!;
      const n =
        b < 0x80 ? 0 : b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
      if (n < 0 || i + n >= r.length + (n === 0 ? 1 : 0)) throw new Error('bad UTF-8');
      let cp = n === 0 ? b : b & (0x3f >> n);
      for (let k = 1; k <= n; k++) {
        const c = r[i + k]!;
        if ((c & 0xc0) !== 0x80) throw new Error('bad UTF-8');
        cp = (cp << 6) | (c & 0x3f);
      }
      if (
        (n === 2 && cp < 0x800) ||
        (n === 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp < 0xe000)
      )
        throw new Error('bad UTF-8');
      out += String.fromCodePoint(cp);
      i += n + 1;
    }
    return out;
  }
}

/** The QR payload kind of a bundle. */
export function qrKindOfBundle(bundle: Bundle): QrPayloadKind {
  return bundle.format === IMPORT_REQUEST_FORMAT ? 'import-request' : 'wrapped-keys';
}

/** A bundle as compact bytes: a version byte, then the tagged value (an older version for tests of readers). */
export function encodeCompactBundle(
  bundle: Bundle,
  version: number = COMPACT_BUNDLE_VERSION,
): Uint8Array {
  const dictionary = DICTIONARIES[version];
  if (dictionary === undefined)
    throw new ByokError('ERR_INTERNAL', `no compact format version ${version}`);
  const writer = new Writer(dictionary);
  writer.value(bundle);
  return concatBytes(Uint8Array.of(version), Uint8Array.from(writer.parts));
}

/**
 * Compact bytes back to the bundle, validated in full by the bundle's own validator.
 * Throws ByokError('ERR_QR') for malformed bytes, ERR_BUNDLE_INVALID from the validator.
 */
export function decodeCompactBundle(bytes: Uint8Array, kind: 'import-request'): ImportRequestBundle;
export function decodeCompactBundle(bytes: Uint8Array, kind: 'wrapped-keys'): WrappedKeyBundle;
export function decodeCompactBundle(bytes: Uint8Array, kind: QrPayloadKind): Bundle;
export function decodeCompactBundle(bytes: Uint8Array, kind: QrPayloadKind): Bundle {
  const value = decodeCompactValue(bytes);
  if (kind === 'import-request') {
    assertImportRequestBundle(value);
    return value;
  }
  assertWrappedKeyBundle(value);
  return value;
}

/** Compact bytes back to the JSON value they hold, not yet validated as a bundle. */
export function decodeCompactValue(bytes: Uint8Array): unknown {
  if (bytes.length > COMPACT_MAX_BYTES)
    throw bad(`${bytes.length} bytes is more than the ${COMPACT_MAX_BYTES}-byte limit`);
  const dictionary = bytes[0] === undefined ? undefined : DICTIONARIES[bytes[0]];
  if (dictionary === undefined) {
    const known = Object.keys(DICTIONARIES);
    throw bad(
      `compact format version ${bytes[0] ?? 'missing'}, this tool reads ${known.slice(0, -1).join(', ')} and ${known.at(-1)!}`,
    );
  }
  const reader = new Reader(bytes, dictionary);
  reader.at = 1;
  const value = reader.value();
  if (reader.at !== bytes.length) throw bad(`${bytes.length - reader.at} bytes follow the bundle`);
  return value;
}
