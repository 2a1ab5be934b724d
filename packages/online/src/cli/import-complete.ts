import { resolve } from 'node:path';
import { finishedImportKeys } from '../io/finished-import.js';
import type { CliDeps } from './deps.js';
import { DEFAULT_AUDIT_LOG } from './global-options.js';
import type { ImportArgs } from './import-flags.js';

/**
 * The same import run again once it finished (this machine's log records it): said to be
 * complete, naming its keys, exit 0 with nothing sent and nothing logged (docs/online.md).
 */
export async function saidComplete(args: ImportArgs, deps: CliDeps): Promise<boolean> {
  const request = args['request'];
  if (args['resume'] === true || typeof request !== 'string') return false;
  const auditLog = resolve(
    deps.cwd,
    typeof args['audit-log'] === 'string' ? args['audit-log'] : DEFAULT_AUDIT_LOG,
  );
  const keys = await finishedImportKeys(resolve(deps.cwd, request), auditLog);
  if (keys === undefined) return false;
  deps.stderr(
    `byok-online: the import of this request is complete: all ${keys.length} key(s) were imported (as ${auditLog} records); nothing to do\n${keys.map((k) => `byok-online:   ${k}\n`).join('')}byok-online: check them with byok-online status --key-id KEY; a new import needs a new request (byok-online prepare)\n`,
  );
  return true;
}
