import {
  runAudited,
  type AuditedRun,
  type AuditSession,
  type Ceremony,
  type CliDeps,
} from '@byok-ceremony/node-io';
import { TOOL, TOOL_VERSION } from './tool.js';

/** Runs a byok-offline command body through the one audited runner, on this machine's log. */
export function runOfflineAudited<T>(
  deps: CliDeps,
  auditLog: string,
  session: AuditSession,
  body: (run: AuditedRun) => Promise<Ceremony<T>>,
): Promise<T> {
  return runAudited(session, body, {
    auditLog,
    tool: TOOL,
    toolVersion: TOOL_VERSION,
    now: deps.now,
    stderr: deps.stderr,
    ...(deps.sayLast === undefined ? {} : { sayLast: deps.sayLast }),
  });
}

/** A line for the operators on stderr, named by the tool. */
export function sayOn(deps: CliDeps): (line: string) => void {
  return (line) => {
    deps.stderr(`${TOOL}: ${line}\n`);
  };
}
