import { expect } from 'vitest';

/** Text without dashes or white space, upper case: the code in any spelling a screen could use. */
const flat = (text: string): string => text.replace(/[-\s]/g, '').toUpperCase();

/**
 * What a command says about the check code it asked for: its prompts, its notes on a mistyped
 * code and its error. The line of the log head code (another code, shown by design) is not one.
 */
function linesAboutTheCode(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /code|error:|hint:/.test(line) && !line.includes('log head code'));
}

/**
 * A check code read off the other machine is never shown on this one: not whole, in any spelling,
 * anywhere on stderr, and no group of it on the lines about it. The other lines are not searched
 * group by group: their random text (the log head code, key ids, a port) holds some 50 windows of
 * four characters of the code's alphabet, one of which equals one of its groups about once in
 * 4,000 runs.
 */
export function expectCodeNotShown(stderr: string, code: string): void {
  expect(flat(stderr)).not.toContain(flat(code));
  const about = linesAboutTheCode(stderr);
  expect(about.length, 'the command printed no line about the code').toBeGreaterThan(0);
  for (const group of code.split('-')) for (const line of about) expect(line).not.toContain(group);
}
