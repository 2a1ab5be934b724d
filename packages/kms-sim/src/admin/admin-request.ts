import type { IncomingMessage } from 'node:http';
import type { HandlerContext } from '../handlers/context.js';
import type { Outcome } from '../protocol/outcome.js';
import type { SimState } from '../state/store.js';
import { checkAdminRequest, handleClock } from './clock-endpoint.js';

export interface AdminRequestDeps {
  state: SimState;
  context: HandlerContext;
  /** The bearer token every admin request must carry. */
  adminToken: string;
  persist?: () => void;
}

/** Admin answers are plain JSON, not KMS's JSON 1.1. */
export const ADMIN_JSON = 'application/json';

/** How the request log names an admin request: `METHOD /path`, shortened. */
export function adminNameOf(req: IncomingMessage): string {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  return `${req.method ?? ''} ${path.slice(0, 64)}`;
}

/** A request under /_sim/: checked for a loopback Host and the token, then routed by path. */
export function answerAdminRequest(
  req: IncomingMessage,
  body: Buffer,
  deps: AdminRequestDeps,
): Outcome {
  const { state, context } = deps;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const refused = checkAdminRequest(req, deps.adminToken);
  const answer =
    refused ??
    (path === '/_sim/clock'
      ? handleClock(req, body, context.clock, () => {
          state.tick(context.clock.nowSeconds());
          deps.persist?.();
        })
      : { status: 404, body: { message: `no admin endpoint ${path.slice(0, 64)}` } });
  return { ...answer, contentType: ADMIN_JSON, admin: adminNameOf(req) };
}
