import { ByokError } from '@byok-ceremony/shared';
import { AUDIT_LOG_MAX_BYTES } from './input-limits.js';
import { BoundedReadError, readFileBounded } from './read-bounded.js';

/** An audit log's text, within the log size limit, for verifying it; `shown` is the name the operator gave. */
export async function readAuditLogFile(path: string, shown: string): Promise<string> {
  try {
    return (await readFileBounded(path, AUDIT_LOG_MAX_BYTES)).toString('utf8');
  } catch (error) {
    throw new ByokError(
      'ERR_INPUT_FILE',
      error instanceof BoundedReadError
        ? `the audit log ${shown} is refused: ${error.message}`
        : `cannot read the audit log ${shown}: ${(error as Error).message}`,
      {
        hint: 'Name each log file as written by byok-offline and byok-online (--audit-log).',
      },
    );
  }
}
