/** How many leading hex digits of a file's SHA-256 people read aloud to compare it: 96 bits. */
export const READ_ALOUD_HEX_DIGITS = 24;

/**
 * The first 24 hex digits of a SHA-256, lowercase, in six groups of four: the form in which
 * operators compare the byok-offline file on the air-gapped machine with the build. It is what
 * the operating system's own tools print, without trusting the carried file:
 * `sha256sum FILE | cut -c1-4,5-8,9-12,13-16,17-20,21-24 --output-delimiter=' '`.
 */
export function sha256ReadAloud(digestHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(digestHex))
    throw new TypeError('a SHA-256 is 64 lowercase hex digits');
  return (digestHex.slice(0, READ_ALOUD_HEX_DIGITS).match(/.{4}/g) ?? []).join(' ');
}
