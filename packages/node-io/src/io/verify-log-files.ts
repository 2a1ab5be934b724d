import { createPublicKey, verify } from 'node:crypto';
import { resolve } from 'node:path';
import {
  ByokError,
  verifyAuditChain,
  verifyTranscript,
  type PinnedOperatorKey,
  type TranscriptResult,
  type VerifyEd25519,
} from '@byok-ceremony/shared';
import { readOperatorPublicKey } from './operator-key-file.js';
import { readAuditLogFile } from './read-audit-log-file.js';

const HEAD = /^[0-9a-f]{64}$/;

export const verifyEd25519: VerifyEd25519 = (publicKey, payload, signature) => {
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    return (
      key.asymmetricKeyType === 'ed25519' &&
      verify(null, payload, key, Buffer.from(signature, 'base64'))
    );
  } catch {
    return false;
  }
};

/** Reads the logs and pinned keys and verifies them together; the caller prints the result. */
export async function verifyLogFiles(
  logs: readonly string[],
  pubkeyFiles: readonly string[],
  expectedHeads: readonly string[],
  cwd: string,
): Promise<TranscriptResult> {
  const bad = expectedHeads.find((h) => !HEAD.test(h));
  if (bad !== undefined) {
    throw new ByokError('ERR_USAGE', `--expect-head ${JSON.stringify(bad)} is not a log head`, {
      hint: 'A log head is 64 lowercase hex digits, as audit verify and the report print it.',
    });
  }
  const pinned: PinnedOperatorKey[] = [];
  for (const file of pubkeyFiles) {
    const key = await readOperatorPublicKey(resolve(cwd, file));
    pinned.push({ operator: key.name, publicKey: key.publicKey, source: file });
  }
  const chains = [];
  for (const log of logs)
    chains.push(verifyAuditChain(log, await readAuditLogFile(resolve(cwd, log), log)));
  return verifyTranscript(chains, { verifyEd25519, pinnedKeys: pinned, expectedHeads });
}
