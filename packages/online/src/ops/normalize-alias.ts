import { ByokError } from '@byok-ceremony/shared';

const ALIAS_NAME = /^[a-zA-Z0-9/_-]+$/;

/** `alias/NAME` from `alias/NAME` or `NAME`, checked against KMS's alias rules before any key exists. */
export function normalizeAlias(given: string): string {
  const name = given.startsWith('alias/') ? given.slice('alias/'.length) : given;
  const full = `alias/${name}`;
  const problem =
    name.length === 0
      ? 'the name is empty'
      : !ALIAS_NAME.test(name)
        ? 'it may contain only letters, digits, / _ and -'
        : full.length > 256
          ? 'it is longer than 256 characters'
          : full.toLowerCase().startsWith('alias/aws/')
            ? 'alias/aws/ is reserved for AWS managed keys'
            : undefined;
  if (problem !== undefined) {
    throw new ByokError('ERR_USAGE', `bad --alias ${JSON.stringify(given)}: ${problem}`, {
      hint: 'Give --alias NAME or --alias alias/NAME with letters, digits, / _ - (not alias/aws/...).',
    });
  }
  return full;
}
