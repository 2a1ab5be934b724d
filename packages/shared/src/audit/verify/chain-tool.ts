import type { ParsedLine } from './chain-line.js';
import type { ChainReport } from './chain-report.js';

/** The tool that wrote the log, from its first entry; an entry of another tool does not belong. */
export function checkOneToolPerLog(
  readable: readonly ParsedLine[],
  report: ChainReport,
): string | null {
  const tool = readable.map((l) => l.entry!.tool)[0] ?? null;
  for (const l of readable) {
    if (l.entry!.tool !== tool)
      report(
        'tool-mismatch',
        l.line,
        `line ${l.line} was written by ${l.entry!.tool}, the rest of the log by ${tool ?? '?'}: it does not belong here`,
      );
  }
  return tool;
}
