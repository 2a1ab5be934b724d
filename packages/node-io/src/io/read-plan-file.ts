import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import {
  ByokError,
  checkPlan,
  digestPlan,
  parsePlanText,
  parseStrictJson,
  type DigestedPlan,
} from '@byok-ceremony/shared';
import { readInputFile } from './read-input-file.js';

/** A checked plan, its digest and code, where it was read, and the text of each policy file. */
export interface LoadedPlan extends DigestedPlan {
  readonly path: string;
  /** Policy file (as the plan names it) → its text, exactly as KMS is to receive it. */
  readonly policies: ReadonlyMap<string, string>;
}

/**
 * Reads and checks a ceremony plan and the policy files it names (beside it or below its
 * folder, regular files, not links), so that a plan is refused whole before any command acts
 * on it. No network: `plan check` and byok-offline read plans with this too.
 */
export async function readPlanFile(path: string): Promise<LoadedPlan> {
  const text = utf8(await readInputFile(path, 'ceremony plan'), path, 'plan');
  const plan = checkPlan(await parsePlanText(text, path), path);
  const policies = new Map<string, string>();
  const policyDigests: Record<string, string> = {};
  for (const file of new Set(
    plan.keys.flatMap((k) => (k.policyFile === null ? [] : [k.policyFile])),
  )) {
    const full = join(dirname(path), file);
    const bytes = await readInputFile(full, 'key policy', { regularFileOnly: true });
    const policy = utf8(bytes, full, 'key policy');
    assertPolicyDocument(policy, full);
    policies.set(file, policy);
    policyDigests[file] = createHash('sha256').update(bytes).digest('hex');
  }
  return { ...digestPlan(plan, policyDigests), path, policies };
}

function utf8(bytes: Uint8Array, path: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ByokError('ERR_INPUT_FILE', `the ${what} ${path} is not UTF-8 text`, {
      hint: `Give the ${what} as a UTF-8 text file (docs/plan-format.md).`,
    });
  }
}

/** A key policy is a JSON object with a Statement (KMS checks the rest when it is set). */
function assertPolicyDocument(text: string, path: string): void {
  let document: unknown;
  try {
    document = parseStrictJson(text);
  } catch (error) {
    throw new ByokError(
      'ERR_INPUT_FILE',
      `the key policy ${path} is not JSON: ${(error as Error).message}`,
      {
        hint: 'A key policy is a JSON document ({"Version": "2012-10-17", "Statement": [...]}); docs/plan-format.md has one.',
      },
    );
  }
  if (
    typeof document !== 'object' ||
    document === null ||
    Array.isArray(document) ||
    !('Statement' in document)
  )
    throw new ByokError('ERR_INPUT_FILE', `the key policy ${path} has no Statement`, {
      hint: 'A key policy is a JSON object with Version and Statement; docs/plan-format.md has one.',
    });
}
