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
  /**
   * Text for stderr once the command has ended, after whatever it prints last (QR frames, notes):
   * the log head code, which the witness copies off the command's last line. createCliMain
   * gives every command one; without it the text goes to stderr at once.
   */
  readonly sayLast?: (text: string) => void;
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
