import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readAuditLogEntries } from '@byok-ceremony/node-io';

/**
 * The keys of a finished import of this request file, as this machine's own audit log records
 * them: the last successful `import` entry that read this very file (its SHA-256). Undefined when
 * the log records none. The journal beside the request is not trusted for this: a journal can be
 * planted on the stick, and a planted "everything imported" must not make `import` stop and say
 * it is complete. Only words the answer to a run of the same import again.
 */
export async function finishedImportKeys(
  requestPath: string,
  auditLog: string,
): Promise<string[] | undefined> {
  let requestFile: string;
  try {
    requestFile = createHash('sha256')
      .update(await readFile(requestPath))
      .digest('hex');
  } catch {
    return undefined; // the import itself says what is wrong with the request
  }
  let entries;
  try {
    entries = await readAuditLogEntries(auditLog);
  } catch {
    return undefined; // the import itself refuses a log it cannot use
  }
  const done = entries
    .filter(
      ({ entry }) =>
        entry.command === 'import' &&
        entry.outcome === 'ok' &&
        entry.inputs['requestFile'] === requestFile,
    )
    .at(-1);
  if (done === undefined) return undefined;
  return done.entry.keys.flatMap((k) => (k.keyArn === null ? [] : [k.keyArn]));
}
