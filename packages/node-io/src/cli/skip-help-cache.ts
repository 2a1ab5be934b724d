import type { Argv } from 'yargs';

/** The part of yargs' internals this touches: its usage instance (one per yargs instance). */
interface WithUsage {
  getInternalMethods?: () => {
    getUsageInstance?: () => { cacheHelpMessage?: () => void } | undefined;
  };
}

/**
 * yargs renders a command's whole help (every option, laid out by cliui and string-width) each
 * time it starts the command's handler, and keeps it in case the handler asks for help later.
 * These CLIs never do: `--help` is answered before any handler runs, and usage errors are ours
 * (`usageErrorOf`), never yargs' help. That rendering was 20–40 ms of CPU of every
 * `byok-offline wrap` (the command with the most options), so it is skipped; help asked for is
 * rendered when asked, as before. Where yargs' internals differ, nothing changes.
 */
export function skipHelpCache(cli: Argv): void {
  const usage = (cli as unknown as WithUsage).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
