import { ByokError } from '../errors.js';
import { replaceConfusables } from './confusable-prototypes.js';

/**
 * An operator name after NFKC: 1–64 letters, digits, spaces or . _ @ ' -, starting with a
 * letter or digit, never ending with a space nor holding two spaces together.
 */
export const OPERATOR_NAME = /^(?=.{1,64}$)[\p{L}\p{N}](?:[\p{L}\p{N}.'_@-]| (?=[^ ]))*$/u;
export const OPERATOR_NAME_RULE =
  "1–64 letters, digits, spaces or . _ @ ' -, starting with a letter or digit, with no space at the end and no two spaces together";

/** The form a name is recorded in: NFKC, so full-width and other compatibility forms read as their letters. */
export function normalizeOperatorName(name: string): string {
  return name.normalize('NFKC');
}

/**
 * Letters that read as a Latin letter but have no prototype in confusables.txt: every Latin small
 * capital (the capital's shape at x-height, from the Phonetic Extensions, IPA Extensions and Latin
 * Extended-D blocks), and the few lower-case letters drawn as another (kra, tone six, Greek eta).
 */
const SHAPE_OF: Readonly<Record<string, string>> = {
  '\u1d00': 'A',
  '\u0299': 'B',
  '\u1d04': 'C',
  '\u1d05': 'D',
  '\u1d07': 'E',
  '\ua730': 'F',
  '\u0262': 'G',
  '\u029c': 'H',
  '\u026a': 'I',
  '\u1d0a': 'J',
  '\u1d0b': 'K',
  '\u029f': 'L',
  '\u1d0d': 'M',
  '\u0274': 'N',
  '\u1d0f': 'O',
  '\u1d18': 'P',
  '\ua7af': 'Q',
  '\u0280': 'R',
  '\ua731': 'S',
  '\u1d1b': 'T',
  '\u1d1c': 'U',
  '\u1d20': 'V',
  '\u1d21': 'W',
  '\u028f': 'Y',
  '\u1d22': 'Z',
  '\u0138': 'k',
  '\u0185': 'b',
  '\u03b7': 'n',
};

/**
 * What a reader sees of a name: without invisible characters (zero-width space and joiner, soft
 * hyphen: Unicode's default-ignorable code points), without combining marks, with spaces collapsed
 * and trimmed. The tools refuse such names on the command line; a log written by other means may
 * still hold them, and "ALICE\u200b" must not count as a second person next to "ALICE".
 */
function visibleLetters(name: string): string {
  return name
    .replace(/[\s\S]/gu, (c) => SHAPE_OF[c] ?? c)
    .normalize('NFD')
    .replace(/[\p{Default_Ignorable_Code_Point}\p{M}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Who a name denotes, as the keys two names for one person share at least one of: the UTS #39
 * skeleton (NFD, each character replaced by its prototype from Unicode's confusables.txt, NFD)
 * of the name as written, of its capitals, and of its case-folded form (folded again). Folding
 * first alone misses look-alike capitals: Cyrillic ВОВ folds to вов, whose skeleton is not bob,
 * while the skeletons of ВОВ and BOB are both BOB.
 */
export function operatorIdentities(name: string): readonly [string, string, string] {
  const fold = (s: string): string => s.toUpperCase().toLowerCase();
  const skeleton = (s: string): string => replaceConfusables(s.normalize('NFD')).normalize('NFD');
  const recorded = visibleLetters(normalizeOperatorName(name));
  return [skeleton(recorded), skeleton(recorded.toUpperCase()), fold(skeleton(fold(recorded)))];
}

/** Whether two names denote one person: any of their identities (operatorIdentities) match. */
export function sameOperator(a: string, b: string): boolean {
  const x = operatorIdentities(a);
  const y = operatorIdentities(b);
  return x.some((id, i) => id === y[i]);
}

/** Each pair of names that denote one person, in the order given. */
export function operatorNameCollisions(names: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  names.forEach((name, i) => {
    const first = names.slice(0, i).find((earlier) => sameOperator(earlier, name));
    if (first !== undefined) pairs.push([first, name]);
  });
  return pairs;
}

/** Refuses two names for one person, with a hint saying why they collide. */
export function assertDistinctOperators(names: readonly string[]): void {
  const pairs = operatorNameCollisions(names);
  if (pairs.length === 0) return;
  throw new ByokError(
    'ERR_OPERATORS',
    `the same operator is named twice: ${pairs.map(([a, b]) => `${JSON.stringify(a)} and ${JSON.stringify(b)}`).join(', ')}`,
    {
      hint: 'Each --operator must name a different person. Names that differ only in case, in compatibility forms (full-width letters) or by look-alike characters from another script (Cyrillic о for Latin o) count as one person.',
    },
  );
}

/** A name as given on the command line, validated and in its recorded (NFKC) form. */
export function parseOperatorName(raw: string, flag: string): string {
  const name = normalizeOperatorName(raw);
  if (!OPERATOR_NAME.test(name)) {
    throw new ByokError('ERR_USAGE', `${flag} ${JSON.stringify(raw)} is not a valid name`, {
      hint: `A name is ${OPERATOR_NAME_RULE}.`,
    });
  }
  return name;
}

/** The --operator names of a command: each valid, in NFKC, and no two for one person. */
export function parseOperatorNames(raw: readonly string[]): string[] {
  const names = raw.map((n) => parseOperatorName(n, '--operator'));
  assertDistinctOperators(names);
  return names;
}
