import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { KmsError } from './errors.js';
import type { Handler, HandlerContext } from './handlers/context.js';
import type { ImplementedOperation } from './model/kms-types.js';
import { HANDLERS } from './handlers/index.js';
import { KMS_TARGET_PREFIX, OPERATIONS } from './model/kms-model.js';
import { decideFault } from './protocol/faults.js';
import type { FaultSpec } from './protocol/faults.js';
import { checkAdminRequest, handleClock } from './admin/clock-endpoint.js';
import { keyIdOfBody } from './protocol/request-log.js';
import type { RequestLog } from './protocol/request-log.js';
import { verifySigV4 } from './protocol/sigv4.js';
import type { Credentials } from './protocol/sigv4.js';
import { validateInput } from './protocol/validate.js';
import type { SimState } from './state/store.js';

export interface ServerDeps {
  state: SimState;
  context: HandlerContext;
  /** Every Region served; a request signed for another one is refused as for the wrong Region. */
  regions: ReadonlySet<string>;
  credentials: ReadonlyMap<string, Credentials>;
  faults: FaultSpec;
  random: () => number;
  /** Called after every request that may have changed the state. */
  persist?: () => void;
  log?: (line: string) => void;
  requestLog?: RequestLog;
  /** The bearer token every admin request must carry. */
  adminToken: string;
}

const MAX_BODY_BYTES = 1024 * 1024;
const READ_ONLY = new Set([
  'DescribeKey',
  'ListKeys',
  'ListAliases',
  'ListKeyRotations',
  'GetKeyRotationStatus',
  'GetPublicKey',
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateMac',
  'VerifyMac',
  'Sign',
  'Verify',
]);

