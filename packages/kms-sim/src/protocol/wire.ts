import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KmsError } from '../errors.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** The whole request body; past MAX_BODY_BYTES the request is refused and its socket closed. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
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

/** Blobs go out as base64; everything else as JSON has it. */
export function encodeOutput(value: unknown): unknown {
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

export function sendJson(
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
