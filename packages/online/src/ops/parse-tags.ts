import { ByokError } from '@byok-ceremony/shared';

export interface KeyTag {
  readonly key: string;
  readonly value: string;
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** `--tag KEY=VALUE` values as KMS accepts them; every bad one is listed at once. */
export function parseTags(values: readonly string[]): KeyTag[] {
  const problems: string[] = [];
  const tags: KeyTag[] = [];
  const seen = new Set<string>();
  for (const raw of values) {
    const eq = raw.indexOf('=');
    if (eq <= 0) {
      problems.push(`${JSON.stringify(raw)} is not KEY=VALUE`);
      continue;
    }
    const key = raw.slice(0, eq);
    const value = raw.slice(eq + 1);
    if (!TAG_KEY.test(key))
      problems.push(
        `tag key ${JSON.stringify(key)} is not 1–128 letters, digits, spaces or _ . : / = + - @`,
      );
    else if (key.toLowerCase().startsWith('aws:'))
      problems.push(`tag key ${JSON.stringify(key)} uses the reserved prefix aws:`);
    else if (seen.has(key)) problems.push(`tag key ${JSON.stringify(key)} is given twice`);
    if (!TAG_VALUE.test(value))
      problems.push(
        `tag value of ${JSON.stringify(key)} is not 0–256 letters, digits, spaces or _ . : / = + - @`,
      );
    seen.add(key);
    tags.push({ key, value });
  }
  if (problems.length > 0) {
    throw new ByokError('ERR_USAGE', `bad --tag: ${problems.join('; ')}`, {
      hint: 'Give each tag as --tag KEY=VALUE, e.g. --tag owner=payments; keys are unique and may not start with aws:.',
      details: problems,
    });
  }
  return tags;
}
