import type { RanCommand } from '../lifecycle/ceremony-steps.js';

export type Tool = RanCommand['tool'];

/**
 * The commands one --help page lists under `Commands:`, as `TOOL PATH`: `byok-online import raw`
 * from `  byok-online import raw  Import one raw …`; positionals (`<logs..>`, `[images..]`) dropped.
 */
export function listedCommands(tool: Tool, help: string): string[] {
  const section = /(?:^|\n)Commands:\n([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1] ?? '';
  const commands: string[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith(`  ${tool} `)) continue; // a wrapped description line
    const usage = line.trim().split(/\s{2,}/)[0]!;
    commands.push(
      usage
        .split(' ')
        .filter((word) => !/^[<[]/.test(word))
        .join(' '),
    );
  }
  return commands;
}

/**
 * Every command and subcommand of a CLI, found by walking its --help pages from the top, so a
 * command added to the CLI shows up here without editing any list.
 */
export async function cliCommands(
  tool: Tool,
  help: (argv: readonly string[]) => Promise<string>,
): Promise<string[]> {
  const found: string[] = [];
  const pending: string[][] = [[]];
  for (let path = pending.shift(); path !== undefined; path = pending.shift()) {
    for (const command of listedCommands(tool, await help([...path, '--help']))) {
      if (found.includes(command)) continue;
      found.push(command);
      pending.push(command.split(' ').slice(1));
    }
  }
  return found;
}

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
