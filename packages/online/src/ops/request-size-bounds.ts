import {
  ByokError,
  IMPORT_REQUEST_FORMAT,
  IMPORT_REQUEST_VERSION,
  IMPORT_TOKENS_FORMAT,
  IMPORT_TOKENS_VERSION,
  KEY_SPEC_RULES,
  MODULUS_BYTES,
  canonicalJson,
  isAesKeyWrapAlgorithm,
  maxMaterialBytes,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import { INPUT_FILE_LIMITS } from '@byok-ceremony/node-io';

/**
 * What prepare knows of one target before it writes anything. `keySpec` and `wrappingAlgorithm`
 * are undefined while unknown (a flag-driven prepare before DescribeKey): such a target is
 * counted at the least any key takes in the wrapped bundle (a modulus-sized blob, as symmetric
 * and HMAC keys take), so a refusal then is certain, and the check after DescribeKey is exact.
 */
export interface TargetShape {
  readonly keySpec: KeySpec | undefined;
  readonly wrappingAlgorithm: WrappingAlgorithm | undefined;
  /** The key ARN's length if known, else ARN_MAX_CHARS. */
  readonly arnChars: number;
}

/** A KMS key ARN: `arn:` + partition + `:kms:` + Region + account + `:key/` + a 36-character id. */
export const ARN_MAX_CHARS = 128;
/**
 * The largest import token the bound allows for (bytes). KMS's are about 1.2–1.5 KB and the
 * simulator's 1,206; the format takes up to 6,144, so prepare checks the tokens file it is about
 * to write again, at its real size, before writing it.
 */
export const TOKEN_BOUND_BYTES = 2048;
/**
 * The wrapped bundle's fields that do not grow with the keys (ids, digests, times and the
 * offline operators, whom prepare cannot know): 64 KiB is over 200 operators of 64 characters.
 */
const WRAPPED_FIXED_ALLOWANCE_BYTES = 64 * 1024;
/** The format's cap on an encrypted key material blob (docs/bundle-format.md). */
const BLOB_MAX_BYTES = 6144;

const base64Chars = (bytes: number): number => 4 * Math.ceil(bytes / 3);
const textBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value, null, 2));
/** What one more element adds to an array printed as the writers print them (indent 2). */
const perElement = (element: unknown, wrap: (items: unknown[]) => unknown): number =>
  textBytes(wrap([element, element])) - textBytes(wrap([element]));

/** The DER SubjectPublicKeyInfo of an RSA key: 294, 422, 550 bytes for 2048, 3072, 4096. */
const rsaSpkiBytes = (modulusBytes: number): number => modulusBytes + 38;

/** The largest EncryptedKeyMaterial for a target (bytes). */
function blobBytes(target: TargetShape, wrappingKeySpec: WrappingKeySpec): number {
  const modulus = MODULUS_BYTES[wrappingKeySpec];
  const { keySpec, wrappingAlgorithm } = target;
  if (keySpec === undefined || wrappingAlgorithm === undefined) return modulus;
  if (!isAesKeyWrapAlgorithm(wrappingAlgorithm)) return modulus;
  const rule = KEY_SPEC_RULES[keySpec].material;
  const material = rule === undefined ? Number.POSITIVE_INFINITY : maxMaterialBytes(rule);
  // RSA_AES_KEY_WRAP: the wrapped AES key, then AES-KWP of the material (padded to 8, plus 8).
  return Math.min(BLOB_MAX_BYTES, modulus + 8 * Math.ceil(material / 8) + 8);
}

/** The largest proof a material record can carry for the key spec (bytes, before base64). */
function proofOf(keySpec: KeySpec | undefined): unknown {
  const rule = keySpec === undefined ? undefined : KEY_SPEC_RULES[keySpec].material;
  if (rule === undefined || rule.kind === 'symmetric') return { kind: 'kcv-only' };
  if (rule.kind === 'hmac') return { kind: 'hmac', mac: 'A'.repeat(base64Chars(64)) };
  const der = rule.kind === 'rsa-private' ? rsaSpkiBytes(rule.modulusBits / 8) : 160;
  return { kind: 'public-key', publicKey: 'A'.repeat(base64Chars(der)) };
}

