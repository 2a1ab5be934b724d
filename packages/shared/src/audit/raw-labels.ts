/** The digest labels of raw mode (prepare --raw-dir, wrap raw, import raw), see docs/audit-log.md. */
export type RawParameterFile = 'PublicKey' | 'ImportToken';

/** wrap raw's input: the wrapping public key it read (PublicKey.bin or the console zip's). */
export const RAW_PUBLIC_KEY_LABEL = 'publicKey';
/** import raw's input: the import token it sent. */
export const RAW_IMPORT_TOKEN_LABEL = 'importToken';
/** wrap raw's output and import raw's input: EncryptedKeyMaterial.bin. */
export const RAW_MATERIAL_LABEL = 'encryptedKeyMaterial';

/**
 * The label prepare --raw-dir gives one of the files it wrote for one key: `raw:KEY_ID:FILE`.
 * A key id is at most 36 characters of [a-z0-9-], so the label fits the entry's label grammar.
 */
export function rawParameterLabel(keyId: string, file: RawParameterFile): string {
  return `raw:${keyId}:${file}`;
}

/** The key id a prepare output label names for that raw file, or undefined for another label. */
export function keyIdOfRawLabel(label: string, file: RawParameterFile): string | undefined {
  const match = /^raw:([a-z0-9-]{1,36}):([A-Za-z]+)$/.exec(label);
  return match !== null && match[2] === file ? match[1] : undefined;
}
