import { createPublicKey, verify } from 'node:crypto';
import { resolve } from 'node:path';
import {
  ByokError,
  normalizeCheckCode,
  parseExpectedHead,
  verifyAuditChain,
  type ExpectedHead,
  verifyTranscript,
  type PinnedOperatorKey,
  type PlanOperator,
  type TranscriptResult,
  type VerifyEd25519,
} from '@byok-ceremony/shared';
import { pinsFromPlan } from '../audit/plan-pins.js';
import { readOperatorPublicKey } from './operator-key-file.js';
import { readAuditLogFile } from './read-audit-log-file.js';
import { readPaperRecord } from './read-paper-record.js';

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

/** A plan's operators, whose key fingerprints pin the keys the logs' signatures were made with. */
export interface PlanPins {
  readonly operators: readonly PlanOperator[];
  /** The plan file, named where a pin is reported. */
  readonly source: string;
}

/** Reads the logs and pinned keys and verifies them together; the caller prints the result. */
export async function verifyLogFiles(
  logs: readonly string[],
  pubkeyFiles: readonly string[],
  expectedHeads: readonly string[],
  cwd: string,
  paperRecords: readonly string[] = [],
  plan?: PlanPins,
): Promise<TranscriptResult> {
  const expected: ExpectedHead[] = [];
  for (const typed of expectedHeads) {
    const head = parseExpectedHead(typed, '--expect-head');
    if (head === undefined)
      throw new ByokError('ERR_USAGE', `--expect-head ${JSON.stringify(typed)} is not a log head`, {
        hint:
          normalizeCheckCode(typed) === undefined
            ? 'Give a head as audit head prints it: its head code (6 groups of 4, e.g. 7K2M-Q9XD-1F3A-…) or its 64 hex digits.'
            : 'That is a bundle check code (5 groups); a head code has 6 groups of 4, as audit head prints it.',
      });
    expected.push(head);
  }
  for (const file of paperRecords)
    expected.push(...(await readPaperRecord(resolve(cwd, file), file)));
  const pinned: PinnedOperatorKey[] = [];
  for (const file of pubkeyFiles) {
    const key = await readOperatorPublicKey(resolve(cwd, file));
    pinned.push({ operator: key.name, publicKey: key.publicKey, source: file });
  }
  const chains = [];
  for (const log of logs)
    chains.push(verifyAuditChain(log, await readAuditLogFile(resolve(cwd, log), log)));
  if (plan !== undefined) pinned.push(...pinsFromPlan(plan.operators, chains, plan.source));
  return verifyTranscript(chains, { verifyEd25519, pinnedKeys: pinned, expectedHeads: expected });
}
