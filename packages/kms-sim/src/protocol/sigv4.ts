import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError } from '../errors.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** AWS tolerates this much skew between the signer's clock and its own. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** Headers a request must sign, so none of what selects the operation or its body can be swapped. */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-amz-date', 'x-amz-target', 'content-type'] as const;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;

function invalidSignature(message: string): KmsError {
  return new KmsError('InvalidSignatureException', message);
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** AWS's basic ISO-8601 form, e.g. 20261201T080000Z. */
function amzDateOf(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** AWS's own wording for a signature outside the allowed skew, in both directions. */
function skewError(amzDate: string, signingDate: Date, realNow: Date): KmsError | undefined {
  const now = amzDateOf(realNow);
  if (signingDate.getTime() < realNow.getTime() - MAX_SKEW_MS) {
    const bound = amzDateOf(new Date(realNow.getTime() - MAX_SKEW_MS));
    return invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${bound} (${now} - 15 min.)`,
    );
  }
  if (signingDate.getTime() > realNow.getTime() + MAX_SKEW_MS) {
    const bound = amzDateOf(new Date(realNow.getTime() + MAX_SKEW_MS));
    return invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${bound} (${now} + 15 min.)`,
    );
  }
  return undefined;
}

type SignedRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer };

/** The parts of an Authorization header, or the error KMS answers for a missing or malformed one. */
function parseAuthorization(authorization: string | undefined) {
  if (authorization === undefined) {
    throw new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const match = AUTHORIZATION.exec(authorization.trim());
  if (match === null) {
    throw new KmsError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization.split(' ')[0] ?? ''}`,
    );
  }
  const [, accessKeyId, scopeDate, scopeRegion, scopeService, signedHeaderList, signature] =
    match as unknown as [string, string, string, string, string, string, string];
  return {
    accessKeyId,
    scopeDate,
    scopeRegion,
    scopeService,
    signedHeaders: signedHeaderList.split(';'),
    signature,
  };
}
type Authorization = ReturnType<typeof parseAuthorization>;

/** The X-Amz-Date header, as given and as a date. */
function signingDateOf(headers: IncomingHttpHeaders): { amzDate: string; signingDate: Date } {
  const amzHeader = headers['x-amz-date'];
  const amzDate = typeof amzHeader === 'string' ? amzHeader : '';
  const signingDate = parseAmzDate(amzDate);
  if (signingDate === undefined) {
    throw new KmsError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  return { amzDate, signingDate };
}

/** The credential scope names this service, this Region and the signing day. */
function checkScope(auth: Authorization, region: string, amzDate: string): void {
  if (auth.scopeService !== 'kms') {
    throw invalidSignature(`Credential should be scoped to correct service: 'kms'.`);
  }
  if (auth.scopeRegion !== region) {
    throw invalidSignature(
      `Credential should be scoped to a valid region, not '${auth.scopeRegion}'.`,
    );
  }
  if (auth.scopeDate !== amzDate.slice(0, 8)) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}'.`,
    );
  }
}

/** What selects the operation is signed, and the body is the one a claimed hash names. */
function checkSignedParts(request: SignedRequest, signedHeaders: readonly string[]): void {
  for (const required of REQUIRED_SIGNED_HEADERS) {
    // A request with no target at all selects nothing to swap; it answers UnknownOperationException.
    if (required === 'x-amz-target' && request.headers[required] === undefined) continue;
    if (!signedHeaders.includes(required)) {
      throw new KmsError(
        'IncompleteSignatureException',
        `'${required}' must be a 'SignedHeader' in the AWS Authorization.`,
      );
    }
  }
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimedHash = request.headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    throw invalidSignature(
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
}

/** The signature the client should have sent: the same request signed again with its secret. */
async function expectedSignature(
  request: SignedRequest,
  auth: Authorization,
  secret: Credentials,
  region: string,
  signingDate: Date,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined)
      throw invalidSignature(`Signed header ${name} is missing from the request.`);
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The signer hashes the body itself unless this header is signed, and then it equals bodyHash.
  const [path = '/', queryString = ''] = request.url.split('?', 2);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(queryString)) {
    const previous = query[name];
    query[name] =
      previous === undefined
        ? value
        : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey },
    region,
    service: 'kms',
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? 'localhost',
      path,
      query,
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  return (
    /Signature=([0-9a-f]{64})/.exec(
      String(signed.headers.authorization ?? signed.headers.Authorization),
    )?.[1] ?? ''
  );
}

/**
 * Checks a request's SigV4 signature by signing the same canonical request with
 * @smithy/signature-v4 and comparing. The payload hash is computed from the body received,
 * never taken from `x-amz-content-sha256` (the signer would trust that header). The skew check
 * uses the simulator's real time, never the moved clock.
 */
export async function verifySigV4(
  request: SignedRequest,
  credentials: ReadonlyMap<string, Credentials>,
  region: string,
  realNow: Date,
): Promise<void> {
  const auth = parseAuthorization(request.headers.authorization);
  const known = credentials.get(auth.accessKeyId);
  if (known === undefined) {
    throw new KmsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const { amzDate, signingDate } = signingDateOf(request.headers);
  checkScope(auth, region, amzDate);
  const skew = skewError(amzDate, signingDate, realNow);
  if (skew !== undefined) throw skew;
  checkSignedParts(request, auth.signedHeaders);
  const expected = await expectedSignature(request, auth, known, region, signingDate);
  const ok =
    expected.length === auth.signature.length &&
    timingSafeEqual(Buffer.from(expected, 'ascii'), Buffer.from(auth.signature, 'ascii'));
  if (!ok) {
    throw invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}