/** Blobs go out as base64; everything else as JSON has it. */
function encodeOutput(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(encodeOutput);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value))
      if (item !== undefined) out[name] = encodeOutput(item);
    return out;
  }
  return value;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/x-amz-json-1.1',
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new KmsError('SerializationException', 'Request body is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

interface Outcome {
  status: number;
  body?: unknown;
  contentType?: string;
  operation?: string;
  admin?: string;
  keyId?: string;
  error?: string;
  fault?: 'throttle' | 'internal' | 'reset';
}

const ADMIN_JSON = 'application/json';

/** The Region of a SigV4 credential scope, when it is a Region name. */
function signedRegionOf(authorization: string | undefined): string | undefined {
  const region = /Credential=[^/\s,]+\/\d{8}\/([^/\s,]+)\/kms\/aws4_request/.exec(
    authorization ?? '',
  )?.[1];
  return region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
}

/** The HTTP face of the simulator: it only routes; handlers do the work. */
export function createSimServer(deps: ServerDeps): Server {
  const { state, context } = deps;

  function handleAdmin(req: IncomingMessage, body: Buffer): Outcome {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const admin = `${req.method ?? ''} ${path.slice(0, 64)}`;
    const refused = checkAdminRequest(req, deps.adminToken);
    const answer =
      refused ??
      (path === '/_sim/clock'
        ? handleClock(req, body, context.clock, () => {
            state.tick(context.clock.nowSeconds());
            deps.persist?.();
          })
        : { status: 404, body: { message: `no admin endpoint ${path.slice(0, 64)}` } });
    return { ...answer, contentType: ADMIN_JSON, admin };
  }

  async function handleKms(req: IncomingMessage, body: Buffer, outcome: Outcome): Promise<Outcome> {
    // One simulator serves every Region: the signature's scope names the Region a call is for.
    const signed = signedRegionOf(req.headers.authorization);
    const region = signed !== undefined && deps.regions.has(signed) ? signed : context.region;
    await verifySigV4(
      { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
      deps.credentials,
      region,
      new Date(),
    );
    const operationName = outcome.operation ?? '';
    const operation = OPERATIONS[operationName];
    if (req.method !== 'POST' || operation === undefined) {
      throw new KmsError('UnknownOperationException', '');
    }
    const handler = (
      HANDLERS as Readonly<Record<string, Handler<ImplementedOperation> | undefined>>
    )[operationName];
    if (handler === undefined) {
      throw new KmsError(
        'UnsupportedOperationException',
        `${operationName} is not supported by byok-kms-sim.`,
      );
    }
    if (deps.faults.latencyMs > 0) await delay(deps.faults.latencyMs);
    const fault = decideFault(deps.faults, deps.random);
    if (fault === 'reset') return { ...outcome, status: 0, fault };
    if (fault === 'throttle') {
      outcome.fault = fault;
      throw new KmsError('ThrottlingException', 'Rate exceeded');
    }
    if (fault === 'internal') {
      outcome.fault = fault;
      throw new KmsError(
        'KMSInternalException',
        'The request was rejected because an internal exception occurred. (injected fault)',
        500,
      );
    }
    const input =
      operation.input === undefined ? {} : validateInput(operation.input, parseBody(body));
    // What time did (expiry, automatic rotation) is saved even when the request itself only reads.
    if (state.tick(context.clock.nowSeconds())) deps.persist?.();
    // validateInput checked the input against the same model the types were generated from.
    const output = await handler(state, input, { ...context, region });
    if (!READ_ONLY.has(operationName)) deps.persist?.();
    return { ...outcome, status: 200, body: encodeOutput(output) };
  }

  function failed(outcome: Outcome, error: unknown): Outcome {
    if (error instanceof KmsError) {
      return {
        ...outcome,
        status: error.status,
        error: error.type,
        body: { __type: error.type, message: error.message },
      };
    }
    deps.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    return {
      ...outcome,
      status: 500,
      error: 'KMSInternalException',
      body: {
        __type: 'KMSInternalException',
        message: 'The request was rejected because an internal exception occurred.',
      },
    };
  }

  function record(outcome: Outcome, started: number): void {
    const ms = Date.now() - started;
    deps.requestLog?.write({
      time: new Date(started).toISOString(),
      ...(outcome.operation === undefined ? {} : { operation: outcome.operation }),
      ...(outcome.admin === undefined ? {} : { admin: outcome.admin }),
      ...(outcome.keyId === undefined ? {} : { keyId: outcome.keyId }),
      status: outcome.status,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(outcome.fault === undefined ? {} : { fault: outcome.fault }),
      ms,
    });
    const what = outcome.admin ?? outcome.operation ?? 'unknown target';
    const result = outcome.fault === 'reset' ? 'reset' : String(outcome.status);
    deps.log?.(
      `${what} ${result}${outcome.error === undefined ? '' : ` ${outcome.error}`} ${ms}ms`,
    );
  }

  async function respond(req: IncomingMessage): Promise<Outcome> {
    const isAdmin = (req.url ?? '').startsWith('/_sim/');
    const target = req.headers['x-amz-target'];
    const prefix = `${KMS_TARGET_PREFIX}.`;
    const outcome: Outcome = {
      status: 0,
      ...(!isAdmin && typeof target === 'string' && target.startsWith(prefix)
        ? { operation: target.slice(prefix.length, prefix.length + 64) }
        : {}),
    };
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      return failed(
        isAdmin
          ? { ...outcome, admin: `${req.method ?? ''} ${(req.url ?? '').slice(0, 64)}` }
          : outcome,
        error,
      );
    }
    if (isAdmin) {
      try {
        return handleAdmin(req, body);
      } catch (error) {
        return failed({ ...outcome, contentType: ADMIN_JSON }, error);
      }
    }
    // Only the request log shows the KeyId: without one, the body is parsed once, by the handler.
    const keyId = deps.requestLog === undefined ? undefined : keyIdOfBody(body);
    if (keyId !== undefined) outcome.keyId = keyId;
    try {
      return await handleKms(req, body, outcome);
    } catch (error) {
      return failed(outcome, error);
    }
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    void respond(req).then((outcome) => {
      try {
        record(outcome, started);
      } catch (error) {
        deps.log?.(`request log failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (outcome.fault === 'reset') {
        req.socket.destroy();
        return;
      }
      try {
        send(res, outcome.status, outcome.body, outcome.contentType);
      } catch {
        req.socket.destroy();
      }
    });
  }); // AWS endpoints keep idle connections open far longer than Node's 5 s default; closing sooner
  // races clients that reuse the socket (ECONNRESET) after a pause of a few seconds.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  return server;
}

/** The JSON body; anything that is not JSON answers SerializationException as KMS does. */
export function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new KmsError(
      'SerializationException',
      'Start of structure or map found where not expected.',
    );
  }
}
