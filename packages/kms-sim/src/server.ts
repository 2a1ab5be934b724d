import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ADMIN_JSON, answerAdminRequest } from './admin/admin-request.js';
import type { AdminRequestDeps } from './admin/admin-request.js';
import { KMS_TARGET_PREFIX } from './model/kms-model.js';
import { answerKmsRequest } from './protocol/kms-request.js';
import type { KmsRequestDeps } from './protocol/kms-request.js';
import { failedOutcome } from './protocol/outcome.js';
import type { Outcome } from './protocol/outcome.js';
import { keyIdOfBody, recordOutcome } from './protocol/request-log.js';
import type { RequestLog } from './protocol/request-log.js';
import { readBody, sendJson } from './protocol/wire.js';

export interface ServerDeps extends KmsRequestDeps, AdminRequestDeps {
  log?: (line: string) => void;
  requestLog?: RequestLog;
}

/** The operation an X-Amz-Target header names, shortened for the logs. */
function operationOf(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  const prefix = `${KMS_TARGET_PREFIX}.`;
  return typeof target === 'string' && target.startsWith(prefix)
    ? target.slice(prefix.length, prefix.length + 64)
    : undefined;
}

/** Reads the body, then hands the request to the admin endpoints or to KMS. */
async function route(req: IncomingMessage, deps: ServerDeps): Promise<Outcome> {
  const isAdmin = (req.url ?? '').startsWith('/_sim/');
  const operation = isAdmin ? undefined : operationOf(req);
  const outcome: Outcome = { status: 0, ...(operation === undefined ? {} : { operation }) };
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    const admin = `${req.method ?? ''} ${(req.url ?? '').slice(0, 64)}`;
    return failedOutcome(isAdmin ? { ...outcome, admin } : outcome, error, deps.log);
  }
  try {
    if (isAdmin) return answerAdminRequest(req, body, deps);
  } catch (error) {
    return failedOutcome({ ...outcome, contentType: ADMIN_JSON }, error, deps.log);
  }
  // Only the request log shows the KeyId: without one, the body is parsed once, by the handler.
  const keyId = deps.requestLog === undefined ? undefined : keyIdOfBody(body);
  if (keyId !== undefined) outcome.keyId = keyId;
  try {
    return await answerKmsRequest(req, body, outcome, deps);
  } catch (error) {
    return failedOutcome(outcome, error, deps.log);
  }
}

/** Logs the outcome, then answers it, or drops the connection for an injected reset. */
function answer(
  req: IncomingMessage,
  res: ServerResponse,
  outcome: Outcome,
  started: number,
  deps: ServerDeps,
): void {
  try {
    recordOutcome(outcome, started, deps.requestLog, deps.log);
  } catch (error) {
    deps.log?.(`request log failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (outcome.fault === 'reset') {
    req.socket.destroy();
    return;
  }
  try {
    sendJson(res, outcome.status, outcome.body, outcome.contentType);
  } catch {
    req.socket.destroy();
  }
}

/** The HTTP face of the simulator: it only routes; handlers do the work. */
export function createSimServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    const started = Date.now();
    void route(req, deps).then((outcome) => {
      answer(req, res, outcome, started, deps);
    });
  });
  // AWS endpoints keep idle connections open far longer than Node's 5 s default; closing sooner
  // races clients that reuse the socket (ECONNRESET) after a pause of a few seconds.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  return server;
}