const LONGEST_KEY_SPEC = 'ECC_NIST_EDWARDS25519';
const LONGEST_KEY_USAGE = 'GENERATE_VERIFY_MAC';
const LONGEST_ALGORITHM = 'RSA_AES_KEY_WRAP_SHA_256';
const LONGEST_GROUP = 'g'.repeat(64);
const HEX64 = '0'.repeat(64);
const UUID = '00000000-0000-0000-0000-000000000000';
/** RFC 3339 with nine fractional digits, the longest time the formats take. */
const TIME = '2026-01-01T00:00:00.000000000Z';

/** The largest request target for a key of this shape (version 3: the token's SHA-256). */
function requestTarget(target: TargetShape, wrappingKeySpec: WrappingKeySpec): unknown {
  return {
    keyArn: 'a'.repeat(target.arnChars),
    keySpec: target.keySpec ?? LONGEST_KEY_SPEC,
    keyUsage: LONGEST_KEY_USAGE,
    materialGroup: LONGEST_GROUP,
    wrappingAlgorithm: target.wrappingAlgorithm ?? LONGEST_ALGORITHM,
    wrappingKeySpec,
    publicKey: 'A'.repeat(base64Chars(rsaSpkiBytes(MODULUS_BYTES[wrappingKeySpec]))),
    importTokenSha256: HEX64,
    parametersValidTo: TIME,
    importType: 'EXISTING_KEY_MATERIAL',
    keyMaterialId: HEX64,
    expectedKcv: '000000',
  };
}

export interface RequestSizeInput {
  readonly targets: readonly TargetShape[];
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly operators: readonly string[];
  readonly ceremonyName: string | null;
}

export interface SizeBounds {
  /** The import request as prepare writes it (wrap and import read it). */
  readonly request: number;
  /** The wrapped-key bundle wrap will write (import reads it). */
  readonly wrapped: number;
  /** REQUEST.tokens.json (import reads it). */
  readonly tokens: number;
}

/** What the three files take whatever the keys (bytes). */
function fixedBytes(input: RequestSizeInput): SizeBounds {
  return {
    request: textBytes({
      format: IMPORT_REQUEST_FORMAT,
      version: IMPORT_REQUEST_VERSION,
      ceremonyId: UUID,
      createdAt: TIME,
      operators: input.operators,
      auditLogHead: HEX64,
      planDigest: HEX64,
      ceremonyName: input.ceremonyName ?? null,
      targets: [],
    }),
    wrapped: WRAPPED_FIXED_ALLOWANCE_BYTES,
    tokens: Buffer.byteLength(
      `${canonicalJson({
        format: IMPORT_TOKENS_FORMAT,
        version: IMPORT_TOKENS_VERSION,
        requestDigest: HEX64,
        tokens: [],
      })}\n`,
    ),
  };
}

/** An array element in a top-level field, as the writers print it. */
const inArray = (items: unknown[]): unknown => ({ items });

/** What one target of this shape adds to each file at most (bytes). */
function perTargetBytes(target: TargetShape, wrappingKeySpec: WrappingKeySpec): SizeBounds {
  const wrappedTarget = {
    keyArn: 'a'.repeat(target.arnChars),
    materialGroup: LONGEST_GROUP,
    wrappingKeyFingerprint: HEX64,
    encryptedKeyMaterial: 'A'.repeat(base64Chars(blobBytes(target, wrappingKeySpec))),
  };
  // At most one material record per target (there is one per material group).
  const material = {
    materialGroup: LONGEST_GROUP,
    keySpec: target.keySpec ?? 'SYMMETRIC_DEFAULT',
    source: 'components',
    kcv: '000000',
    proof: proofOf(target.keySpec),
  };
  const token = {
    keyArn: 'a'.repeat(target.arnChars),
    importToken: 'A'.repeat(base64Chars(TOKEN_BOUND_BYTES)),
  };
  return {
    request: perElement(requestTarget(target, wrappingKeySpec), inArray),
    wrapped: perElement(wrappedTarget, inArray) + perElement(material, inArray),
    // Canonical JSON: the element and one comma.
    tokens: canonicalJson(token).length + 1,
  };
}

