/** The size limit of each kind of input file, checked before it is parsed (docs/bundle-format.md). */
export const INPUT_FILE_LIMITS = {
  /** A thousand RSA_4096 targets are about 3 MB of JSON. */
  'import request': 16 * 1024 * 1024,
  'wrapped-key bundle': 16 * 1024 * 1024,
  /** A version 3 request's tokens, kept online: 10,000 real tokens are about 20 MB of base64. */
  'import tokens file': 64 * 1024 * 1024,
  'operator key': 64 * 1024,
  'operator public key': 64 * 1024,
  'passphrase file': 64 * 1024,
  /** A token's user PIN (pin-source=file: of an --hsm URI). */
  'PIN file': 4 * 1024,
  /** Raw key material or a PKCS#8 private key (PEM or DER); RSA_4096 PEM is about 3.3 kB. */
  'material file': 64 * 1024,
  'public key file': 64 * 1024,
  /** Raw mode: ImportToken.bin and the wrapped blob, each at most 6,144 bytes in the KMS model. */
  'import token': 64 * 1024,
  'encrypted key material': 64 * 1024,
  /** The AWS console's import-parameters zip: a few KB (docs/backup-format.md). */
  'console zip': 256 * 1024,
  /** A material set of 100 RSA_4096 keys is about 330 KB; its age file a little more. */
  'material set': 1024 * 1024,
  'age file': 1024 * 1024,
  /** A share carries the whole set, base64: about 4/3 of it. */
  'share file': 2 * 1024 * 1024,
  'component file': 64 * 1024,
  'age identity file': 64 * 1024,
  /** A ceremony plan (docs/plan-format.md); the plan checker holds its own limit too. */
  'ceremony plan': 4 * 1024 * 1024,
  /** A key policy: KMS takes at most 32 kB. */
  'key policy': 32 * 1024,
  /** prepare --reimport --original-record: an earlier ceremony's audit log, as large as any log. */
  'original record': 256 * 1024 * 1024,
  /** recover --shares: a scan or photograph of a share page (as QR_IMAGE_FILE_MAX_BYTES). */
  'share image': 128 * 1024 * 1024,
  /** status --record: the ceremony's audit log, for the KCVs it recorded. */
  'audit log': 256 * 1024 * 1024,
} as const;

export type InputFileKind = keyof typeof INPUT_FILE_LIMITS;

/** An audit log (each line at most AUDIT_LINE_MAX_CHARS); a ceremony's log is far below this. */
export const AUDIT_LOG_MAX_BYTES = INPUT_FILE_LIMITS['original record'];
/** A PNG or JPEG still to scan (its pixels are limited again from its header). */
export const QR_IMAGE_FILE_MAX_BYTES = 128 * 1024 * 1024;
