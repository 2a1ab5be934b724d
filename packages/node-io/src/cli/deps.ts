/** Everything a command touches outside its inputs, so tests drive the real command in-process. */
export interface CliDeps {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether operators can be prompted: stdin and stderr are terminals. */
  readonly interactive: boolean;
  readonly now: () => Date;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processDeps(): CliDeps {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    interactive: process.stdin.isTTY && process.stderr.isTTY,
    now: () => new Date(),
    env: process.env,
    cwd: process.cwd(),
  };
}
