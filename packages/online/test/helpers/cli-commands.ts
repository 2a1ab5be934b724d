import type { RanCommand } from '../lifecycle/ceremony-steps.js';

export { cliCommands, listedCommands } from '../../../../test/ceremony/cli-commands.mjs';

export type Tool = RanCommand['tool'];

/** The command a run was, as `TOOL PATH`: the longest known path its leading words start with. */
export function commandOf(known: readonly string[], ran: RanCommand): string {
  const end = ran.argv.findIndex((arg) => arg.startsWith('-'));
  const words = [ran.tool, ...(end === -1 ? ran.argv : ran.argv.slice(0, end))];
  const match = known
    .filter((command) => {
      const path = command.split(' ');
      return path.every((word, i) => words[i] === word);
    })
    .sort((a, b) => b.length - a.length)[0];
  if (match === undefined) throw new Error(`not a command of ${ran.tool}: ${ran.argv.join(' ')}`);
  return match;
}
