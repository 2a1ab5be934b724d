import {
  parseOperatorKeyFile,
  parseOperatorPublicKey,
  type OperatorKeyFile,
  type OperatorPublicKeyFile,
} from '@byok-ceremony/shared';
import { parseJsonFile, readInputFile } from './read-input-file.js';

export async function readOperatorKeyFile(path: string): Promise<OperatorKeyFile> {
  const bytes = await readInputFile(path, 'operator key', { regularFileOnly: true });
  return parseOperatorKeyFile(parseJsonFile(bytes, path, 'operator key'), path);
}

/** An operator's name and public key, from the public file or the key file itself. */
export async function readOperatorPublicKey(path: string): Promise<OperatorPublicKeyFile> {
  const bytes = await readInputFile(path, 'operator public key');
  return parseOperatorPublicKey(parseJsonFile(bytes, path, 'operator public key'), path);
}
