import { Sha256 } from '@aws-crypto/sha256-js';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_CREDENTIALS, startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { adminRequest, kmsClient } from './helpers.js';

interface Sent {
  status: number;
  json: Record<string, unknown>;
}

/** Signs a request as the SDK does, with a chosen date and headers left out of the signature. */
async function sendSigned(
  sim: KmsSim,
  options: {
    target?: string;
    body?: string;
    signingDate?: Date;
    unsigned?: string[];
    applyChecksum?: boolean;
    extraHeaders?: Record<string, string>;
    after?: (headers: Record<string, string>) => { headers: Record<string, string>; body: string };
  } = {},
): Promise<Sent> {
  const url = new URL(sim.url);
  const body = options.body ?? '{}';
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': options.target ?? 'TrentService.ListKeys',
    ...options.extraHeaders,
  };
  const signer = new SignatureV4({
    credentials: REHEARSAL_CREDENTIALS,
    region: sim.region,
    service: 'kms',
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers,
      body,
    },
    {
      ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }),
      unsignableHeaders: new Set(options.unsigned ?? []),
    },
  );
  const final = options.after?.(signed.headers) ?? { headers: signed.headers, body };
  const response = await fetch(sim.url, {
    method: 'POST',
    headers: final.headers,
    body: final.body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A client whose requests are changed by `tamper` after the SDK signed them. */
function tamperingClient(sim: KmsSim, tamper: (body: string) => string): KMSClient {
  const client = kmsClient(sim);
  type Next = (args: { request: unknown }) => Promise<unknown>;
  const afterSigning = (next: Next) => async (args: { request: unknown }) => {
    const request = args.request as { body?: unknown };
    const body = request.body;
    if (typeof body === 'string') request.body = tamper(body);
    else if (body instanceof Uint8Array) request.body = tamper(Buffer.from(body).toString('utf8'));
    return next(args);
  };
  client.middlewareStack.addRelativeTo(afterSigning as never, {
    relation: 'after',
    toMiddleware: 'httpSigningMiddleware',
    name: 'tamperAfterSigning',
  });
  return client;
}

describe('SigV4 authentication of every request', () => {
  let sim: KmsSim;
  let kms: KMSClient;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    sim = await startKmsSim({ wrappingKeyPool: false });
    kms = kmsClient(sim);
    keyA = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    keyB = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  afterAll(async () => {
    kms.destroy();
    await sim.close();
  });

  it('refuses a real SDK-signed request whose body was changed after signing', async () => {
    expect(keyA.length).toBe(keyB.length);
    const honest = tamperingClient(sim, (body) => body);
    const described = await honest.send(new DescribeKeyCommand({ KeyId: keyA }));
    expect(described.KeyMetadata!.KeyId).toBe(keyA);
    honest.destroy();
    const swapping = tamperingClient(sim, (body) => body.replace(keyA, keyB));
    await expect(swapping.send(new DescribeKeyCommand({ KeyId: keyA }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    });
    swapping.destroy();
  });

  it('hashes the body itself when no x-amz-content-sha256 header is sent', async () => {
    const swapped = await sendSigned(sim, {
      target: 'TrentService.DescribeKey',
      body: JSON.stringify({ KeyId: keyA }),
      applyChecksum: false,
      after: (headers) => {
        expect(headers['x-amz-content-sha256']).toBeUndefined();
        return { headers, body: JSON.stringify({ KeyId: keyB }) };
      },
    });
    expect(swapped.status).toBe(400);
    expect(swapped.json.__type).toBe('InvalidSignatureException');
    expect(String(swapped.json.message)).toContain(
      'The request signature we calculated does not match',
    );
  });

  it('refuses a request whose X-Amz-Target is not signed, so the operation cannot be swapped', async () => {
    const unsignedTarget = await sendSigned(sim, {
      target: 'TrentService.DescribeKey',
      body: JSON.stringify({ KeyId: keyA }),
      unsigned: ['x-amz-target'],
    });
    expect(unsignedTarget.status).toBe(400);
    expect(unsignedTarget.json).toEqual({
      __type: 'IncompleteSignatureException',
      message: "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.",
    });
    for (const header of ['host', 'content-type']) {
      const refused = await sendSigned(sim, { unsigned: [header] });
      expect(refused.json.__type).toBe('IncompleteSignatureException');
      expect(refused.json.message).toBe(
        `'${header}' must be a 'SignedHeader' in the AWS Authorization.`,
      );
    }
    expect((await sendSigned(sim)).status).toBe(200);
  });

  it('allows 15 minutes of clock skew either way and refuses more in AWS words', async () => {
    const minutes = (n: number) => new Date(Date.now() + n * 60_000);
    expect((await sendSigned(sim, { signingDate: minutes(-14) })).status).toBe(200);
    expect((await sendSigned(sim, { signingDate: minutes(14) })).status).toBe(200);
    const late = await sendSigned(sim, { signingDate: minutes(-16) });
    expect(late.json.__type).toBe('InvalidSignatureException');
    expect(late.json.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const early = await sendSigned(sim, { signingDate: minutes(16) });
    expect(early.json.__type).toBe('InvalidSignatureException');
    expect(early.json.message).toMatch(
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    );
  });
});

describe('the admin endpoint /_sim/clock', () => {
  let sim: KmsSim;

  beforeAll(async () => {
    sim = await startKmsSim({ wrappingKeyPool: false });
  });
  afterAll(async () => {
    await sim.close();
  });

  const advance = (
    value: string | Uint8Array,
    options: { contentType?: string; token?: string | null } = {},
  ) => adminRequest(sim, '/_sim/clock', { body: value, ...options });

  it('answers only with the token byok-kms-sim printed at start', async () => {
    expect(sim.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const none = await advance('{"advanceSeconds": 60}', { token: null });
    expect(none.status).toBe(401);
    expect(none.json.message).toContain('Authorization: Bearer TOKEN');
    expect((await adminRequest(sim, '/_sim/clock', { token: null })).status).toBe(401);
    expect((await advance('{"advanceSeconds": 60}', { token: `${sim.adminToken}x` })).status).toBe(
      401,
    );
    expect((await adminRequest(sim, '/_sim/clock')).json.offsetSeconds).toBe(0);
  });

  it('refuses a text/plain body, as a web page could send one without asking', async () => {
    const plain = await advance('{"advanceSeconds": 60}', { contentType: 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.json.message).toContain('Content-Type: application/json');
    expect((await adminRequest(sim, '/_sim/clock')).json.offsetSeconds).toBe(0);
  });

  it('refuses 1e300, negative, non-numeric and unknown values, and leaves the clock as it was', async () => {
    for (const body of [
      '{"advanceSeconds": 1e300}',
      '{"advanceSeconds": -1}',
      '{"advanceSeconds": "60"}',
      '{"advanceSeconds": null}',
      '{"advanceSeconds": 60, "offsetSeconds": 0}',
      '{"advanceSeconds": 3153600001}',
      '[60]',
      'NaN',
    ]) {
      const refused = await advance(body);
      expect(refused.status, body).toBe(400);
      expect(typeof refused.json.message).toBe('string');
    }
    expect((await adminRequest(sim, '/_sim/clock')).json.offsetSeconds).toBe(0);
    expect(() => {
      sim.advanceClock(1e300);
    }).toThrow(RangeError);
    expect((await advance('{"advanceSeconds": 60}')).json.offsetSeconds).toBe(60);
  });

  it('reads bodies strictly: a member given twice, an unknown member, an oversize or non-UTF-8 body are 400', async () => {
    const before = (await adminRequest(sim, '/_sim/clock')).json.offsetSeconds;
    for (const [body, message] of [
      // JSON.parse keeps the last value: a proxy that read the first would see another request.
      ['{"advanceSeconds": 60, "advanceSeconds": 0}', 'duplicate key "advanceSeconds"'],
      ['{"advanceSeconds": 60, "__proto__": {}}', 'unknown member(s) "__proto__"'],
      ['{"advanceSeconds": 60, "note": "x"}', 'unknown member(s) "note"'],
      ['{}', 'the body lacks advanceSeconds'],
      [`{"advanceSeconds": 60, "pad": "${'x'.repeat(1024)}"}`, 'admin bodies are at most 1024'],
      [`{"advanceSeconds": 60}${' '.repeat(1010)}`, 'the body has 1032 bytes'],
      [new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'not UTF-8'],
      ['{"advanceSeconds": 60', 'not strict JSON'],
    ] as const) {
      const refused = await advance(body);
      expect(refused.status, String(body)).toBe(400);
      expect(refused.json.message).toContain(message);
      expect(refused.json.message).toContain('send {"advanceSeconds": 3600}');
    }
    expect((await adminRequest(sim, '/_sim/clock')).json.offsetSeconds).toBe(before);
  });

  it('refuses a GET that carries a body', async () => {
    const body = '{"advanceSeconds": 60}';
    const { request } = await import('node:http');
    const url = new URL(sim.url);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'GET',
          path: '/_sim/clock',
          headers: {
            authorization: `Bearer ${sim.adminToken}`,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('GET takes no body');
  });

  it('answers only a loopback Host header', async () => {
    // fetch() will not send a forged Host header: use node:http.
    const { request } = await import('node:http');
    const url = new URL(sim.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/_sim/clock',
          headers: { host: 'attacker.example:80', authorization: `Bearer ${sim.adminToken}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
