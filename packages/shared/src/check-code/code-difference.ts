import { normalizeCrockfordGroups } from './crockford.js';
import { CHECK_CODE_GROUPS } from './check-code.js';

const GROUP_LENGTH = 4;

/** "group 2", "groups 2 and 4", "groups 1, 3 and 5". */
function groupList(groups: readonly number[]): string {
  if (groups.length === 1) return `group ${groups[0]!}`;
  return `groups ${groups.slice(0, -1).join(', ')} and ${groups.at(-1)!}`;
}

/** What is wrong with the shape of a typed code, in words that never name a character of the real one. */
function shapeProblem(typed: string, groups: number): string {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  // Crockford's alphabet, plus O, I and L read as 0, 1 and 1: every letter but U.
  const foreign = [...new Set(compact.match(/[^0-9A-TV-Z]/gu) ?? [])];
  if (foreign.length > 0)
    return `it has character(s) a code never has (${foreign.join(' ')}): codes are digits and letters, never U`;
  return `it has ${compact.length} characters, a code has ${groups * GROUP_LENGTH} (${groups} groups of ${GROUP_LENGTH})`;
}

/**
 * How a typed code of `groups` groups of four differs from the expected one, for the person who
 * typed it: which groups differ (1-based), or what is wrong with its shape. Never a character of
 * the expected code, so the message cannot be copied as the answer. Undefined when they match.
 */
export function codeDifference(
  expected: string,
  typed: string,
  groups: number = CHECK_CODE_GROUPS,
): string | undefined {
  const normalized = normalizeCrockfordGroups(typed, groups);
  if (normalized === undefined) return shapeProblem(typed, groups);
  const want = expected.split('-');
  const got = normalized.split('-');
  const differ = want.flatMap((group, i) => (group === got[i] ? [] : [i + 1]));
  if (differ.length === 0) return undefined;
  return `${groupList(differ)} of ${groups} differ${differ.length === 1 ? 's' : ''}`;
}
