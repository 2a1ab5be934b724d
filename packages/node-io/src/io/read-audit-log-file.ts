import { readFile } from 'node:fs/promises';
import { ByokError } from '@byok-ceremony/shared';

/** An audit log's text, for verifying it; `shown` is the name the operator gave. */
export async function readAuditLogFile(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ByokError(
      'ERR_INPUT_FILE',
      `cannot read the audit log ${shown}: ${(error as Error).message}`,
      {
        hint: 'Name each log file as written by byok-offline and byok-online (--audit-log).',
      },
    );
  }
}
