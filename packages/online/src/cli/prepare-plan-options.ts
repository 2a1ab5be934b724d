import { ByokError } from '@byok-ceremony/shared';

/** prepare's flags that say what the plan says: refused beside --plan, so no two sources disagree. */
const PLAN_DECIDES = [
  'key-id',
  'with-replicas',
  'wrapping-algorithm',
  'wrapping-key-spec',
  'new-material',
  'reimport',
  'key-material-id',
  'expect-kcv',
  'original-record',
] as const;

/** Refuses, before any file is read, a flag the plan decides. */
export function assertNoFlagsBesidePlan(args: Record<string, unknown>): void {
  const given = PLAN_DECIDES.filter((flag) => args[flag] !== undefined);
  if (given.length > 0)
    throw new ByokError(
      'ERR_USAGE',
      `${given.map((f) => `--${f}`).join(', ')} cannot be used with --plan: the plan names the keys, the wrapping and the import`,
      {
        hint: 'Leave these flags out (the plan says all of it), or prepare without --plan for a one-off import.',
      },
    );
}
