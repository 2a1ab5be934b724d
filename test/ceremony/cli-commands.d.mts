export type Tool = 'byok-online' | 'byok-offline';
export function listedCommands(tool: Tool, help: string): string[];
export function cliCommands(
  tool: Tool,
  help: (argv: readonly string[]) => Promise<string>,
): Promise<string[]>;
export function commandsOfBuiltClis(root: string): Promise<string[]>;