const FILES = ['request', 'wrapped', 'tokens'] as const;

/** Targets of one shape add the same to each file. */
const shapeKey = (t: TargetShape): string => `${t.keySpec}|${t.wrappingAlgorithm}|${t.arnChars}`;

/** Upper bounds, in bytes, of the three files a ceremony of these targets writes. */
export function requestSizeBounds(input: RequestSizeInput): SizeBounds {
  const total = { ...fixedBytes(input) };
  // Targets of one shape add the same: each shape is measured once.
  const measured = new Map<string, SizeBounds>();
  for (const target of input.targets) {
    const shape = shapeKey(target);
    let bytes = measured.get(shape);
    if (bytes === undefined) {
      bytes = perTargetBytes(target, input.wrappingKeySpec);
      measured.set(shape, bytes);
    }
    for (const f of FILES) total[f] += bytes[f];
  }
  return total;
}

/** The limits the readers apply: wrap and import to the request and wrapped bundle, import to the tokens. */
export const READ_LIMITS: SizeBounds = {
  request: INPUT_FILE_LIMITS['import request'],
  wrapped: INPUT_FILE_LIMITS['wrapped-key bundle'],
  tokens: INPUT_FILE_LIMITS['import tokens file'],
};

const FILE_NAMES: Record<keyof SizeBounds, string> = {
  request: 'import request',
  wrapped: 'wrapped-key bundle wrap would write',
  tokens: 'import tokens file',
};

/** The most targets of this shape whose three files stay within the readers' limits. */
export function largestBatchThatFits(
  input: Omit<RequestSizeInput, 'targets'>,
  shape: TargetShape,
): number {
  const fixed = fixedBytes({ ...input, targets: [] });
  const per = perTargetBytes(shape, input.wrappingKeySpec);
  return Math.max(
    0,
    Math.min(...FILES.map((f) => Math.floor((READ_LIMITS[f] - fixed[f]) / per[f]))),
  );
}

/**
 * Refuses a request whose request, wrapped bundle or tokens file may exceed what wrap and import
 * read, naming the largest batch of such keys that fits. `done` says what has happened so far.
 */
export function assertRequestFits(input: RequestSizeInput, done: string): void {
  const bounds = requestSizeBounds(input);
  const over = FILES.filter((f) => bounds[f] > READ_LIMITS[f]);
  if (over.length === 0) return;
  // The batch is counted in keys like the largest of this request's.
  const sizeOf = (t: TargetShape): number => {
    const b = perTargetBytes(t, input.wrappingKeySpec);
    return b.request + b.wrapped + b.tokens;
  };
  const shapes = new Map(input.targets.map((t) => [shapeKey(t), t]));
  const largest = [...shapes.values()].reduce((a, b) => (sizeOf(a) >= sizeOf(b) ? a : b));
  const most = largestBatchThatFits(input, largest);
  const mib = (n: number): string => (n / 2 ** 20).toFixed(1);
  const what = over
    .map(
      (f) =>
        `the ${FILE_NAMES[f]} may take up to ${mib(bounds[f])} MiB, above the ${mib(READ_LIMITS[f])} MiB its reader accepts`,
    )
    .join('; ');
  throw new ByokError(
    'ERR_REQUEST_TOO_LARGE',
    `${input.targets.length} keys with ${input.wrappingKeySpec} wrapping keys are too many for one request: ${what}`,
    {
      hint: `At most ${most} keys of this kind with ${input.wrappingKeySpec} wrapping keys fit in one request: run prepare with at most ${most} --key-id values (or split the plan) per request, each its own prepare, wrap and import. ${done}`,
    },
  );
}
