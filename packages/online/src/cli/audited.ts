import {
  readInputFile,
  runAudited,
  type AuditedRun,
  type AuditSession,
  type Ceremony,
} from '@byok-ceremony/node-io';
import type { OnlinePorts } from '../ops/ceremony-ports.js';
import type { WaitOptions } from '../ops/wait-for-imported.js';
import type { CliDeps } from './deps.js';
import { openKms, type GlobalOptions } from './global-options.js';
import { TOOL, TOOL_VERSION } from './tool.js';

/** How long to wait for a key to leave PendingImport after ImportKeyMaterial. */
const WAIT_BUDGET_MS = 30_000;

/** Runs a byok-online command body through the one audited runner, on this tool's log. */
export function runOnlineAudited<T>(
  deps: CliDeps,
  globals: GlobalOptions,
  session: AuditSession,
  body: (run: AuditedRun) => Promise<Ceremony<T>>,
): Promise<T> {
  return runAudited(session, body, {
    auditLog: globals.auditLog,
    tool: TOOL,
    toolVersion: TOOL_VERSION,
    now: deps.now,
    stderr: deps.stderr,
    ...(deps.sayLast === undefined ? {} : { sayLast: deps.sayLast }),
  });
}

/** The ports of the online operations, bound to the process and this command's session. */
export function onlinePorts(
  deps: CliDeps,
  globals: GlobalOptions,
  session: AuditSession,
): OnlinePorts {
  return {
    openKms: (region) =>
      openKms(deps, region === undefined ? globals : { ...globals, region }, session),
    now: deps.now,
    readFile: readInputFile,
    say: (line) => {
      deps.stderr(`${TOOL}: ${line}\n`);
    },
  };
}

export function waitOptions(deps: CliDeps): WaitOptions {
  return {
    sleep: deps.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))),
    budgetMs: WAIT_BUDGET_MS,
  };
}
