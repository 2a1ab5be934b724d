import { isByokError } from '../errors.js';

/**
 * The stderr lines for a failed command: `TOOL: error: …` and `TOOL: hint: …`, never a stack
 * trace unless asked for, since operators read these during a ceremony.
 */
export function formatErrorLines(tool: string, error: unknown, debug: boolean): string[] {
  const lines: string[] = [];
  if (isByokError(error)) {
    const [first, ...rest] = error.message.split('\n');
    lines.push(
      `${tool}: error: ${first ?? ''}`,
      ...rest.map((line) => `${tool}:   ${line.trimStart()}`),
    );
    if (error.hint !== undefined) lines.push(`${tool}: hint: ${error.hint}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`${tool}: error: unexpected failure: ${message}`);
    lines.push(
      `${tool}: hint: this is a bug; run again with --debug and report the output (it contains no key material)`,
    );
  }
  if (debug && error instanceof Error && error.stack !== undefined) lines.push(error.stack);
  return lines;
}
