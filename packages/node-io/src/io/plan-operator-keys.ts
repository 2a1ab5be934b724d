import { createHash } from 'node:crypto';
import { ByokError, sameOperator, type PlanOperator } from '@byok-ceremony/shared';
import { readOperatorKeyFile } from './operator-key-file.js';

/**
 * A plan-driven command's operator keys: one file per plan operator, in the plan's order, each
 * the key of that operator (its name) with the fingerprint the plan pins. Checked before any
 * prompt, so a key file brought from the wrong bag costs nothing but fetching the right one.
 */
export async function assertPlanOperatorKeys(
  keyFiles: readonly string[],
  operators: readonly PlanOperator[],
  planFile: string,
): Promise<void> {
  if (keyFiles.length !== operators.length)
    throw new ByokError(
      'ERR_OPERATOR_KEY',
      `the plan names ${operators.length} operators but ${keyFiles.length} --operator-key file(s) were given`,
      {
        hint: `The plan pins each operator's key: give --operator-key FILE for ${operators.map((o) => o.name).join(', then ')}, in that order.`,
      },
    );
  for (const [i, operator] of operators.entries()) {
    const file = await readOperatorKeyFile(keyFiles[i]!);
    const fingerprint = createHash('sha256')
      .update(Buffer.from(file.publicKey, 'base64'))
      .digest('hex');
    if (!sameOperator(file.name, operator.name) || fingerprint !== operator.operatorKey)
      throw new ByokError(
        'ERR_OPERATOR_KEY',
        `--operator-key ${keyFiles[i]!} is ${file.name}'s key SHA256:${fingerprint.slice(0, 16)}…, not the key the plan ${planFile} pins for ${operator.name} (SHA256:${operator.operatorKey.slice(0, 16)}…)`,
        {
          hint: `Give the operator keys in the plan's order (${operators.map((o) => o.name).join(', ')}), each the file its operator made with operator keygen; a key made again needs a plan reviewed again.`,
        },
      );
  }
}
