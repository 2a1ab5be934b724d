import { parseStrictJson } from '@byok-ceremony/shared';

/** An admin body is a few members: anything larger is not one. */
export const MAX_ADMIN_BODY_BYTES = 1024;

/** An admin body read: its members, or why it is refused (answered with 400). */
export type AdminBody =
  | { readonly ok: true; readonly members: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly refused: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An admin request's JSON body, read as strictly as the ceremony's own files: at most
 * MAX_ADMIN_BODY_BYTES of UTF-8, one JSON object with no key given twice (JSON.parse would keep
 * the last, so a proxy and the simulator could read two different requests), and exactly the
 * `members` named. `example` shows the caller a body that is accepted.
 */
export function parseAdminBody(
  body: Buffer,
  members: readonly string[],
  example: string,
): AdminBody {
  const refuse = (why: string): AdminBody => ({ ok: false, refused: `${why}; send ${example}` });
  if (body.length > MAX_ADMIN_BODY_BYTES)
    return refuse(
      `the body has ${body.length} bytes, and admin bodies are at most ${MAX_ADMIN_BODY_BYTES}`,
    );
  let parsed: unknown;
  try {
    parsed = parseStrictJson(UTF8.decode(body));
  } catch (error) {
    const why = error instanceof TypeError ? 'it is not UTF-8' : (error as Error).message;
    return refuse(`the body is not strict JSON: ${why}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return refuse('the body must be a JSON object');
  const record = parsed as Record<string, unknown>;
  const unknown = Object.keys(record).filter((name) => !members.includes(name));
  if (unknown.length > 0)
    return refuse(
      `unknown member(s) ${unknown.map((n) => JSON.stringify(n.slice(0, 64))).join(', ')}: the body takes only ${members.join(', ')}`,
    );
  const missing = members.filter((name) => !Object.hasOwn(record, name));
  if (missing.length > 0) return refuse(`the body lacks ${missing.join(', ')}`);
  return { ok: true, members: record };
}
