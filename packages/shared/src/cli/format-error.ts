import { boundText } from '../encoding/bounded-text.js';
import { isByokError } from '../errors.js';

/** An error message longer than this many lines is cut, so no input can flood the terminal. */
const MAX_MESSAGE_LINES = 40;
/** Each printed line is cut to this many characters. */
const MAX_LINE_CHARS = 2000;

/**
 * The stderr lines for a failed command: `TOOL: error: …` and `TOOL: hint: …`, never a stack
 * trace unless asked for, since operators read these during a ceremony.
 */
export function formatErrorLines(tool: string, error: unknown, debug: boolean): string[] {
  const lines: string[] = [];
  if (isByokError(error)) {
    const messageLines = error.message.split('\n', MAX_MESSAGE_LINES + 1);
    lines.push(`${tool}: error: ${boundText(messageLines[0] ?? '', MAX_LINE_CHARS)}`);
    // A loop, not a spread: a spread of a huge array overflows the call stack.
    for (const line of messageLines.slice(1, MAX_MESSAGE_LINES))
      lines.push(`${tool}:   ${boundText(line.trimStart(), MAX_LINE_CHARS)}`);
    if (messageLines.length > MAX_MESSAGE_LINES) lines.push(`${tool}:   …`);
    if (error.hint !== undefined) lines.push(`${tool}: hint: ${error.hint}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`${tool}: error: unexpected failure: ${boundText(message, MAX_LINE_CHARS)}`);
    lines.push(
      `${tool}: hint: this is a bug; run again with --debug and report the output (it contains no key material)`,
    );
  }
  if (debug && error instanceof Error && error.stack !== undefined) lines.push(error.stack);
  return lines;
}
