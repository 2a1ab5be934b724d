import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { skipHelpCache } from '../../src/cli/skip-help-cache.js';

/** A tool with one command whose handler runs; the usage instance says whether help was cached. */
async function helpCachedAfterCommand(skip: boolean): Promise<boolean> {
  let ran = false;
  const cli: Argv = yargs(['go', '--speed', '3'])
    .exitProcess(false)
    .strict()
    .command(
      'go',
      'Go somewhere',
      (y) => y.option('speed', { type: 'number', describe: 'How fast' }),
      () => {
        ran = true;
      },
    );
  if (skip) skipHelpCache(cli);
  await cli.parseAsync();
  expect(ran).toBe(true);
  const internal = (
    cli as unknown as {
      getInternalMethods: () => { getUsageInstance: () => { hasCachedHelpMessage: () => boolean } };
    }
  ).getInternalMethods();
  return internal.getUsageInstance().hasCachedHelpMessage();
}

describe('skipHelpCache', () => {
  it("stops yargs rendering a command's help before its handler (and yargs still does without it)", async () => {
    // Without it yargs renders and keeps the help: if this ever fails, yargs changed and the
    // skip below no longer reaches what it was written for.
    expect(await helpCachedAfterCommand(false)).toBe(true);
    expect(await helpCachedAfterCommand(true)).toBe(false);
  });

  it('leaves --help of a command as it was', async () => {
    const helpOf = async (skip: boolean): Promise<string> => {
      const cli = yargs(['go', '--help'])
        .exitProcess(false)
        .command(
          'go',
          'Go somewhere',
          (y) => y.option('speed', { type: 'number', describe: 'How fast' }),
          () => undefined,
        );
      if (skip) skipHelpCache(cli);
      let output = '';
      await cli.parseAsync(['go', '--help'], {}, (_error, _argv, out) => {
        output = out;
      });
      return output;
    };
    const help = await helpOf(true);
    expect(help).toContain('How fast');
    expect(help).toBe(await helpOf(false));
  });
});
