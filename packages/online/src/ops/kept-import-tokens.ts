import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ByokError,
  assertImportTokensFile,
  importTokensPathOf,
  isByokError,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import { parseJsonFile } from '@byok-ceremony/node-io';

/** Said with every refusal: where the tokens come from, and what works when they are lost. */
const TOKENS_HINT =
  "prepare wrote the import tokens beside the request as REQUEST.tokens.json and they never leave this machine: put that file, unchanged, in the folder of the request given to --request. If it is lost or is not this request's, run prepare again (new parameters) and wrap again with the same material (recover it from the backup).";

function refused(message: string, cause?: unknown): ByokError {
  return new ByokError('ERR_IMPORT_TOKENS', message, {
    hint: TOKENS_HINT,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Reads the tokens file beside a version 3 request; its absence is refused with the hint. */
export async function readKeptTokens(
  requestPath: string,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<{ readonly path: string; readonly bytes: Uint8Array }> {
  const path = importTokensPathOf(requestPath);
  try {
    return { path, bytes: await readFile(path) };
  } catch (error) {
    if (isByokError(error) && error.code === 'ERR_INPUT_FILE')
      throw refused(
        `the request ${requestPath} carries only the hashes of its import tokens, and the tokens file beside it cannot be read: ${error.message}`,
        error,
      );
    throw error;
  }
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/**
 * The import token of each target of a request, in target order. A version 1 or 2 request
 * carries them; a version 3 request's come from the tokens file prepare kept, which must be
 * this request's (its requestDigest) and hold, per target, the token whose SHA-256 the request
 * (and so the check code) binds.
 */
export function importTokensOf(
  request: ImportRequestBundle,
  requestDigest: string,
  kept: { readonly path: string; readonly bytes: Uint8Array } | undefined,
): Uint8Array[] {
  if (request.version !== 3)
    return request.targets.map((t) => Buffer.from(t.importToken ?? '', 'base64'));
  if (kept === undefined) throw refused('a version 3 request needs its tokens file');
  const file = parseJsonFile(kept.bytes, kept.path, 'import tokens file');
  try {
    assertImportTokensFile(file);
  } catch (error) {
    throw refused(
      `the tokens file ${kept.path} is not one prepare writes: ${(error as Error).message}`,
      error,
    );
  }
  if (file.requestDigest !== requestDigest)
    throw refused(
      `the tokens file ${kept.path} belongs to another request (digest ${file.requestDigest}, this request's is ${requestDigest})`,
    );
  if (file.tokens.length !== request.targets.length)
    throw refused(
      `the tokens file ${kept.path} has ${file.tokens.length} token(s) for the request's ${request.targets.length} key(s)`,
    );
  const problems: string[] = [];
  const tokens = request.targets.map((target, i) => {
    const kept = file.tokens[i]!;
    const token = Buffer.from(kept.importToken, 'base64');
    if (kept.keyArn !== target.keyArn)
      problems.push(
        `token ${i} is for ${kept.keyArn}, the request's target ${i} is ${target.keyArn}`,
      );
    // Both digests are public; the constant-time compare costs nothing and leaks nothing.
    else if (!timingSafeEqual(sha256(token), Buffer.from(target.importTokenSha256 ?? '', 'hex')))
      problems.push(
        `the token for ${target.keyArn} is not the one whose SHA-256 the request carries`,
      );
    return token;
  });
  if (problems.length > 0)
    throw new ByokError(
      'ERR_IMPORT_TOKENS',
      `the tokens file ${kept.path} does not match the request:\n${problems.join('\n')}`,
      { hint: TOKENS_HINT, details: problems },
    );
  return tokens;
}
