import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SimClock } from '../state/clock.js';
import { MAX_CLOCK_OFFSET_SECONDS } from '../state/clock.js';
import { parseAdminBody } from './admin-body.js';

/** The admin endpoints' answer: a status and a JSON body. */
export interface AdminAnswer {
  status: number;
  body: Record<string, unknown>;
}

const LOOPBACK_HOST = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(?::\d{1,5})?$/i;

function refuse(status: number, message: string): AdminAnswer {
  return { status, body: { message } };
}

/** Compares digests, so neither the token's length nor its bytes leak through timing. */
function tokenMatches(given: string, token: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * Checks what every admin request needs: a loopback Host header (a web page elsewhere cannot
 * rebind a name to us), and the admin token the simulator printed at start.
 */
export function checkAdminRequest(req: IncomingMessage, token: string): AdminAnswer | undefined {
  if (!LOOPBACK_HOST.test(req.headers.host ?? ''))
    return refuse(403, 'admin endpoints answer only requests whose Host is a loopback address');
  const authorization = req.headers.authorization ?? '';
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(authorization);
  if (match === null || !tokenMatches(match[1]!, token))
    return refuse(
      401,
      'admin endpoints need the token byok-kms-sim printed at start, as "Authorization: Bearer TOKEN"',
    );
  return undefined;
}

function parseAdvance(body: Buffer): number | string {
  const parsed = parseAdminBody(body, ['advanceSeconds'], '{"advanceSeconds": 3600}');
  if (!parsed.ok) return parsed.refused;
  const advance = parsed.members['advanceSeconds'];
  if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0)
    return 'advanceSeconds must be a finite, non-negative number of seconds';
  return advance;
}

/** GET reads the simulated clock; POST `{"advanceSeconds": N}` moves it forward. */
export function handleClock(
  req: IncomingMessage,
  body: Buffer,
  clock: SimClock,
  onMoved: () => void,
): AdminAnswer {
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      return refuse(415, 'admin requests carry JSON: send Content-Type: application/json');
    const advance = parseAdvance(body);
    if (typeof advance === 'string') return refuse(400, advance);
    if (clock.offsetSeconds + advance > MAX_CLOCK_OFFSET_SECONDS)
      return refuse(
        400,
        `the clock may be at most ${MAX_CLOCK_OFFSET_SECONDS} seconds ahead of real time; it is ${clock.offsetSeconds} ahead`,
      );
    clock.advance(advance);
    onMoved();
  } else if (req.method !== 'GET') {
    return refuse(405, 'use GET or POST');
  } else if (body.length > 0) {
    return refuse(400, 'GET takes no body; POST {"advanceSeconds": N} moves the clock');
  }
  return {
    status: 200,
    body: { now: Math.floor(clock.nowSeconds()), offsetSeconds: clock.offsetSeconds },
  };
}
