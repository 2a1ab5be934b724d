import { resolve } from 'node:path';
import { ByokError, headCodeOf, verifyAuditChain } from '@byok-ceremony/shared';
import { readAuditLogFile } from './read-audit-log-file.js';

/** Each log's head (the hash of its last line), for the paper record; nothing is verified. */
export async function logHeads(
  logs: readonly string[],
  cwd: string,
): Promise<
  { file: string; tool: string | null; lineCount: number; head: string; headCode: string }[]
> {
  const heads = [];
  for (const log of logs) {
    const chain = verifyAuditChain(log, await readAuditLogFile(resolve(cwd, log), log));
    if (chain.head === null)
      throw new ByokError('ERR_AUDIT_LOG', `the audit log ${log} has no entries`, {
        hint: 'Name the log file the ceremony commands wrote (--audit-log).',
      });
    heads.push({
      file: log,
      tool: chain.tool,
      lineCount: chain.lineCount,
      head: chain.head,
      headCode: headCodeOf(chain.head),
    });
  }
  return heads;
}
