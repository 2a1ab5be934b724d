import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { KmsError } from './errors.js';
import type { HandlerContext } from './handlers/context.js';
import { HANDLERS } from './handlers/index.js';
import { KMS_TARGET_PREFIX, OPERATIONS } from './model/kms-model.js';
import { decideFault } from './protocol/faults.js';
import type { FaultSpec } from './protocol/faults.js';
import { verifySigV4 } from './protocol/sigv4.js';
import type { Credentials } from './protocol/sigv4.js';
import { validateInput } from './protocol/validate.js';
import type { SimState } from './state/store.js';

export interface ServerDeps {
  state: SimState;
  context: HandlerContext;
  credentials: ReadonlyMap<string, Credentials>;
  faults: FaultSpec;
  random: () => number;
  /** Called after every request that may have changed the state. */
  persist?: () => void;
  log?: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;
const READ_ONLY = new Set([
  'DescribeKey',
  'ListKeys',
  'ListAliases',
  'ListKeyRotations',
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

/** The HTTP face of the simulator: it only routes; handlers do the work. */
export function createSimServer(deps: ServerDeps): Server {
  const { state, context } = deps;

  async function handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/_sim/clock') {
      send(res, 404, { message: `no admin endpoint ${path ?? ''}` }, 'application/json');
      return;
    }
    if (req.method === 'POST') {
      let advance: unknown;
      try {
        advance = (JSON.parse(body.toString('utf8') || '{}') as { advanceSeconds?: unknown })
          .advanceSeconds;
      } catch {
        send(
          res,
          400,
          { message: 'body must be JSON like {"advanceSeconds": 3600}' },
          'application/json',
        );
        return;
      }
      if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0) {
        send(
          res,
          400,
          { message: 'advanceSeconds must be a non-negative number' },
          'application/json',
        );
        return;
      }
      context.clock.advance(advance);
      state.tick(context.clock.nowSeconds());
      deps.persist?.();
    } else if (req.method !== 'GET') {
      send(res, 405, { message: 'use GET or POST' }, 'application/json');
      return;
    }
    await Promise.resolve();
    send(
      res,
      200,
      { now: Math.floor(context.clock.nowSeconds()), offsetSeconds: context.clock.offsetSeconds },
      'application/json',
    );
  }

  async function handleKms(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<string> {
    await verifySigV4(
      { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
      deps.credentials,
      context.region,
      new Date(),
    );
    const target = req.headers['x-amz-target'];
    const prefix = `${KMS_TARGET_PREFIX}.`;
    const operationName =
      typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : '';
    const operation = OPERATIONS[operationName];
    if (req.method !== 'POST' || operation === undefined) {
      throw new KmsError('UnknownOperationException', '');
    }
    const handler = HANDLERS[operationName];
    if (handler === undefined) {
      throw new KmsError(
        'UnsupportedOperationException',
        `${operationName} is not supported by byok-kms-sim.`,
      );
    }
    if (deps.faults.latencyMs > 0) await delay(deps.faults.latencyMs);
    const fault = decideFault(deps.faults, deps.random);
    if (fault === 'reset') {
      req.socket.destroy();
      return `${operationName} reset`;
    }
    if (fault === 'throttle') throw new KmsError('ThrottlingException', 'Rate exceeded');
    if (fault === 'internal') {
      throw new KmsError(
        'KMSInternalException',
        'The request was rejected because an internal exception occurred. (injected fault)',
        500,
      );
    }
    let parsed: unknown;
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new KmsError(
        'SerializationException',
        'Start of structure or map found where not expected.',
      );
    }
    const input = operation.input === undefined ? {} : validateInput(operation.input, parsed);
    state.tick(context.clock.nowSeconds());
    const output = await handler(state, input, context);
    if (!READ_ONLY.has(operationName)) deps.persist?.();
    send(res, 200, encodeOutput(output));
    return `${operationName} 200`;
  }

  return createServer((req, res) => {
    const started = Date.now();
    readBody(req)
      .then(async (body) => {
        if ((req.url ?? '').startsWith('/_sim/')) {
          await handleAdmin(req, res, body);
          return `${req.method ?? ''} ${req.url ?? ''} ${res.statusCode}`;
        }
        return handleKms(req, res, body);
      })
      .then(
        (line) => {
          deps.log?.(`${line} ${Date.now() - started}ms`);
        },
        (error: unknown) => {
          const target = String(req.headers['x-amz-target'] ?? req.url ?? '');
          if (error instanceof KmsError) {
            send(res, error.status, { __type: error.type, message: error.message });
            deps.log?.(`${target} ${error.status} ${error.type} ${Date.now() - started}ms`);
            return;
          }
          send(res, 500, {
            __type: 'KMSInternalException',
            message: 'The request was rejected because an internal exception occurred.',
          });
          deps.log?.(
            `${target} 500 KMSInternalException ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      );
  });
}
