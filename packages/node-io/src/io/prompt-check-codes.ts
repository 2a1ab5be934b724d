import { readHiddenLine } from './read-hidden-line.js';

/**
 * Asks each operator in turn, on stderr, for the check code the other machine shows, and reads
 * one line per operator from stdin. On a terminal the typing is hidden, so the second operator
 * cannot copy the first one's entry off the screen; each must read the code off the other
 * machine's screen.
 */
export async function promptCheckCodes(
  operators: readonly string[],
  io: { readonly stdin: NodeJS.ReadableStream; readonly stderr: (text: string) => void },
): Promise<string[]> {
  const codes: string[] = [];
  for (const operator of operators) {
    io.stderr(`${operator}, type the check code shown on the other machine: `);
    try {
      // Input that ends early is a missing answer, not a wrong code: no false alarm of substitution.
      const line = await readHiddenLine(io.stdin, {
        what: `${operator}'s check code`,
        code: 'ERR_CHECK_CODE_REQUIRED',
        endHint: 'Each operator types the check code shown on the other machine, one line each.',
      });
      codes.push(line.toString('utf8').trim());
    } finally {
      io.stderr('\n');
    }
  }
  return codes;
}
