import { unzipSync } from 'fflate';
import { ByokError } from '@byok-ceremony/shared';

/** The console's zip holds two small files and a README; a far larger one is not it. */
export const CONSOLE_ZIP_MAX_BYTES = 256 * 1024;
const ENTRY_MAX_BYTES = 16 * 1024;
const MAX_ENTRIES = 8;
const IMPORT_TOKEN_MAX_BYTES = 6144;
const KEY_ID = '[A-Za-z0-9-]{1,64}';

export interface ConsoleImportParameters {
  /** Which of the two known layouts the zip has. */
  readonly layout: 'plain' | 'key-id';
  /** The key id the file names carry (`key-id` layout only). */
  readonly keyId: string | undefined;
  readonly publicKey: Uint8Array;
  readonly importToken: Uint8Array;
}

function invalid(message: string): ByokError {
  return new ByokError('ERR_CONSOLE_ZIP', message, {
    hint: 'Give the import-parameters zip the AWS console downloaded, unchanged (WrappingPublicKey.bin + ImportToken.bin + README.txt, or wrappingKey_<id> + importToken_<id> + README_<id>.txt).',
  });
}

type Role = 'publicKey' | 'importToken' | 'readme';

/** Which file of which layout a zip entry name is; undefined for a name neither layout has. */
function roleOf(
  name: string,
): { role: Role; layout: 'plain' | 'key-id'; keyId?: string } | undefined {
  if (name === 'WrappingPublicKey.bin') return { role: 'publicKey', layout: 'plain' };
  if (name === 'ImportToken.bin') return { role: 'importToken', layout: 'plain' };
  if (name === 'README.txt') return { role: 'readme', layout: 'plain' };
  const m = new RegExp(`^(wrappingKey|importToken|README)_(${KEY_ID})(\\.txt)?$`).exec(name);
  if (m === null || (m[1] === 'README') !== (m[3] !== undefined)) return undefined;
  const role: Role =
    m[1] === 'wrappingKey' ? 'publicKey' : m[1] === 'importToken' ? 'importToken' : 'readme';
  return { role, layout: 'key-id', keyId: m[2]! };
}

/**
 * Reads the AWS console's import-parameters zip with fflate (a maintained, dependency-free
 * zip reader): only the entry names of the two known layouts, each at most 16 KiB as declared
 * (the declared size also bounds what inflation writes, so no zip bomb), no name twice, stored
 * or deflated only. The wrapping key is then checked as --public-key is; the token's size here.
 */
export function readConsoleZip(zip: Uint8Array): ConsoleImportParameters {
  if (zip.length > CONSOLE_ZIP_MAX_BYTES)
    throw invalid(
      `the zip has ${zip.length} bytes; the console's is a few KB (at most ${CONSOLE_ZIP_MAX_BYTES} accepted)`,
    );
  const seen: string[] = [];
  const problems: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (entry) => {
        if (seen.includes(entry.name)) problems.push(`${entry.name} is in the zip twice`);
        seen.push(entry.name);
        if (roleOf(entry.name) === undefined)
          problems.push(`unexpected entry ${JSON.stringify(entry.name.slice(0, 80))}`);
        else if (entry.originalSize > ENTRY_MAX_BYTES || entry.size > ENTRY_MAX_BYTES)
          problems.push(`${entry.name} is larger than ${ENTRY_MAX_BYTES} bytes`);
        else if (entry.compression !== 0 && entry.compression !== 8)
          problems.push(`${entry.name} uses compression method ${entry.compression}`);
        return problems.length === 0 && seen.length <= MAX_ENTRIES;
      },
    });
  } catch (error) {
    throw invalid(`the file is not a readable zip (${(error as Error).message})`);
  }
  if (seen.length > MAX_ENTRIES) problems.push(`the zip has ${seen.length} entries`);
  if (problems.length > 0)
    throw invalid(`the zip is not the console's import parameters: ${problems.join('; ')}`);
  const entries = Object.entries(files).map(([name, bytes]) => ({ ...roleOf(name)!, name, bytes }));
  const layouts = new Set(entries.map((e) => e.layout));
  const keyIds = new Set(entries.flatMap((e) => (e.keyId === undefined ? [] : [e.keyId])));
  if (layouts.size !== 1 || keyIds.size > 1)
    throw invalid(
      `the zip mixes file names of two layouts or two keys (${entries.map((e) => e.name).join(', ')})`,
    );
  const pick = (role: Role): Uint8Array => {
    const found = entries.filter((e) => e.role === role);
    if (found.length !== 1)
      throw invalid(
        `the zip has no ${role === 'publicKey' ? 'wrapping public key' : role === 'importToken' ? 'import token' : 'README'}`,
      );
    return found[0]!.bytes;
  };
  const publicKey = pick('publicKey');
  const importToken = pick('importToken');
  pick('readme');
  if (importToken.length < 1 || importToken.length > IMPORT_TOKEN_MAX_BYTES)
    throw invalid(
      `the import token has ${importToken.length} bytes; KMS tokens are 1 to ${IMPORT_TOKEN_MAX_BYTES}`,
    );
  const layout = [...layouts][0]!;
  return { layout, keyId: [...keyIds][0], publicKey, importToken };
}
