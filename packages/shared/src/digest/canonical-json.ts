/**
 * Canonical JSON (the subset of RFC 8785 our bundles use: objects, arrays, strings, integers,
 * booleans, null): keys sorted by UTF-16 code units, no whitespace. Two writers of the same
 * bundle produce the same bytes, so its digest covers every field and nothing else.
 *
 * The value is copied with every object's keys in that order and the copy written by
 * JSON.stringify, which keeps insertion order and escapes strings and keys exactly as the
 * member-by-member writer below does. On a bundle of a thousand keys that is about half the
 * time, and far less in a short-lived CLI, whose JavaScript rarely runs long enough to be
 * optimised while the engine's writer is native from the first call. One case it cannot
 * order: keys that begin with a digit (an integer-like key such as "10" is enumerated by the
 * engine before every other key, whatever the insertion order); a value holding one is written
 * member by member. The copy takes a stack frame per level as JSON.stringify does, so it nests
 * about half as deep as the member-by-member writer (over 2,000 levels at Node's default stack);
 * everything read from outside is refused past 64 (parseStrictJson).
 */
export function canonicalJson(value: unknown): string {
  const ordered = orderedCopy(value);
  return ordered === NOT_ORDERABLE ? memberByMember(value) : JSON.stringify(ordered);
}

const NOT_ORDERABLE: unique symbol = Symbol('not orderable by insertion');

function integerOnly(value: number): number {
  if (!Number.isSafeInteger(value))
    throw new TypeError(`canonical JSON takes integers only, got ${value}`);
  return value;
}

/** The value with each object's members inserted in canonical order, or NOT_ORDERABLE. */
function orderedCopy(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return integerOnly(value);
  if (Array.isArray(value)) {
    // No prototype either, so that JSON.stringify finds no toJSON and an element written here no
    // setter of Array.prototype or Object.prototype, whatever else in the process changed them:
    // the member-by-member writer never consults them.
    const out: unknown[] = [];
    Object.setPrototypeOf(out, null);
    for (let i = 0; i < value.length; i++) {
      const member = orderedCopy(value[i]);
      if (member === NOT_ORDERABLE) return NOT_ORDERABLE;
      out[i] = member;
    }
    return out;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, the order RFC 8785 asks for.
    const keys = Object.keys(record).sort();
    // No prototype: a member named __proto__ is an own member like any other.
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of keys) {
      const first = key.charCodeAt(0);
      if (first >= 0x30 && first <= 0x39) return NOT_ORDERABLE;
      const member = record[key];
      if (member === undefined) continue;
      const copy = orderedCopy(member);
      if (copy === NOT_ORDERABLE) return NOT_ORDERABLE;
      out[key] = copy;
    }
    return out;
  }
  throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
}

/** The writer for any value: each member written in turn. */
function memberByMember(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return JSON.stringify(integerOnly(value));
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + memberByMember(value[i]);
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = '{';
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${memberByMember(member)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
}
